"""Angles against gravity and occlusion gating: clean lifts stay clean under tilted and low
cameras and plates hiding the hips; injected faults are still found where checkable."""

import numpy as np
import pytest

from liftsafe.kinematics.gravity import CameraTilt, lines_roll_deg
from liftsafe.pipeline import analyze_series
from liftsafe.result import FaultCode
from liftsafe.simulate import SimConfig, simulate_lift

NOISY = dict(noise_px=1.5, noise_correlation=0.6, tempo_jitter=0.05, far_side_confidence_range=(0.4, 0.8))
PORTRAIT = dict(image_size=(1080, 1920), pixels_per_m=500.0)


def _analyse(cfg: SimConfig):
    sim = simulate_lift(cfg)
    return sim, analyze_series(sim.series, exercise=cfg.exercise, simulated=True)


def _codes(analysis) -> set[str]:
    return {f.code.value for r in analysis.result.reps for f in r.faults}


@pytest.mark.parametrize(
    "camera",
    [
        dict(camera_roll_deg=8.0),
        dict(camera_roll_deg=-8.0),
        dict(camera_height_m=0.10, camera_pitch_deg=20.0, **PORTRAIT),
        dict(camera_height_m=1.40, camera_pitch_deg=-20.0, **PORTRAIT),
        dict(camera_height_m=0.15, camera_pitch_deg=15.0, camera_roll_deg=-8.0, **PORTRAIT),
    ],
)
@pytest.mark.parametrize("exercise", ["deadlift", "hip-hinge"])
def test_clean_lift_stays_clean_under_a_tilted_or_low_camera(camera, exercise):
    sim, analysis = _analyse(SimConfig(exercise=exercise, seed=4, **NOISY, **camera))
    assert analysis.result.rep_count == 3
    assert _codes(analysis) == set()
    cam = analysis.result.camera
    if "camera_roll_deg" in camera:
        assert cam["roll_corrected"] and cam["roll_deg"] == pytest.approx(camera["camera_roll_deg"], abs=1.0)


def test_roll_would_make_a_lean_back_without_the_correction():
    """The correction is what keeps the lift clean: the uncorrected trunk leans back by the roll."""
    sim, analysis = _analyse(SimConfig(exercise="hip-hinge", seed=4, camera_roll_deg=11.0, noise_px=0.5))
    lock = slice(*sim.reps[0].phases["lockout"])
    raw = sim.series.xy[lock]
    from liftsafe.pose.layouts import BLAZEPOSE33 as N

    sh = (raw[:, N.index("left_shoulder")] + raw[:, N.index("right_shoulder")]) / 2
    hp = (raw[:, N.index("left_hip")] + raw[:, N.index("right_hip")]) / 2
    image_lean = np.degrees(np.arctan2(sh[:, 0] - hp[:, 0], hp[:, 1] - sh[:, 1]))  # + forward (faces +x)
    assert np.median(image_lean) < -10.0  # leaning back on screen past the 10 deg limit
    assert FaultCode.HYPEREXTENDED_LOCKOUT.value not in _codes(analysis)


def test_plates_hiding_the_hips_make_lockout_not_checked_instead_of_a_false_alarm():
    sim, analysis = _analyse(SimConfig(exercise="deadlift", seed=5, load="plates", hip_on_plate=1.0, **NOISY))
    # the misplaced hips do lean the shoulder-hip line back on screen at lockout ...
    trunk = analysis.signals["trunk_inclination_deg"]
    lock = slice(*sim.reps[1].phases["lockout"])
    assert np.nanmin(trunk[lock]) < -10.0
    # ... but the rules never read them: no fault, and the lockout faults are listed as not checked
    assert _codes(analysis) == set()
    unavailable = analysis.unavailable_faults
    assert unavailable[FaultCode.HYPEREXTENDED_LOCKOUT.value] == "hips hidden behind the plate at lockout"
    assert FaultCode.INCOMPLETE_LOCKOUT.value in unavailable
    by_rep = analysis.unavailable_faults_by_rep
    assert len(by_rep) == analysis.result.rep_count == 3
    assert all(FaultCode.HYPEREXTENDED_LOCKOUT.value in r for r in by_rep)
    # listed once, under not_checked (the warnings keep only the filming advice)
    listed = {n["code"] if isinstance(n, dict) else n.code for n in analysis.result.to_dict()["not_checked"]}
    assert FaultCode.HYPEREXTENDED_LOCKOUT.value in listed
    assert not any(w.startswith("not checked") for w in analysis.result.warnings)
    # filming from a little in front of side-on would not get them checked either: the budget does
    # not report the lockout faults from an oblique view yet, so no such advice ...
    assert not any("film from" in w for w in analysis.result.warnings)
    # ... which is given where it helps (here: a budget that reports everything)
    from liftsafe.technique.config import default_config

    every = analyze_series(sim.series, exercise="deadlift", simulated=True,
                           config=default_config().reporting_every_fault())
    assert any("film from a little in front of side-on" in w for w in every.result.warnings)


