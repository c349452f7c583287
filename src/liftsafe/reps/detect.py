"""Rep detection, phases and tempo from a depth signal.

**Depth** (:func:`depth_signal`) is trunk inclination (deg) plus the shoulders' drop (% of
stature): it grows as the lifter goes down in a hinge, a deadlift or a squat alike, and is
near 0 standing tall. Each rep is one excursion
of depth from the top to a bottom and back:

* bottoms are peaks of depth with a prominence of at least ``min_prominence_share`` of the
  clip's depth range and at least ``min_rep_duration_s`` apart (``scipy.signal.find_peaks``);
* ``top`` is the 10th percentile of depth; a rep's amplitude ``A`` = depth at its bottom - top;
* phase boundaries are anchored where depth leaves / re-enters the top band (top +
  ``band_share`` x A) -- robust to a hitch as the bar passes the knees -- and extended with the
  depth *velocity* (low-passed at 5 Hz) while the lifter is still moving faster than 10 % of
  the rep's peak speed: the **descent** ends and the **ascent** starts at the slow stretch
  within 30 % of A of the deepest point (the **bottom**); the **lockout** lasts until the
  next descent starts (or the clip ends);
* **setup** is the time before the first descent (standing, or -- for a deadlift that starts
  from the floor -- crouched at the bar before the first pull).

A clip that starts at the bottom (a deadlift's first pull from the floor) counts that pull as
a rep when its depth reaches ``edge_depth_share`` of the typical rep; only complete reps count
(depth gets back within ``COMPLETE_SHARE`` of the top before the next bottom): a clip that ends in a
lowering or
part-way up does not count that part, and says so; a "rep" whose ascent takes less than
``MIN_ASCENT_S`` is a tracking glitch, not a lift, and is not counted either; idle frames at either
end become setup / lockout. Thresholds are heuristics, validated on the simulator (tests) and
by-eye counts of real clips (docs/evaluation.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from liftsafe.kinematics.clean import fill_gaps, lowpass

MIN_REP_DURATION_S = 0.6  # heuristic: no lift rep is faster than this, bottom to bottom
MIN_PROMINENCE_SHARE = 0.25  # heuristic
MIN_RANGE_DEG = 25.0  # heuristic: less depth range than this is not a lift
BAND_SHARE = 0.12  # heuristic
EDGE_DEPTH_SHARE = 0.6  # heuristic
VELOCITY_SHARE = 0.1  # heuristic: a phase starts/ends where speed passes 10 % of its peak
VELOCITY_CUTOFF_HZ = 5.0  # heuristic: depth is smoothed harder for phase timing
COMPLETE_SHARE = 0.3  # heuristic: a lift has reached the top once depth is within 30 % of A of the top
BOTTOM_SHARE = 0.3  # heuristic: the bottom stretch lies within 30 % of the rep's depth from its deepest point
#: physical bound: no lift gets from its deepest point back to the top in under a quarter second
#: (a deadlift's ~0.5 m bar path would need a mean speed above 2 m/s; velocity-based-training
#: studies of the deadlift, e.g. Benavides-Ubric et al. 2020, J Sports Sci Med 19:452, measure
#: mean concentric speeds well below that even at 30 % 1RM). A faster swing of the depth
#: signal is a tracking glitch -- a pose that collapses onto a plate and snaps back.
MIN_ASCENT_S = 0.25


@dataclass(frozen=True)
class RepSpan:
    index: int
    start_frame: int  # rep start: descent start, or the clip start for a first pull from the floor
    descent_start: int | None
    bottom_start: int
    bottom_frame: int
    bottom_end: int
    ascent_end: int
    end_frame: int  # exclusive
    complete: bool  # False when the clip ends before the lifter is back at the top

    def phases_s(self, fps: float, *, setup_start: int | None = None) -> dict[str, tuple[float, float]]:
        """Start and end times (s) of the rep's phases: setup, descent, bottom, ascent, lockout."""
        out: dict[str, tuple[float, float]] = {}
        if setup_start is not None:
            first = self.descent_start if self.descent_start is not None else self.bottom_end
            if first > setup_start:
                out["setup"] = (setup_start / fps, first / fps)
        if self.descent_start is not None:
            out["descent"] = (self.descent_start / fps, self.bottom_start / fps)
        out["bottom"] = (self.bottom_start / fps, self.bottom_end / fps)
        out["ascent"] = (self.bottom_end / fps, self.ascent_end / fps)
        if self.end_frame > self.ascent_end:
            out["lockout"] = (self.ascent_end / fps, self.end_frame / fps)
        return out

    def tempo_s(self, fps: float) -> tuple[float, float, float]:
        """Descent, pause and ascent durations in seconds."""
        descent = (
            (self.bottom_start - self.descent_start) / fps if self.descent_start is not None else float("nan")
        )
        return descent, (self.bottom_end - self.bottom_start) / fps, (self.ascent_end - self.bottom_end) / fps


