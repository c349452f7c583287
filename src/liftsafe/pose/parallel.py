"""Pose estimation of one video on several cores, and warm models for long-lived processes.

BlazePose runs on one core per graph, so one clip is split into consecutive chunks of the
frame range, one per worker (:func:`plan_chunks`). Each worker decodes only its own chunk
(PyAV seek to the keyframe before it) with its own BlazePose. A chunk starts
:data:`WARMUP_S` seconds early and throws those frames away: the tracker finds the person
and its landmark smoothing settles before the first frame that counts, so the joined
:class:`~liftsafe.pose.series.PoseSeries` matches a serial run within the model's own
frame-to-frame jitter and a restart never shows as a jump (that could end a rep).

The calling process runs the first chunk itself while the pool's processes run the others,
so ``workers=2`` is this process plus one child. Pools use the ``spawn`` start method (a
web server's threads are never forked) from :mod:`concurrent.futures`.

* :func:`estimate_video_parallel` -- one clip, one throw-away pool;
* :class:`PosePool` -- a pool kept open across clips: its processes keep their model
  loaded (:func:`warm_estimator`), so a server or ``liftsafe batch`` pays the start-up once.
  :meth:`PosePool.prestart` starts the children and loads their model before the caller's
  own imports (``liftsafe analyze`` does, so the start-up runs on the other core), and
  :meth:`PosePool.submit_call` hands an idle child other work (the annotated video);
* :func:`warm_estimator` -- this process's cached BlazePose, reset between clips.

Frames are identified by their presentation timestamps (read by demuxing, without
decoding), so a chunk lands on exactly the frames a serial decode numbers the same way.
A chunk that fails (a worker that dies, a corrupt frame) fails the whole analysis with a
one-line reason; the other workers are told to stop and the pool is shut down, so nothing
hangs and no process is left behind. A stream that merely ends early (a truncated file)
keeps what was decoded, with a warning, as the serial reader does.
"""

from __future__ import annotations

import functools
import math
import multiprocessing as mp
import os
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from liftsafe.errors import AnalysisError, InputError
from liftsafe.pose.estimator import (
    FrameFeature,
    ImageFeature,
    PoseEstimator,
    PoseRows,
    VideoPoseResult,
    estimate_video,
    series_from_arrays,
)
from liftsafe.pose.video import VideoInfo, _open, _short, frame_pts, frame_rgb, probe_video

#: analysis frame-rate cap: 30 fps resolves every phase and fault the rules measure (the
#: fastest, the hip-extension velocity peak, changes by a few per cent between 60 and 30 fps
#: in the simulator; docs/benchmarks.md)
DEFAULT_MAX_FPS = 30.0
#: seconds each chunk runs before its first kept frame, for the tracker to settle (measured,
#: ``benchmarks/chunk_warmup.py``: in the first half second after a chunk edge, 1 s of warm-up
#: left the landmarks further from a serial run than 2 s did on 5 of 7 edges, by up to 4x;
#: docs/benchmarks.md)
WARMUP_S = 2.0
#: a chunk shorter than this (analysed seconds) is not worth a process (heuristic)
MIN_CHUNK_S = 3.0
#: a child process's start-up (spawn, imports, model load) in seconds, used to give it a
#: slightly shorter chunk than the calling process (measured ~1.5-2 s on 2 cores)
CHILD_STARTUP_S = 1.5
#: how much further along a prestarted child is (:meth:`PosePool.prestart`): it has loaded its
#: model while the calling process imported the analysis, and the caller still has its own
#: model to load, so the child takes that much more of the clip (in analysed seconds, i.e. 18
#: frames at 30 fps; measured 0.35-0.55 s of wall time at 20-26 ms a frame on 2 cores, where
#: equal shares left the child idle that long at the end; docs/benchmarks.md)
PRESTARTED_LEAD_S = 0.6
#: seconds a cancelled worker may take to notice before it is terminated
CANCEL_GRACE_S = 20.0

ProgressFn = Callable[[int, int], None]