def test_plates_at_a_floor_level_camera_keep_a_clean_lift_clean():
    _, analysis = _analyse(
        SimConfig(
            exercise="rdl",
            seed=6,
            load="plates",
            hip_on_plate=1.0,
            camera_height_m=0.15,
            camera_pitch_deg=15.0,
            **PORTRAIT,
            **NOISY,
        )
    )
    assert analysis.result.rep_count == 3
    assert _codes(analysis) == set()


@pytest.mark.parametrize(
    "camera",
    [
        dict(camera_roll_deg=8.0),
        dict(camera_roll_deg=-8.0),
        dict(camera_height_m=0.10, camera_pitch_deg=20.0, **PORTRAIT),
    ],
)
def test_injected_lockout_lean_back_is_found_where_checkable(camera):
    # the lockout faults have too few measured sound shared-clip reps to be reported yet (the
    # false-alarm budget): what is tested here is the measure under a tilted camera
    from liftsafe.technique.config import default_config

    cfg = SimConfig(exercise="hip-hinge", seed=7, faults={1: {"hyperextended_lockout"}}, **NOISY, **camera)
    sim = simulate_lift(cfg)
    analysis = analyze_series(
        sim.series, exercise=cfg.exercise, simulated=True, config=default_config().reporting_every_fault()
    )
    by_rep = [{f.code for f in r.faults} for r in analysis.result.reps]
    assert FaultCode.HYPEREXTENDED_LOCKOUT in by_rep[1]
    assert FaultCode.HYPEREXTENDED_LOCKOUT not in by_rep[0] | by_rep[2]


def test_scene_verticals_give_the_roll_and_ignore_the_pitch_keystone():
    import cv2

    h, w = 480, 640
    for roll in (-6.0, 0.0, 4.0):
        img = np.zeros((h, w), np.uint8) + 40
        for x0 in (80, 200, 320, 440, 560):
            # a vertical edge turned by the roll about the image centre, leaning a little more
            # the further from the centre it is (a camera pitched down: verticals converge)
            tilt = np.radians(roll + 3.0 * (x0 - w / 2) / w)
            cx = w / 2 + (x0 - w / 2) * np.cos(np.radians(roll))
            dx, dy = np.sin(tilt) * 180, np.cos(tilt) * 180
            # + counter-clockwise on screen: the top of the edge moves left
            pts = np.array(
                [
                    [cx + dx - 6, h / 2 + dy],
                    [cx - dx - 6, h / 2 - dy],
                    [cx - dx + 6, h / 2 - dy],
                    [cx + dx + 6, h / 2 + dy],
                ],
                np.int32,
            )
            cv2.fillConvexPoly(img, pts, 220)
        assert lines_roll_deg([img]) == pytest.approx(roll, abs=1.0)


def test_level_turns_the_roll_back():
    from liftsafe.pose.series import PoseSeries

    xy = np.zeros((1, 33, 2))
    xy[0, :, 0] = 640 + np.linspace(-100, 100, 33) * np.cos(np.radians(5))
    xy[0, :, 1] = 360 - np.linspace(-100, 100, 33) * np.sin(np.radians(5))  # a line at +5 deg on screen
    series = PoseSeries(xy=xy, confidence=np.ones((1, 33)), fps=30.0)
    out = CameraTilt(roll_deg=5.0, roll_applied=True).level(series).xy[0]
    assert np.allclose(out[:, 1], 360.0)


def _twisted(exercise: str, yaw: float, **kw):
    from liftsafe.technique.config import default_config

    cfg = SimConfig(exercise=exercise, seed=3, camera_yaw_deg=yaw, faults={1: {FaultCode.TWISTING}},
                    **NOISY, **kw)
    sim = simulate_lift(cfg)
    return analyze_series(sim.series, exercise=exercise, simulated=True,
                          config=default_config().reporting_every_fault())


@pytest.mark.parametrize("yaw", [0.0, 20.0])
def test_a_squat_filmed_from_the_side_does_not_read_a_twist_from_shoulders_behind_the_plates(yaw):
    """The bar's near plate covers both shoulders of a squat filmed side-on: the twist's shoulder
    line is a guess there (on other people's sound squats it fired at major), so the twist is not
    read, even when one was there, and the result says why."""
    from liftsafe.kinematics.occlusion import SQUAT_SHOULDERS_REASON

    analysis = _twisted("squat", yaw)
    result = analysis.result
    assert result.rep_count == 3
    assert FaultCode.TWISTING.value not in _codes(analysis)
    listed = {x["code"]: x for x in result.not_checked}
    assert listed["twisting"]["reason"] == SQUAT_SHOULDERS_REASON
    assert all(not np.isfinite(r.metrics.get("shoulder_twist_deg", np.nan)) for r in result.reps)


def test_the_same_twist_is_still_read_in_a_deadlift_and_in_a_squat_filmed_off_side_on():
    """Only the squat's shoulders are behind a plate, and only near side-on: the deadlift's plates
    are at the floor and thighs, and from 35 deg the squat's plate, 0.65 m out on the bar, is off
    the shoulders on screen."""
    for exercise, yaw in (("deadlift", 0.0), ("squat", 35.0)):
        result = _twisted(exercise, yaw).result
        assert "twisting" not in {x["code"] for x in result.not_checked}, (exercise, yaw)
        assert np.nanmax([r.metrics.get("shoulder_twist_deg", np.nan) for r in result.reps]) > 15.0
