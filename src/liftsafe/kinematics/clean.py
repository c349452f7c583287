"""Cleaning a PoseSeries: confidence gating, gap filling, low-pass filtering.

1. **Confidence gating** -- points whose confidence is below ``min_confidence`` become NaN
   (heuristic 0.3: BlazePose "visibility" of the far-side limbs in a side view is often
   0.4-0.7 and still usable; below 0.3 the point is usually a guess).
2. **Gap filling** -- linear interpolation across gaps no longer than ``max_gap_s``
   (heuristic 0.25 s, about one quarter of a fast descent); longer gaps stay NaN and produce
   a warning ("person lost for ...").
3. **Low-pass filtering** -- zero-phase 2nd-order Butterworth (``scipy.signal.filtfilt``) at
   ``cutoff_hz`` (6 Hz: Winter, *Biomechanics and Motor Control of Human Movement*, 4th ed.
   2009, ch. 3, recommends about 6 Hz for whole-body kinematics), applied to each run of
   valid frames long enough for the filter's padding.

Functions return new objects and never edit their input.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from liftsafe.kinematics.signals import mid_joint
from liftsafe.pose.series import PoseSeries

MIN_CONFIDENCE = 0.3  # heuristic
MAX_GAP_S = 0.25  # heuristic
CUTOFF_HZ = 6.0  # Winter 2009


@dataclass(frozen=True, eq=False)
class CleanResult:
    series: PoseSeries
    warnings: tuple[str, ...]
    lost_spans_s: tuple[tuple[float, float], ...]


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Half-open ``[start, stop)`` index runs where ``mask`` is True."""
    mask = np.asarray(mask, dtype=bool)
    if mask.size == 0:
        return []
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def fill_gaps(values: np.ndarray, *, max_gap: int) -> np.ndarray:
    """Linearly interpolate interior NaN runs of at most ``max_gap`` samples (1-D)."""
    out = np.array(values, dtype=float, copy=True)
    nan = np.isnan(out)
    if nan.all() or not nan.any():
        return out
    valid_idx = np.flatnonzero(~nan)
    for start, stop in runs(nan):
        if start == 0 or stop == len(out) or stop - start > max_gap:
            continue
        out[start:stop] = np.interp(np.arange(start, stop), valid_idx, out[valid_idx])
    return out


def lowpass(values: np.ndarray, *, fps: float, cutoff_hz: float = CUTOFF_HZ, order: int = 2) -> np.ndarray:
    """Zero-phase Butterworth low-pass of a 1-D signal, run by run over its non-NaN stretches."""
    # imported here: scipy.signal takes ~0.5 s to import, and a process that only draws or
    # unpickles results (the annotated-video worker) never filters
    from scipy.signal import butter, filtfilt

    out = np.array(values, dtype=float, copy=True)
    nyquist = fps / 2.0
    if cutoff_hz >= nyquist * 0.95:
        return out
    b, a = butter(order, cutoff_hz / nyquist)
    padlen = 3 * max(len(a), len(b))
    for start, stop in runs(~np.isnan(out)):
        if stop - start > padlen:
            out[start:stop] = filtfilt(b, a, out[start:stop], padlen=padlen)
    return out


def clean_series(
    series: PoseSeries,
    *,
    min_confidence: float = MIN_CONFIDENCE,
    max_gap_s: float = MAX_GAP_S,
    cutoff_hz: float = CUTOFF_HZ,
) -> CleanResult:
    """Gate, gap-fill and low-pass every keypoint coordinate of ``series``."""
    xy = np.array(series.xy, dtype=float, copy=True)
    conf = np.array(series.confidence, dtype=float, copy=True)
    low = conf < min_confidence
    xy[low] = np.nan
    max_gap = max(1, int(round(max_gap_s * series.fps)))
    n_frames, n_points, _ = xy.shape
    for k in range(n_points):
        for c in range(2):
            filled = fill_gaps(xy[:, k, c], max_gap=max_gap)
            xy[:, k, c] = lowpass(filled, fps=series.fps, cutoff_hz=cutoff_hz)
    conf = np.where(np.isnan(xy[..., 0]), 0.0, np.maximum(conf, min_confidence))

    # "person lost": frames where no point of the trunk is known after filling
    trunk = [
        i
        for i, n in enumerate(series.names)
        if n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
    ]
    lost = np.all(np.isnan(xy[:, trunk, 0]), axis=1) if trunk else np.zeros(n_frames, bool)
    spans: list[tuple[float, float]] = []
    notes: list[str] = []
    for start, stop in runs(lost):
        spans.append((start / series.fps, stop / series.fps))
        if 0 < start and stop < n_frames:
            notes.append(
                f"person lost for {stop - start} frames ({start / series.fps:.2f}-{stop / series.fps:.2f} "
                f"s); "
                "those frames are not analysed"
            )
    jumps = tracking_jumps(xy, series)
    if jumps:
        times = ", ".join(f"{j / series.fps:.2f} s" for j in jumps[:3])
        notes.append(
            f"the tracked body jumped suddenly at {times}: another person may have been tracked. "
            "Film with only the lifter in frame"
        )
    return CleanResult(series=series.with_xy(xy, conf), warnings=tuple(notes), lost_spans_s=tuple(spans))


