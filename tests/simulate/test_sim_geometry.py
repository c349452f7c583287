"""The body model: truth angles match the geometry it builds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftsafe.simulate.body import STANDING, BodyDims, Posture, build_body, trunk_chord_m
from liftsafe.simulate.lifter import measure_body

DIMS = BodyDims.for_height(1.75)
ANGLES = (
    "trunk_inclination_deg",
    "hip_flexion_deg",
    "knee_flexion_deg",
    "neck_extension_deg",
    "spine_flexion_deg",
)


def _body(posture: Posture, arm_mode: str = "hang") -> tuple[dict[str, np.ndarray], dict[str, float]]:
    params = posture.as_dict()
    return build_body(params, DIMS, arm_mode=arm_mode), params


def _dist(body: dict[str, np.ndarray], a: str, b: str) -> float:
    return float(np.linalg.norm(body[a][0] - body[b][0]))


def test_standing_pose_gives_zero_angles_and_stacked_joints() -> None:
    body, params = _body(STANDING)
    truth = measure_body(body, params)
    for key in ANGLES + (
        "thigh_inclination_deg",
        "shin_angle_deg",
        "shoulder_hip_twist_deg",
        "left_right_knee_diff_deg",
    ):
        assert truth[key][0] == pytest.approx(0.0, abs=1e-9), key
    # ankle, knee, hip, shoulder and ear on one vertical line
    for name in ("left_knee", "left_hip", "mid_shoulder", "mid_ear"):
        assert body[name][0, 0] == pytest.approx(0.0, abs=1e-9)
    assert body["mid_hip"][0, 1] == pytest.approx(0.530 * 1.75, abs=1e-9)  # Winter: hip height 0.530 H
    assert body["mid_shoulder"][0, 1] == pytest.approx(0.818 * 1.75, abs=1e-9)  # shoulder height 0.818 H
    assert truth["heel_lift_m"][0] == pytest.approx(0.0, abs=1e-12)


def test_horizontal_trunk_and_thigh_give_right_angles() -> None:
    # trunk horizontal (90 deg) and thigh vertical: the shoulder is level with the hip
    body, params = _body(Posture(trunk_deg=90, hip_deg=90, knee_deg=0))
    hip, sh = body["mid_hip"][0], body["mid_shoulder"][0]
    assert sh[1] == pytest.approx(hip[1], abs=1e-9)
    assert sh[0] - hip[0] == pytest.approx(trunk_chord_m(DIMS, 0, 0), abs=1e-9)
    # upright trunk, thigh horizontal (hip flexion 90), shin vertical (knee flexion 90)
    body, params = _body(Posture(trunk_deg=0, hip_deg=90, knee_deg=90))
    assert body["left_knee"][0, 1] == pytest.approx(body["left_hip"][0, 1], abs=1e-9)
    assert body["left_knee"][0, 0] - body["left_hip"][0, 0] == pytest.approx(DIMS.thigh_m, abs=1e-9)
    truth = measure_body(body, params)
    assert truth["thigh_inclination_deg"][0] == pytest.approx(90.0, abs=1e-9)
    assert truth["shin_angle_deg"][0] == pytest.approx(0.0, abs=1e-9)


def test_neck_extension_sign_head_back_is_positive() -> None:
    body, params = _body(Posture(neck_deg=30))
    # upright trunk, head tilted back: the ear moves behind the shoulder (negative x)
    assert body["mid_ear"][0, 0] < body["mid_shoulder"][0, 0] - 0.02
    assert measure_body(body, params)["neck_extension_deg"][0] == pytest.approx(30.0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    trunk=st.floats(-25, 88),
    thigh=st.floats(-10, 85),
    shin=st.floats(-10, 40),
    lumbar=st.floats(-10, 35),
    thoracic=st.floats(-5, 30),
    neck=st.floats(-40, 50),
)
def test_truth_recovers_posture_and_segment_lengths_hold(trunk, thigh, shin, lumbar, thoracic, neck) -> None:
    posture = Posture(trunk_deg=trunk, hip_deg=trunk + thigh, knee_deg=thigh + shin,
                      lumbar_deg=lumbar, thoracic_deg=thoracic, neck_deg=neck)
    body, params = _body(posture)
    truth = measure_body(body, params)
    assert truth["trunk_inclination_deg"][0] == pytest.approx(trunk, abs=1e-7)
    assert truth["hip_flexion_deg"][0] == pytest.approx(trunk + thigh, abs=1e-7)
    assert truth["knee_flexion_deg"][0] == pytest.approx(thigh + shin, abs=1e-7)
    assert truth["neck_extension_deg"][0] == pytest.approx(neck, abs=1e-7)
    assert truth["spine_flexion_deg"][0] == pytest.approx(lumbar + thoracic, abs=1e-9)
    # rigid segments keep their lengths whatever the posture
    assert _dist(body, "left_hip", "left_knee") == pytest.approx(DIMS.thigh_m, abs=1e-9)
    assert _dist(body, "left_knee", "left_ankle") == pytest.approx(DIMS.shank_m, abs=1e-9)
    assert _dist(body, "mid_shoulder", "mid_ear") == pytest.approx(DIMS.neck_m, abs=1e-9)
    assert _dist(body, "left_shoulder", "left_elbow") == pytest.approx(DIMS.upper_arm_m, abs=1e-9)
    assert _dist(body, "left_elbow", "left_wrist") == pytest.approx(DIMS.forearm_m, abs=1e-9)
    assert _dist(body, "mid_hip", "mid_shoulder") == pytest.approx(
        trunk_chord_m(DIMS, lumbar, thoracic), abs=1e-9
    )
    # a flexed spine shortens the hip-shoulder distance, never lengthens it
    assert trunk_chord_m(DIMS, lumbar, thoracic) <= DIMS.pelvis_m + DIMS.lumbar_m + DIMS.thoracic_m + 1e-12


def test_hand_target_heel_lift_shift_twist_and_asymmetry_are_exact() -> None:
    posture = Posture(trunk_deg=50, hip_deg=90, knee_deg=60, hand_forward_m=0.12, heel_lift_m=0.04,
                      pelvis_shift_m=0.07, twist_deg=20, knee_diff_deg=16, hip_diff_deg=12)
    body, params = _body(posture)
    truth = measure_body(body, params)
    assert truth["hand_forward_m"][0] == pytest.approx(0.12, abs=1e-9)
    assert truth["heel_lift_m"][0] == pytest.approx(0.04, abs=1e-9)
    assert truth["pelvis_lateral_m"][0] == pytest.approx(0.07, abs=1e-9)
    assert truth["shoulder_hip_twist_deg"][0] == pytest.approx(20.0, abs=1e-7)
    assert truth["left_right_knee_diff_deg"][0] == pytest.approx(16.0, abs=1e-7)
    assert truth["left_right_hip_diff_deg"][0] == pytest.approx(12.0, abs=1e-7)
    # the foot pivots about the toe: toe stays on the floor, foot keeps its length
    assert body["left_foot_index"][0, 1] == pytest.approx(0.0, abs=1e-12)
    assert _dist(body, "left_heel", "left_foot_index") == pytest.approx(DIMS.foot_m, abs=1e-9)


def test_bar_on_back_puts_hands_near_the_shoulders() -> None:
    body, _ = _body(Posture(trunk_deg=38, hip_deg=118, knee_deg=115), arm_mode="bar_on_back")
    assert _dist(body, "left_wrist", "left_shoulder") < 0.2
    with pytest.raises(ValueError, match="arm_mode must be"):
        build_body(STANDING.as_dict(), DIMS, arm_mode="overhead")
