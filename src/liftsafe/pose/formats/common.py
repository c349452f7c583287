"""Shared steps of the readers: named points -> a liftsafe :class:`PoseSeries`, joint checks,
choosing the lifter among several people, and warnings for the analysis."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np

from liftsafe.errors import InputError
from liftsafe.pose.formats.skeletons import REQUIRED, target_layout, target_names
from liftsafe.pose.series import PoseSeries


class ReadWarning(UserWarning):
    """Something a reader decided that the user should know (shown with the analysis warnings)."""


def warn(message: str) -> None:
    """Issue a :class:`ReadWarning` (the pipeline collects them into the result's warnings)."""
    warnings.warn(message, ReadWarning, stacklevel=3)


def build_series(
    names: Sequence[str | None],
    xy: np.ndarray,
    conf: np.ndarray,
    *,
    detected: str,
    fps: float,
    image_size: tuple[int, int],
    source: str,
    where: str,
) -> PoseSeries:
    """A liftsafe series from points named in liftsafe's vocabulary (``None`` = not used).

    ``xy`` (frames, points, 2) in pixels with y down, NaN where missing; ``conf`` (frames,
    points); a point with confidence 0 counts as missing (MMPose writes coordinates for every
    point, with score 0 for those it did not see). ``detected`` names the source layout in
    error messages. Raises :class:`InputError` when the joints the analysis needs are absent
    from the layout or never found in any frame.
    """
    have = {n for n in names if n}
    missing = [j for j in REQUIRED if j not in have]
    if missing:
        raise InputError(
            f"{where}: layout detected: {detected}; it has no {', '.join(missing)} "
            f"(liftsafe needs shoulders, hips, knees and ankles)"
        )
    layout = target_layout(have)
    out_names = target_names(layout)
    n = xy.shape[0]
    out_xy = np.full((n, len(out_names), 2), np.nan)
    out_conf = np.zeros((n, len(out_names)))
    for k, name in enumerate(names):
        if name and name in out_names and np.isnan(out_xy[:, out_names.index(name), 0]).all():
            out_xy[:, out_names.index(name)] = xy[:, k]
            out_conf[:, out_names.index(name)] = conf[:, k]
    found = np.isfinite(out_xy).all(axis=-1) & (np.nan_to_num(out_conf) > 0)  # score 0 = not found
    out_xy[~found] = np.nan
    never = [j for j in REQUIRED if not found[:, out_names.index(j)].any()]
    if never:
        raise InputError(
            f"{where}: layout detected: {detected}; {', '.join(never)} never found in any frame "
            f"(liftsafe needs shoulders, hips, knees and ankles)"
        )
    out_conf = np.where(found, np.clip(np.nan_to_num(out_conf), 0.0, 1.0), 0.0)
    return PoseSeries(
        xy=out_xy, confidence=out_conf, fps=float(fps), layout=layout, image_size=image_size, source=source
    )


def check_fps(fps: float | None, where: str, hint: str) -> float:
    """A positive finite frame rate, or an InputError saying where to give one."""
    if fps is None:
        raise InputError(f"{where}: missing fps; {hint}")
    if not (math.isfinite(fps) and fps > 0):
        raise InputError(f"{where}: fps must be a positive number; got {fps!r}")
    return float(fps)


def fit_image_size(xy: np.ndarray, image_size: tuple[int, int] | None) -> tuple[int, int]:
    """The given size, else the points' extent plus a margin (tools that do not state it)."""
    if image_size is not None:
        return int(image_size[0]), int(image_size[1])
    finite = xy[np.isfinite(xy).all(axis=-1)]
    if finite.size == 0:
        return 1280, 720
    return int(math.ceil(finite[:, 0].max() * 1.05)) + 1, int(math.ceil(finite[:, 1].max() * 1.05)) + 1


#: Same share as the tracking-jump check of the cleaning step: a lifter's mid-hip never moves
#: half a trunk length between two frames.
TRACK_SHARE_OF_TRUNK = 0.5


def _hip_and_trunk(person: np.ndarray, names: Sequence[str | None]) -> tuple[np.ndarray, float]:
    idx = {n: i for i, n in enumerate(names) if n}
    hips = [person[idx[j]] for j in ("left_hip", "right_hip") if j in idx]
    shoulders = [person[idx[j]] for j in ("left_shoulder", "right_shoulder") if j in idx]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        hip = np.nanmean(np.stack(hips), axis=0) if hips else np.full(2, np.nan)
        sh = np.nanmean(np.stack(shoulders), axis=0) if shoulders else np.full(2, np.nan)
    return hip, float(np.hypot(*(sh - hip)))


def choose_lifter(
    frames: list[list[tuple[np.ndarray, np.ndarray]]], names: Sequence[str | None], where: str
) -> tuple[np.ndarray, np.ndarray]:
    """One person per frame from several, by the rule BlazePose's video tracking follows.

    BlazePose (video mode) runs its person detector only when it has no one to follow, takes
    the most confident person, then follows that person from frame to frame. Here: the person
    with the highest mean keypoint confidence starts the track; each next frame takes the
    person whose mid-hip is nearest the tracked one, if within half a trunk length; when no
    one is that close the track is lost and the most confident person starts it again.
    ``frames`` holds per frame a list of (xy (points, 2), conf (points,)) people. Returns
    (frames, points, 2) and (frames, points); a warning says when frames had several people.
    """
    n_points = len(names)
    xy = np.full((len(frames), n_points, 2), np.nan)
    conf = np.zeros((len(frames), n_points))
    crowded = 0
    last_hip: np.ndarray | None = None
    last_trunk = math.nan
    for f, people in enumerate(frames):
        if not people:
            last_hip = None
            continue
        crowded += len(people) > 1
        pick = None
        if last_hip is not None and len(people) > 1:
            dist = [float(np.hypot(*(_hip_and_trunk(p[0], names)[0] - last_hip))) for p in people]
            best = int(np.nanargmin(dist)) if np.isfinite(dist).any() else None
            if best is not None and dist[best] <= TRACK_SHARE_OF_TRUNK * last_trunk:
                pick = best
        if pick is None:
            pick = int(np.argmax([float(np.mean(p[1])) for p in people]))
        xy[f], conf[f] = people[pick]
        hip, trunk = _hip_and_trunk(people[pick][0], names)
        last_hip = hip if np.isfinite(hip).all() else None
        last_trunk = trunk if math.isfinite(trunk) and trunk > 0 else last_trunk
    if crowded:
        warn(
            f"{where}: {crowded} frame(s) have several people; the lifter was chosen as video "
            f"tracking does (the most confident person, then the one nearest the tracked mid-hip)"
        )
    return xy, conf