JUMP_SHARE_OF_TRUNK = 0.5  # heuristic: the mid-hip never moves half a trunk length in one frame


def tracking_jumps(xy: np.ndarray, series: PoseSeries) -> list[int]:
    """Frames where the mid-hip moves more than half a trunk length from the previous frame.

    A lifter cannot move that fast (at 30 fps it would be ~10 m/s): it means the estimator
    switched to another person or lost the lifter. BlazePose tracks one person; this is how
    several people in frame show up.
    """
    if not all(series.has(n) for n in ("left_hip", "right_hip", "left_shoulder", "right_shoulder")):
        return []
    moved = series.with_xy(xy)
    hip, shoulder = mid_joint(moved, "hip"), mid_joint(moved, "shoulder")
    trunk = np.nanmedian(np.hypot(*(shoulder - hip).T)) if len(hip) else np.nan
    if not np.isfinite(trunk) or trunk <= 0:
        return []
    step = np.hypot(*np.diff(hip, axis=0).T)
    return [int(i) + 1 for i in np.flatnonzero(step > JUMP_SHARE_OF_TRUNK * trunk)]


SHOT_SETTLE_FRAMES = 3  # heuristic: MediaPipe's temporal mask smoothing needs a few frames after a cut
SCENE_CUT_LEVEL = 6.0  # heuristic: grey-level change per pixel (0-255) between two frames at a cut


