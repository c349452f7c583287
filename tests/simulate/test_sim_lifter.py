"""Simulated clips: determinism, rep boundaries, projection, noise and dropouts, config errors."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftsafe.errors import InputError
from liftsafe.pose.layouts import BLAZEPOSE33
from liftsafe.result import Exercise, FaultCode
from liftsafe.simulate import PHASES, SimConfig, simulate_lift
from liftsafe.simulate.lifter import measure_body

IDX = {name: i for i, name in enumerate(BLAZEPOSE33)}


def test_same_seed_same_clip_other_seed_other_noise() -> None:
    cfg = SimConfig(n_reps=2, noise_px=2.0, dropout_rate=0.05, seed=7)
    a, b = simulate_lift(cfg), simulate_lift(cfg)
    np.testing.assert_array_equal(a.series.xy, b.series.xy)
    np.testing.assert_array_equal(a.series.confidence, b.series.confidence)
    c = simulate_lift(replace(cfg, seed=8))
    np.testing.assert_array_equal(a.xy_clean, c.xy_clean)
    assert not np.array_equal(np.nan_to_num(a.series.xy), np.nan_to_num(c.series.xy))


def test_series_is_a_blazepose_pixel_series() -> None:
    sim = simulate_lift(SimConfig(n_reps=1, fps=25))
    s = sim.series
    assert s.layout == "blazepose33" and s.fps == 25 and s.image_size == (1280, 720)
    assert (
        s.xy.shape == (sim.n_frames, 33, 2)
        and s.world_m is not None
        and s.world_m.shape == (sim.n_frames, 33, 3)
    )
    # whole body inside the 1280x720 frame with the default camera
    assert np.nanmin(s.xy) > 0 and np.nanmax(s.xy[..., 0]) < 1280 and np.nanmax(s.xy[..., 1]) < 720
    # y is down: the head is above (smaller y than) the ankles
    assert np.all(s.xy[:, IDX["nose"], 1] < s.xy[:, IDX["left_ankle"], 1])
    # world coordinates: origin between the hips
    mid_hip = (s.world_m[:, IDX["left_hip"]] + s.world_m[:, IDX["right_hip"]]) / 2
    np.testing.assert_allclose(mid_hip, 0.0, atol=1e-9)
    cfg = sim.config
    expected = (
        cfg.idle_before_s
        + cfg.n_reps * (cfg.setup_s + cfg.descent_s + cfg.pause_s + cfg.ascent_s + cfg.lockout_s)
        + cfg.idle_after_s
    )
    assert sim.n_frames == math.ceil(expected * 25 - 1e-6)


@settings(max_examples=12, deadline=None)
@given(
    exercise=st.sampled_from(list(Exercise)),
    fps=st.sampled_from([15.0, 24.0, 30.0, 60.0]),
    n_reps=st.integers(1, 4),
    descent=st.floats(0.6, 2.5),
    pause=st.floats(0.0, 1.0),
    ascent=st.floats(0.5, 2.0),
)
def test_rep_boundaries_match_the_motion(exercise, fps, n_reps, descent, pause, ascent) -> None:
    sim = simulate_lift(
        SimConfig(
            exercise=exercise, fps=fps, n_reps=n_reps, descent_s=descent, pause_s=pause, ascent_s=ascent
        )
    )
    hip = sim.truth["hip_flexion_deg"]
    assert len(sim.reps) == n_reps
    previous_end = 0
    for rep in sim.reps:
        assert rep.complete
        assert previous_end <= rep.start_frame < rep.bottom_frame < rep.end_frame <= sim.n_frames
        bounds = [rep.phases[p] for p in PHASES]
        assert bounds[0][0] == rep.start_frame and bounds[-1][1] == rep.end_frame
        for (a0, a1), (b0, _) in zip(bounds, bounds[1:]):
            assert a0 <= a1 == b0  # contiguous, ordered
        peak = rep.start_frame + int(np.argmax(hip[rep.start_frame : rep.end_frame]))
        b0, b1 = rep.phases["bottom"]
        assert b0 - 1 <= peak <= max(b1, b0 + 1)
        assert b0 - 1 <= rep.bottom_frame <= max(b1, b0 + 1)
        # standing (near-zero flexion) at the setup start and at the lockout end
        assert hip[rep.start_frame] < 1.0 and hip[rep.end_frame - 1] < 1.0
        assert abs(rep.tempo.descent_s - descent) < 1e-9 and abs(rep.tempo.ascent_s - ascent) < 1e-9
        assert np.all(sim.truth["rep_index"][rep.start_frame : rep.end_frame] == rep.index - 1)
        previous_end = rep.end_frame
    assert np.all(sim.truth["rep_index"][: sim.reps[0].start_frame] == -1)


def test_idle_frames_are_still_and_motion_is_smooth() -> None:
    sim = simulate_lift(SimConfig(n_reps=2, idle_before_s=1.5, idle_after_s=1.5, noise_px=0.0))
    first = sim.reps[0].phases["descent"][0]
    np.testing.assert_allclose(
        sim.xy_clean[:first], np.broadcast_to(sim.xy_clean[0], sim.xy_clean[:first].shape), atol=1e-9
    )
    last = sim.reps[-1].end_frame
    np.testing.assert_allclose(
        sim.xy_clean[last:], np.broadcast_to(sim.xy_clean[-1], sim.xy_clean[last:].shape), atol=1e-9
    )
    # no steps: the largest per-frame change of hip flexion is that of a smoothstep over the
    # 1.0 s ascent (peak speed 1.5 x mean speed), not a jump
    step = np.abs(np.diff(sim.truth["hip_flexion_deg"]))
    assert step.max() < 1.55 * 97 / (1.0 * sim.series.fps)


def test_start_mid_rep_clip_begins_inside_the_descent() -> None:
    sim = simulate_lift(SimConfig(n_reps=2, start_mid_rep=True))
    first = sim.reps[0]
    assert not first.complete and sim.reps[1].complete
    assert first.start_frame == 0 and first.phases["descent"][0] == 0
    hip = sim.truth["hip_flexion_deg"]
    assert 20 < hip[0] < 80 and hip[1] > hip[0]  # already halfway down, still descending


def test_end_mid_rep_clip_stops_inside_the_ascent() -> None:
    sim = simulate_lift(SimConfig(n_reps=2, end_mid_rep=True))
    last = sim.reps[-1]
    assert sim.reps[0].complete and not last.complete
    assert last.end_frame == sim.n_frames == last.phases["ascent"][1]
    assert last.phases["lockout"] == (sim.n_frames, sim.n_frames)
    hip = sim.truth["hip_flexion_deg"]
    assert 20 < hip[-1] < 80 and hip[-1] < hip[-2]  # still rising out of the bottom
    assert last.phase_times_s["ascent"][1] == pytest.approx(
        sim.n_frames / sim.series.fps, abs=1 / sim.series.fps
    )


def _image_angles(xy: np.ndarray, facing: int) -> dict[str, np.ndarray]:
    """Angles measured on the projected points (image y down; x mirrored for facing -1)."""
    pts = {
        name: np.stack([facing * xy[:, i, 0], -xy[:, i, 1], np.zeros(len(xy))], axis=-1)
        for name, i in IDX.items()
    }
    return measure_body(pts)


@pytest.mark.parametrize("facing", [1, -1])
def test_orthographic_side_view_preserves_sagittal_angles_exactly(facing: int) -> None:
    sim = simulate_lift(SimConfig(n_reps=1, projection="orthographic", facing=facing,
                                  faults={0: {FaultCode.ASYMMETRY, FaultCode.ROUNDED_BACK}}))
    measured = _image_angles(sim.xy_clean, facing)
    for key in ("trunk_inclination_deg", "hip_flexion_deg", "knee_flexion_deg", "shin_angle_deg",
                "neck_extension_deg", "left_knee_flexion_deg", "right_knee_flexion_deg"):
        np.testing.assert_allclose(measured[key], sim.truth[key], atol=1e-7, err_msg=key)
    # and the lifter faces the stated image direction: the nose is on the facing side of the ear
    nose_minus_ear = sim.xy_clean[:, IDX["nose"], 0] - sim.xy_clean[:, IDX["left_ear"], 0]
    assert np.all(np.sign(nose_minus_ear) == facing)


def test_pinhole_side_view_is_close_and_oblique_view_is_not() -> None:
    side = simulate_lift(SimConfig(n_reps=1))
    err = np.abs(_image_angles(side.xy_clean, 1)["hip_flexion_deg"] - side.truth["hip_flexion_deg"])
    assert err.max() < 2.0
    oblique = simulate_lift(SimConfig(n_reps=1, camera_yaw_deg=60, projection="orthographic"))
    bottom = oblique.reps[0].bottom_frame
    err = abs(
        _image_angles(oblique.xy_clean, 1)["trunk_inclination_deg"][bottom]
        - oblique.truth["trunk_inclination_deg"][bottom]
    )
    assert err > 10.0  # foreshortening: the reason the analysis asks for a side view


def test_front_view_shows_lateral_shift_side_view_does_not() -> None:
    cfg = SimConfig(n_reps=1, projection="orthographic", faults={0: {FaultCode.LATERAL_SHIFT}})
    side, front = simulate_lift(cfg), simulate_lift(replace(cfg, camera_yaw_deg=90))
    b = side.reps[0].bottom_frame

    def hip_minus_ankle_x(sim) -> float:
        xy = sim.xy_clean[b]
        return float(
            (
                xy[IDX["left_hip"], 0]
                + xy[IDX["right_hip"], 0]
                - xy[IDX["left_ankle"], 0]
                - xy[IDX["right_ankle"], 0]
            )
            / 2
        )

    def standing(sim) -> float:
        xy = sim.xy_clean[0]
        return float(
            (
                xy[IDX["left_hip"], 0]
                + xy[IDX["right_hip"], 0]
                - xy[IDX["left_ankle"], 0]
                - xy[IDX["right_ankle"], 0]
            )
            / 2
        )

    shift_px = abs(hip_minus_ankle_x(front) - standing(front))
    assert shift_px == pytest.approx(0.09 * front.config.pixels_per_m, rel=0.01)


def test_noise_and_dropout_statistics() -> None:
    sim = simulate_lift(
        SimConfig(n_reps=3, noise_px=2.0, dropout_rate=0.1, seed=3, confidence_range=(0.9, 1.0))
    )
    s = sim.series
    dropped = ~np.isfinite(s.xy).all(axis=-1)
    rate = dropped.mean()
    n = dropped.size
    assert abs(rate - 0.1) < 4 * math.sqrt(0.1 * 0.9 / n)
    assert np.all(s.confidence[dropped] == 0.0)
    kept = s.confidence[~dropped]
    assert kept.min() >= 0.9 and kept.max() <= 1.0
    resid = (s.xy - sim.xy_clean)[~dropped]
    assert abs(resid.std() - 2.0) < 0.05 and abs(resid.mean()) < 0.05
    clean = simulate_lift(SimConfig(n_reps=1, noise_px=0.0))
    np.testing.assert_array_equal(clean.series.xy, clean.xy_clean)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"exercise": "deadlfit"}, "exercise must be one of deadlift"),
        ({"n_reps": 0}, "n_reps must be an integer >= 1"),
        ({"fps": 0}, "fps must be > 0"),
        ({"dropout_rate": 1.5}, r"dropout_rate must be in \[0, 1\)"),
        ({"facing": 0}, "facing must be"),
        ({"faults": {5: {"rounded_back"}}}, "fault rep index 5 is outside 0..2"),
        ({"faults": {0: {"bent_knees"}}}, "unknown fault 'bent_knees'"),
        ({"projection": "fisheye"}, "projection must be"),
    ],
)
def test_bad_config_is_an_input_error(changes, message) -> None:
    with pytest.raises(InputError, match=message):
        SimConfig(**changes)


def test_string_codes_and_magnitude_overrides() -> None:
    cfg = SimConfig(
        n_reps=1,
        exercise="rdl",
        faults={0: ["head_out_of_line"]},
        fault_magnitudes={"head_out_of_line": 30.0},
    )
    assert cfg.exercise is Exercise.RDL and cfg.faults[0] == frozenset({FaultCode.HEAD_OUT_OF_LINE})
    sim = simulate_lift(cfg)
    assert sim.truth["neck_extension_deg"].max() == pytest.approx(30.0, abs=0.01)
    assert sim.injected == [frozenset({FaultCode.HEAD_OUT_OF_LINE})]


def test_correlated_noise_keeps_its_sd_and_has_the_lag1_correlation() -> None:
    sim = simulate_lift(SimConfig(n_reps=3, noise_px=2.0, noise_correlation=0.6, seed=5))
    resid = sim.series.xy - sim.xy_clean  # (frames, 33, 2)
    assert abs(resid.std() - 2.0) < 0.15
    a, b = resid[:-1].ravel(), resid[1:].ravel()
    assert abs(np.corrcoef(a, b)[0, 1] - 0.6) < 0.05


def test_lost_frames_remove_the_whole_person() -> None:
    sim = simulate_lift(SimConfig(n_reps=2, lost_frames=((40, 70),)))
    s = sim.series
    assert np.isnan(s.xy[40:70]).all() and np.all(s.confidence[40:70] == 0)
    assert np.isnan(s.world_m[40:70]).all()
    assert np.isfinite(s.xy[39]).all() and np.isfinite(s.xy[70]).all()
    assert s.detected_fraction() == pytest.approx(1 - 30 / s.n_frames)


def test_tempo_jitter_varies_reps_but_keeps_them_consistent() -> None:
    cfg = SimConfig(n_reps=4, tempo_jitter=0.2, seed=11, faults={3: {FaultCode.JERKED_PULL}})
    sim = simulate_lift(cfg)
    descents = {round(r.tempo.descent_s, 6) for r in sim.reps}
    assert len(descents) == 4 and all(0.6 <= d <= 1.8 for d in descents)
    assert sim.reps[3].tempo.ascent_s == pytest.approx(0.3)  # fault tempo kept
    for rep in sim.reps:
        d0, d1 = rep.phases["descent"]
        assert abs((d1 - d0) / cfg.fps - rep.tempo.descent_s) <= 1.0 / cfg.fps
    # the jitter has its own random stream: the pixel noise of the same seed is unchanged
    plain = simulate_lift(replace(cfg, tempo_jitter=0.0))
    n = min(plain.n_frames, sim.n_frames)
    np.testing.assert_allclose(
        (plain.series.xy - plain.xy_clean)[:n], (sim.series.xy - sim.xy_clean)[:n], atol=1e-9
    )


def test_far_side_points_get_lower_confidence_from_the_side_only() -> None:
    cfg = SimConfig(n_reps=1, far_side_confidence_range=(0.3, 0.6))
    side = simulate_lift(cfg)
    left, right = IDX["left_knee"], IDX["right_knee"]
    # camera on the lifter's right (facing +1): the left side is the far side
    assert side.series.confidence[:, left].max() <= 0.6 and side.series.confidence[:, right].min() >= 0.9
    mirrored = simulate_lift(replace(cfg, facing=-1))
    assert (
        mirrored.series.confidence[:, right].max() <= 0.6 and mirrored.series.confidence[:, left].min() >= 0.9
    )
    front = simulate_lift(replace(cfg, camera_yaw_deg=90))
    assert front.series.confidence[:, [left, right]].min() >= 0.9


def test_configs_are_hashable_and_equal_by_value() -> None:
    a = SimConfig(faults={1: {FaultCode.TWISTING}})
    b = SimConfig(faults={1: ["twisting"]})
    assert a == b and hash(a) == hash(b)
    assert hash(a) != hash(SimConfig())
