"""Each injected fault moves its truth signal beyond the stated magnitude; clean reps stay clean."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from liftsafe.result import Exercise, FaultCode
from liftsafe.simulate import FAULT_DEFAULTS, SimConfig, SimulatedLift, TrueRep, simulate_lift

F = FaultCode


@lru_cache(maxsize=None)
def _sim(code: FaultCode, exercise: Exercise = Exercise.DEADLIFT) -> SimulatedLift:
    """Three reps, the middle one faulty (the first and last are the clean controls)."""
    return simulate_lift(SimConfig(exercise=exercise, n_reps=3, noise_px=0.0, faults={1: {code}}))


def _window(sim: SimulatedLift, rep: TrueRep, key: str, phase: str | None = None) -> np.ndarray:
    a, b = (rep.start_frame, rep.end_frame) if phase is None else rep.phases[phase]
    return sim.truth[key][a:b]


def _pull(sim: SimulatedLift, rep: TrueRep, key: str) -> np.ndarray:
    """Bottom pause plus the first half of the ascent."""
    a = rep.phases["bottom"][0]
    asc0, asc1 = rep.phases["ascent"]
    return sim.truth[key][a : asc0 + (asc1 - asc0) // 2 + 1]


def _lockout(sim: SimulatedLift, rep: TrueRep, key: str) -> np.ndarray:
    a, b = rep.phases["lockout"]
    return sim.truth[key][a + 1 : b]


def _clean_reps(sim: SimulatedLift) -> list[TrueRep]:
    return [sim.reps[0], sim.reps[2]]


def test_injected_list_matches_config() -> None:
    sim = _sim(F.ROUNDED_BACK)
    assert sim.injected == [frozenset(), frozenset({F.ROUNDED_BACK}), frozenset()]


def test_rounded_back_grows_in_the_initial_pull() -> None:
    sim = _sim(F.ROUNDED_BACK)
    bad = sim.reps[1]
    flex = _window(sim, bad, "spine_flexion_deg")
    assert 40 <= flex.max() <= 50
    peak = bad.start_frame + int(np.argmax(flex))
    assert bad.phases["bottom"][0] <= peak < bad.phases["ascent"][1]
    assert (
        _window(sim, bad, "lumbar_flexion_deg").max() > 20
        and _window(sim, bad, "thoracic_flexion_deg").max() > 15
    )
    for rep in _clean_reps(sim):
        assert _window(sim, rep, "spine_flexion_deg").max() <= 10


def test_squatting_the_hinge_bends_the_knees_and_keeps_the_trunk_up() -> None:
    sim = _sim(F.SQUATTING_THE_HINGE)
    b = sim.reps[1].bottom_frame
    assert 100 <= sim.truth["knee_flexion_deg"][b] <= 110
    assert 30 <= sim.truth["trunk_inclination_deg"][b] <= 35
    clean_b = sim.reps[0].bottom_frame
    assert sim.truth["hip_height_m"][b] < sim.truth["hip_height_m"][clean_b] - 0.1  # hips low
    for rep in _clean_reps(sim):
        assert 60 <= sim.truth["knee_flexion_deg"][rep.bottom_frame] <= 75
        assert 50 <= sim.truth["trunk_inclination_deg"][rep.bottom_frame] <= 60


def _early_ascent(sim: SimulatedLift, rep: TrueRep, key: str) -> np.ndarray:
    a0, a1 = rep.phases["ascent"]
    return sim.truth[key][a0 : a0 + int(round(0.4 * (a1 - a0))) + 1]


def test_hips_rise_first_knees_extend_while_shoulders_stay() -> None:
    sim = _sim(F.HIPS_RISE_FIRST)
    bad = sim.reps[1]
    shoulders = _early_ascent(sim, bad, "shoulder_height_m")
    hips = _early_ascent(sim, bad, "hip_height_m")
    knees = _early_ascent(sim, bad, "knee_flexion_deg")
    trunk = _early_ascent(sim, bad, "trunk_inclination_deg")
    assert shoulders.max() - shoulders[0] < 0.02  # shoulders do not rise
    assert hips[-1] - hips[0] > 0.08  # hips do
    assert knees[-1] < 0.4 * knees[0]  # knees mostly extended
    assert np.all(np.diff(trunk) > -1e-9) and trunk[-1] > trunk[0] + 10  # trunk stays / inclines more
    for rep in _clean_reps(sim):
        s = _early_ascent(sim, rep, "shoulder_height_m")
        t = _early_ascent(sim, rep, "trunk_inclination_deg")
        assert s[-1] - s[0] > 0.05 and t[-1] <= t[0] + 1e-9


def _peak_accel(sim: SimulatedLift, rep: TrueRep) -> float:
    a0, a1 = rep.phases["ascent"]
    y = sim.truth["hip_height_m"][max(a0 - 2, 0) : a1 + 3]
    fps = sim.series.fps
    return float(np.abs(np.diff(y, 2)).max() * fps**2)


def test_jerked_pull_is_short_with_high_acceleration() -> None:
    sim = _sim(F.JERKED_PULL)
    bad = sim.reps[1]
    a0, a1 = bad.phases["ascent"]
    assert bad.tempo.ascent_s == pytest.approx(0.3) and (a1 - a0) / sim.series.fps <= 0.35
    clean = sim.reps[0]
    assert clean.tempo.ascent_s >= 1.0
    assert _peak_accel(sim, bad) > 5 * _peak_accel(sim, clean)


def test_load_far_from_body_during_the_pull() -> None:
    sim = _sim(F.LOAD_FAR_FROM_BODY)
    assert _pull(sim, sim.reps[1], "hand_forward_m").max() >= 0.15
    for rep in _clean_reps(sim):
        assert np.abs(_window(sim, rep, "hand_forward_m")).max() <= 0.05


def test_head_out_of_line_cranes_the_neck() -> None:
    sim = _sim(F.HEAD_OUT_OF_LINE)
    assert 35 <= _pull(sim, sim.reps[1], "neck_extension_deg").max() <= 45
    for rep in _clean_reps(sim):
        assert np.abs(_window(sim, rep, "neck_extension_deg")).max() <= 10


def test_twisting_turns_the_shoulders_in_the_ascent() -> None:
    sim = _sim(F.TWISTING)
    assert 25 <= np.abs(_window(sim, sim.reps[1], "shoulder_hip_twist_deg", "ascent")).max() <= 30
    for rep in _clean_reps(sim):
        assert np.abs(_window(sim, rep, "shoulder_hip_twist_deg")).max() < 1.0


def test_lateral_shift_moves_the_pelvis_sideways() -> None:
    sim = _sim(F.LATERAL_SHIFT)
    assert 0.08 <= np.abs(_window(sim, sim.reps[1], "pelvis_lateral_m")).max() <= 0.10
    for rep in _clean_reps(sim):
        assert np.abs(_window(sim, rep, "pelvis_lateral_m")).max() < 0.005


def test_incomplete_lockout_keeps_the_hips_flexed() -> None:
    sim = _sim(F.INCOMPLETE_LOCKOUT)
    top = _lockout(sim, sim.reps[1], "hip_flexion_deg")
    assert 20 <= top.min() and top.max() <= 25
    for rep in _clean_reps(sim):
        assert np.abs(_lockout(sim, rep, "hip_flexion_deg")).max() <= 3
    # the next rep still starts from standing
    assert sim.truth["hip_flexion_deg"][sim.reps[2].phases["descent"][0]] < 1


def test_hyperextended_lockout_leans_back() -> None:
    sim = _sim(F.HYPEREXTENDED_LOCKOUT)
    top = _lockout(sim, sim.reps[1], "trunk_inclination_deg")
    assert -20 <= top.min() and top.max() <= -15
    for rep in _clean_reps(sim):
        assert _lockout(sim, rep, "trunk_inclination_deg").min() >= -3


def test_uncontrolled_descent_drops_fast() -> None:
    sim = _sim(F.UNCONTROLLED_DESCENT)
    fps = sim.series.fps
    d0, d1 = sim.reps[1].phases["descent"]
    assert (d1 - d0) / fps <= 0.3
    for rep in _clean_reps(sim):
        c0, c1 = rep.phases["descent"]
        assert (c1 - c0) / fps >= 1.0


def test_shallow_hinge_barely_bends_the_hips() -> None:
    sim = _sim(F.SHALLOW_HINGE)
    assert 30 <= _window(sim, sim.reps[1], "hip_flexion_deg").max() <= 40
    for rep in _clean_reps(sim):
        assert _window(sim, rep, "hip_flexion_deg").max() >= 85


def test_heels_rise_at_the_bottom() -> None:
    sim = _sim(F.HEELS_RISE)
    bad = sim.reps[1]
    assert 0.04 <= sim.truth["heel_lift_m"][bad.bottom_frame] <= 0.05
    for rep in _clean_reps(sim):
        assert _window(sim, rep, "heel_lift_m").max() < 0.002


def test_asymmetry_differs_left_and_right() -> None:
    sim = _sim(F.ASYMMETRY)
    b = sim.reps[1].bottom_frame
    assert 15 <= abs(sim.truth["left_right_knee_diff_deg"][b]) <= 20
    assert 15 <= abs(sim.truth["left_right_hip_diff_deg"][b]) <= 20
    for rep in _clean_reps(sim):
        assert np.abs(_window(sim, rep, "left_right_knee_diff_deg")).max() < 1.0


def test_every_fault_code_has_an_injection_and_a_default() -> None:
    assert set(FAULT_DEFAULTS) == set(FaultCode)
    for code in FaultCode:
        sim = _sim(code)
        bad = sim.reps[1]
        clean = sim.reps[0]
        # the faulty rep differs from the clean one somewhere in its motion
        keys = [k for k in sim.truth if k != "rep_index"]
        bad_len = bad.end_frame - bad.start_frame
        clean_len = clean.end_frame - clean.start_frame
        if bad_len != clean_len:
            continue  # tempo faults
        diff = max(
            float(np.nanmax(np.abs(_window(sim, bad, k) - _window(sim, clean, k)))) for k in keys
        )
        assert diff > 0.01, code


@pytest.mark.parametrize(
    ("exercise", "trunk", "hip", "knee"),
    [
        (Exercise.DEADLIFT, (50, 60), (90, 100), (60, 75)),
        (Exercise.RDL, (70, 80), (80, 100), (15, 25)),
        (Exercise.SQUAT, (25, 45), (100, 130), (100, 130)),
        (Exercise.KETTLEBELL_DEADLIFT, (40, 60), (80, 100), (45, 70)),
        (Exercise.HIP_HINGE, (50, 75), (60, 90), (10, 30)),
        (Exercise.BOX_LIFT, (35, 55), (90, 110), (80, 100)),
    ],
)
def test_clean_bottom_postures_are_plausible(exercise, trunk, hip, knee) -> None:
    sim = simulate_lift(SimConfig(exercise=exercise, n_reps=1, noise_px=0.0))
    b = sim.reps[0].bottom_frame
    t = sim.truth
    assert trunk[0] <= t["trunk_inclination_deg"][b] <= trunk[1]
    assert hip[0] <= t["hip_flexion_deg"][b] <= hip[1]
    assert knee[0] <= t["knee_flexion_deg"][b] <= knee[1]
    assert t["spine_flexion_deg"].max() <= 10


def test_faults_combine_in_one_rep() -> None:
    sim = simulate_lift(
        SimConfig(n_reps=1, noise_px=0.0, faults={0: {F.ROUNDED_BACK, F.LOAD_FAR_FROM_BODY, F.JERKED_PULL}})
    )
    rep = sim.reps[0]
    assert sim.truth["spine_flexion_deg"].max() >= 40
    assert _pull(sim, rep, "hand_forward_m").max() >= 0.15
    assert rep.tempo.ascent_s == pytest.approx(0.3)