def shots(scene_change: np.ndarray, *, level: float = SCENE_CUT_LEVEL) -> list[tuple[int, int]]:
    """Half-open frame ranges of the shots of an edited clip, split at scene cuts.

    ``scene_change`` is the per-frame picture change (see
    :class:`liftsafe.pose.estimator.SceneChange`). On the shared clips a filmed lift changes by
    at most ~4 grey levels per pixel between frames, while the cuts of edited clips measure
    7-16 (see docs/evaluation.md): a cut is a frame above ``level``.
    """
    n = len(scene_change)
    cuts = [i for i in range(n) if np.isfinite(scene_change[i]) and scene_change[i] > level]
    bounds = [0, *cuts, n]
    return [(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]


def keep_longest_shot(series: PoseSeries) -> tuple[PoseSeries, str | None]:
    """Blank every frame outside the clip's longest shot (frame indices are kept)."""
    change = series.frame_features.get("scene_change")
    if change is None:
        return series, None
    parts = shots(change)
    if len(parts) <= 1:
        return series, None
    start, stop = max(parts, key=lambda p: p[1] - p[0])
    xy = np.array(series.xy, copy=True)
    conf = np.array(series.confidence, copy=True)
    outside = np.ones(series.n_frames, dtype=bool)
    outside[start:stop] = False
    xy[outside] = np.nan
    conf[outside] = 0.0
    # the first frames of a shot inherit the previous shot's smoothed mask: skip them too
    settle = np.zeros(series.n_frames, dtype=bool)
    settle[start : min(stop, start + SHOT_SETTLE_FRAMES)] = start > 0
    features = {
        name: np.where(outside | settle, np.nan, values) if name != "scene_change" else values
        for name, values in series.frame_features.items()
    }
    note = (
        f"the clip cuts between {len(parts)} shots; only the longest "
        f"({start / series.fps:.2f}-{stop / series.fps:.2f} s) was analysed"
    )
    return replace(series.with_xy(xy, conf), frame_features=features), note


#: a side-view trunk or thigh shorter on screen than this share of its usual length (the clip's
#: 90th percentile) is not a body segment but a tracking failure. Heuristic with a margin: in a
#: side view both segments move in the image plane, so only perspective and the camera's yaw
#: shorten them (a horizontal trunk filmed 45 deg off the side still shows cos 45 = 0.71).
MIN_SEGMENT_SHARE = 0.6
#: features computed from the hips and shoulders while the pose was estimated (the back outline)
TRUNK_FEATURES = ("dorsal_curvature",)


def gate_implausible(
    series: PoseSeries, *, sagittal: bool, yaw_deg: float = 0.0
) -> tuple[PoseSeries, list[str]]:
    """Drop keypoints that cannot belong to a body: the lifter upside down, or (side views) a
    trunk or thigh far shorter than it is in the rest of the clip.

    Barbell plates hide the hips and knees in many side-view clips; BlazePose then tends to
    put the hips on the hands or the plate's hub (the trunk shrinks to half its length on
    screen) or to fold the leg onto the bar (the thigh shrinks to a fifth). Such frames would
    read as a trunk suddenly tipped forward -- a phantom rep, or hips "shooting up" when the
    estimate snaps back. The trunk's points (hips and knees, for a folded thigh) of those
    frames become missing, like any occluded point; a frame with the ankles above the shoulders loses every
    point. Returns the gated series (unchanged when nothing was gated) and the notes to show.

    ``yaw_deg``: the camera's angle off side-on. A segment in the sagittal plane filmed at yaw
    ``a`` shows between its full length (vertical) and ``cos a`` of it (horizontal), so the
    limit is ``MIN_SEGMENT_SHARE x cos a`` (0.6 side-on, 0.3 at 60 deg).
    """
    names = series.names
    need = (
        "left_shoulder",
        "right_shoulder",
        "left_hip",
        "right_hip",
        "left_knee",
        "right_knee",
        "left_ankle",
        "right_ankle",
    )
    if not all(n in names for n in need):
        return series, []
    xy = np.array(series.xy, dtype=float, copy=True)
    conf = np.array(series.confidence, dtype=float, copy=True)
    known = series.with_xy(np.where((conf >= MIN_CONFIDENCE)[..., None], xy, np.nan))
    shoulder, hip, knee, ankle = (mid_joint(known, j) for j in ("shoulder", "hip", "knee", "ankle"))
    inverted = ankle[:, 1] < shoulder[:, 1]  # image y grows downwards: feet above the shoulders
    short_trunk = np.zeros(series.n_frames, bool)
    short_thigh = np.zeros(series.n_frames, bool)
    if sagittal:
        for a, b, out in ((shoulder, hip, short_trunk), (hip, knee, short_thigh)):
            length = np.hypot(*(a - b).T)
            ok = np.isfinite(length) & ~inverted
            if ok.sum() < 5:
                continue
            usual = float(np.percentile(length[ok], 90))
            share = MIN_SEGMENT_SHARE * float(
                np.cos(np.radians(np.clip(yaw_deg if np.isfinite(yaw_deg) else 0.0, 0.0, 90.0)))
            )
            out |= ok & (length < share * usual)
    if not (inverted.any() or short_trunk.any() or short_thigh.any()):
        return series, []
    # a short trunk: which end is wrong is unknown, both go; a folded thigh: hips and knees go
    drops = {
        ("left_shoulder", "right_shoulder", "left_hip", "right_hip"): short_trunk,
        ("left_hip", "right_hip", "left_knee", "right_knee"): short_thigh,
    }
    world = None if series.world_m is None else np.array(series.world_m, dtype=float, copy=True)
    conf[inverted] = 0.0
    xy[inverted] = np.nan
    if world is not None:  # the 3-D landmarks of a dropped point are the same failed estimate
        world[inverted] = np.nan
    for joints, rows in drops.items():
        for c in (names.index(n) for n in joints):
            conf[rows, c] = 0.0
            xy[rows, c] = np.nan
            if world is not None:
                world[rows, c] = np.nan
    misplaced = short_trunk | short_thigh
    gone = inverted | misplaced
    features = {
        k: (np.where(gone, np.nan, v) if k in TRUNK_FEATURES else v) for k, v in series.frame_features.items()
    }
    notes = []
    fps = series.fps
    if inverted.any():
        notes.append(
            f"the pose came out upside down in {int(inverted.sum())} frames (feet above the shoulders): "
            "those frames are not analysed. A lifter small in the frame is hard to track: film closer"
        )
    if misplaced.any():
        first, last = np.flatnonzero(misplaced)[[0, -1]]
        notes.append(
            f"the trunk or hips could not be placed in {int(misplaced.sum())} frames ({first / fps:.2f}-"
            f"{(last + 1) / fps:.2f} s): on screen the trunk or thigh was far shorter than in the rest of "
            f"the clip, "
            "which happens when the plates hide them; those points are left out"
        )
    return replace(series, xy=xy, confidence=conf, world_m=world, frame_features=features), notes
