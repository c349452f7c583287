"""Silhouettes: a person-shaped mask whose back contour follows the spine model."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from liftsafe.pose.layouts import BLAZEPOSE33
from liftsafe.result import FaultCode
from liftsafe.simulate import SimConfig, SimulatedLift, dorsal_line_m, render_silhouette, simulate_lift
from liftsafe.simulate.body import spine_centreline


@lru_cache(maxsize=None)
def _sim(rounded: bool, yaw: float = 0.0) -> SimulatedLift:
    faults = {0: {FaultCode.ROUNDED_BACK}} if rounded else {}
    return simulate_lift(SimConfig(n_reps=1, noise_px=0.0, faults=faults, camera_yaw_deg=yaw))


def _pull_frame(sim: SimulatedLift) -> int:
    a0, a1 = sim.reps[0].phases["ascent"]
    return a0 + int(round(0.4 * (a1 - a0)))


def _back_offsets(sim: SimulatedLift, frame: int) -> np.ndarray:
    """Distance (px) from the pelvis->upper-back chord of the model's mid-plane back line to
    the mask boundary, measured outwards along the chord normal at 9 stations."""
    mask = render_silhouette(sim, frame)
    px = sim.camera.project(dorsal_line_m(sim, frame))
    a, b = px[0], px[-1]
    chord = b - a
    normal = np.array([-chord[1], chord[0]]) / np.linalg.norm(chord)
    centre, _ = spine_centreline(sim.body_m, sim.params, sim.dims, frame)
    if np.dot((a + b) / 2 - sim.camera.project(centre[len(centre) // 2]), normal) < 0:
        normal = -normal
    offsets = []
    for t in np.linspace(0.1, 0.9, 9):
        start = a + t * chord - 15 * normal  # start inside the body
        k = 0
        while True:
            q = np.round(start + (k + 1) * normal).astype(int)
            if mask[q[1], q[0]] == 0:
                break
            k += 1
        offsets.append(k - 15)
    return np.array(offsets, dtype=float)


def _convexity_px(offsets: np.ndarray) -> float:
    """Largest bulge of the back contour beyond the straight line joining its ends."""
    line = np.linspace(offsets[0], offsets[-1], len(offsets))
    return float(np.max(offsets - line))


def test_mask_is_binary_image_sized_and_covers_the_joints() -> None:
    sim = _sim(False)
    frame = sim.reps[0].bottom_frame
    mask = render_silhouette(sim, frame)
    assert mask.dtype == np.uint8 and mask.shape == (720, 1280)
    assert set(np.unique(mask)) == {0, 1}
    for name in ("left_hip", "right_knee", "left_shoulder", "nose", "left_ankle", "left_wrist"):
        x, y = np.round(sim.xy_clean[frame, BLAZEPOSE33.index(name)]).astype(int)
        assert mask[y, x] == 1, name
    area_m2 = mask.sum() / sim.config.pixels_per_m**2
    assert 0.15 < area_m2 < 0.6  # a person's side-view area, not a blob or a stick figure
    with pytest.raises(IndexError, match="outside 0.."):
        render_silhouette(sim, sim.n_frames)


def test_neutral_spine_gives_a_straight_back_line() -> None:
    standing = _back_offsets(_sim(False), 0)
    assert _convexity_px(standing) <= 1.0
    # clean hinge (spine flexion 7 deg): nearly straight
    assert _convexity_px(_back_offsets(_sim(False), _pull_frame(_sim(False)))) <= 3.0


def test_rounded_back_gives_a_convex_back_contour() -> None:
    clean = _convexity_px(_back_offsets(_sim(False), _pull_frame(_sim(False))))
    rounded = _convexity_px(_back_offsets(_sim(True), _pull_frame(_sim(True))))
    assert rounded >= 10.0
    assert rounded > clean + 8.0


def _runs(row: np.ndarray) -> int:
    """Number of separate foreground runs in a mask row."""
    return int(np.sum(np.diff(np.concatenate([[0], row.astype(int), [0]])) == 1))


def test_silhouette_follows_the_camera() -> None:
    side, front = _sim(False), _sim(False, 90.0)
    f = 0  # standing
    knee, ankle = BLAZEPOSE33.index("left_knee"), BLAZEPOSE33.index("left_ankle")
    for sim, legs in ((side, 1), (front, 2)):
        mask = render_silhouette(sim, f)
        shin_row = int(round((sim.xy_clean[f, knee, 1] + sim.xy_clean[f, ankle, 1]) / 2))
        # from the side the two shins overlap; from the front they are apart
        assert _runs(mask[shin_row]) == legs
