"""Per-frame labels derived from a result: which rep and which phase each frame belongs to,
and which faults are showing. Shared by the CSV writer, the plots and the annotated video.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from liftsafe.result import AnalysisResult, Fault, Rep

#: Phase names in the order a rep goes through them.
PHASE_ORDER: tuple[str, ...] = ("setup", "descent", "bottom", "ascent", "lockout")

#: A fault is shown in the video for at least this long around its worst frame, so that
#: one-frame events are visible to a person watching at normal speed (heuristic).
MIN_FAULT_DISPLAY_S = 0.5


@dataclass(frozen=True)
class FrameLabels:
    """``rep[i]`` is the 1-based rep index of frame ``i`` (0 outside reps); ``phase[i]`` its phase
    name ("" outside reps or when the rep has no phase covering that frame)."""

    rep: np.ndarray
    phase: tuple[str, ...]


def rep_frame_range(rep: Rep, fps: float, n_frames: int) -> tuple[int, int]:
    """Inclusive frame range of ``rep``: its frame fields when set, else its times times fps,
    widened to cover its phases (the first rep's setup may start before the rep itself)."""
    if rep.end_frame > rep.start_frame:
        start, end = rep.start_frame, rep.end_frame
    else:
        start, end = int(round(rep.start_s * fps)), int(round(rep.end_s * fps))
    for p_start, p_end in rep.phases.values():
        if np.isfinite(p_start):
            start = min(start, int(round(p_start * fps)))
        if np.isfinite(p_end):
            end = max(end, int(round(p_end * fps)))
    start = max(0, min(start, n_frames - 1))
    end = max(start, min(end, n_frames - 1))
    return start, end


def phase_at(rep: Rep, t_s: float, fps: float) -> str:
    """The phase of ``rep`` at time ``t_s``: the latest-starting phase whose span contains ``t_s``.

    Spans are widened by half a frame on each side so that frame times that fall between two
    rounded phase boundaries still get a label.
    """
    half = 0.5 / fps
    best = ""
    best_start = -np.inf
    for name, (start_s, end_s) in rep.phases.items():
        if start_s - half <= t_s <= end_s + half and start_s >= best_start:
            best, best_start = name, start_s
    return best


def frame_labels(result: AnalysisResult, n_frames: int, fps: float) -> FrameLabels:
    """Rep and phase label of every frame. Where reps overlap at a boundary frame, the earlier
    rep keeps it."""
    rep_idx = np.zeros(n_frames, dtype=int)
    phases = [""] * n_frames
    if n_frames == 0:
        return FrameLabels(rep=rep_idx, phase=())
    for rep in result.reps:
        start, end = rep_frame_range(rep, fps, n_frames)
        for f in range(start, end + 1):
            if rep_idx[f]:
                continue
            rep_idx[f] = rep.index
            phases[f] = phase_at(rep, f / fps, fps)
    return FrameLabels(rep=rep_idx, phase=tuple(phases))


def fault_display_span(fault: Fault, fps: float) -> tuple[float, float]:
    """Time span (s) during which ``fault`` is flagged: its own span, widened around its worst
    moment to at least :data:`MIN_FAULT_DISPLAY_S`."""
    start, end = fault.start_s, fault.end_s
    if not (np.isfinite(start) and np.isfinite(end)):
        centre = fault.evidence.time_s if fault.evidence.time_s is not None else 0.0
        start = end = centre
    if end - start < MIN_FAULT_DISPLAY_S:
        centre = fault.evidence.time_s if fault.evidence.time_s is not None else (start + end) / 2
        if not (start - 1e-9 <= centre <= end + 1e-9):
            centre = (start + end) / 2
        start = min(start, centre - MIN_FAULT_DISPLAY_S / 2)
        end = max(end, centre + MIN_FAULT_DISPLAY_S / 2)
    return max(0.0, start), end


def worst_fault(rep: Rep) -> Fault | None:
    """The rep's most severe fault (the first one among equals), or ``None``."""
    if not rep.faults:
        return None
    return max(rep.faults, key=lambda f: f.severity.rank)


def fault_frame(fault: Fault, fps: float, n_frames: int) -> int:
    """The frame of a fault's worst moment: ``evidence.frame``, else ``evidence.time_s``, else
    the middle of its span; clipped to the series."""
    ev = fault.evidence
    if ev.frame is not None:
        frame = int(ev.frame)
    elif ev.time_s is not None:
        frame = int(round(ev.time_s * fps))
    else:
        frame = int(round((fault.start_s + fault.end_s) / 2 * fps))
    return max(0, min(frame, n_frames - 1))
