"""Use-case: analyse a clip (video or keypoint file) and write its reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from liftsafe.analysis import Analysis
from liftsafe.result import Exercise

Progress = Callable[[int, int], None]

RESULT_NAME = "result.json"
SIGNALS_NAME = "signals.csv"
REPORT_NAME = "report.html"
VIDEO_NAME = "annotated.mp4"


def analyse_clip(
    path: Path, *, exercise: Exercise | str, height_m: float | None = None, fps: float | None = None,
    progress: Progress | None = None, cache_dir: Path | None = None, config: Any = None,
) -> Analysis:
    """Run the analysis pipeline on a video or keypoint file."""
    from liftsafe.pipeline import analyze_path

    return analyze_path(
        path, exercise=exercise, height_m=height_m, fps=fps, progress=progress, cache_dir=cache_dir,
        config=config,
    )


def write_reports(
    analysis: Analysis, out_dir: Path, *, result_json: bool = True, csv: bool = True, html: bool = True,
    annotated: bool = True, html_title: str | None = None,
    video_progress: Callable[[Callable[[Progress | None], Any]], Any] | None = None,
) -> dict[str, Any]:
    """Write the chosen reports into ``out_dir``; return what was written, by kind.

    ``video_progress``, when given, runs the annotated-video writer (the CLI draws a progress
    bar with it): it is called with the writer, which takes a progress callback or None.
    """
    from liftsafe import report

    written: dict[str, Any] = {}
    if result_json:
        written["json"] = report.write_json(analysis, out_dir / RESULT_NAME)
    if csv:
        written["csv"] = report.write_signals_csv(analysis, out_dir / SIGNALS_NAME)
    if html:
        written["html"] = report.write_html_report(analysis, out_dir / REPORT_NAME, title=html_title)
    if annotated:
        target = out_dir / VIDEO_NAME

        def write_video(progress: Progress | None) -> Any:
            return report.write_annotated_video(analysis, target, progress=progress)

        written["video"] = write_video(None) if video_progress is None else video_progress(write_video)
    return written
