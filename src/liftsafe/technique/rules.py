"""Fault rules: apply the threshold table to each rep's metrics, attach evidence and cues."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

import numpy as np

from liftsafe.reps.detect import RepSpan
from liftsafe.result import Evidence, Exercise, Fault, FaultCode, View
from liftsafe.technique.metrics import METRICS, RepContext
from liftsafe.technique.thresholds import TABLE, severity_level


@lru_cache(maxsize=1)
def cues() -> dict[str, dict[str, str]]:
    """Cue texts from ``technique/cues.toml`` (validated: one entry per fault code)."""
    text = resources.files("liftsafe.technique").joinpath("cues.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    missing = [c.value for c in FaultCode if c.value not in data or "cue" not in data[c.value]]
    if missing:
        raise RuntimeError(f"cues.toml lacks a cue for: {', '.join(missing)}")
    return data


def judgeable(code: FaultCode, view: View, yaw_deg: float = float("nan")) -> bool:
    """Whether ``code`` can be judged from ``view``, the camera ``yaw_deg`` off side-on."""
    for t in TABLE:
        if t.code == code:
            return t.judgeable(view, yaw_deg)
    return False


def rep_faults(
    signals: dict[str, np.ndarray],
    rep: RepSpan,
    *,
    exercise: Exercise,
    view: View,
    fps: float,
    baseline: dict[str, float],
    yaw_deg: float = float("nan"),
) -> tuple[tuple[Fault, ...], dict[str, float]]:
    """Faults of one rep and every metric measured for it (name -> value); faults that cannot
    be judged from ``view`` with the camera ``yaw_deg`` off side-on are neither measured nor given."""
    ctx = RepContext(signals=signals, rep=rep, fps=fps, baseline=baseline)
    faults: list[Fault] = []
    metrics: dict[str, float] = {}
    cue_text = cues()
    for threshold in TABLE:
        if exercise not in threshold.limits or not threshold.judgeable(view, yaw_deg):
            continue
        value, frame = METRICS[threshold.metric](ctx)
        metrics[threshold.metric] = value
        severity, limit = severity_level(value, threshold, exercise)
        if severity is None or frame is None:
            continue
        start_s, end_s = _fault_span(rep, frame, fps)
        faults.append(
            Fault(
                code=threshold.code,
                severity=severity,
                start_s=start_s,
                end_s=end_s,
                evidence=Evidence(
                    metric=threshold.metric,
                    value=float(value),
                    threshold=float(limit),
                    unit=threshold.unit,
                    comparison=threshold.comparison,
                    frame=int(frame),
                    time_s=frame / fps,
                    source=threshold.source,
                ),
                cue=cue_text[threshold.code.value]["cue"],
            )
        )
    faults.sort(key=lambda f: (-f.severity.rank, f.start_s))
    return tuple(faults), metrics


def _fault_span(rep: RepSpan, frame: int, fps: float) -> tuple[float, float]:
    """A short span around the worst frame (+-0.25 s), clipped to the rep."""
    half = max(1, int(round(0.25 * fps)))
    a = max(rep.start_frame, frame - half)
    b = min(rep.end_frame, frame + half + 1)
    return a / fps, b / fps
