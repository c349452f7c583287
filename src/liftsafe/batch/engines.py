"""Engines that run :func:`liftsafe.batch.work.analyse_clip` over many clips.

Both yield outcomes as clips finish and keep at most ``2 x workers`` clips in flight
(back-pressure): a 10,000-clip folder is a list of paths in the driver, never 10,000 pending
tasks or videos in memory or in Ray's object store. Workers receive paths, not video bytes,
and return the JSON result (a few kB); the driver writes the files.

* :class:`LocalEngine` -- a process pool (``concurrent.futures``); each process builds
  BlazePose once. A worker process that dies (killed, out of memory) turns its clips into
  error rows and the pool is rebuilt; the batch goes on.
* :class:`RayEngine` -- ``pip install 'liftsafe[cluster]'``: a pool of Ray actors, each
  holding one warm BlazePose; one actor task per clip. ``address=None`` starts a local Ray.
"""

from __future__ import annotations

import os
import socket
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from urllib.parse import urlsplit

from liftsafe.batch.work import ClipOutcome, ClipTask, analyse_clip
from liftsafe.errors import InputError

IN_FLIGHT_PER_WORKER = 2  # one running, one queued behind it so a worker never idles
RAY_CONNECT_TIMEOUT_S = 10.0  # bound on reaching a Ray head before ray.init (no hang on a dead address)


def default_workers() -> int:
    """The CPUs this process may use (the default number of workers)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _quiet_worker(memory_mb: float | None = None) -> None:
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if memory_mb:  # a clip that needs more fails in its worker (MemoryError: an error row), not the machine
        import resource

        limit = int(memory_mb * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


class LocalEngine:
    name = "local"

    def __init__(self, workers: int, memory_mb: float | None = None) -> None:
        self.workers = max(1, workers)
        self.memory_mb = memory_mb
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        import multiprocessing

        # spawn: a clean interpreter per worker (no inherited MediaPipe threads or locks)
        return ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_quiet_worker,
            initargs=(self.memory_mb,),
        )

    def run(self, tasks: Iterable[ClipTask]) -> Iterator[ClipOutcome]:
        """Yield an outcome per task as clips finish (see the module docstring)."""
        pending = iter(tasks)  # pulled lazily: only the clips in flight are ever materialised here
        running: dict[Future, ClipTask] = {}
        self._pool = self._new_pool()
        exhausted = False
        try:
            while not exhausted or running:
                while not exhausted and len(running) < self.workers * IN_FLIGHT_PER_WORKER:
                    task = next(pending, None)
                    if task is None:
                        exhausted = True
                        break
                    running[self._pool.submit(analyse_clip, task)] = task
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                broken = False
                for fut in done:
                    task = running.pop(fut)
                    try:
                        yield fut.result()
                    except BrokenProcessPool:
                        broken = True
                        yield ClipOutcome(
                            task.rel,
                            error="the worker process died during the analysis (killed or out of memory)",
                            error_kind="killed",
                        )
                if broken:  # every clip of the dead pool failed with it; go on with a new pool
                    for task in list(running.values()):
                        yield ClipOutcome(
                            task.rel,
                            error="the worker process died during the analysis (killed or out of memory)",
                            error_kind="killed",
                        )
                    running.clear()
                    self._pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = self._new_pool()
        finally:
            self.close()

    def close(self) -> None:
        """Shut the pool down (waits for the clips still running)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def check_ray_address(address: str, timeout_s: float = RAY_CONNECT_TIMEOUT_S) -> None:
    """A bounded TCP connect to the Ray head (``host:port`` or ``ray://host:port``); an
    :class:`InputError` naming the address when it cannot be reached."""
    if address in ("auto", "local"):
        return
    parts = urlsplit(address if "://" in address else f"ray://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or not port:
        raise InputError(f"--ray-address {address!r} is not host:port or ray://host:port.")
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            pass
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or type(exc).__name__)
        raise InputError(
            f"--ray-address {address}: cannot reach the Ray head ({reason}, waited up to {timeout_s:.0f} s); "
            "start it with 'ray start --head' or check the address."
        ) from None


