"""Running the analysis over a labelled folder of clips, one outcome per clip.

A clip that fails (corrupt, no person, ...) becomes an error row and the run goes on. A clip
the system declines to judge (camera in front or behind, no complete rep, back rounding not
measurable) is an *abstention* with its reason: it counts against coverage, not accuracy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from liftsafe.evaluation.labels import LabelRow


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
    extra: dict[str, Any] = field(default_factory=dict)
    true_fault: str | None = None  # the fault the labels say the clip shows

    def found_faults(self, severities: tuple[str, ...] = ("major", "unsafe")) -> set[str]:
        """Fault codes reported in any rep at one of ``severities``."""
        if self.result is None:
            return set()
        return {f["code"] for r in self.result["reps"] for f in r["faults"] if f["severity"] in severities}

    @property
    def judged(self) -> bool:
        return self.result is not None and bool(self.result.get("judged")) and self.result.get("rep_count", 0) > 0

    @property
    def abstain_reason(self) -> str | None:
        if self.error:
            return "error: " + self.error
        if self.judged:
            return None
        r = self.result or {}
        if r.get("view") in ("front", "unknown"):
            return f"camera view '{r.get('view')}': the back cannot be judged"
        if r.get("rep_count", 0) == 0:
            return "no complete rep found"
        if r.get("view") == "oblique":
            return "oblique view: back rounding is judged from side views only"
        return "back rounding could not be measured (no usable body outline)"

    @property
    def predicted(self) -> str | None:
        """``bad`` / ``good`` for a judged clip, None for an abstention."""
        if not self.judged:
            return None
        return "good" if self.result["verdict"] == "good" else "bad"


def analyse_clip(clips_dir: str, row: LabelRow, *, exercise: str, cache_dir: str | None, reports_dir: str | None) -> ClipOutcome:
    """Analyse one clip (runs in a worker process). Never raises for a bad clip."""
    from liftsafe.errors import LiftsafeError
    from liftsafe.pipeline import analyze_video

    path = Path(clips_dir) / row.file
    t0 = time.perf_counter()
    try:
        analysis = analyze_video(path, exercise=exercise, cache_dir=cache_dir)
    except LiftsafeError as exc:
        return ClipOutcome(
            row.file, row.label, row.group, row.rep_count, time.perf_counter() - t0, row.view, error=str(exc),
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
        row.file, row.label, row.group, row.rep_count, seconds, row.view, result=analysis.result.to_dict(), report=report,
        true_fault=row.fault,
    )


def run_clips(
    clips_dir: str | Path,
    rows: list[LabelRow],
    *,
    exercise: str = "deadlift",
    cache_dir: str | Path | None = None,
    reports_dir: str | Path | None = None,
    jobs: int = 1,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[ClipOutcome]:
    """Analyse every labelled clip; ``jobs`` worker processes (1 = in this process)."""
    args = dict(
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
