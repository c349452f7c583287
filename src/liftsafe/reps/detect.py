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

import numpy as np
from scipy.signal import find_peaks

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
    min_rep_duration_s: float = MIN_REP_DURATION_S,
    min_prominence_share: float = MIN_PROMINENCE_SHARE,
    min_range_deg: float = MIN_RANGE_DEG,
    band_share: float = BAND_SHARE,
    edge_depth_share: float = EDGE_DEPTH_SHARE,
) -> RepDetection:
    """Find the reps in a depth signal: each rep's start, bottom, lockout and end frames."""
    d = fill_gaps(np.asarray(depth, float), max_gap=len(depth))
    valid = np.isfinite(d)
    if valid.sum() < max(5, int(0.5 * fps)):
        return RepDetection((), d, float("nan"), ("too few frames with the body in view to find reps",))
    # edges: hold the first/last valid value so peaks at the clip's ends are visible
    idx = np.flatnonzero(valid)
    d = d.copy()
    d[: idx[0]] = d[idx[0]]
    d[idx[-1] + 1 :] = d[idx[-1]]
    top = float(np.nanpercentile(d, 10))
    high = float(np.nanpercentile(d, 98))
    rng = high - top
    if rng < min_range_deg:
        return RepDetection(
            (), d, top, (f"no lift found: the hips and knees moved through only {rng:.0f} deg in this clip",)
        )
    distance = max(1, int(round(min_rep_duration_s * fps)))
    # pad with the top level so a bottom at either edge of the clip is a peak too
    pad = distance
    padded = np.concatenate([np.full(pad, top), d, np.full(pad, top)])
    peaks, props = find_peaks(padded, prominence=min_prominence_share * rng, distance=distance)
    peaks = peaks - pad
    warnings: list[str] = []
    keep = []
    interior = [p for p in peaks if 0 < p < len(d) - 1]
    typical = np.median(d[interior]) - top if interior else rng
    for p in peaks:
        p = int(np.clip(p, 0, len(d) - 1))
        amplitude = d[p] - top
        at_start = p <= 1
        at_end = p >= len(d) - 2
        if at_end:
            warnings.append("the clip ends at the bottom of a rep: that last descent is not counted as a rep")
            continue
        if at_start and amplitude < edge_depth_share * typical:
            warnings.append("the clip starts part-way through a rep: that partial rep is not counted")
            continue
        keep.append(p)

    spans: list[RepSpan] = []
    vel = np.gradient(lowpass(d, fps=fps, cutoff_hz=VELOCITY_CUTOFF_HZ)) * fps
    prev_end = 0
    for i, b in enumerate(keep):
        amplitude = d[b] - top
        top_band = top + band_share * amplitude
        near_bottom = d[b] - BOTTOM_SHARE * amplitude
        last = i + 1 == len(keep)
        next_bottom = len(d) - 1 if last else keep[i + 1]
        # descent: anchored where depth last leaves the top band, extended back while still moving
        descent_start: int | None = None
        bs = b
        before = np.flatnonzero(d[prev_end:b] <= top_band)
        if before.size:
            j = prev_end + int(before[-1])
            vd = max(float(np.max(vel[j : b + 1])), 1e-9)
            while j > prev_end and vel[j - 1] > VELOCITY_SHARE * vd:
                j -= 1
            descent_start = j
            slow = [m for m in range(j, b + 1) if d[m] >= near_bottom and vel[m] < VELOCITY_SHARE * vd]
            bs = slow[0] if slow else b
        else:  # the clip starts at the bottom (a first pull from the floor)
            while bs > 0 and d[bs - 1] >= d[b] - band_share * amplitude:
                bs -= 1
        # ascent: anchored where depth is back within COMPLETE_SHARE of the top (an incomplete
        # lockout still ends the ascent), extended while the lifter is still moving
        after = np.flatnonzero(d[b + 1 : next_bottom + 1] <= top + COMPLETE_SHARE * amplitude)
        complete = bool(after.size)
        if complete:
            k = b + 1 + int(after[0])
        elif last:
            k = len(d) - 1
        else:  # back down before reaching the top: this excursion ends at its highest point
            k = b + int(np.argmin(d[b : next_bottom + 1]))
        va = max(float(np.max(-vel[b : k + 1])), 1e-9)
        slow = [m for m in range(b, k + 1) if d[m] >= near_bottom and -vel[m] < VELOCITY_SHARE * va]
        be = slow[-1] if slow else b
        while complete and k < next_bottom - 1 and -vel[k + 1] > VELOCITY_SHARE * va:
            k += 1
        if not complete and last:
            warnings.append(
                "the clip ends before the last lift reaches the top (or in a lowering): that part is not "
                "counted as a rep"
            )
        elif not complete:
            warnings.append(
                "a lift went back down before reaching the top: that part is not counted as a rep"
            )
        if not last:
            # the lockout ends where the next descent starts
            nb = next_bottom
            seg = vel[k:nb]
            if seg.size:
                npeak = k + int(np.argmax(seg))
                m = npeak
                while m > k and vel[m] > VELOCITY_SHARE * max(vel[npeak], 1e-9):
                    m -= 1
                end = m
            else:
                end = k
        else:
            end = len(d)
        start = descent_start if descent_start is not None else prev_end
        spans.append(
            RepSpan(
                index=i + 1,
                start_frame=int(start),
                descent_start=None if descent_start is None else int(descent_start),
                bottom_start=int(bs),
                bottom_frame=int(b),
                bottom_end=int(max(be, bs)),
                ascent_end=int(k),
                end_frame=int(min(len(d), max(end, k + 1))),
                complete=bool(complete),
            )
        )
        prev_end = int(max(end, k))
    # only complete reps count: a lift that leaves the bottom and gets back to the top, no faster
    # than a lift can
    glitches = [sp for sp in spans if sp.complete and sp.ascent_end - sp.bottom_frame < MIN_ASCENT_S * fps]
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
    return RepDetection(tuple(counted), d, top, tuple(dict.fromkeys(warnings)))
