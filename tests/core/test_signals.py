import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from posebuild import series_from_postures

from liftsafe.kinematics.signals import compute_signals, detect_facing


@pytest.mark.parametrize("facing", [1, -1])
def test_known_posture_angles(facing):
    s = series_from_postures([(45.0, 60.0, 20.0, 10.0)] * 3, facing=facing)
    sig = compute_signals(s)
    assert sig.facing == facing
    v = sig.values
    assert v["trunk_inclination_deg"][0] == pytest.approx(45.0, abs=1e-6)
    assert v["thigh_inclination_deg"][0] == pytest.approx(60.0, abs=1e-6)
    assert v["shin_angle_deg"][0] == pytest.approx(20.0, abs=1e-6)
    assert v["hip_flexion_deg"][0] == pytest.approx(105.0, abs=1e-6)
    assert v["knee_flexion_deg"][0] == pytest.approx(80.0, abs=1e-6)
    assert v["neck_extension_deg"][0] == pytest.approx(10.0, abs=1e-6)


def test_standing_is_zero_and_lean_back_is_negative():
    s = series_from_postures([(0.0, 0.0, 0.0), (-12.0, 0.0, 0.0)])
    v = compute_signals(s).values
    assert v["hip_flexion_deg"][0] == pytest.approx(0.0, abs=1e-6)
    assert v["trunk_inclination_deg"][1] == pytest.approx(-12.0, abs=1e-6)
    assert v["hip_flexion_deg"][1] == pytest.approx(-12.0, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    trunk=st.floats(-20, 85), thigh=st.floats(0, 100), shin=st.floats(-10, 40),
    dx=st.floats(-200, 200), dy=st.floats(-100, 100), scale=st.floats(0.5, 2.0),
)
def test_angles_invariant_to_translation_and_scale(trunk, thigh, shin, dx, dy, scale):
    s = series_from_postures([(trunk, thigh, shin)])
    moved = s.with_xy(s.xy * scale + np.array([dx, dy]))
    a, b = compute_signals(s, facing=1).values, compute_signals(moved, facing=1).values
    for name in ("trunk_inclination_deg", "hip_flexion_deg", "knee_flexion_deg", "neck_extension_deg"):
        assert a[name][0] == pytest.approx(b[name][0], abs=1e-6)


def test_mirror_image_gives_same_angles():
    s = series_from_postures([(50.0, 70.0, 25.0, -15.0)], facing=1)
    mirrored = s.with_xy(np.stack([1280 - s.xy[..., 0], s.xy[..., 1]], axis=-1))
    assert detect_facing(mirrored) == -1
    a, b = compute_signals(s).values, compute_signals(mirrored).values
    for name in ("trunk_inclination_deg", "hip_flexion_deg", "knee_flexion_deg", "neck_extension_deg"):
        assert a[name][0] == pytest.approx(b[name][0], abs=1e-6)


def test_metres_need_a_height():
    s = series_from_postures([(0.0, 0.0, 0.0)] * 5 + [(60.0, 70.0, 20.0)] * 5)
    assert "hand_forward_m" not in compute_signals(s).values
    sig = compute_signals(s, height_m=1.8)
    assert sig.metres_per_px is not None
    assert np.allclose(sig.values["hand_forward_m"], sig.values["hand_forward_bh"] * 1.8, equal_nan=True)
