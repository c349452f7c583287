"""Person-segmentation-like silhouettes of the simulated lifter (OpenCV rasterisation).

The body is drawn as tapered capsules (limbs, neck), a circle (head) and, for the trunk, a
chain of convex slabs that follow the spine line (pelvis segment, lumbar arc, thoracic arc)
offset backwards by a constant dorsal depth and forwards by a ventral depth. The dorsal
contour therefore follows the spine model faithfully: a neutral spine gives a straight back
line from the pelvis to the upper back, a flexed one a convex curve. Everything is projected
through the clip's camera, so oblique and front views work too.

Thicknesses as fractions of body height (heuristic, roughly matching adult girths, cf.
Winter 2009 segment dimensions): dorsal depth 0.06, ventral depth 0.07, trunk half-width
0.11 (pelvis) to 0.105 (chest), thigh radius 0.05 -> 0.035 at the knee, shank 0.035 -> 0.022,
foot 0.02, shoulder cap 0.05-0.055, upper arm 0.03 -> 0.024, forearm 0.024 -> 0.018, hand 0.018, neck 0.035,
head 0.062.

A loose top (``SimConfig.loose_top_m``) moves the back's outline out by that much more, with
moving wrinkles (:func:`loose_top_offset_m`); the landmarks do not see it.
"""

from __future__ import annotations

import cv2
import numpy as np

from liftsafe.simulate.body import spine_centreline
from liftsafe.simulate.lifter import SimulatedLift

DORSAL_DEPTH_FRAC = 0.06
VENTRAL_DEPTH_FRAC = 0.07
PELVIS_HALF_WIDTH_FRAC = 0.11
CHEST_HALF_WIDTH_FRAC = 0.105
HEAD_RADIUS_FRAC = 0.062

_SHIFT = 4  # OpenCV fixed-point bits for sub-pixel drawing
_SCALE = 1 << _SHIFT


def _circle_pts(centre: np.ndarray, radius: float, n: int = 20) -> np.ndarray:
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return centre[None, :] + radius * np.stack([np.cos(ang), np.sin(ang)], axis=1)


def _fill_hull(mask: np.ndarray, pts: np.ndarray) -> None:
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    if len(pts) < 3:
        return
    hull = cv2.convexHull(np.round(pts * _SCALE).astype(np.int32))
    cv2.fillConvexPoly(mask, hull, 1, lineType=cv2.LINE_8, shift=_SHIFT)


def _capsule(mask: np.ndarray, p0: np.ndarray, p1: np.ndarray, r0: float, r1: float) -> None:
    _fill_hull(mask, np.vstack([_circle_pts(p0, r0), _circle_pts(p1, r1)]))


#: loose top: wrinkles along the back (waves per trunk length) and how fast they move (Hz); heuristic
WRINKLES_PER_TRUNK = 2.5
WRINKLE_HZ = 0.7


def loose_top_offset_m(sim: SimulatedLift, frame: int, share: np.ndarray) -> np.ndarray:
    """Extra depth (m) of a loose top over the back at ``share`` (0 hip .. 1 shoulder) of the trunk:
    the configured ease plus moving wrinkles of ``loose_top_wrinkles`` of it (zero without a loose top)."""
    ease = float(getattr(sim.config, "loose_top_m", 0.0))
    if ease <= 0:
        return np.zeros_like(share)
    t = frame / sim.config.fps
    phase = 2 * np.pi * (WRINKLES_PER_TRUNK * share + WRINKLE_HZ * t)
    return ease * (1.0 + float(getattr(sim.config, "loose_top_wrinkles", 0.0)) * np.sin(phase))


def dorsal_line_m(sim: SimulatedLift, frame: int, *, samples: int = 8) -> np.ndarray:
    """Body-frame points (k, 3) of the back surface (the spine line offset dorsally)."""
    pts, angles = spine_centreline(sim.body_m, sim.params, sim.dims, frame, samples=samples)
    dorsal = np.stack([-np.cos(angles), np.sin(angles), np.zeros_like(angles)], axis=1)
    return pts + DORSAL_DEPTH_FRAC * sim.dims.height_m * dorsal


