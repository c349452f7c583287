"""Angles against gravity: the camera's roll and pitch, estimated from the clip, and a levelled series.

A phone on the floor or in a hand is rarely level. A camera *rolled* by ``r`` degrees turns
every line in the picture by ``r``: a lifter standing upright reads as leaning ``r`` degrees,
and a lean-back limit of 10 deg is crossed by a tilted camera alone. A camera *pitched* by
``p`` (looking up from the floor or down from chest height) views the sagittal plane at an
angle: vertical extents shrink by ``cos p`` (orthographic approximation), so inclinations
from vertical read a little larger (53 deg reads 54.9 at p = 20 deg).

Cues for the **roll** (image angle of the world horizontal; + counter-clockwise on screen):

1. **Scene verticals** -- door frames, racks, pillars, wall corners: long straight edges within
   ``VERTICAL_BAND_DEG`` of the image vertical, found with OpenCV's probabilistic Hough
   transform (Matas, Galambos & Kittler 2000) on the Canny edges (Canny 1986) of a few frames.
   The length-weighted median of their tilt is the roll. Lines left and right of the image
   centre converge under pitch in opposite directions, so the median over both sides is
   little affected by it. Needs the video.
2. **Floor line** -- in a side view each foot's heel and toe landmarks rest on the floor, so the
   heel -> toe line is horizontal in the world. Used only in a side view, when left and right
   feet agree within ``FOOT_AGREE_DEG`` and the foot is long enough on screen (a foot behind
   a plate is short or misplaced; on the shared clips the foot landmarks alone gave -20 deg
   "rolls" on clips whose scene verticals were upright, so this cue needs the agreement test).

Scene verticals win when present (independent of the lifter); the floor line is the fallback
(keypoint files). A roll beyond ``MAX_ROLL_DEG`` is not believed, and one under
``MIN_CORRECTION_DEG`` is not applied.

The lifter's own standing frames are *not* used for the roll: on the shared clips the only
upright frames are the lockouts, and a lifter who leans back at lockout would be "levelled"
into a sound lift. They serve instead as the reference posture of the lean-back measure
(:func:`standing_trunk_deg`).

**Pitch** (+ camera looking up): in a side view, from the estimator's 3-D world landmarks,
which BlazePose returns in the camera's orientation (origin between the hips): while the lifter
stands, mid-ankle -> mid-shoulder is vertical in the world, so its tilt towards or away from
the camera is the pitch. Corrected by stretching vertical image extents by ``1 / cos p``
about the image centre (side views only; the perspective keystone is not corrected).

Definitions and sign conventions: docs/kinematics.md.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from liftsafe.kinematics.signals import detect_facing, estimate_stature_px, mid_joint
from liftsafe.kinematics.view import SIDE_MAX_YAW_DEG  # the side band
from liftsafe.pose.series import PoseSeries

MAX_ROLL_DEG = 12.0  # heuristic: a larger "roll" is a wrong cue (the filming range is +-8)
MAX_PITCH_DEG = 30.0  # heuristic
MIN_CORRECTION_DEG = 1.0  # heuristic: below this a correction changes no verdict
MIN_PITCH_CORRECTION_DEG = 5.0  # heuristic: 1/cos(5 deg) = 1.004, below that nothing changes
FOOT_AGREE_DEG = 3.0  # heuristic: left and right floor lines must agree this well
FOOT_MIN_SHARE = 0.6  # heuristic: foot on screen >= 0.6 of 0.152 stature (Winter 2009 fig. 4.1)
FOOT_LENGTH_PER_STATURE = 0.152  # Winter 2009, fig. 4.1
MIN_VISIBLE = 0.5  # heuristic: landmark visibility for the floor and pitch cues
MIN_CUE_FRAMES = 5
VERTICAL_BAND_DEG = 15.0  # heuristic: edges this close to the image vertical count as scene verticals
MIN_LINE_SHARE = 0.12  # heuristic: an edge at least 12 % of the frame height
MIN_LINES = 3  # heuristic
MIN_LINE_SPREAD = 0.25  # heuristic: edges spread over a quarter of the width to fit the pitch slope
LINE_OUTLIER_DEG = 3.0  # heuristic


@dataclass(frozen=True)
class CameraTilt:
    """The camera's roll and pitch (degrees, NaN when unknown) and where they came from."""

    roll_deg: float = float("nan")
    pitch_deg: float = float("nan")
    roll_source: str = "none"  # "scene verticals" | "floor line" | "none"
    roll_applied: bool = False
    pitch_applied: bool = False

    def to_dict(self) -> dict[str, object]:
        """The fields for the result's ``camera`` object (degrees rounded to 0.1, None when unknown)."""

        def r(x: float) -> float | None:
            return None if not np.isfinite(x) else round(float(x), 1)

        return {
            "roll_deg": r(self.roll_deg),
            "pitch_deg": r(self.pitch_deg),
            "roll_source": self.roll_source,
            "roll_corrected": self.roll_applied,
            "pitch_corrected": self.pitch_applied,
        }

    def level(self, series: PoseSeries) -> PoseSeries:
        """``series`` with the roll turned out and the pitch foreshortening undone (about the image
        centre), so image angles are angles against gravity. Unchanged when nothing is applied."""
        if not (self.roll_applied or self.pitch_applied):
            return series
        w, h = series.image_size
        x = series.xy[..., 0] - w / 2.0
        y_up = -(series.xy[..., 1] - h / 2.0)
        if self.roll_applied:
            a = np.radians(-self.roll_deg)  # rotate back by the roll
            x, y_up = x * np.cos(a) - y_up * np.sin(a), x * np.sin(a) + y_up * np.cos(a)
        if self.pitch_applied:
            y_up = y_up / np.cos(np.radians(self.pitch_deg))
        xy = np.stack([x + w / 2.0, h / 2.0 - y_up], axis=-1)
        return replace(series, xy=xy)

    def notes(self) -> tuple[str, ...]:
        """The warning saying how the camera was tilted and that angles were corrected (or none)."""
        note = self.note()
        return (note,) if note else ()

    def note(self) -> str | None:
        """The warning text, or None when nothing was corrected."""
        parts = []
        if self.roll_applied:
            parts.append(
                f"tilted {abs(self.roll_deg):.0f} deg "
                f"{'anticlockwise' if self.roll_deg > 0 else 'clockwise'} "
                f"(from the {self.roll_source})"
            )
        if self.pitch_applied:
            parts.append(f"pointing {abs(self.pitch_deg):.0f} deg {'up' if self.pitch_deg > 0 else 'down'}")
        if not parts:
            return None
        return (
            "the camera was " + " and ".join(parts) + ": body angles were corrected to be measured against "
            "gravity. A level camera at hip height gives the most accurate angles"
        )


