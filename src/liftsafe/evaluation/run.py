"""Running the analysis over a labelled folder of clips, one outcome per clip.

A clip that fails (corrupt, no person, ...) becomes an error row and the run goes on. A clip
the system declines to judge (camera in front or behind, no complete rep, back rounding not
measurable) is an *abstention* with its reason: it counts against coverage, not accuracy.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from liftsafe.analysis import Analysis
from liftsafe.evaluation.labels import LabelRow
from liftsafe.result import FaultCode, View
from liftsafe.technique.metrics import RepContext, dorsal_curvature_pull
from liftsafe.technique.rules import judgeable
from liftsafe.technique.thresholds import SPINE_MAX_YAW_DEG, SPINE_PULL_ASCENT_SHARES


@dataclass(frozen=True)
class ClipOutcome:
    file: str
    label: str
    group: str | None
    true_reps: int | None
    seconds: float
    true_view: str | None = None
    result: dict[str, Any] | None = None  # the JSON result contract
    error: str | None = None
    report: str | None = None  # path of the clip's HTML report, relative to the output folder
    #: the rounded-back clip score (worst rep) for each candidate spine window (share of the
    #: ascent -> dorsal_curvature_pull), for the calibration to choose from; empty when not judged
    spine_windows: dict[float, float] = field(default_factory=dict)
    true_fault: str | None = None  # the fault the labels say the clip shows

    def found_faults(self, severities: tuple[str, ...] = ("major", "unsafe")) -> set[str]:
        """Fault codes reported in any rep at one of ``severities``."""
        if self.result is None:
            return set()
        return {f["code"] for r in self.result["reps"] for f in r["faults"] if f["severity"] in severities}

    @property
    def yaw_deg(self) -> float | None:
        """The camera's yaw off side-on the analysis estimated (None when not known)."""
        return ((self.result or {}).get("camera") or {}).get("yaw_deg")

    @property
    def judged(self) -> bool:
        """True when the clip got a good/bad verdict (it was not abstained on or failed)."""
        return (
            self.result is not None
            and bool(self.result.get("judged"))
            and self.result.get("rep_count", 0) > 0
        )

    @property
    def abstain_reason(self) -> str | None:
        """Why the clip was not judged, or None when it was."""
        if self.error:
            return "error: " + self.error
        if self.judged:
            return None
        r = self.result or {}
        if r.get("view") in ("front", "unknown"):
            return f"camera view '{r.get('view')}': the back cannot be judged"
        if r.get("rep_count", 0) == 0:
            return "no complete rep found"
        spine = next(
            (x for x in r.get("not_checked", []) if x.get("code") == FaultCode.ROUNDED_BACK.value), None
        )
        if spine is not None and spine.get("kind") not in ("camera_view", "camera_angle"):
            return f"back rounding not checked: {spine.get('reason')}"
        yaw = float("nan") if self.yaw_deg is None else self.yaw_deg
        if r.get("view") == "oblique" and not judgeable(FaultCode.ROUNDED_BACK, View.OBLIQUE, yaw):
            return (
                f"oblique view {yaw:.1f} deg off side-on: back rounding is judged within "
                f"{SPINE_MAX_YAW_DEG:g} deg"
            )
        return "back rounding could not be measured (no usable body outline)"

    @property
    def predicted(self) -> str | None:
        """``bad`` / ``good`` for a judged clip, None for an abstention."""
        if not self.judged:
            return None
        return "good" if self.result["verdict"] == "good" else "bad"


def analyse_clip(
    clips_dir: str,
    row: LabelRow,
    *,
    exercise: str,
    cache_dir: str | None,
    reports_dir: str | None,
    config=None,
) -> ClipOutcome:
    """Analyse one clip (runs in a worker process). Never raises for a bad clip."""
    from liftsafe.errors import LiftsafeError
    from liftsafe.pipeline import analyze_video

    path = Path(clips_dir) / row.file
    t0 = time.perf_counter()
    try:
        analysis = analyze_video(path, exercise=exercise, cache_dir=cache_dir, config=config)
    except LiftsafeError as exc:
        return ClipOutcome(
            row.file,
            row.label,
            row.group,
            row.rep_count,
            time.perf_counter() - t0,
            row.view,
            error=str(exc),
            true_fault=row.fault,
        )
    seconds = time.perf_counter() - t0
    report = None
    if reports_dir is not None:
        from liftsafe.report import write_html_report

        name = row.file.replace("/", "__").rsplit(".", 1)[0] + ".html"
        try:
            write_html_report(analysis, Path(reports_dir) / name)
            report = f"{Path(reports_dir).name}/{name}"
        except LiftsafeError:
            report = None
    return ClipOutcome(
        row.file,
        row.label,
        row.group,
        row.rep_count,
        seconds,
        row.view,
        result=analysis.result.to_dict(),
        report=report,
        true_fault=row.fault,
        spine_windows=spine_window_scores(analysis),
    )


def spine_window_scores(analysis: Analysis) -> dict[float, float]:
    """``dorsal_curvature_pull`` over each candidate window (SPINE_PULL_ASCENT_SHARES), the
    largest over the clip's reps (NaN when never measured); empty when the spine was not judged."""
    if not analysis.result.judged or len(analysis.spans) != len(analysis.result.reps):
        return {}
    fps = analysis.result.fps
    contexts = [
        RepContext(signals=analysis.signals, rep=span, fps=fps, baseline={}) for span in analysis.spans
    ]
    out: dict[float, float] = {}
    for share in SPINE_PULL_ASCENT_SHARES:
        values = [v for v in (dorsal_curvature_pull(c, share)[0] for c in contexts) if math.isfinite(v)]
        out[share] = max(values) if values else float("nan")
    return out


def run_clips(
    clips_dir: str | Path,
    rows: list[LabelRow],
    *,
    exercise: str = "deadlift",
    cache_dir: str | Path | None = None,
    reports_dir: str | Path | None = None,
    jobs: int = 1,
    progress: Callable[[int, int, str], None] | None = None,
    config=None,
) -> list[ClipOutcome]:
    """Analyse every labelled clip; ``jobs`` worker processes (1 = in this process);
    ``config``: an AnalysisConfig (default: the shipped one)."""
    args = dict(
        config=config,
        exercise=exercise,
        cache_dir=None if cache_dir is None else str(cache_dir),
        reports_dir=None if reports_dir is None else str(reports_dir),
    )
    outcomes: list[ClipOutcome] = []
    if jobs <= 1:
        for i, row in enumerate(rows):
            outcomes.append(analyse_clip(str(clips_dir), row, **args))
            if progress:
                progress(i + 1, len(rows), row.file)
        return outcomes
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(analyse_clip, str(clips_dir), row, **args) for row in rows]
        for i, (row, fut) in enumerate(zip(rows, futures)):
            outcomes.append(fut.result())
            if progress:
                progress(i + 1, len(rows), row.file)
    return outcomes
