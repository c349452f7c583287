"""Rep detection, phases and tempo from a depth signal.

**Depth** is ``hip_flexion_deg + knee_flexion_deg``: it grows as the lifter goes down in a
hinge, a deadlift or a squat alike, and is near 0 standing tall. Each rep is one excursion
of depth from the top to a bottom and back:

* bottoms are peaks of depth with a prominence of at least ``min_prominence_share`` of the
  clip's depth range and at least ``min_rep_duration_s`` apart (``scipy.signal.find_peaks``);
* ``top`` is the 10th percentile of depth; a rep's amplitude ``A`` = depth at its bottom - top;
* phase boundaries come from the depth *velocity* (depth low-passed at 5 Hz): the **descent**
  runs while depth grows faster than 10 % of the rep's peak descent speed, the **bottom** is
  the slow stretch between descent and ascent, the **ascent** runs while depth falls faster
  than 10 % of the peak ascent speed, and the **lockout** lasts until the next descent starts
  (or the clip ends);
* **setup** is the time before the first descent (standing, or -- for a deadlift that starts
  from the floor -- crouched at the bar before the first pull).

A clip that starts at the bottom (a deadlift's first pull from the floor) counts that pull as
a rep when its depth reaches ``edge_depth_share`` of the typical rep; a clip that ends in the
middle of a rep (no return to the top) keeps that rep with a warning; idle frames at either
end become setup / lockout. Thresholds are heuristics, validated on the simulator (tests) and
by-eye counts of real clips (issue 3).
"""

from __future__ import annotations

from dataclasses import dataclass

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
COMPLETE_SHARE = 0.3  # heuristic: a rep is finished once depth is back within 30 % of the top


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
        descent = (self.bottom_start - self.descent_start) / fps if self.descent_start is not None else float("nan")
        return descent, (self.bottom_end - self.bottom_start) / fps, (self.ascent_end - self.bottom_end) / fps


@dataclass(frozen=True)
class RepDetection:
    reps: tuple[RepSpan, ...]
    depth: np.ndarray
    top_level: float
    warnings: tuple[str, ...]


def depth_signal(hip_flexion_deg: np.ndarray, knee_flexion_deg: np.ndarray) -> np.ndarray:
    return np.asarray(hip_flexion_deg, float) + np.asarray(knee_flexion_deg, float)


def detect_reps(
    depth: np.ndarray,
    *,
    fps: float,
    min_rep_duration_s: float = MIN_REP_DURATION_S,
    min_prominence_share: float = MIN_PROMINENCE_SHARE,
    min_range_deg: float = MIN_RANGE_DEG,
    band_share: float = BAND_SHARE,
    edge_depth_share: float = EDGE_DEPTH_SHARE,
) -> RepDetection:
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
        next_bottom = keep[i + 1] if i + 1 < len(keep) else len(d) - 1
        # descent: around the fastest descent between the previous rep and this bottom
        descent_start: int | None = None
        bs = b
        if b - prev_end >= 2 and np.any(d[prev_end:b] <= top_band):
            seg = vel[prev_end:b]
            peak = prev_end + int(np.argmax(seg))
            vd = max(vel[peak], 1e-9)
            j = peak
            while j > prev_end and vel[j] > VELOCITY_SHARE * vd:
                j -= 1
            descent_start = j
            bs = peak
            while bs < b and vel[bs] > VELOCITY_SHARE * vd:
                bs += 1
        else:  # the clip starts at the bottom (a first pull from the floor)
            while bs > 0 and d[bs - 1] >= d[b] - band_share * amplitude:
                bs -= 1
        # ascent: around the fastest ascent between this bottom and the next one
        seg = -vel[b:next_bottom + 1]
        peak = b + int(np.argmax(seg)) if seg.size else b
        va = max(-vel[peak], 1e-9)
        be = peak
        while be > bs and -vel[be] > VELOCITY_SHARE * va:
            be -= 1
        k = peak
        while k < len(d) - 1 and -vel[k] > VELOCITY_SHARE * va:
            k += 1
        complete = bool(d[k] <= top + COMPLETE_SHARE * amplitude)
        if not complete:
            warnings.append(f"rep {i + 1} is not finished when the clip ends")
        if i + 1 < len(keep):
            # the lockout ends where the next descent starts
            nb = keep[i + 1]
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
    return RepDetection(tuple(spans), d, top, tuple(dict.fromkeys(warnings)))