# ----------------------------------------------------------------------------- settings
def default_workers() -> int:
    """Worker count when none is given: the cores this process may use; 1 inside a pool worker
    (evaluation, batch), whose pool already uses the cores."""
    if mp.parent_process() is not None:
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def check_workers(workers: object) -> int:
    """``workers`` as a positive int, or an InputError naming ``--workers``."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(f"--workers must be a whole number of processes, 1 or more; got {workers!r}.")
    return workers


def parse_max_fps(value: object) -> float | None:
    """``--max-fps``: a frame rate above 0, or ``native`` / None (every frame)."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("native", "none", "")):
        return None
    try:
        fps = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(
            f"--max-fps must be a frame rate in frames per second (e.g. 30) or 'native'; got {value!r}."
        ) from None
    if not (math.isfinite(fps) and fps > 0):
        raise InputError(f"--max-fps must be a frame rate above 0 (e.g. 30) or 'native'; got {value}.")
    return fps


def frame_stride(fps: float, max_fps: float | None) -> int:
    """Analyse every ``stride``-th frame so the analysed rate is at most ``max_fps``
    (60 -> 30 with 2, 59.94 -> 29.97, 50 -> 25, 24 and 30 unchanged)."""
    if max_fps is None or fps <= max_fps * 1.01:
        return 1
    return max(1, math.ceil(fps / max_fps - 1e-6))


@dataclass(frozen=True)
class Chunk:
    """Analysed-frame indices: run from ``warm_start``, keep ``start`` up to ``end`` (exclusive)."""

    index: int
    warm_start: int
    start: int
    end: int


