"""Spine-shape (back rounding) estimate from the person segmentation mask.

BlazePose has no spine landmarks, so a rounded back cannot be read from joint angles: a deep,
correct hinge and a rounded one can share the same hip-to-shoulder line. The silhouette can
tell them apart: with a neutral spine the **dorsal contour** (the back's outline between the
pelvis and the upper back) is close to a straight line; a flexed spine bulges it outwards.

``dorsal_curvature(mask, shoulder_xy, hip_xy, facing)``:

1. take the chord from mid-hip to mid-shoulder (length ``L``) and its *dorsal* normal (the
   side away from the direction the lifter faces: up/back when hinged);
2. at stations ``t`` = 0.15 ... 0.85 along the chord, march along the dorsal normal to the
   edge of the mask (the back surface);
3. express the back-surface points in the chord's frame in trunk lengths (``s`` along the
   chord, ``d`` out from it) and fit ``d = a s^2 + b s + c`` by least squares; the
   **curvature** is ``-2a`` (1 / trunk length), positive when the outline bows outwards.

A flat (neutral) back gives about 0, a lordotic low back slightly negative values, a flexed
spine -- kyphosis spread along the back -- positive ones. A least-squares curve uses every
station, so one bump (a shoulder blade, a fold of a shirt) moves it less than a peak
distance would; an earlier version of this module used the sagitta (largest distance from
the end-to-end line), which did not separate the rounded from the neutral lifts on the
shared clips (docs/spine.md). For a circular arc the sagitta over the stations is
``0.061 x curvature``.

Assumptions: a side or near-side view (at 40 deg yaw the far shoulder joins the outline);
a mask of the person only (a barbell plate beside the shins does not touch the trunk
stations); clothing that follows the back (a hoodie or a loose shirt flattens or fakes a
hump: see docs/spine.md). Method: this project's own, inspired by the silhouette-contour
measures used in markerless posture work.
"""

from __future__ import annotations

import numpy as np

from liftsafe.pose.frame import FramePose
from liftsafe.pose.layouts import joint_index

STATIONS = np.linspace(0.15, 0.85, 15)
MAX_MARCH = 0.6  # march at most 0.6 L from the chord (heuristic: trunk depth is ~0.35 L)
MASK_THRESHOLD = 0.5
#: steepest step of the outline between two stations (rise over run in the chord's frame): a
#: severely rounded back (curvature 2 / trunk length) reaches 0.7 at the ends of the stations
MAX_STEP_SLOPE = 1.0


def dorsal_contour(
    mask: np.ndarray, shoulder_xy: np.ndarray, hip_xy: np.ndarray, facing: int,
    stations: np.ndarray = STATIONS,
) -> np.ndarray | None:
    """Back-surface points (N, 2) in pixels at ``stations`` (shares of the hip-to-shoulder chord,
    default :data:`STATIONS`), or None when the geometry is unusable."""
    if mask is None or not (np.all(np.isfinite(shoulder_xy)) and np.all(np.isfinite(hip_xy))):
        return None
    h, w = mask.shape[:2]
    chord = shoulder_xy - hip_xy
    length = float(np.hypot(*chord))
    if length < 10.0:
        return None
    u, n = _chord_axes(chord / length, facing)
    steps = np.arange(0.0, MAX_MARCH * length, 1.0)
    # every station's ray at once (stations x steps): this runs on every analysed frame
    bases = hip_xy[None, :] + np.asarray(stations, dtype=float)[:, None] * chord[None, :]
    rays = bases[:, None, :] + steps[None, :, None] * n[None, None, :]
    xi = np.round(rays[..., 0]).astype(int)
    yi = np.round(rays[..., 1]).astype(int)
    inside = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
    if not inside[:, 0].all():
        return None
    vals = np.zeros(inside.shape, dtype=bool)
    vals[inside] = mask[yi[inside], xi[inside]] > MASK_THRESHOLD
    if not vals[:, 0].all():
        return None  # a chord point is outside the silhouette: mask and pose disagree
    leaves = ~vals
    if not leaves.any(axis=1).all():
        return None  # a ray never left the mask: merged with something behind the lifter
    first_out = leaves.argmax(axis=1)
    return bases + steps[first_out][:, None] * n[None, :]


def contour_curvature(contour: np.ndarray, shoulder_xy: np.ndarray, hip_xy: np.ndarray, facing: int) -> float:
    """Curvature (1 / trunk length, outward positive) of a back outline in the hip-shoulder chord's frame.

    NaN when the outline has a step steeper than MAX_STEP_SLOPE between neighbouring stations:
    a back does not do that, a mask does when dark clothing meets a dark background or a
    plate is merged with the body.
    """
    if len(contour) < 3 or float(np.hypot(*(shoulder_xy - hip_xy))) <= 1e-6:
        return float("nan")
    along, out = outline_in_chord_frame(contour, shoulder_xy, hip_xy, facing)
    if np.max(np.abs(np.diff(out) / np.diff(along))) > MAX_STEP_SLOPE:
        return float("nan")
    a = np.polyfit(along, out, 2)[0]
    return float(-2.0 * a)


def dorsal_curvature(
    mask: np.ndarray | None, shoulder_xy: np.ndarray, hip_xy: np.ndarray, facing: int
) -> float:
    """Back-outline curvature in 1 / trunk length (NaN when it cannot be measured)."""
    if mask is None:
        return float("nan")
    contour = dorsal_contour(mask, shoulder_xy, hip_xy, facing)
    if contour is None:
        return float("nan")
    return contour_curvature(contour, shoulder_xy, hip_xy, facing)


def _chord_axes(u: np.ndarray, facing: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit chord direction ``u`` and its dorsal normal, in image coordinates.

    Body frame (x forward, y up): the dorsal normal is (-u_y, u_x); mapped back to the image.
    """
    ub = np.array([facing * u[0], -u[1]])
    nb = np.array([-ub[1], ub[0]])
    return u, np.array([facing * nb[0], -nb[1]])


def outline_in_chord_frame(contour: np.ndarray, shoulder_xy: np.ndarray, hip_xy: np.ndarray, facing: int):
    """(along, out) coordinates of contour points in trunk lengths; ``out`` is positive dorsally."""
    chord = shoulder_xy - hip_xy
    length = float(np.hypot(*chord))
    u, n = _chord_axes(chord / length, facing)
    rel = (contour - hip_xy) / length
    return rel @ u, rel @ n


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


def dorsal_curvature_feature(pose: FramePose, height: int, width: int) -> float:
    """Frame feature for :func:`liftsafe.pose.estimator.estimate_video` (uses the mask)."""
    del height, width
    if pose.mask is None:
        return float("nan")
    layout = "blazepose33"
    shoulder = _mid(pose.xy, pose.confidence, layout, "shoulder")
    hip = _mid(pose.xy, pose.confidence, layout, "hip")
    facing = frame_facing(pose.xy, pose.confidence, layout)
    return dorsal_curvature(pose.mask, shoulder, hip, facing)
