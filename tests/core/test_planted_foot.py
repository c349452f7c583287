"""The planted mid-foot (kinematics/occlusion.py, ``planted_midfoot``): feet guessed behind a
plate -- hidden at low visibility, or put onto the plate for a few frames at a visibility that
still looks fine -- do not move the load's distance ahead of the mid-foot or make a heel rise."""

import numpy as np
import pytest

from liftsafe.kinematics.occlusion import FOOT_SLIP_BH, Occlusion, planted_midfoot
from liftsafe.pipeline import analyze_series
from liftsafe.pose.layouts import BLAZEPOSE33
from liftsafe.result import Exercise, FaultCode
from liftsafe.simulate import SimConfig, simulate_lift
from liftsafe.technique.thresholds import BY_CODE

FPS = 30.0
LOAD_FAR_MINOR = BY_CODE[FaultCode.LOAD_FAR_FROM_BODY].limits[Exercise.DEADLIFT].minor
FEET = [BLAZEPOSE33.index(f"{s}_{j}") for s in ("left", "right") for j in ("heel", "foot_index", "ankle")]


def _occlusion(low_foot: np.ndarray) -> Occlusion:
    n = len(low_foot)
    return Occlusion(
        load=None, radius_px=float("nan"), centre_px=np.full((n, 2), np.nan), low={"foot": low_foot}, smear=4
    )


def _signals(foot_x: np.ndarray, foot_y: np.ndarray, wrist_x: np.ndarray, heel: np.ndarray) -> dict:
    return {
        "midfoot_forward_bh": foot_x,
        "midfoot_up_bh": foot_y,
        "hand_forward_bh": wrist_x - foot_x,
        "hip_back_bh": (foot_x - 0.1) - (wrist_x - 0.2),
        "heel_lift_bh": heel,
    }


def test_a_glitch_and_a_hidden_stretch_of_the_feet_are_read_against_the_planted_foot():
    n = 150
    true_x = np.full(n, 0.50)
    wrist_x = 0.51 + 0.005 * np.sin(np.arange(n) / 10)  # the load right over the mid-foot
    foot_x, foot_y, heel = true_x.copy(), np.zeros(n), np.zeros(n)
    foot_x[40:44] -= 0.06  # put onto the plate for 4 frames, visibility still fine
    foot_y[40:44] += 0.10
    heel[40:44] = 0.05
    low = np.zeros(n, bool)
    low[70:95] = True  # hidden behind the plate: guessed, drifting back
    foot_x[70:95] -= np.linspace(0.0, 0.08, 25)
    heel[70:95] = 0.06
    out = planted_midfoot(_signals(foot_x, foot_y, wrist_x, heel), _occlusion(low), fps=FPS)
    # without the re-estimate the load reads up to 0.09 body heights ahead of the feet
    assert np.max(wrist_x - foot_x) > 0.08
    np.testing.assert_allclose(out["hand_forward_bh"], wrist_x - true_x, atol=1e-9)
    np.testing.assert_allclose(out["midfoot_forward_bh"], true_x, atol=1e-9)
    # the heel has no height where the foot was not seen or had slipped (widened by the smear)
    assert np.all(np.isnan(out["heel_lift_bh"][36:48]))
    assert np.all(np.isnan(out["heel_lift_bh"][70:95]))
    assert np.all(out["heel_lift_bh"][:30] == 0.0)
    assert np.all(out["heel_lift_bh"][100:] == 0.0)


