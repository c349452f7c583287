"""Fault rules: measure each rep's metrics, judge them against the config's threshold table and
false-alarm budget (:mod:`liftsafe.technique.verdict`), attach evidence and cues."""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from functools import lru_cache
from importlib import resources

import numpy as np

from liftsafe.reps.detect import RepSpan
from liftsafe.result import Evidence, Exercise, Fault, FaultCode, View
from liftsafe.technique.config import AnalysisConfig, default_config
from liftsafe.technique.metrics import METRICS, RepContext
from liftsafe.technique.verdict import judge


@lru_cache(maxsize=1)
def cues() -> dict[str, dict[str, str]]:
    """Cue texts from ``technique/cues.toml`` (validated: one entry per fault code)."""
    text = resources.files("liftsafe.technique").joinpath("cues.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    missing = [c.value for c in FaultCode if c.value not in data or "cue" not in data[c.value]]
    if missing:
        raise RuntimeError(f"cues.toml lacks a cue for: {', '.join(missing)}")
    return data


def judgeable(
    code: FaultCode, view: View, yaw_deg: float = float("nan"), config: AnalysisConfig | None = None
) -> bool:
    """Whether ``code`` can be seen from ``view``, the camera ``yaw_deg`` off side-on (the
    threshold table's views and yaw limit; the false-alarm budget is applied on top)."""
    t = (config or default_config()).threshold(code)
    return t is not None and t.judgeable(view, yaw_deg)


def measure_rep(
    signals: dict[str, np.ndarray],
    rep: RepSpan,
    *,
    exercise: Exercise,
    view: View,
    fps: float,
    baseline: dict[str, float],
    yaw_deg: float = float("nan"),
    config: AnalysisConfig | None = None,
) -> dict[str, tuple[float, int | None]]:
    """Every metric of the threshold table that can be seen from ``view`` (metric -> value,
    worst frame). Faults that are not *reported* (false-alarm budget, hidden landmarks) are
    still measured: their values stay in the JSON evidence and feed ``liftsafe evaluate``."""
    config = config or default_config()
    ctx = RepContext(signals=signals, rep=rep, fps=fps, baseline=baseline, config=config.metrics)
    out: dict[str, tuple[float, int | None]] = {}
    for t in config.thresholds:
        if exercise not in t.limits or not t.judgeable(view, yaw_deg) or t.metric in out:
            continue
        out[t.metric] = METRICS[t.metric](ctx)
    return out


def rep_faults(
    signals: dict[str, np.ndarray],
    rep: RepSpan,
    *,
    exercise: Exercise,
    view: View,
    fps: float,
    baseline: dict[str, float],
    yaw_deg: float = float("nan"),
    config: AnalysisConfig | None = None,
    skip: Collection[FaultCode] = (),
) -> tuple[tuple[Fault, ...], dict[str, float]]:
    """Faults of one rep and every metric measured for it (name -> value).

    Measured by :func:`measure_rep`, judged by :func:`liftsafe.technique.verdict.judge` (the
    reporting floor of the false-alarm budget); faults in ``skip`` (not checked in this clip)
    are measured but never given."""
    config = config or default_config()
    measured = measure_rep(
        signals, rep, exercise=exercise, view=view, fps=fps, baseline=baseline, yaw_deg=yaw_deg, config=config
    )
    metrics = {name: value for name, (value, _) in measured.items()}
    cue_text = cues()
    faults: list[Fault] = []
    for j in judge(metrics, exercise=exercise, view=view, config=config, skip=skip):
        t = j.threshold
        frame = measured[t.metric][1]
        if frame is None:
            continue
        start_s, end_s = _fault_span(rep, frame, fps)
        faults.append(
            Fault(
                code=t.code,
                severity=j.severity,
                start_s=start_s,
                end_s=end_s,
                evidence=Evidence(
                    metric=t.metric,
                    value=j.value,
                    threshold=j.limit,
                    unit=t.unit,
                    comparison=t.comparison,
                    frame=int(frame),
                    time_s=frame / fps,
                    source=t.source,
                ),
                cue=cue_text[t.code.value]["cue"],
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