def ray_available() -> bool:
    """Whether Ray can be imported (the cluster extra is installed)."""
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


def init_ray(address: str | None, *, num_cpus: int | None = None) -> bool:
    """Connect to (or start) Ray; returns True when this call started it (the caller shuts it down)."""
    try:
        import ray
    except ImportError:
        raise InputError("--engine ray needs Ray: pip install 'liftsafe[cluster]'.") from None
    if address:
        check_ray_address(address)
    if ray.is_initialized():
        return False
    try:
        kwargs = dict(include_dashboard=False, log_to_driver=False, configure_logging=False)
        if address:
            ray.init(address=address, **kwargs)
        else:
            ray.init(num_cpus=num_cpus, **kwargs)
    except Exception as exc:  # ConnectionError, version mismatch, ...
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        where = f"--ray-address {address}" if address else "a local Ray"
        raise InputError(f"{where}: Ray could not start or connect ({first[:300]}).") from None
    return True


class RayEngine:
    name = "ray"

    def __init__(self, workers: int, address: str | None = None) -> None:
        self.workers = max(1, workers)
        self.address = address
        self._started = False

    def start(self) -> None:
        """Connect to Ray (bounded) before any clip is hashed."""
        self._started = init_ray(self.address, num_cpus=None if self.address else self.workers)

    def run(self, tasks: Iterable[ClipTask]) -> Iterator[ClipOutcome]:
        """Yield an outcome per task as actors finish them (see the module docstring)."""
        import ray

        if not ray.is_initialized():
            self.start()
        actor_cls = ray.remote(num_cpus=1, max_restarts=-1)(ClipActor)
        actors = [actor_cls.remote() for _ in range(self.workers)]
        idle = deque(actors * IN_FLIGHT_PER_WORKER)
        pending = iter(tasks)
        running: dict = {}
        exhausted = False
        try:
            while not exhausted or running:
                while not exhausted and idle:
                    task = next(pending, None)
                    if task is None:
                        exhausted = True
                        break
                    actor = idle.popleft()
                    running[actor.analyse.remote(task)] = (actor, task)
                if not running:
                    break
                ready, _ = ray.wait(list(running), num_returns=1)
                for ref in ready:
                    actor, task = running.pop(ref)
                    try:
                        yield ray.get(ref)
                    except (
                        ray.exceptions.RayError
                    ) as exc:  # the actor died (killed, out of memory): Ray restarts it
                        first = (
                            str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
                        )
                        yield ClipOutcome(
                            task.rel,
                            error=f"the Ray worker failed during the analysis ({first})",
                            error_kind="killed",
                        )
                    idle.append(actor)
        finally:
            for ref in running:
                ray.cancel(ref, force=True)
            for actor in actors:
                ray.kill(actor)

    def close(self) -> None:
        """Shut down a Ray that this engine started."""
        if self._started:
            import ray

            ray.shutdown()
            self._started = False


class ClipActor:
    """A Ray actor: one process, one warm BlazePose (built on its first video clip)."""

    def __init__(self) -> None:
        _quiet_worker()  # no memory limit: a Ray worker maps the shared-memory object store

    def analyse(self, task: ClipTask) -> ClipOutcome:
        """Analyse one clip on this actor's warm BlazePose."""
        return analyse_clip(task)


def make_engine(name: str, *, workers: int, ray_address: str | None = None, memory_mb: float | None = None):
    """The engine called ``name`` (``local`` or ``ray``), or an InputError naming the flag."""
    if name == "local":
        if ray_address:
            raise InputError("--ray-address needs --engine ray.")
        return LocalEngine(workers, memory_mb)
    if name == "ray":
        if memory_mb:
            raise InputError(
                "--worker-memory-mb applies to --engine local; on Ray, size the nodes' memory "
                "(Ray's memory monitor ends tasks of a node that runs out)."
            )
        return RayEngine(workers, ray_address)
    raise InputError(f"--engine must be local or ray; got {name!r}.")