def _angle_ccw(v: np.ndarray) -> np.ndarray:
    """Image angle (deg, + counter-clockwise on screen) of image vectors pointing to the right."""
    return np.degrees(np.arctan2(-v[..., 1], v[..., 0]))


def floor_roll_deg(series: PoseSeries, *, yaw_deg: float = float("nan")) -> float:
    """Roll from the heel -> toe lines of both feet (side views; NaN when the cue is unusable)."""
    if np.isfinite(yaw_deg) and yaw_deg > SIDE_MAX_YAW_DEG:
        return float("nan")
    if not (series.has("left_heel") and series.has("left_foot_index")):
        return float("nan")
    facing = detect_facing(series)
    stature = estimate_stature_px(series)
    if not np.isfinite(stature):
        return float("nan")
    per_side = []
    for side in ("left", "right"):
        heel, toe = series.joint(f"{side}_heel"), series.joint(f"{side}_foot_index")
        ok = (series.joint_confidence(f"{side}_heel") >= MIN_VISIBLE) & (
            series.joint_confidence(f"{side}_foot_index") >= MIN_VISIBLE
        )
        v = (toe - heel) * facing  # points image-right either way
        with np.errstate(invalid="ignore"):
            ok &= np.hypot(*v.T) >= FOOT_MIN_SHARE * FOOT_LENGTH_PER_STATURE * stature
        if ok.sum() >= MIN_CUE_FRAMES:
            per_side.append(float(np.median(_angle_ccw(v[ok]))))
    if len(per_side) == 2 and abs(per_side[0] - per_side[1]) <= FOOT_AGREE_DEG:
        return float(np.mean(per_side))
    return float("nan")


BORDER_LEVEL = 20  # heuristic: grey level below which a row/column belongs to a black letterbox bar
BORDER_MARGIN_PX = 4


