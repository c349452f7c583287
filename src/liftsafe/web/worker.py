"""Analysis workers: a job queue in the database, worker threads that each run one analysis at
a time in a limited child process (or on Ray).

* **Queue.** Jobs are rows of ``web_analysis_jobs``. A worker *claims* the oldest ``queued``
  job with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, then sets it ``running`` with a
  compare-and-set update (``WHERE status = 'queued'``) that only one claimer can win, so several
  server processes or hosts can share one queue and no job runs twice. SQLite has no row locks
  (the whole file is locked for a write): the compare-and-set alone keeps claims single, and the
  fallback is one server process (docs/batch.md).
* **Workers.** ``LIFTSAFE_WORKERS`` threads (default: cores) each supervise one child process
  at a time (:mod:`liftsafe.batch.isolation`): the analysis runs under a memory limit
  (``LIFTSAFE_JOB_MEMORY_MB``) and a wall-clock limit (``LIFTSAFE_JOB_TIMEOUT_S``), so a
  hostile upload ends its child, not the server. With ``LIFTSAFE_RAY_ADDRESS`` set, the same
  limited child runs as a Ray task on the cluster instead.
* **Attempts.** A claim counts an attempt. While a job runs its worker writes a heartbeat; a
  ``running`` job whose heartbeat is older than ``LIFTSAFE_JOB_STALE_S`` (its server died or
  was killed), or whose worker process on this host is gone, is queued again. A child killed
  for memory or time, or dying, is queued again too. After 3 attempts the job fails with the
  reason. A :class:`~liftsafe.errors.LiftsafeError` (no person found, unreadable video) fails
  at once: trying again gives the same answer.
* **Cancel.** ``cancel_requested`` is checked at every heartbeat; the child is stopped. A server
  that stops puts its running jobs back in the queue without counting the attempt.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from liftsafe.batch.isolation import RETRYABLE, ChildFailure, Limits, Stop, run_limited
from liftsafe.errors import InputError, LiftsafeError
from liftsafe.store.db import Store, now_seconds
from liftsafe.store.web_models import AnalysisJobRow, UserRow
from liftsafe.web.services.analyses import job_dir, pose_cache_dir

log = logging.getLogger("liftsafe.web.worker")

PROGRESS_WRITE_EVERY_S = 0.5  # heuristic: bound database writes from the progress callback
HEARTBEAT_EVERY_S = 5.0  # heuristic: a running job's heartbeat (and cancel check) at least this often
ANALYSIS_SHARE_PCT = 80.0  # heuristic: share of the progress bar for pose estimation; the rest is the video
MAX_ATTEMPTS = 3


_now = now_seconds


def _env_float(name: str, default: float | None) -> float | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() in ("0", "none", "off") and default is not None and name != "LIFTSAFE_WORKERS":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{name} must be a number; got {raw!r}.") from None
    if value <= 0:
        raise InputError(f"{name} must be positive; got {raw!r}.")
    return value


@dataclass(frozen=True)
class WorkerConfig:
    """How analyses run (environment variables in brackets, read by :meth:`from_env`)."""

    workers: int = 1  # [LIFTSAFE_WORKERS] default: cores
    ray_address: str | None = None  # [LIFTSAFE_RAY_ADDRESS] run the limited child as a Ray task
    limits: Limits = field(default_factory=Limits)  # [LIFTSAFE_JOB_MEMORY_MB, LIFTSAFE_JOB_TIMEOUT_S]
    stale_after_s: float = (
        120.0  # [LIFTSAFE_JOB_STALE_S] a running job without heartbeat this long is re-queued
    )
    max_attempts: int = MAX_ATTEMPTS
    poll_s: float = 0.5

    @classmethod
    def from_env(cls) -> WorkerConfig:
        """The configuration from the environment (see the class)."""
        from liftsafe.batch.engines import default_workers

        workers = _env_float("LIFTSAFE_WORKERS", None)
        return cls(
            workers=int(workers) if workers else default_workers(),
            ray_address=os.environ.get("LIFTSAFE_RAY_ADDRESS", "").strip() or None,
            limits=Limits(
                memory_mb=_env_float("LIFTSAFE_JOB_MEMORY_MB", 1536.0),
                timeout_s=_env_float("LIFTSAFE_JOB_TIMEOUT_S", 900.0),
            ),
            stale_after_s=_env_float("LIFTSAFE_JOB_STALE_S", 120.0) or 120.0,
        )


def run_analysis(
    input_path: Path,
    *,
    exercise: str,
    height_m: float | None,
    out_dir: Path,
    progress: Callable[[float], None],
    cache_dir: Path | None = None,
) -> dict:
    """The real pipeline: analyse, write the HTML report and the annotated video; return the JSON result.

    Runs in the limited child process."""
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


@dataclass(frozen=True)
class Claim:
    job_id: int
    input_path: Path
    exercise: str
    height_m: float | None
    attempts: int
    worker: str


def _ray_task(claim: Claim, out_dir: Path, cache_dir: Path | None, limits: Limits) -> dict:
    """Body of the Ray task: the same limited child, on whichever node Ray picked."""
    return run_limited(
        run_analysis,
        claim.input_path,
        limits=limits,
        exercise=claim.exercise,
        height_m=claim.height_m,
        out_dir=out_dir,
        cache_dir=cache_dir,
    )


class Worker:
    def __init__(self, store: Store, data_dir: Path, config: WorkerConfig | None = None) -> None:
        self.store = store
        self.data_dir = Path(data_dir)
        self.config = config or WorkerConfig.from_env()
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._users = 0  # start()/stop() pairs (an app may be served by more than one lifespan)
        self._lock = threading.Lock()
        self._ray_remote = None

    # --- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker threads (once per app, however many lifespans share it)."""
        with self._lock:
            self._users += 1
            if self._users > 1:
                return
        self._stopping.clear()
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self._threads = [
            threading.Thread(
                target=self._loop,
                args=(f"{self.name}:{i}",),
                daemon=True,
                name=f"liftsafe-analysis-worker-{i}",
            )
            for i in range(self.config.workers)
        ]
        for t in self._threads:
            t.start()

    def stop(self, timeout_s: float = 15.0) -> None:
        """Stop the worker threads; running jobs go back to the queue without counting the attempt."""
        with self._lock:
            self._users -= 1
            if self._users > 0:
                return
        self._stopping.set()
        self._wake.set()
        for t in self._threads:
            t.join(timeout_s)
        self._threads = []

    def enqueue(self, job_id: int) -> None:
        """A job was queued: wake a worker (the job itself is already in the database)."""
        del job_id
        self._wake.set()

    # --- the queue ---------------------------------------------------------------------
    def claim(self, worker: str) -> Claim | None:
        """Claim the oldest queued job (see the module docstring), or None."""
        pg = self.store.engine.dialect.name == "postgresql"
        with self.store.transaction() as s:
            q = (
                select(AnalysisJobRow.id)
                .where(AnalysisJobRow.status == "queued")
                .order_by(AnalysisJobRow.id)
                .limit(1 if pg else 5)
            )
            if pg:
                q = q.with_for_update(skip_locked=True)
            for job_id in s.scalars(q).all():
                now = _now()
                won = s.execute(
                    update(AnalysisJobRow)
                    .where(AnalysisJobRow.id == job_id, AnalysisJobRow.status == "queued")
                    .values(
                        status="running",
                        attempts=AnalysisJobRow.attempts + 1,
                        claimed_by=worker,
                        heartbeat_at=now,
                        progress_pct=0.0,
                        updated_at=now,
                    )
                    .execution_options(synchronize_session=False)
                ).rowcount
                if won != 1:
                    continue  # another worker was faster
                row = s.get(AnalysisJobRow, job_id, populate_existing=True)
                user = s.get(UserRow, row.user_id)
                return Claim(
                    job_id,
                    Path(row.input_path),
                    row.exercise,
                    user.height_m if user else None,
                    row.attempts,
                    worker,
                )
        return None

    def requeue_stale(self) -> list[int]:
        """Queue again (or fail, after the last attempt) running jobs whose worker is gone."""
        cutoff = _now() - timedelta(seconds=self.config.stale_after_s)
        host = socket.gethostname()
        pg = self.store.engine.dialect.name == "postgresql"
        changed = []
        with self.store.transaction() as s:
            q = select(AnalysisJobRow).where(AnalysisJobRow.status == "running")
            if pg:
                q = q.with_for_update(skip_locked=True)
            for row in s.scalars(q).all():
                if not self._is_stale(row, cutoff, host):
                    continue
                self._retry_or_fail(row, "its worker stopped (the server was restarted or killed)")
                changed.append(row.id)
        return changed

    def _is_stale(self, row: AnalysisJobRow, cutoff: datetime, host: str) -> bool:
        if row.heartbeat_at is None or row.heartbeat_at < cutoff:
            return True
        parts = (row.claimed_by or "").rsplit(":", 2)
        if len(parts) == 3 and parts[0] == host and parts[1].isdigit():
            pid = int(parts[1])
            if pid == os.getpid():
                return False
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return True  # its server process on this host is gone
            except PermissionError:
                return False
        return False

    def _retry_or_fail(self, row: AnalysisJobRow, reason: str) -> None:
        row.claimed_by, row.heartbeat_at, row.progress_pct, row.updated_at = None, None, 0.0, _now()
        if row.cancel_requested:
            row.status = "cancelled"
        elif row.attempts >= self.config.max_attempts:
            row.status = "failed"
            row.error = (
                f"the analysis was stopped {row.attempts} times without finishing; last time {reason}. "
                "It will not be tried again: check the clip (resolution, length) or try another one."
            )
            log.warning("analysis %s failed after %s attempts: %s", row.id, row.attempts, reason)
        else:
            row.status = "queued"
            log.info("re-queueing analysis %s (attempt %s stopped: %s)", row.id, row.attempts, reason)

    # --- the loop ------------------------------------------------------------------------
    def _loop(self, worker: str) -> None:
        last_sweep = 0.0
        while not self._stopping.is_set():
            claim = None
            try:
                if time.monotonic() - last_sweep > min(self.config.stale_after_s / 4, 10.0):
                    last_sweep = time.monotonic()
                    self.requeue_stale()
                claim = self.claim(worker)
                if claim is not None:
                    self._process(claim)
            except Exception:  # never let one job kill the worker (database down, disk full, ...)
                log.exception("analysis worker %s: a job could not be processed", worker)
            if claim is None:
                self._wake.wait(self.config.poll_s)
                self._wake.clear()

    def _set(self, job_id: int, **values) -> None:
        with self.store.transaction() as s:
            row = s.get(AnalysisJobRow, job_id)
            if row is not None:
                for k, v in values.items():
                    setattr(row, k, v)
                row.updated_at = _now()

    def _touch(self, claim: Claim, pct: float | None) -> None:
        """Heartbeat (and progress): raise Stop when the job was cancelled, deleted or taken over."""
        if self._stopping.is_set():
            raise Stop("queued")
        with self.store.transaction() as s:
            row = s.get(AnalysisJobRow, claim.job_id)
            if row is None:
                raise Stop("deleted")
            if row.cancel_requested:
                raise Stop("cancelled")
            if row.claimed_by != claim.worker or row.status != "running":
                raise Stop("lost")  # re-queued as stale by another server: that attempt counts, this one ends
            if pct is not None:
                row.progress_pct = max(0.0, min(99.0, pct))
            row.heartbeat_at = row.updated_at = _now()

    def _callbacks(self, claim: Claim) -> tuple[Callable[[float], None], Callable[[], None]]:
        last = [time.monotonic()]

        def progress(pct: float) -> None:
            if time.monotonic() - last[0] >= PROGRESS_WRITE_EVERY_S:
                last[0] = time.monotonic()
                self._touch(claim, pct)

        def heartbeat() -> None:
            if self._stopping.is_set():
                raise Stop("queued")
            if time.monotonic() - last[0] >= HEARTBEAT_EVERY_S:
                last[0] = time.monotonic()
                self._touch(claim, None)

        return progress, heartbeat

    def _run(self, claim: Claim) -> dict:
        progress, heartbeat = self._callbacks(claim)
        out_dir = job_dir(self.data_dir, claim.job_id)
        if self.config.ray_address:
            return self._run_on_ray(claim, out_dir, heartbeat)
        return run_limited(
            run_analysis,
            claim.input_path,
            limits=self.config.limits,
            on_progress=progress,
            heartbeat=heartbeat,
            exercise=claim.exercise,
            height_m=claim.height_m,
            out_dir=out_dir,
            cache_dir=pose_cache_dir(self.data_dir),
        )

    def _run_on_ray(self, claim: Claim, out_dir: Path, heartbeat: Callable[[], None]) -> dict:
        import ray

        from liftsafe.batch.engines import init_ray

        if self._ray_remote is None:
            init_ray(None if self.config.ray_address in ("local",) else self.config.ray_address)
            self._ray_remote = ray.remote(num_cpus=1, max_retries=0)(_ray_task)
        ref = self._ray_remote.remote(claim, out_dir, pose_cache_dir(self.data_dir), self.config.limits)
        try:
            while True:
                ready, _ = ray.wait([ref], timeout=0.5)
                if ready:
                    try:
                        return ray.get(ref)
                    except ray.exceptions.RayTaskError as exc:
                        if isinstance(exc.cause, ChildFailure):
                            raise exc.cause from None
                        raise ChildFailure("crash", str(exc).strip().splitlines()[0][:200]) from None
                    except ray.exceptions.RayError as exc:  # the Ray worker or node died
                        raise ChildFailure("killed", f"the Ray worker died ({type(exc).__name__})") from None
                heartbeat()
        except Stop:
            ray.cancel(ref, force=True)
            raise

    def _process(self, claim: Claim) -> None:
        job_id = claim.job_id
        try:
            result = self._run(claim)
        except Stop as stop:
            if (
                stop.status == "queued"
            ):  # this server is stopping: not the job's fault, the attempt does not count
                self._set(
                    job_id,
                    status="queued",
                    progress_pct=0.0,
                    claimed_by=None,
                    heartbeat_at=None,
                    attempts=max(0, claim.attempts - 1),
                )
            elif stop.status == "cancelled":
                self._set(job_id, status="cancelled", progress_pct=0.0, claimed_by=None)
            return
        except (
            LiftsafeError
        ) as exc:  # the analysis could not be started here (Ray unreachable, data folder unwritable)
            log.error("analysis %s could not be started: %s", job_id, exc)
            with self.store.transaction() as s:
                row = s.get(AnalysisJobRow, job_id)
                if row is not None and row.claimed_by == claim.worker:
                    self._retry_or_fail(row, f"it could not be started ({exc})")
            return
        except ChildFailure as failure:
            if failure.kind in (
                "input",
                "analysis",
            ):  # the person can act on it: no person found, unreadable video, ...
                self._set(job_id, status="failed", error=failure.message)
            elif failure.kind in RETRYABLE:
                with self.store.transaction() as s:
                    row = s.get(AnalysisJobRow, job_id)
                    if row is not None and row.claimed_by == claim.worker:
                        self._retry_or_fail(row, failure.message)
            else:
                log.error("analysis %s crashed: %s", job_id, failure.message)
                self._set(
                    job_id,
                    status="failed",
                    error=f"the analysis crashed ({failure.message.split(':')[0]}); "
                    "the server log has the details. "
                    "Try another clip.",
                )
            return
        self._set(
            job_id, status="done", progress_pct=100.0, result=result, error=None
        )  # claimed_by: who ran it