@dataclass(frozen=True)
class RepDetection:
    reps: tuple[RepSpan, ...]
    depth: np.ndarray
    top_level: float
    warnings: tuple[str, ...]


def depth_signal(trunk_inclination_deg: np.ndarray, shoulder_drop_bh: np.ndarray) -> np.ndarray:
    """Depth score: trunk inclination (deg) + shoulder drop (% of stature).

    Both come from the shoulders and hips, which stay visible when barbell plates hide the
    knees and ankles in a side view (they do in most shared clips); the knee angle was tried
    and rejected for that reason (docs/evaluation.md). A hinge mostly tips the trunk, a squat
    mostly lowers the shoulders: the sum grows with either.
    """
    return np.asarray(trunk_inclination_deg, float) + 100.0 * np.asarray(shoulder_drop_bh, float)


def detect_reps(  # noqa: C901
    depth: np.ndarray,
    *,
    fps: float,
    config: Any = None,
    min_rep_duration_s: float | None = None,
    min_prominence_share: float | None = None,
    min_range_deg: float | None = None,
    band_share: float | None = None,
    edge_depth_share: float | None = None,
) -> RepDetection:
    """Reps in a depth signal (module docstring), in four named steps:

    :func:`prepare_depth` (fill gaps, hold the edges) -> :func:`find_bottoms` (one peak of
    depth per rep) -> :func:`rep_span` for each bottom (descent, bottom, ascent, lockout) ->
    :func:`counted_reps` (only complete reps no faster than a lift can be).

    ``config`` (an :class:`~liftsafe.technique.config.RepConfig`, or anything with its fields)
    holds the heuristics; the keyword arguments override single values of it.
    """
    cfg = _settings(
        config,
        min_rep_duration_s=min_rep_duration_s,
        min_prominence_share=min_prominence_share,
        min_range_deg=min_range_deg,
        band_share=band_share,
        edge_depth_share=edge_depth_share,
    )
    d, problem = prepare_depth(depth, fps=fps)
    if problem:
        return RepDetection((), d, float("nan"), (problem,))
    top = float(np.nanpercentile(d, 10))
    rng = float(np.nanpercentile(d, 98)) - top
    if rng < cfg.min_range_deg:
        return RepDetection(
            (), d, top, (f"no lift found: the hips and knees moved through only {rng:.0f} deg in this clip",)
        )
    bottoms, warnings = find_bottoms(d, top=top, depth_range=rng, fps=fps, cfg=cfg)
    velocity = np.gradient(lowpass(d, fps=fps, cutoff_hz=cfg.velocity_cutoff_hz)) * fps
    spans: list[RepSpan] = []
    prev_end = 0
    for i, bottom in enumerate(bottoms):
        next_bottom = bottoms[i + 1] if i + 1 < len(bottoms) else None
        span, note, prev_end = rep_span(
            d,
            velocity,
            index=i + 1,
            bottom=bottom,
            next_bottom=next_bottom,
            prev_end=prev_end,
            top=top,
            cfg=cfg,
        )
        if note:
            warnings.append(note)
        spans.append(span)
    counted, notes = counted_reps(spans, fps=fps, cfg=cfg)
    warnings.extend(notes)
    return RepDetection(tuple(counted), d, top, tuple(dict.fromkeys(warnings)))