def render_silhouette(sim: SimulatedLift, frame: int, *, samples: int = 8) -> np.ndarray:
    """uint8 mask (height, width) of the lifter at ``frame``: 1 = person, 0 = background."""
    if not 0 <= frame < sim.n_frames:
        raise IndexError(f"frame {frame} is outside 0..{sim.n_frames - 1}")
    cam = sim.camera
    width, height = cam.image_size
    mask = np.zeros((height, width), dtype=np.uint8)
    h = sim.dims.height_m
    body = {k: np.asarray(v[frame], dtype=float) for k, v in sim.body_m.items() if np.ndim(v) == 2}
    names = list(body)
    pts = np.stack([body[n] for n in names])
    where = dict(zip(names, cam.project(pts)))
    scale = dict(zip(names, cam.scale_at(pts)))

    def px(p: np.ndarray) -> np.ndarray:
        return cam.project(p)

    def capsule(a: str, b: str, ra: float, rb: float) -> None:
        _capsule(mask, where[a], where[b], ra * h * scale[a], rb * h * scale[b])

    # trunk: convex slabs along the spine line
    spine, angles = spine_centreline(sim.body_m, sim.params, sim.dims, frame, samples=samples)
    k = len(spine)
    dorsal = np.stack([-np.cos(angles), np.sin(angles), np.zeros(k)], axis=1)
    hip_line = body["right_hip"] - body["left_hip"]
    sh_line = body["right_shoulder"] - body["left_shoulder"]
    yaw0 = np.arctan2(hip_line[0], hip_line[2])
    yaw1 = np.arctan2(sh_line[0], sh_line[2])
    share = np.linspace(0.0, 1.0, k)
    yaw = yaw0 + share * (yaw1 - yaw0)
    lateral = np.stack([np.sin(yaw), np.zeros(k), np.cos(yaw)], axis=1)
    half_w = (PELVIS_HALF_WIDTH_FRAC + share * (CHEST_HALF_WIDTH_FRAC - PELVIS_HALF_WIDTH_FRAC)) * h
    back = spine + (DORSAL_DEPTH_FRAC * h + loose_top_offset_m(sim, frame, share))[:, None] * dorsal
    front = spine - VENTRAL_DEPTH_FRAC * h * dorsal
    corners = np.stack(
        [back + half_w[:, None] * lateral, back - half_w[:, None] * lateral,
         front + half_w[:, None] * lateral, front - half_w[:, None] * lateral],
        axis=1,
    )  # (k, 4, 3)
    corners_px = px(corners)
    for i in range(k - 1):
        _fill_hull(mask, corners_px[i : i + 2].reshape(-1, 2))
    # pelvis bottom rounded off where the thighs join
    for side in ("left", "right"):
        capsule(f"{side}_hip", "mid_hip", 0.055, DORSAL_DEPTH_FRAC)

    # shoulder caps round off the top of the trunk
    for side in ("left", "right"):
        capsule(f"{side}_shoulder", "mid_shoulder", 0.05, 0.055)
    for side in ("left", "right"):
        capsule(f"{side}_hip", f"{side}_knee", 0.05, 0.035)
        capsule(f"{side}_knee", f"{side}_ankle", 0.035, 0.022)
        capsule(f"{side}_heel", f"{side}_foot_index", 0.02, 0.015)
        capsule(f"{side}_ankle", f"{side}_heel", 0.022, 0.02)
        capsule(f"{side}_shoulder", f"{side}_elbow", 0.03, 0.024)
        capsule(f"{side}_elbow", f"{side}_wrist", 0.024, 0.018)
        capsule(f"{side}_wrist", f"{side}_index", 0.018, 0.015)
    capsule("mid_shoulder", "mid_ear", 0.035, 0.035)
    _fill_hull(mask, _circle_pts(where["head_centre"], HEAD_RADIUS_FRAC * h * scale["head_centre"], n=32))
    return mask