def _content(gray: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """The picture without black letterbox/pillarbox bars (their edges are perfectly vertical or
    horizontal and would read as a level camera)."""
    cols = np.flatnonzero(gray.max(axis=0) > BORDER_LEVEL)
    rows = np.flatnonzero(gray.max(axis=1) > BORDER_LEVEL)
    if cols.size < 50 or rows.size < 50:
        return gray, (0, 0)
    m = BORDER_MARGIN_PX
    return gray[rows[0] + m : rows[-1] + 1 - m, cols[0] + m : cols[-1] + 1 - m], (
        int(rows[0] + m),
        int(cols[0] + m),
    )


def lines_roll_deg(
    gray_frames: list[np.ndarray], boxes: list[tuple[float, float, float, float] | None] | None = None
) -> float:
    """Roll from long near-vertical straight edges in grey frames (NaN with too few of them).

    ``boxes``: per frame, the lifter's box ``(x0, y0, x1, y1)`` in pixels; edges there (legs,
    trunk, bar) are not scene verticals. Under pitch a vertical edge at horizontal offset ``x``
    from the image centre tilts by about ``x tan(p) / f`` (the verticals meet in a vanishing
    point above or below the picture), so the tilt is fitted as ``roll + k x`` (length-weighted
    least squares, edges more than ``LINE_OUTLIER_DEG`` off the fit dropped) and the roll is the
    intercept: the tilt an edge through the image centre would have.
    """
    import cv2

    xs: list[float] = []
    tilts: list[float] = []
    weights: list[float] = []
    for k, gray in enumerate(gray_frames):
        full_h, full_w = gray.shape
        gray, (oy, ox) = _content(gray)
        h = gray.shape[0]
        edges = cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), 50, 150)
        min_len = int(MIN_LINE_SHARE * h)
        lines = cv2.HoughLinesP(
            edges,
            1,
            np.pi / 720,
            threshold=max(20, min_len // 2),
            minLineLength=min_len,
            maxLineGap=max(3, h // 100),
        )
        if lines is None:
            continue
        box = boxes[k] if boxes is not None and k < len(boxes) else None
        for x1, y1, x2, y2 in lines[:, 0, :].astype(float):
            mx, my = (x1 + x2) / 2 + ox, (y1 + y2) / 2 + oy
            if box is not None and box[0] <= mx <= box[2] and box[1] <= my <= box[3]:
                continue
            dx, dy = x2 - x1, y2 - y1
            if dy > 0:  # orient every line upwards on screen (image y grows downwards)
                dx, dy = -dx, -dy
            tilt = float(np.degrees(np.arctan2(-dx, -dy)))  # + counter-clockwise from the image vertical
            if abs(tilt) <= VERTICAL_BAND_DEG:
                xs.append((mx - full_w / 2) / full_w)
                tilts.append(tilt)
                weights.append(float(np.hypot(dx, dy)))
    if len(tilts) < MIN_LINES:
        return float("nan")
    x, t, w = np.asarray(xs), np.asarray(tilts), np.asarray(weights)
    keep = np.ones(len(t), bool)
    for _ in range(3):
        if keep.sum() < MIN_LINES:
            return float("nan")
        if np.ptp(x[keep]) >= MIN_LINE_SPREAD:
            a = np.vstack([np.ones(keep.sum()), x[keep]]).T * np.sqrt(w[keep])[:, None]
            coef = np.linalg.lstsq(a, t[keep] * np.sqrt(w[keep]), rcond=None)[0]
        else:  # all edges in one column: no slope to fit
            coef = np.array([np.average(t[keep], weights=w[keep]), 0.0])
        resid = np.abs(t - (coef[0] + coef[1] * x))
        new_keep = resid <= LINE_OUTLIER_DEG
        if np.array_equal(new_keep, keep):
            break
        keep = new_keep
    return float(coef[0])


def scene_roll_deg(
    video_path: str | Path,
    *,
    series: PoseSeries | None = None,
    frames: int = 3,
    step: int = 15,
    max_width: int = 960,
) -> float:
    """Roll from scene verticals on a few frames of ``video_path`` (NaN when it cannot be read).
    ``series`` (same frames, any scale) masks out the lifter."""
    try:
        import cv2

        from liftsafe.pose.video import FrameReader

        grays: list[np.ndarray] = []
        boxes: list[tuple[float, float, float, float] | None] = []
        frames_iter = iter(FrameReader(video_path, max_width=max_width))
        try:
            for index, rgb in frames_iter:
                if index % step == 0:
                    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
                    grays.append(gray)
                    box = (
                        _lifter_box(series, index, gray.shape[1], gray.shape[0])
                        if series is not None
                        else None
                    )
                    boxes.append(box)
                if len(grays) >= frames:
                    break
        finally:
            frames_iter.close()  # type: ignore[attr-defined]  # stops the decode thread now
    except Exception:  # noqa: BLE001 -- the cue is optional; the pose path reports unreadable videos
        return float("nan")
    return lines_roll_deg(grays, boxes) if grays else float("nan")


LIFTER_BOX_MARGIN = 0.15  # heuristic: share of the lifter's box height added on every side (load, clothes)


def _lifter_box(
    series: PoseSeries, frame: int, width: int, height: int
) -> tuple[float, float, float, float] | None:
    if frame >= series.n_frames:
        return None
    pts = series.xy[frame][series.confidence[frame] > 0]
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    if len(pts) < 3:
        return None
    sx, sy = width / series.image_size[0], height / series.image_size[1]
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    m = LIFTER_BOX_MARGIN * (y1 - y0)
    return ((x0 - m) * sx, (y0 - m) * sy, (x1 + m) * sx, (y1 + m) * sy)


def world_pitch_deg(series: PoseSeries, *, yaw_deg: float = float("nan")) -> float:
    """Pitch (+ camera looking up) from the 3-D world landmarks of the standing frames (side views)."""
    if series.world_m is None or (np.isfinite(yaw_deg) and yaw_deg > SIDE_MAX_YAW_DEG):
        return float("nan")
    from liftsafe.pose.layouts import joint_index

    idx = {
        n: joint_index(series.layout, n)
        for n in ("left_ankle", "right_ankle", "left_shoulder", "right_shoulder")
    }
    if any(i is None for i in idx.values()):
        return float("nan")
    w = series.world_m
    conf = series.confidence
    ankle = (w[:, idx["left_ankle"]] + w[:, idx["right_ankle"]]) / 2
    shoulder = (w[:, idx["left_shoulder"]] + w[:, idx["right_shoulder"]]) / 2
    cols = [int(i) for i in idx.values() if i is not None]
    ok = np.min(conf[:, cols], axis=1) >= MIN_VISIBLE
    sh2d = mid_joint(series, "shoulder")[:, 1]
    stature = estimate_stature_px(series)
    if not np.isfinite(stature) or not np.any(np.isfinite(sh2d)):
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        standing = (sh2d - np.nanpercentile(sh2d, 10)) < 0.02 * stature  # shoulders at their highest
    v = (shoulder - ankle)[ok & standing]
    v = v[np.all(np.isfinite(v), axis=1)]
    if len(v) < MIN_CUE_FRAMES:
        return float("nan")
    # world: x right, y down, z away from the camera; camera looking up -> "up" tilts away (z > 0)
    return float(np.median(np.degrees(np.arctan2(v[:, 2], -v[:, 1]))))


def estimate_tilt(
    series: PoseSeries, *, yaw_deg: float = float("nan"), video_path: str | Path | None = None
) -> CameraTilt:
    """The camera's roll and pitch for ``series`` (see the module docstring for the cues)."""
    roll, source = float("nan"), "none"
    if video_path is not None:
        roll = scene_roll_deg(video_path, series=series)
        source = "scene verticals" if np.isfinite(roll) else "none"
    if not np.isfinite(roll):
        roll = floor_roll_deg(series, yaw_deg=yaw_deg)
        source = "floor line" if np.isfinite(roll) else "none"
    roll_ok = bool(np.isfinite(roll) and MIN_CORRECTION_DEG <= abs(roll) <= MAX_ROLL_DEG)
    pitch = world_pitch_deg(series, yaw_deg=yaw_deg)
    pitch_ok = bool(np.isfinite(pitch) and MIN_PITCH_CORRECTION_DEG <= abs(pitch) <= MAX_PITCH_DEG)
    return CameraTilt(
        roll_deg=roll, pitch_deg=pitch, roll_source=source, roll_applied=roll_ok, pitch_applied=pitch_ok
    )


UPRIGHT_DEG = 15.0  # heuristic: "standing" = trunk within 15 deg of the image vertical
MIN_STANDING_S = 0.3  # heuristic
MAX_STANDING_OFFSET_DEG = 8.0  # heuristic: a larger "standing lean" is not a standing posture


def standing_trunk_deg(trunk_deg: np.ndarray, usable: np.ndarray, before_frame: int, fps: float) -> float:
    """The lifter's own standing trunk inclination: the median over upright frames before
    ``before_frame`` (the first rep's descent) whose hips are ``usable`` (seen, not behind the
    load). NaN when the clip has less than ``MIN_STANDING_S`` of such frames, or their median is
    more than ``MAX_STANDING_OFFSET_DEG`` from vertical (not a standing posture)."""
    head = np.asarray(trunk_deg[: max(0, before_frame)], float)
    ok = np.isfinite(head) & (np.abs(head) <= UPRIGHT_DEG) & np.asarray(usable[: head.size], bool)
    if ok.sum() < max(3, int(MIN_STANDING_S * fps)):
        return float("nan")
    value = float(np.median(head[ok]))
    return value if abs(value) <= MAX_STANDING_OFFSET_DEG else float("nan")
