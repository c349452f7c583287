"""Spine-shape (back rounding) estimate from the person segmentation mask.

BlazePose has no spine landmarks, so a rounded back cannot be read from joint angles: a deep,
correct hinge and a rounded one can share the same hip-to-shoulder line. The silhouette can
tell them apart: with a neutral spine the **dorsal contour** (the back's outline between the
pelvis and the upper back) is close to a straight line; a flexed spine bulges it outwards.

``dorsal_deviation(mask, shoulder_xy, hip_xy, facing)``:

1. take the chord from mid-hip to mid-shoulder (length ``L``) and its *dorsal* normal (the
   side away from the direction the lifter faces: up/back when hinged);
2. at stations ``t`` = 0.15 ... 0.85 along the chord, march along the dorsal normal to the
   edge of the mask (the back surface);
3. the back-surface points form the dorsal contour; its **sagitta** -- the largest distance
   of an interior point beyond the straight line joining the contour's ends, positive
   outwards (dorsally) -- divided by ``L`` is the deviation (dimensionless).

Neutral spine: about 0 (a lordotic low back gives slightly negative values); rounded back:
positive. Assumptions: a side or near-side view; a mask of the person only (a barbell plate
beside the shins does not touch the trunk stations); clothing that follows the back (a
hoodie or a loose shirt flattens or fakes a hump: see docs/spine.md). Method: this project's
own, inspired by the silhouette-contour measures used in markerless posture work.
"""

from __future__ import annotations

import numpy as np

from liftsafe.pose.estimator import FramePose
from liftsafe.pose.layouts import joint_index

STATIONS = np.linspace(0.15, 0.85, 15)
MAX_MARCH = 0.6  # march at most 0.6 L from the chord (heuristic: trunk depth is ~0.35 L)
MASK_THRESHOLD = 0.5


def dorsal_contour(
    mask: np.ndarray, shoulder_xy: np.ndarray, hip_xy: np.ndarray, facing: int
) -> np.ndarray | None:
    """Back-surface points (N, 2) in pixels, or None when the geometry is unusable."""
    if mask is None or not (np.all(np.isfinite(shoulder_xy)) and np.all(np.isfinite(hip_xy))):
        return None
    h, w = mask.shape[:2]
    chord = shoulder_xy - hip_xy
    length = float(np.hypot(*chord))
    if length < 10.0:
        return None
    u = chord / length
    # body frame (x forward, y up) -> dorsal normal n_b = (-u_y, u_x); back to image coords
    ub = np.array([facing * u[0], -u[1]])
    nb = np.array([-ub[1], ub[0]])
    n = np.array([facing * nb[0], -nb[1]])
    steps = np.arange(0.0, MAX_MARCH * length, 1.0)
    points = []
    for t in STATIONS:
        base = hip_xy + t * chord
        ray = base[None, :] + steps[:, None] * n[None, :]
        xi = np.round(ray[:, 0]).astype(int)
        yi = np.round(ray[:, 1]).astype(int)
        inside = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
        if not inside[0]:
            return None
        vals = np.zeros(len(steps), dtype=bool)
        vals[inside] = mask[yi[inside], xi[inside]] > MASK_THRESHOLD
        if not vals[0]:
            return None  # the chord itself is outside the silhouette: mask and pose disagree
        outside = np.flatnonzero(~vals)
        if len(outside) == 0:
            return None  # never left the mask: merged with something behind the lifter
        points.append(base + steps[outside[0]] * n)
    return np.asarray(points)


def sagitta_ratio(contour: np.ndarray, *, facing: int, chord_length: float) -> float:
    """Largest outward (dorsal) distance of interior contour points from the end-to-end line / L."""
    a, b = contour[0], contour[-1]
    d = b - a
    seg = float(np.hypot(*d))
    if seg <= 1e-6:
        return float("nan")
    u = d / seg
    ub = np.array([facing * u[0], -u[1]])
    nb = np.array([-ub[1], ub[0]])
    n = np.array([facing * nb[0], -nb[1]])
    offsets = (contour[1:-1] - a) @ n
    return float(np.max(offsets) / chord_length)


def dorsal_deviation(
    mask: np.ndarray | None, shoulder_xy: np.ndarray, hip_xy: np.ndarray, facing: int
) -> float:
    """Dorsal-contour sagitta / trunk chord length (NaN when it cannot be measured)."""
    if mask is None:
        return float("nan")
    contour = dorsal_contour(mask, shoulder_xy, hip_xy, facing)
    if contour is None:
        return float("nan")
    length = float(np.hypot(*(shoulder_xy - hip_xy)))
    return sagitta_ratio(contour, facing=facing, chord_length=length)


def _mid(xy: np.ndarray, conf: np.ndarray, layout: str, joint: str) -> np.ndarray:
    pts = []
    for side in ("left", "right"):
        i = joint_index(layout, f"{side}_{joint}")
        if i is not None and conf[i] >= 0.3:
            pts.append(xy[i])
    return np.mean(pts, axis=0) if pts else np.array([np.nan, np.nan])


def frame_facing(xy: np.ndarray, conf: np.ndarray, layout: str) -> int:
    """Facing (+1 image-right, -1 image-left) from one frame: toes ahead of heels, nose ahead of ears."""
    score = 0.0
    toe, heel = _mid(xy, conf, layout, "foot_index"), _mid(xy, conf, layout, "heel")
    if np.all(np.isfinite(toe)) and np.all(np.isfinite(heel)):
        score += np.clip(toe[0] - heel[0], -50, 50)
    nose_i = joint_index(layout, "nose")
    ear = _mid(xy, conf, layout, "ear")
    if nose_i is not None and np.all(np.isfinite(ear)):
        score += np.clip(xy[nose_i][0] - ear[0], -50, 50)
    return 1 if score >= 0 else -1


def dorsal_deviation_feature(pose: FramePose, height: int, width: int) -> float:
    """Frame feature for :func:`liftsafe.pose.estimator.estimate_video` (uses the mask)."""
    del height, width
    if pose.mask is None:
        return float("nan")
    layout = "blazepose33"
    shoulder = _mid(pose.xy, pose.confidence, layout, "shoulder")
    hip = _mid(pose.xy, pose.confidence, layout, "hip")
    facing = frame_facing(pose.xy, pose.confidence, layout)
    return dorsal_deviation(pose.mask, shoulder, hip, facing)
