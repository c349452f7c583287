"""One analysis in a child process with a memory limit and a wall-clock limit.

A hostile or broken input (a clip declaring 16000 x 16000 pixels, a keypoint file whose frame
numbers run to a million) may need gigabytes or hours. Run in the server process it takes the
server down with it; run here it only ends its child:

* the child sets ``RLIMIT_DATA`` (``resource.setrlimit``: on Linux 4.7 and later the private
  writable memory -- heap, anonymous maps, thread stacks -- every allocation the analysis and
  MediaPipe make) before it does any work; an allocation past the limit fails in the child
  (``MemoryError``, or the child dies). Not ``RLIMIT_AS``: the address space also counts
  reservations that are never used (glibc reserves 64 MB per malloc arena, and MediaPipe and
  the H.264 encoder start many threads), so an address-space limit refused the encoder of a
  sound 5 s clip while its resident memory stayed under 1 GB;
* the parent kills the child when the wall-clock limit passes;
* the parent relays progress and can stop the child (cancel, server shutdown).

Children are started by a fork server that has already imported the analysis modules and
MediaPipe (:data:`PRELOAD`), so a child starts in well under a second with a warm model: only
its BlazePose graph (about 10 ms) is built per job. :func:`run_limited` reports how the child ended as a
:class:`ChildFailure` with a ``kind``: ``memory``, ``timeout``, ``killed`` (a signal or a
crash of native code), ``crash`` (a Python exception: a bug) or ``input``/``analysis`` (a
:class:`~liftsafe.errors.LiftsafeError` the person can act on).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

POLL_S = 0.2
#: kinds of failure that count as a crashed or killed attempt (the job may be tried again)
RETRYABLE = ("memory", "timeout", "killed")


@dataclass(frozen=True)
class Limits:
    memory_mb: float | None = 1536.0  # memory limit of the child, RLIMIT_DATA (None: no limit)
    timeout_s: float | None = 900.0  # wall-clock limit (None: no limit)


class ChildFailure(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)  # both in args: the exception pickles (Ray returns it to the caller)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return self.message


class Stop(Exception):
    """Raised by a progress callback to end the child (cancelled, server stopping)."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


_CONTEXT = None
#: modules the fork server imports before it forks any child (MediaPipe's import is ~0.8 s)
PRELOAD = ["liftsafe.pipeline", "liftsafe.report", "liftsafe.app.analysis", "liftsafe.pose.blazepose",
           "mediapipe.python.solutions.pose"]


def _context():
    global _CONTEXT
    if _CONTEXT is None:
        ctx = multiprocessing.get_context("forkserver")
        # the fork server imports the analysis, the reports and MediaPipe once; every job's
        # child starts with them loaded (a warm model: only the graph, ~10 ms, is built per job)
        ctx.set_forkserver_preload(PRELOAD)
        _CONTEXT = ctx
    return _CONTEXT


def _liftsafe_env() -> dict[str, str]:
    """The parent's ``LIFTSAFE_*`` settings (input limits and the like) at the time of the job."""
    return {k: v for k, v in os.environ.items() if k.startswith("LIFTSAFE_")}


def _child(
    conn, fn: Callable[..., Any], args: tuple, kwargs: dict, memory_bytes: int | None, env: dict[str, str]
) -> None:
    # The fork server was started with the environment of its first use: the job runs under
    # the parent's current settings instead.
    for key in [k for k in os.environ if k.startswith("LIFTSAFE_") and k not in env]:
        del os.environ[key]
    os.environ.update(env)
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when the child ends
    if memory_bytes:
        import resource

        resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    from liftsafe.errors import AnalysisError, LiftsafeError

    last = [0.0]

    def progress(pct: float) -> None:
        now = time.monotonic()
        if now - last[0] >= POLL_S:
            last[0] = now
            conn.send(("progress", float(pct)))

    try:
        result = fn(*args, progress=progress, **kwargs)
        conn.send(("done", result))
    except LiftsafeError as exc:
        conn.send(("error", "analysis" if isinstance(exc, AnalysisError) else "input", str(exc)))
    except MemoryError:
        conn.send(("error", "memory", "ran out of memory"))
    except BaseException as exc:
        traceback.print_exc()
        try:
            conn.send(("error", "crash", f"{type(exc).__name__}: {str(exc)[:200]}"))
        except Exception:
            pass
    finally:
        conn.close()


def _signal_name(code: int | None) -> str:
    if code is None:
        return "unknown"
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def run_limited(
    fn: Callable[..., Any],
    *args: Any,
    limits: Limits,
    on_progress: Callable[[float], None] | None = None,
    heartbeat: Callable[[], None] | None = None,
    **kwargs: Any,
) -> Any:
    """Run ``fn(*args, progress=..., **kwargs)`` in a child with ``limits``; return its result.

    ``fn`` must be importable (module level) and its result picklable. ``on_progress`` may
    raise :class:`Stop` to end the child; ``heartbeat`` is called every poll (about 0.2 s).
    Raises :class:`ChildFailure` when the child fails or is killed.
    """
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    memory = int(limits.memory_mb * 1024 * 1024) if limits.memory_mb else None
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs, memory, _liftsafe_env()), daemon=True)
    proc.start()
    child.close()
    deadline = time.monotonic() + limits.timeout_s if limits.timeout_s else None
    try:
        while True:
            if heartbeat is not None:
                heartbeat()
            if parent.poll(POLL_S):
                try:
                    msg = parent.recv()
                except (EOFError, OSError):
                    break  # the child is gone without a word
                if msg[0] == "progress":
                    if on_progress is not None:
                        on_progress(msg[1])
                    continue
                proc.join(10)
                if msg[0] == "done":
                    return msg[1]
                kind, text = msg[1], msg[2]
                if kind == "memory":
                    text = f"the analysis needed more than the {limits.memory_mb:.0f} MB memory limit"
                raise ChildFailure(kind, text)
            if not proc.is_alive() and not parent.poll(0):
                break
            if deadline is not None and time.monotonic() > deadline:
                _kill(proc)
                raise ChildFailure(
                    "timeout", f"the analysis took longer than the {limits.timeout_s:g} s time limit"
                )
        proc.join(5)
        code = proc.exitcode
        if code == -signal.SIGKILL and memory:
            raise ChildFailure(
                "killed", f"the analysis process was killed (out of memory? limit {limits.memory_mb:.0f} MB)"
            )
        raise ChildFailure("killed", f"the analysis process died ({_signal_name(code)})")
    finally:
        if proc.is_alive():
            _kill(proc)
        parent.close()


def _kill(proc) -> None:
    proc.kill()
    proc.join(5)
