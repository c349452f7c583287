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
    workers: int | None = None, max_fps: float | str | None = "default", pool: Any = None,
) -> Analysis:
    """Run the analysis pipeline on a video or keypoint file (``workers``/``max_fps``/``pool``:
    :func:`liftsafe.pipeline.analyze_video`)."""
    from liftsafe.pipeline import analyze_path

    return analyze_path(
        path, exercise=exercise, height_m=height_m, fps=fps, progress=progress, cache_dir=cache_dir,
        config=config,
        workers=workers, max_fps=max_fps, pool=pool,
    )


def write_reports(
    analysis: Analysis, out_dir: Path, *, result_json: bool = True, csv: bool = True, html: bool = True,
    annotated: bool = True, html_title: str | None = None,
    video_progress: Callable[[Callable[[Progress | None], Any]], Any] | None = None,
    pool: Any = None,
) -> dict[str, Any]:
    """Write the chosen reports into ``out_dir``; return what was written, by kind.

    ``video_progress``, when given, runs the annotated-video writer (the CLI draws a progress
    bar with it): it is called with the writer, which takes a progress callback or None.
    ``pool`` (a :class:`~liftsafe.pose.parallel.PosePool` whose pose work is done) renders the
    annotated video in one of its processes while this one writes the CSV and HTML.
    """
    from liftsafe import report

    written: dict[str, Any] = {}
    if result_json:
        written["json"] = report.write_json(analysis, out_dir / RESULT_NAME)
    # the annotated video (the costly part) runs in a background thread meanwhile
    written.update(report.write_reports(
        analysis, out_dir, csv=csv, html=html, annotated=annotated, html_title=html_title,
        names={"csv": SIGNALS_NAME, "html": REPORT_NAME, "video": VIDEO_NAME}, progress_runner=video_progress,
        submit=pool.submit_call if pool is not None else None,
    ))
    return written
