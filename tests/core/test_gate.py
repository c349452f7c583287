"""Keypoints that cannot belong to a body are dropped (kinematics.clean.gate_implausible)."""

import numpy as np
from posebuild import series_from_postures

from liftsafe.kinematics.clean import gate_implausible
from liftsafe.pose.layouts import BLAZEPOSE33

TRUNK = [BLAZEPOSE33.index(n) for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip")]
HIPS = [BLAZEPOSE33.index(n) for n in ("left_hip", "right_hip")]


def hinge(n=60):
    """Standing -> trunk horizontal (90 deg) -> standing, knees bending a little."""
    phase = np.sin(np.linspace(0, np.pi, n))
    return [(90.0 * p, 20.0 * p, 15.0 * p) for p in phase]


def with_features(series):
    from dataclasses import replace

    return replace(series, frame_features={"dorsal_curvature": np.full(series.n_frames, 0.1)})


def test_a_sound_hinge_is_left_alone_even_with_the_trunk_horizontal():
    s = with_features(series_from_postures(hinge()))
    gated, notes = gate_implausible(s, sagittal=True)
    assert notes == []
    assert gated is s


def test_hips_snapped_onto_the_plate_are_dropped_with_the_shoulders():
    s = series_from_postures(hinge())
    xy = s.xy.copy()
    wrist, shoulder = BLAZEPOSE33.index("left_wrist"), BLAZEPOSE33.index("left_shoulder")
    glitch = slice(25, 35)
    for k in HIPS:  # BlazePose behind a plate: the hips snap to the plate's hub, by the hands
        xy[glitch, k] = xy[glitch, shoulder] + 0.4 * (xy[glitch, wrist] - xy[glitch, shoulder])
    s = with_features(s.with_xy(xy))
    gated, notes = gate_implausible(s, sagittal=True)
    assert any("trunk or hips could not be placed" in n for n in notes)
    assert np.all(np.isnan(gated.xy[glitch][:, TRUNK]))
    assert np.all(gated.confidence[glitch][:, TRUNK] == 0.0)
    assert np.all(np.isnan(gated.frame_features["dorsal_curvature"][glitch]))
    keep = np.r_[0:25, 35:60]
    assert np.all(np.isfinite(gated.xy[keep][:, TRUNK]))
    assert np.all(np.isfinite(gated.frame_features["dorsal_curvature"][keep]))


def test_front_view_foreshortening_is_not_a_failure():
    s = series_from_postures(hinge())
    xy = s.xy.copy()
    hip = xy[:, HIPS[0]].copy()
    shoulder_idx = [BLAZEPOSE33.index("left_shoulder"), BLAZEPOSE33.index("right_shoulder")]
    for k in shoulder_idx:  # from the front a hinged trunk points at the camera: short on screen
        xy[25:35, k] = hip[25:35] + 0.3 * (xy[25:35, k] - hip[25:35])
    gated, notes = gate_implausible(s.with_xy(xy), sagittal=False)
    assert notes == []


def test_an_upside_down_pose_is_dropped_whole():
    s = series_from_postures(hinge())
    xy = s.xy.copy()
    xy[5] = xy[5] * np.array([1.0, -1.0]) + np.array([0.0, 1300.0])  # mirrored top to bottom
    gated, notes = gate_implausible(s.with_xy(xy), sagittal=False)
    assert any("upside down in 1 frames" in n for n in notes)
    assert np.all(np.isnan(gated.xy[5]))
    assert np.all(np.isfinite(gated.xy[6][TRUNK]))


def test_an_oblique_camera_shortens_a_horizontal_trunk_without_a_failure():
    s = series_from_postures(hinge())
    xy = s.xy.copy()
    yaw = np.radians(55.0)
    xy[..., 0] = 640.0 + (xy[..., 0] - 640.0) * np.cos(yaw)  # the sagittal plane turned 55 deg from the image
    s = s.with_xy(xy)
    assert gate_implausible(s, sagittal=True, yaw_deg=55.0)[1] == []
    assert gate_implausible(s, sagittal=True, yaw_deg=float("nan"))[1] != []  # judged as side-on it would be


def test_a_hip_jump_of_a_trunk_length_is_reported_as_a_tracking_jump():
    from liftsafe.kinematics.clean import tracking_jumps

    s = series_from_postures(hinge())
    assert tracking_jumps(s.xy, s) == []
    xy = s.xy.copy()
    xy[30:] += np.array([400.0, 0.0])  # another person, a body's width away, from frame 30 on
    xy[40:, HIPS[0]] = np.nan  # one hip lost: the other still places the pelvis
    assert tracking_jumps(xy, s) == [30]


def test_dropped_points_lose_their_3d_landmarks_too():
    """The world landmarks of a point the gate drops come from the same failed estimate: the
    twist and 3-D flexion signals must not read them."""
    from dataclasses import replace

    s = series_from_postures(hinge())
    xy = s.xy.copy()
    wrist, shoulder = BLAZEPOSE33.index("left_wrist"), BLAZEPOSE33.index("left_shoulder")
    glitch = slice(25, 35)
    for k in HIPS:
        xy[glitch, k] = xy[glitch, shoulder] + 0.4 * (xy[glitch, wrist] - xy[glitch, shoulder])
    world = np.random.default_rng(0).normal(0, 0.3, (s.n_frames, len(BLAZEPOSE33), 3))
    s = replace(s.with_xy(xy), world_m=world)
    gated, _ = gate_implausible(s, sagittal=True)
    assert np.all(np.isnan(gated.world_m[glitch][:, TRUNK]))
    assert np.array_equal(gated.world_m[:25], world[:25]) and np.array_equal(gated.world_m[35:], world[35:])
    assert np.all(np.isfinite(s.world_m))  # the input is not changed in place
