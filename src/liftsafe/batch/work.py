"""The analysis of one clip as it runs in a batch worker (a local process or a Ray actor).

A worker keeps one BlazePose per process (:func:`clip_estimator`), reset between clips, so
MediaPipe is imported and its graph built once per worker rather than once per clip. The
analysis is the one ``liftsafe analyze`` runs (:func:`liftsafe.pipeline.analyze_path` with
the same arguments), so a batch result equals the ``analyze`` result of the same file.

:func:`analyse_clip` never raises for a bad clip: it returns an outcome with an error and its
kind (``input``/``analysis`` for the person to act on, ``memory``/``crash`` otherwise).
"""

from __future__ import annotations

import os
import socket
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ClipTask:
    path: str
    rel: str
    exercise: str
    height_m: float | None = None
    report_path: str | None = None  # write the HTML report here (needs storage shared with the driver)


@dataclass
class ClipOutcome:
    rel: str
    result: dict[str, Any] | None = None
    error: str = ""
    error_kind: str = ""
    seconds: float = 0.0
    worker: str = ""
    report: str | None = None
    max_rss_mb: float = 0.0  # peak resident memory of the worker process so far (benchmarks)


def clip_estimator():
    """The process's BlazePose, fresh for a new clip: the pose package's warm model
    (``pose.parallel.warm_estimator``: the graph is built once per process and restarted for
    every clip exactly as a new estimator starts)."""
    from liftsafe.pose import blazepose
    from liftsafe.pose.parallel import warm_estimator

    with blazepose.quiet_native_stderr():
        return warm_estimator(segmentation=True)  # as analyze_video builds it


def worker_name() -> str:
    """``host:pid`` of this worker process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def analyse_clip(task: ClipTask) -> ClipOutcome:
    """Analyse one clip; never raises for a bad clip."""
    from liftsafe.errors import AnalysisError, LiftsafeError
    from liftsafe.pipeline import analyze_path

    t0 = time.perf_counter()
    out = ClipOutcome(rel=task.rel, worker=worker_name())
    try:
        path = Path(task.path)
        kwargs: dict[str, Any] = {"exercise": task.exercise, "height_m": task.height_m}
        if path.suffix.lower() not in (".csv", ".json"):
            kwargs["estimator"] = clip_estimator()
        analysis = analyze_path(path, **kwargs)
        out.result = analysis.result.to_dict()
        if task.report_path:
            from liftsafe.report import write_html_report

            out.report = str(write_html_report(analysis, Path(task.report_path)))
    except LiftsafeError as exc:
        out.error = str(exc)
        out.error_kind = (
            "analysis" if isinstance(exc, AnalysisError) else ("output" if exc.exit_code == 4 else "input")
        )
    except MemoryError:
        out.error, out.error_kind = "the analysis ran out of memory", "memory"
    except Exception as exc:  # a bug: the row says so, the batch goes on
        out.error = f"the analysis crashed ({type(exc).__name__}: {str(exc)[:200]})"
        out.error_kind = "crash"
        traceback.print_exc()
    out.seconds = time.perf_counter() - t0
    out.max_rss_mb = _max_rss_mb()
    return out


def _max_rss_mb() -> float:
    try:
        import resource
    except ImportError:  # not POSIX
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux
