"""The background analysis worker: one thread in the server process.

Jobs are rows in ``web_analysis_jobs``; the in-memory queue only holds their ids. On start,
jobs left ``queued`` or ``running`` by a previous process (crash, restart) are queued again,
so an accepted upload is never lost. A job that raises is marked ``failed`` with a one-line
message and the worker takes the next one. Cancelling sets ``cancel_requested``; the
worker checks it at every progress update (analysis and video writing) and stops there.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from liftsafe.errors import LiftsafeError
from liftsafe.store.db import Store, now_seconds
from liftsafe.store.web_models import AnalysisJobRow, UserRow
from liftsafe.web.services.analyses import job_dir, pose_cache_dir

log = logging.getLogger("liftsafe.web.worker")

PROGRESS_WRITE_EVERY_S = 0.5  # heuristic: bound database writes from the progress callback
ANALYSIS_SHARE_PCT = 80.0  # heuristic: share of the progress bar for pose estimation; the rest is the video


class _Stop(Exception):
    """Raised inside a progress callback to leave the job (cancelled or server stopping)."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


_now = now_seconds


def run_analysis(input_path: Path, *, exercise: str, height_m: float | None, out_dir: Path,
                 progress: Callable[[float], None], cache_dir: Path | None = None) -> dict:
    """The real pipeline: analyse, write the HTML report and the annotated video; return the JSON result."""
    from liftsafe.app.analysis import analyse_clip, write_reports

    def on_frames(done: int, total: int) -> None:
        progress(ANALYSIS_SHARE_PCT * min(done, total) / max(total, 1))

    def on_video(done: int, total: int) -> None:
        progress(ANALYSIS_SHARE_PCT + (100.0 - ANALYSIS_SHARE_PCT) * min(done, total) / max(total, 1))

    analysis = analyse_clip(
        input_path, exercise=exercise, height_m=height_m, progress=on_frames, cache_dir=cache_dir
    )
    progress(ANALYSIS_SHARE_PCT)
    write_reports(
        analysis,
        out_dir,
        result_json=False,
        csv=False,
        html_title=f"liftsafe analysis: {input_path.name}",
        video_progress=lambda write: write(on_video),
    )
    return analysis.result.to_dict()


class Worker:
    def __init__(self, store: Store, data_dir: Path) -> None:
        self.store = store
        self.data_dir = Path(data_dir)
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._users = 0  # start()/stop() pairs (an app may be served by more than one lifespan)
        self._lock = threading.Lock()

    # --- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker thread (and requeue unfinished jobs)."""
        with self._lock:
            self._users += 1
            if self._users > 1:
                return
        self._stopping.clear()
        for job_id in self._requeue_unfinished():
            self._queue.put(job_id)
        self._thread = threading.Thread(target=self._loop, name="liftsafe-analysis-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop the worker thread, waiting up to ``timeout_s``."""
        with self._lock:
            self._users -= 1
            if self._users > 0:
                return
        self._stopping.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout_s)

    def enqueue(self, job_id: int) -> None:
        """Queue a job for analysis."""
        self._queue.put(job_id)

    def _requeue_unfinished(self) -> list[int]:
        with self.store.transaction() as s:
            rows = s.scalars(select(AnalysisJobRow).where(AnalysisJobRow.status.in_(("queued", "running")))
                             .order_by(AnalysisJobRow.id)).all()
            for row in rows:
                if row.status == "running":
                    log.info("re-queueing analysis %s left running by a previous server", row.id)
                row.status = "cancelled" if row.cancel_requested else "queued"
                row.progress_pct = 0.0
                row.updated_at = _now()
            return [r.id for r in rows if r.status == "queued"]

    # --- the loop ------------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            job_id = self._queue.get()
            try:
                if job_id is None or self._stopping.is_set():
                    return
                self._process(job_id)
            except Exception:  # never let one job kill the worker (database down, disk full, ...)
                log.exception("analysis worker: job %s could not be processed", job_id)
            finally:
                self._queue.task_done()

    def _set(self, job_id: int, **values) -> None:
        with self.store.transaction() as s:
            row = s.get(AnalysisJobRow, job_id)
            if row is not None:
                for k, v in values.items():
                    setattr(row, k, v)
                row.updated_at = _now()

    def _claim(self, job_id: int) -> tuple[Path, str, float | None] | None:
        with self.store.transaction() as s:
            row = s.get(AnalysisJobRow, job_id)
            if row is None or row.status != "queued":
                return None
            if row.cancel_requested:
                row.status = "cancelled"
                return None
            row.status, row.progress_pct, row.updated_at = "running", 0.0, _now()
            user = s.get(UserRow, row.user_id)
            return Path(row.input_path), row.exercise, user.height_m if user else None

    def _progress_callback(self, job_id: int) -> Callable[[float], None]:
        last = [0.0]

        def update(pct: float) -> None:
            if self._stopping.is_set():
                raise _Stop("queued")
            now = time.monotonic()
            if now - last[0] < PROGRESS_WRITE_EVERY_S:
                return
            last[0] = now
            with self.store.transaction() as s:
                row = s.get(AnalysisJobRow, job_id)
                if row is None:
                    raise _Stop("deleted")
                if row.cancel_requested:
                    raise _Stop("cancelled")
                row.progress_pct = max(0.0, min(99.0, pct))
                row.updated_at = _now()

        return update

    def _process(self, job_id: int) -> None:
        claimed = self._claim(job_id)
        if claimed is None:
            return
        input_path, exercise, height_m = claimed
        try:
            result = run_analysis(
                input_path,
                exercise=exercise,
                height_m=height_m,
                out_dir=job_dir(self.data_dir, job_id),
                progress=self._progress_callback(job_id),
                cache_dir=pose_cache_dir(self.data_dir),
            )
        except _Stop as stop:
            if stop.status != "deleted":
                self._set(job_id, status=stop.status, progress_pct=0.0)
            return
        except LiftsafeError as exc:  # the person can act on it: no person found, unreadable video, ...
            self._set(job_id, status="failed", error=str(exc))
            return
        except Exception as exc:
            log.exception("analysis %s crashed", job_id)
            self._set(
                job_id,
                status="failed",
                error=f"the analysis crashed ({type(exc).__name__}); the server log has the details. Try "
                      f"another clip.",
            )
            return
        self._set(job_id, status="done", progress_pct=100.0, result=result, error=None)