@dataclass(frozen=True)
class _Settings:
    min_rep_duration_s: float = MIN_REP_DURATION_S
    min_prominence_share: float = MIN_PROMINENCE_SHARE
    min_range_deg: float = MIN_RANGE_DEG
    band_share: float = BAND_SHARE
    edge_depth_share: float = EDGE_DEPTH_SHARE
    velocity_share: float = VELOCITY_SHARE
    velocity_cutoff_hz: float = VELOCITY_CUTOFF_HZ
    complete_share: float = COMPLETE_SHARE
    bottom_share: float = BOTTOM_SHARE
    min_ascent_s: float = MIN_ASCENT_S


def _settings(config: Any, **overrides: float | None) -> _Settings:
    """The heuristics of ``config`` (any object with :class:`_Settings`' fields), with overrides."""
    base = {f: getattr(config, f) for f in _Settings.__dataclass_fields__} if config is not None else {}
    base.update({k: v for k, v in overrides.items() if v is not None})
    return _Settings(**base)


def prepare_depth(depth: np.ndarray, *, fps: float) -> tuple[np.ndarray, str | None]:
    """Depth with every gap filled and the first/last valid value held to the clip's edges (so
    a bottom at either edge is visible), or a problem when too few frames hold the body."""
    d = fill_gaps(np.asarray(depth, float), max_gap=len(depth))
    valid = np.isfinite(d)
    if valid.sum() < max(5, int(0.5 * fps)):
        return d, "too few frames with the body in view to find reps"
    idx = np.flatnonzero(valid)
    d = d.copy()
    d[: idx[0]] = d[idx[0]]
    d[idx[-1] + 1 :] = d[idx[-1]]
    return d, None


def find_bottoms(
    d: np.ndarray, *, top: float, depth_range: float, fps: float, cfg: _Settings
) -> tuple[list[int], list[str]]:
    """The frames of the reps' bottoms: peaks of depth (prominence and spacing from ``cfg``);
    a bottom at the clip's end, or a shallow one at its start, is a partial rep and dropped."""
    from scipy.signal import find_peaks  # here: a slow import that unpickling a result need not pay

    distance = max(1, int(round(cfg.min_rep_duration_s * fps)))
    # pad with the top level so a bottom at either edge of the clip is a peak too
    pad = distance
    padded = np.concatenate([np.full(pad, top), d, np.full(pad, top)])
    peaks, _ = find_peaks(padded, prominence=cfg.min_prominence_share * depth_range, distance=distance)
    peaks = peaks - pad
    warnings: list[str] = []
    keep: list[int] = []
    interior = [p for p in peaks if 0 < p < len(d) - 1]
    typical = np.median(d[interior]) - top if interior else depth_range
    for p in peaks:
        p = int(np.clip(p, 0, len(d) - 1))
        amplitude = d[p] - top
        if p >= len(d) - 2:
            warnings.append("the clip ends at the bottom of a rep: that last descent is not counted as a rep")
            continue
        if p <= 1 and amplitude < cfg.edge_depth_share * typical:
            warnings.append("the clip starts part-way through a rep: that partial rep is not counted")
            continue
        keep.append(p)
    return keep, warnings


def rep_span(
    d: np.ndarray,
    velocity: np.ndarray,
    *,
    index: int,
    bottom: int,
    next_bottom: int | None,
    prev_end: int,
    top: float,
    cfg: _Settings,
) -> tuple[RepSpan, str | None, int]:
    """The phases of the rep whose deepest point is ``bottom`` (module docstring), searched
    between the previous rep's end ``prev_end`` and the next bottom; a note when the rep never
    gets back to the top (it is then marked incomplete); and where the next rep's search starts."""
    b = bottom
    last = next_bottom is None
    limit = len(d) - 1 if next_bottom is None else next_bottom
    amplitude = d[b] - top
    top_band = top + cfg.band_share * amplitude
    near_bottom = d[b] - cfg.bottom_share * amplitude
    # descent: anchored where depth last leaves the top band, extended back while still moving
    descent_start: int | None = None
    bottom_start = b
    before = np.flatnonzero(d[prev_end:b] <= top_band)
    if before.size:
        j = prev_end + int(before[-1])
        peak_down = max(float(np.max(velocity[j : b + 1])), 1e-9)
        while j > prev_end and velocity[j - 1] > cfg.velocity_share * peak_down:
            j -= 1
        descent_start = j
        slow = [
            m for m in range(j, b + 1) if d[m] >= near_bottom and velocity[m] < cfg.velocity_share * peak_down
        ]
        bottom_start = slow[0] if slow else b
    else:  # the clip starts at the bottom (a first pull from the floor)
        while bottom_start > 0 and d[bottom_start - 1] >= d[b] - cfg.band_share * amplitude:
            bottom_start -= 1
    # ascent: anchored where depth is back within complete_share of the top (an incomplete
    # lockout still ends the ascent), extended while the lifter is still moving
    after = np.flatnonzero(d[b + 1 : limit + 1] <= top + cfg.complete_share * amplitude)
    complete = bool(after.size)
    if complete:
        ascent_end = b + 1 + int(after[0])
    elif last:
        ascent_end = len(d) - 1
    else:  # back down before reaching the top: this excursion ends at its highest point
        ascent_end = b + int(np.argmin(d[b : limit + 1]))
    peak_up = max(float(np.max(-velocity[b : ascent_end + 1])), 1e-9)
    slow = [
        m
        for m in range(b, ascent_end + 1)
        if d[m] >= near_bottom and -velocity[m] < cfg.velocity_share * peak_up
    ]
    bottom_end = slow[-1] if slow else b
    while complete and ascent_end < limit - 1 and -velocity[ascent_end + 1] > cfg.velocity_share * peak_up:
        ascent_end += 1
    note = None
    if not complete and last:
        note = (
            "the clip ends before the last lift reaches the top (or in a lowering): that part is not counted "
            "as a rep"
        )
    elif not complete:
        note = "a lift went back down before reaching the top: that part is not counted as a rep"
    # the lockout ends where the next descent starts (the last rep's, at the clip's end)
    if last:
        end = len(d)
    else:
        seg = velocity[ascent_end:next_bottom]
        end = ascent_end
        if seg.size:
            next_descent_peak = ascent_end + int(np.argmax(seg))
            end = next_descent_peak
            while end > ascent_end and velocity[end] > cfg.velocity_share * max(
                velocity[next_descent_peak], 1e-9
            ):
                end -= 1
    span = RepSpan(
        index=index,
        start_frame=int(descent_start if descent_start is not None else prev_end),
        descent_start=None if descent_start is None else int(descent_start),
        bottom_start=int(bottom_start),
        bottom_frame=int(b),
        bottom_end=int(max(bottom_end, bottom_start)),
        ascent_end=int(ascent_end),
        end_frame=int(min(len(d), max(end, ascent_end + 1))),
        complete=bool(complete),
    )
    return span, note, int(max(end, ascent_end))


def counted_reps(spans: list[RepSpan], *, fps: float, cfg: _Settings) -> tuple[list[RepSpan], list[str]]:
    """Only complete reps count: a lift that leaves the bottom and gets back to the top, no
    faster than ``cfg.min_ascent_s`` (faster is a tracking glitch); renumbered from 1."""
    warnings = []
    glitches = [
        sp for sp in spans if sp.complete and sp.ascent_end - sp.bottom_frame < cfg.min_ascent_s * fps
    ]
    for sp in glitches:
        warnings.append(
            f"the body seemed to rise from a bottom to the top in "
            f"{(sp.ascent_end - sp.bottom_frame) / fps:.2f} s "
            f"({sp.bottom_frame / fps:.2f}-{sp.ascent_end / fps:.2f} s), faster than any lift: taken as a "
            "tracking glitch and not counted as a rep"
        )
    counted = [
        replace(span, index=n + 1)
        for n, span in enumerate(sp for sp in spans if sp.complete and sp not in glitches)
    ]
    return counted, warnings
