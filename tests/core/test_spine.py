"""The back-outline curvature (kinematics.spine) on masks of known shape."""

import numpy as np
import pytest

from liftsafe.kinematics.spine import (
    MAX_STEP_SLOPE,
    STATIONS,
    contour_curvature,
    dorsal_contour,
    dorsal_curvature,
    outline_in_chord_frame,
)

H, W = 400, 600
HIP = np.array([150.0, 250.0])
SHOULDER = np.array([450.0, 250.0])  # horizontal trunk, lifter facing image-right; L = 300 px
L = 300.0


def trunk_mask(back_height) -> np.ndarray:
    """Body below the chord plus a back surface ``back_height(x)`` pixels above it."""
    mask = np.zeros((H, W), np.float32)
    ys = np.arange(H)[:, None]
    xs = np.arange(W)[None, :]
    top = 250.0 - back_height(np.arange(W, dtype=float))[None, :]
    inside = (xs >= 100) & (xs <= 500) & (ys >= top) & (ys <= 320)
    mask[inside] = 1.0
    return mask


def test_flat_back_has_no_curvature():
    mask = trunk_mask(lambda x: np.full_like(x, 60.0))
    assert dorsal_curvature(mask, SHOULDER, HIP, facing=1) == pytest.approx(0.0, abs=0.02)


def test_tilted_flat_back_has_no_curvature():
    """A straight back that is not parallel to the hip-shoulder line is still flat."""
    mask = trunk_mask(lambda x: 40.0 + 0.1 * (x - 150.0))
    assert dorsal_curvature(mask, SHOULDER, HIP, facing=1) == pytest.approx(0.0, abs=0.02)


@pytest.mark.parametrize("radius_l", [1.5, 3.0])
def test_bowed_back_gives_the_arc_curvature(radius_l):
    """An outline on a circle of radius R has curvature L / R in trunk lengths."""
    r = radius_l * L
    cx = 300.0

    def height(x):
        return 60.0 + np.sqrt(np.maximum(r**2 - (x - cx) ** 2, 0.0)) - r

    mask = trunk_mask(height)
    assert dorsal_curvature(mask, SHOULDER, HIP, facing=1) == pytest.approx(1.0 / radius_l, rel=0.15)


def test_hollow_back_is_negative_and_mirror_image_agrees():
    mask = trunk_mask(lambda x: 60.0 + 0.0012 * (x - 300.0) ** 2)
    k = dorsal_curvature(mask, SHOULDER, HIP, facing=1)
    assert k < -0.3
    mirrored = mask[:, ::-1].copy()
    flip = lambda p: np.array([W - 1 - p[0], p[1]])  # noqa: E731
    assert dorsal_curvature(mirrored, flip(SHOULDER), flip(HIP), facing=-1) == pytest.approx(k, abs=0.02)


def test_a_step_in_the_outline_is_not_measured():
    """A mask that jumps (dark shirt on a dark background, a plate merged with the body) is rejected."""
    mask = trunk_mask(lambda x: np.where(x < 260, 15.0, 70.0))
    contour = dorsal_contour(mask, SHOULDER, HIP, facing=1)
    assert contour is not None
    along = (contour[:, 0] - HIP[0]) / L
    out = (HIP[1] - contour[:, 1]) / L
    assert np.max(np.abs(np.diff(out) / np.diff(along))) > MAX_STEP_SLOPE
    assert np.isnan(contour_curvature(contour, SHOULDER, HIP, facing=1))


def test_no_mask_or_chord_outside_the_mask_is_nan():
    assert np.isnan(dorsal_curvature(None, SHOULDER, HIP, facing=1))
    empty = np.zeros((H, W), np.float32)
    assert np.isnan(dorsal_curvature(empty, SHOULDER, HIP, facing=1))


def test_contour_at_chosen_stations_reads_the_outline_there():
    """``stations`` places the march along the chord (the lower-outline experiment reads 0.15-0.50):
    on a back whose height steps up along the trunk each station finds its own height, and the default
    is the shipped 15 stations."""
    mask = trunk_mask(lambda x: 40.0 + 0.1 * (x - 150.0))
    lower = np.linspace(0.15, 0.50, 11)
    contour = dorsal_contour(mask, SHOULDER, HIP, facing=1, stations=lower)
    assert contour is not None and contour.shape == (11, 2)
    along, out = outline_in_chord_frame(contour, SHOULDER, HIP, facing=1)
    assert along == pytest.approx(lower, abs=0.01)
    assert out * L == pytest.approx(40.0 + 0.1 * lower * L, abs=1.5)
    assert dorsal_contour(mask, SHOULDER, HIP, facing=1).shape == (len(STATIONS), 2)