def test_a_step_between_sets_is_followed_and_a_small_heel_rise_is_kept():
    n = 200
    foot_x = np.where(np.arange(n) < 100, 0.50, 0.70)  # the lifter steps 0.2 body heights forward
    foot_y = np.zeros(n)
    foot_y[20:40] += 0.01  # a real heel rise lifts the heel-toe mid-point a little
    wrist_x = foot_x + 0.02
    heel = np.zeros(n)
    heel[20:40] = 0.02
    out = planted_midfoot(_signals(foot_x, foot_y, wrist_x, heel), _occlusion(np.zeros(n, bool)), fps=FPS)
    assert 0.01 < FOOT_SLIP_BH
    np.testing.assert_allclose(out["heel_lift_bh"][20:40], 0.02)  # not a slip: kept
    # a second after the step the new stance is the planted foot again
    np.testing.assert_allclose(out["hand_forward_bh"][135:], 0.02, atol=1e-9)
    np.testing.assert_allclose(out["hand_forward_bh"][:60], 0.02, atol=1e-9)


def test_without_seen_feet_nothing_is_read_against_them():
    n = 60
    low = np.ones(n, bool)
    x = np.full(n, 0.5)
    out = planted_midfoot(_signals(x, np.zeros(n), x + 0.3, np.zeros(n)), _occlusion(low), fps=FPS)
    assert np.all(np.isnan(out["hand_forward_bh"]))
    assert np.all(np.isnan(out["heel_lift_bh"]))


@pytest.mark.parametrize("seed", [0, 1])
def test_feet_put_on_the_plate_in_a_simulated_pull_do_not_move_the_load_away(seed):
    """A clean simulated deadlift with plates; in every rep's pull the estimator puts the feet onto the
    plate for 4 frames (visibility 0.7) and then guesses them at visibility 0.3, drifting back. The
    load-ahead and heel-rise metrics stay those of the clip without the failure."""
    cfg = SimConfig(
        exercise="deadlift",
        seed=seed,
        load="plates",
        noise_px=1.5,
        noise_correlation=0.6,
        tempo_jitter=0.05,
        far_side_confidence_range=(0.4, 0.8),
    )
    sim = simulate_lift(cfg)
    clean = analyze_series(sim.series, exercise="deadlift", simulated=True)
    xy, conf = sim.series.xy.copy(), sim.series.confidence.copy()
    stature = clean.result.camera["stature_px"]
    toe, heel = BLAZEPOSE33.index("left_foot_index"), BLAZEPOSE33.index("left_heel")
    facing = np.sign(np.nanmedian(xy[:, toe, 0] - xy[:, heel, 0]))
    for rep in sim.reps:
        lift_off = rep.phases["bottom"][1]
        # onto the plate: 5 % of stature back and 8 % up, over 8 frames (as on a sound real clip)
        glitch = np.arange(lift_off, lift_off + 8)
        ramp = np.sin(np.linspace(0, np.pi, len(glitch)))[:, None]
        # then guessed at low visibility, sliding back under the plate
        hidden = np.arange(lift_off + 8, lift_off + 16)
        for k in FEET:
            xy[glitch, k] += ramp * np.array([-0.05 * facing * stature, -0.08 * stature])
            conf[glitch, k] = 0.7
            xy[hidden, k, 0] -= facing * np.linspace(0.0, 0.06, len(hidden)) * stature
            conf[hidden, k] = 0.35
    broken = analyze_series(sim.series.with_xy(xy, conf), exercise="deadlift", simulated=True)
    assert broken.result.rep_count == clean.result.rep_count == cfg.n_reps
    for good, bad, rep in zip(clean.result.reps, broken.result.reps, sim.reps):
        # the landmarks' own mid-foot would put the load beyond the fault's limit in the pull
        a, b = rep.phases["bottom"][1], rep.phases["ascent"][1]
        clean_peak = good.metrics["hand_forward_peak_bh"]
        assert np.nanmax(broken.signals["hand_forward_bh"][a:b]) > LOAD_FAR_MINOR > clean_peak
        assert bad.metrics["hand_forward_peak_bh"] == pytest.approx(clean_peak, abs=0.01)
        assert bad.metrics["heel_lift_peak_bh"] <= good.metrics["heel_lift_peak_bh"] + 0.005
        assert not {f.code.value for f in bad.faults} - {f.code.value for f in good.faults}