def plan_chunks(
    n_frames: int,
    workers: int,
    *,
    fps: float,
    warmup_s: float | None = None,
    min_chunk_s: float | None = None,
    startup_s: float | None = None,
) -> list[Chunk]:
    """Split ``n_frames`` analysed frames (at ``fps``) into at most ``workers`` chunks of equal
    work: the first (run by the calling process, no warm-up, no start-up) is longer. A
    negative ``startup_s`` means the children start ahead of the calling process.
    Unset settings take the module's :data:`WARMUP_S`, :data:`MIN_CHUNK_S`, :data:`CHILD_STARTUP_S`."""
    warmup_s = WARMUP_S if warmup_s is None else warmup_s
    min_chunk_s = MIN_CHUNK_S if min_chunk_s is None else min_chunk_s
    startup_s = CHILD_STARTUP_S if startup_s is None else startup_s
    warm = int(round(warmup_s * fps))
    overhead = warm + int(round(startup_s * fps))  # a negative start-up: the children are ahead
    k = max(1, min(workers, n_frames // max(1, int(min_chunk_s * fps))))
    while k > 1:
        per = (n_frames + (k - 1) * overhead) / k
        if per - overhead >= min_chunk_s * fps:
            break
        k -= 1
    if k == 1:
        return [Chunk(0, 0, 0, n_frames)]
    per = (n_frames + (k - 1) * overhead) / k
    bounds = [0, int(round(per))]
    for _ in range(1, k - 1):
        bounds.append(int(round(bounds[-1] + per - overhead)))
    bounds.append(n_frames)
    return [Chunk(i, max(0, bounds[i] - warm), bounds[i], bounds[i + 1]) for i in range(k)]


def _startup_s(prestarted: bool) -> float | None:
    """The children's start-up for :func:`plan_chunks`: ahead of the caller when prestarted."""
    return -PRESTARTED_LEAD_S if prestarted else None


def estimation_key(path: str | Path, *, workers: int, max_fps: float | None, prestarted: bool = False) -> str:
    """What decides which frames are estimated and how the tracker ran over them: the stride
    and the chunk starts (part of the pose-cache key, :mod:`liftsafe.pose.cache`).
    ``prestarted``: the pool's processes were started ahead (:meth:`PosePool.prestart`)."""
    info = probe_video(path)
    stride = frame_stride(info.fps, max_fps)
    starts = ["0"]  # one chunk: the serial estimate, whatever the worker count
    pts = frame_pts(path) if workers > 1 else None
    if pts:
        chunks = plan_chunks(-(-len(pts) // stride), workers, fps=info.fps / stride,
                             startup_s=_startup_s(prestarted))
        starts = [f"{c.warm_start}:{c.start}" for c in chunks] if len(chunks) > 1 else starts
    return f"stride={stride};chunks={','.join(starts)}"


# ----------------------------------------------------------------------------- one chunk
@dataclass(frozen=True)
class ChunkTask:
    path: str
    chunk: Chunk
    stride: int
    pts: tuple[int, ...]  # source frames warm_start*stride .. end*stride-1
    info: VideoInfo
    max_width: int | None
    features: dict[str, FrameFeature] = field(default_factory=dict)
    image_features: dict[str, ImageFeature] = field(default_factory=dict)
    estimator_factory: Callable[[], PoseEstimator] | None = None


@dataclass
class ChunkResult:
    index: int
    layout: str
    arrays: dict[str, np.ndarray]
    error: str | None = None  # the decode broke: frames from here on are missing
    cancelled: bool = False


class _EstimatorFailure(Exception):
    pass


class _CallerStop(Exception):
    """An exception of the caller's progress callback, carried past the decode-error handling."""

    def __init__(self, exc: BaseException) -> None:
        super().__init__(str(exc))
        self.exc = exc


_WARM: dict[bool, object] = {}
_SHARED: dict[str, object] = {}


def warm_estimator(*, segmentation: bool = True):
    """This process's BlazePose, created on first use and restarted on every later call.

    For long-lived processes (a web worker, a ``liftsafe batch`` worker): MediaPipe is
    imported and its graph built once; each clip starts with a fresh tracker. Do not close it.
    """
    from liftsafe.pose.blazepose import BlazePoseEstimator

    est = _WARM.get(segmentation)
    if est is None:
        est = _WARM[segmentation] = BlazePoseEstimator(segmentation=segmentation)
    else:
        est.restart()  # type: ignore[attr-defined]
    return est


def _init_worker(progress, cancel, totals=None) -> None:
    _SHARED["progress"] = progress
    _SHARED["cancel"] = cancel
    _SHARED["totals"] = totals


def _warm_up(segmentation: bool) -> None:
    """Pool entry point run ahead of the first chunk: import MediaPipe and build the graph, so
    the start-up overlaps the calling process's own imports instead of delaying its chunk."""
    from liftsafe.pose.blazepose import quiet_native_stderr

    with quiet_native_stderr():
        # one blank frame: the graph loads its models now, inside the quiet block (MediaPipe
        # logs from its own threads when it does); the next clip restarts the tracker anyway
        warm_estimator(segmentation=segmentation).process(np.zeros((64, 64, 3), np.uint8), 0)


def _worker_call(fn: Callable[..., Any], args: tuple, kwargs: dict, slot: int) -> Any:
    """Pool entry point for other work (the annotated video): ``fn(*args, progress=..., **kwargs)``
    with its progress in the pool's shared arrays at ``slot``."""
    from liftsafe.pose.blazepose import quiet_native_stderr

    progress, totals = _SHARED["progress"], _SHARED["totals"]

    def tick(done: int, total: int) -> None:
        progress[slot] = done  # type: ignore[index]
        totals[slot] = total  # type: ignore[index]

    with quiet_native_stderr():
        return fn(*args, progress=tick, **kwargs)


def _worker_chunk(task: ChunkTask) -> ChunkResult:
    """Pool entry point: run one chunk with this process's warm model."""
    from liftsafe.pose.blazepose import quiet_native_stderr

    progress, cancel = _SHARED["progress"], _SHARED["cancel"]

    def tick(done: int) -> None:
        progress[task.chunk.index] = done  # type: ignore[index]

    with quiet_native_stderr():
        return run_chunk(task, on_frame=tick, cancelled=lambda: bool(cancel.value))  # type: ignore[attr-defined]


def run_chunk(  # noqa: C901 - one decode loop with its skip, warm-up, stop and failure cases
    task: ChunkTask,
    *,
    on_frame: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ChunkResult:
    """Decode and estimate one chunk (in whichever process calls it)."""
    chunk, stride = task.chunk, task.stride
    if task.estimator_factory is not None:
        estimator = task.estimator_factory()
    else:
        estimator = warm_estimator(segmentation=bool(task.features))
    # the image features' state (previous thumbnail) is per chunk: fresh copies
    rows = PoseRows(estimator.layout, task.info, task.features, dict(task.image_features))
    wanted = {pts: rel for rel, pts in enumerate(task.pts)}
    last_pts = task.pts[-1] if task.pts else -1
    error: str | None = None
    container = None
    try:
        container = _open(task.path)
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if chunk.warm_start > 0:
            container.seek(task.pts[0], stream=stream, backward=True, any_frame=False)
        for frame in container.decode(stream):
            if cancelled is not None and cancelled():
                return ChunkResult(chunk.index, estimator.layout, {}, cancelled=True)
            if frame.pts is None:
                raise ValueError("a decoded frame has no timestamp")
            rel = wanted.get(int(frame.pts))
            if rel is None:
                if frame.pts > last_pts:
                    break
                continue
            if rel % stride:
                continue
            index = chunk.warm_start + rel // stride
            rgb = frame_rgb(frame, task.max_width, task.info.rotation_deg)
            timestamp_ms = int(round(index * stride * 1000.0 / task.info.fps))
            try:
                rows.add(estimator, rgb, timestamp_ms, keep=index >= chunk.start)
            except Exception as exc:  # noqa: BLE001 - the model failed, not the file
                raise _EstimatorFailure(
                    f"pose estimation failed at frame {index * stride} ({_short(exc)})"
                ) from None
            if on_frame is not None and index >= chunk.start:
                try:
                    on_frame(len(rows))
                except BaseException as exc:  # the caller's progress callback stops the job (cancel)
                    raise _CallerStop(exc) from exc
            if index >= chunk.end - 1:
                break
    except _CallerStop as stop:
        raise stop.exc from None
    except (InputError, _EstimatorFailure) as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001 - a broken stream: reported with the frames it cost
        error = f"the video stream broke off ({_short(exc)}); the file may be truncated or corrupt"
    finally:
        if container is not None:
            container.close()
        if task.estimator_factory is not None:
            estimator.close()
    if error is None and len(rows) < chunk.end - chunk.start:
        error = f"the video stream broke off (only {len(rows)} of {chunk.end - chunk.start} frames decoded)"
    return ChunkResult(chunk.index, estimator.layout, rows.arrays(), error=error)


def _fatal(res: ChunkResult, *, last: bool) -> bool:
    """A chunk result that fails the analysis: anything but the end of the clip breaking off
    after some frames (a truncated file keeps what was decoded, like the serial reader)."""
    if res.cancelled:
        return True
    if not res.error:
        return False
    return not (last and len(res.arrays.get("xy", ())) > 0 and "broke off" in res.error)


# ----------------------------------------------------------------------------- the pool
class PosePool:
    """Worker processes for pose estimation, reusable across clips (each keeps a warm model).

    ``workers`` counts the calling process: ``PosePool(2)`` starts one child. Use as a
    context manager, or call :meth:`close`. One :meth:`estimate` runs at a time.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = check_workers(default_workers() if workers is None else workers)
        self._ctx = mp.get_context("spawn")
        self._progress = self._ctx.Array("q", max(1, self.workers), lock=False)
        self._totals = self._ctx.Array("q", max(1, self.workers), lock=False)
        self._cancel = self._ctx.Value("b", 0, lock=False)
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.prestarted = False  # set by prestart(): the chunk plan gives the children a larger share

    def __enter__(self) -> "PosePool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers - 1,
                mp_context=self._ctx,
                initializer=_init_worker,
                initargs=(self._progress, self._cancel, self._totals),
            )
        return self._executor

    def prestart(self, *, segmentation: bool = True) -> None:
        """Start the pool's processes now and have each load its model in the background.

        Call it as early as possible (before the caller's own slow imports): a child's start-up
        (interpreter, imports, graph) then runs on another core meanwhile. Failures surface at
        the first :meth:`estimate`."""
        if self.workers < 2:
            return
        try:
            pool = self._pool()
            for _ in range(self.workers - 1):
                pool.submit(_warm_up, segmentation)
            self.prestarted = True
        except (OSError, RuntimeError, BrokenProcessPool):
            self.close(kill=True)

    def submit_call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> "PoolCall | None":
        """Run ``fn(*args, progress=..., **kwargs)`` (module-level, picklable arguments and
        result) in one of the pool's processes; None when the pool has no process to spare
        (``workers`` 1, or it could not start), so the caller runs it itself."""
        if self.workers < 2:
            return None
        slot = 1
        self._progress[slot] = 0
        self._totals[slot] = 0
        try:
            future = self._pool().submit(_worker_call, fn, args, kwargs, slot)
        except (OSError, RuntimeError, BrokenProcessPool):
            self.close(kill=True)
            return None
        return PoolCall(future, self, slot)

    def close(self, *, kill: bool = False) -> None:
        """Stop the pool's processes (``kill``: without waiting for running chunks)."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        self._cancel.value = 1
        processes = list(getattr(executor, "_processes", {}).values())  # to terminate stragglers
        if kill:
            for p in processes:
                if p.is_alive():
                    p.terminate()
        executor.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            p.join(timeout=CANCEL_GRACE_S)
            if p.is_alive():
                p.terminate()
                p.join(timeout=5)

    def estimate(
        self,
        path: str | Path,
        *,
        max_fps: float | None = DEFAULT_MAX_FPS,
        features: dict[str, FrameFeature] | None = None,
        image_features: dict[str, ImageFeature] | None = None,
        max_width: int | None = 960,
        progress: ProgressFn | None = None,
        estimator_factory: Callable[[], PoseEstimator] | None = None,
    ) -> VideoPoseResult:
        """Pose of every analysed frame of ``path`` (see :func:`estimate_video_parallel`)."""
        from liftsafe.pose.blazepose import quiet_native_stderr

        with self._lock, quiet_native_stderr():
            return self._estimate(
                Path(path),
                max_fps=max_fps,
                features=dict(features or {}),
                image_features=dict(image_features or {}),
                max_width=max_width,
                progress=progress,
                estimator_factory=estimator_factory,
            )

    def _estimate(
        self, path: Path, *, max_fps, features, image_features, max_width, progress, estimator_factory
    ) -> VideoPoseResult:
        info = probe_video(path)
        stride = frame_stride(info.fps, max_fps)
        pts = frame_pts(path) if self.workers > 1 else None
        chunks = [Chunk(0, 0, 0, 0)]
        if pts:
            # a prestarted child has loaded its model by now and gets the larger share (the plan
            # depends on how the pool was started, never on timing: a clip always splits the same way)
            chunks = plan_chunks(-(-len(pts) // stride), self.workers, fps=info.fps / stride,
                                 startup_s=_startup_s(self.prestarted))
        if len(chunks) == 1:
            estimator = (
                estimator_factory()
                if estimator_factory is not None
                else warm_estimator(segmentation=bool(features))
            )
            try:
                return estimate_video(
                    path,
                    estimator=estimator,
                    features=features,
                    image_features=image_features,
                    max_width=max_width,
                    stride=stride,
                    progress=progress,
                )
            finally:
                if estimator_factory is not None:
                    estimator.close()
        assert pts is not None
        tasks = [
            ChunkTask(
                str(path),
                c,
                stride,
                tuple(pts[c.warm_start * stride : c.end * stride]),
                info,
                max_width,
                features,
                image_features,
                estimator_factory,
            )
            for c in chunks
        ]
        total = chunks[-1].end
        for i in range(len(self._progress)):
            self._progress[i] = 0
        self._cancel.value = 0
        futures: list[Future] = []
        ok = False
        try:
            pool = self._pool()
            futures = [pool.submit(_worker_chunk, t) for t in tasks[1:]]

            def stop_on_failure(f: Future, last: bool) -> None:
                if f.cancelled() or f.exception() is not None or _fatal(f.result(), last=last):
                    self._cancel.value = 1

            n_futures = len(futures)
            for i, f in enumerate(futures):
                f.add_done_callback(functools.partial(stop_on_failure, last=i == n_futures - 1))

            def tick(done: int) -> None:
                if progress is not None:
                    progress(done + sum(self._progress[i] for i in range(1, len(chunks))), total)

            first = run_chunk(tasks[0], on_frame=tick, cancelled=lambda: bool(self._cancel.value))
            if _fatal(first, last=False):
                self._cancel.value = 1
            results = [first] + self._collect(futures, chunks, progress, total)
            ok = True
        finally:
            if not ok:
                self.close(kill=True)
        return self._join(path, info, stride, chunks, results)

    def _collect(self, futures: list[Future], chunks: list[Chunk], progress, total) -> list[ChunkResult]:
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_EXCEPTION)
            if progress is not None:
                progress(chunks[0].end + sum(self._progress[i] for i in range(1, len(chunks))), total)
            if self._cancel.value or any(f.exception() is not None for f in done):
                break
        if pending:  # a chunk failed: the others stop at their next frame
            self._cancel.value = 1
            _, pending = wait(pending, timeout=CANCEL_GRACE_S)
            if pending:
                self.close(kill=True)
        results = []
        for f, chunk in zip(futures, chunks[1:]):
            if not f.done() or f.cancelled():
                results.append(ChunkResult(chunk.index, "", {}, cancelled=True))
                continue
            exc = f.exception()
            if exc is not None:
                self.close(kill=True)
                if isinstance(exc, BrokenProcessPool):
                    raise AnalysisError(
                        f"a pose worker process stopped unexpectedly (frames {chunk.start}-{chunk.end - 1} "
                        "of the analysed frames); the analysis was abandoned. Try again with --workers 1 "
                        "(workers=1 in Python; a script that calls liftsafe needs the call under "
                        "'if __name__ == \"__main__\":', as worker processes import the script again)."
                    ) from None
                raise AnalysisError(
                    f"pose estimation of frames {chunk.start}-{chunk.end - 1} failed: {_short(exc)}"
                ) from None
            results.append(f.result())
        return results

    @staticmethod
    def _join(
        path: Path, info: VideoInfo, stride: int, chunks: list[Chunk], results: list[ChunkResult]
    ) -> VideoPoseResult:
        warnings: list[str] = []
        for chunk, res in zip(chunks, results):
            if _fatal(res, last=chunk is chunks[-1]) and not res.cancelled:
                raise AnalysisError(
                    f"{path}: frames {chunk.start * stride}-{chunk.end * stride - 1} could not be analysed "
                    f"({str(res.error).rstrip('.')}); the analysis was abandoned."
                )
        if any(res.cancelled for res in results):
            raise AnalysisError(f"{path}: pose estimation was cancelled before it finished.")
        parts = []
        for chunk, res in zip(chunks, results):
            if res.error:
                n = len(res.arrays["xy"])
                warnings.append(f"{res.error}; analysed the first {(chunk.start + n) * stride} frames only")
            parts.append(res.arrays)
        keys = parts[0].keys()
        arrays = {key: np.concatenate([p[key] for p in parts]) for key in keys}
        series = series_from_arrays(
            arrays, info=info, stride=stride, layout=results[0].layout, source=str(path)
        )
        return VideoPoseResult(series=series, info=info, warnings=warnings)


@dataclass
class PoolCall:
    """A :meth:`PosePool.submit_call` in flight: poll :meth:`done` and :meth:`progress`, then
    :meth:`result` (raises what ``fn`` raised; a dead process is an :class:`AnalysisError`)."""

    future: Future
    pool: PosePool
    slot: int

    def done(self) -> bool:
        """True once the call has finished (or its process died)."""
        return self.future.done()

    def progress(self) -> tuple[int, int]:
        """(done, total) as last reported by the call."""
        return int(self.pool._progress[self.slot]), int(self.pool._totals[self.slot])

    def result(self) -> Any:
        """The call's result; raises what it raised."""
        try:
            return self.future.result()
        except BrokenProcessPool:
            self.pool.close(kill=True)
            raise AnalysisError(
                "the report process stopped unexpectedly; try again with --workers 1."
            ) from None


def estimate_video_parallel(
    path: str | Path,
    *,
    workers: int | None = None,
    max_fps: float | None = DEFAULT_MAX_FPS,
    features: dict[str, FrameFeature] | None = None,
    image_features: dict[str, ImageFeature] | None = None,
    max_width: int | None = 960,
    progress: ProgressFn | None = None,
    estimator_factory: Callable[[], PoseEstimator] | None = None,
) -> VideoPoseResult:
    """Pose of a video with ``workers`` processes (default: the cores) at most ``max_fps``.

    ``max_fps`` None analyses every frame. ``estimator_factory`` (a picklable callable
    returning a :class:`~liftsafe.pose.estimator.PoseEstimator`) replaces BlazePose.
    Short clips (under about two chunks of :data:`MIN_CHUNK_S`) run in this process only.
    """
    with PosePool(workers) as pool:
        return pool.estimate(
            path,
            max_fps=max_fps,
            features=features,
            image_features=image_features,
            max_width=max_width,
            progress=progress,
            estimator_factory=estimator_factory,
        )
