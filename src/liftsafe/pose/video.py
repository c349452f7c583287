"""Streaming video decode with PyAV (FFmpeg), in a background thread, in constant memory.

* ``probe_video(path)`` reads the container header: fps, size, rotation, frame-count estimate.
* ``FrameReader(path)`` iterates ``(index, rgb)`` frames decoded by a daemon thread into a
  small bounded queue (so memory stays flat however long the clip), with the phone's
  display-matrix rotation applied (a portrait phone clip comes out upright).

Errors a user can act on (missing file, not a video, no video stream) raise
:class:`~liftsafe.errors.InputError`. A stream that breaks mid-way (truncated or corrupt
file) ends the iteration early and sets ``reader.error`` so the caller can warn and keep
what was decoded.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from liftsafe.errors import InputError
from liftsafe.pose.limits import check_video_header

_QUEUE_FRAMES = 8  # frames buffered between the decode thread and the consumer
_END = object()


@dataclass(frozen=True)
class VideoInfo:
    path: Path
    fps: float
    width: int  # after rotation
    height: int  # after rotation
    rotation_deg: int  # counter-clockwise rotation applied to each decoded frame
    n_frames: int  # container's count, or an estimate from the duration (0 if unknown)
    duration_s: float
    codec: str


def _open(path: str | Path):
    import av

    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file. Check the path (and the quotes around names with spaces).")
    if p.is_dir():
        raise InputError(f"{p} is a folder, not a video file.")
    if p.stat().st_size == 0:
        raise InputError(f"{p} is empty (0 bytes). Copy the video again from the phone.")
    try:
        container = av.open(str(p))
    except PermissionError:
        raise InputError(f"{p}: permission denied. Make the file readable and try again.") from None
    except (av.error.InvalidDataError, av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            f"{p} is not a video liftsafe can read ({_reason(exc)}). Use an MP4/MOV/AVI/WebM video, "
            "or a keypoint file ending in .csv or .json."
        ) from None
    if not container.streams.video:
        container.close()
        raise InputError(
            f"{p} has no readable video stream: the file is truncated or corrupt, or holds only audio. "
            "Copy the video again from the phone."
        )
    check_video_header(p, container)  # size/frames/duration limits, truncated MP4: before any decoding
    return container


def _reason(exc: BaseException) -> str:
    """FFmpeg's reason without the errno and the path (they add nothing for a person)."""
    text = getattr(exc, "strerror", None) or _short(exc)
    return str(text).strip().rstrip(".").lower()


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:120]


def probe_video(path: str | Path) -> VideoInfo:
    """Header facts about a video. Decodes one frame to learn the rotation."""
    container = _open(path)
    try:
        stream = container.streams.video[0]
        fps = float(stream.average_rate or stream.guessed_rate or 0) or 30.0
        rotation = 0
        width, height = stream.codec_context.width, stream.codec_context.height
        try:
            first = next(container.decode(stream))
            rotation = _normalise_rotation(getattr(first, "rotation", 0) or 0)
            width, height = first.width, first.height
        except StopIteration:
            raise InputError(
                f"{path} contains no video frames (zero-length clip). Record the lift again."
            ) from None
        except Exception as exc:  # noqa: BLE001 - any decoder failure on frame 1 is a corrupt file
            raise InputError(
                f"{path} could not be decoded ({_short(exc)}): the file looks corrupt."
            ) from None
        if rotation in (90, 270):
            width, height = height, width
        duration_s = 0.0
        if stream.duration and stream.time_base:
            duration_s = float(stream.duration * stream.time_base)
        elif container.duration:
            duration_s = container.duration / 1_000_000
        n_frames = int(stream.frames or round(duration_s * fps))
        return VideoInfo(
            path=Path(path),
            fps=fps,
            width=int(width),
            height=int(height),
            rotation_deg=rotation,
            n_frames=n_frames,
            duration_s=duration_s or (n_frames / fps if fps else 0.0),
            codec=stream.codec_context.name,
        )
    finally:
        container.close()


def _normalise_rotation(angle: float) -> int:
    """Snap a display-matrix angle to 0/90/180/270 (counter-clockwise)."""
    return int(round(angle / 90.0)) % 4 * 90


def rotate_frame(rgb: np.ndarray, rotation_deg: int) -> np.ndarray:
    """Rotate an image counter-clockwise by a multiple of 90 degrees (display-matrix convention)."""
    k = (rotation_deg // 90) % 4
    return np.ascontiguousarray(np.rot90(rgb, k=k)) if k else rgb


def decode_size(width: int, height: int, max_width: int | None) -> tuple[int, int]:
    """(width, height) a coded frame is converted to: at most ``max_width`` wide, even sizes."""
    if not max_width or width <= max_width:
        return width, height
    scale = max_width / width
    return int(round(width * scale / 2) * 2), int(round(height * scale / 2) * 2)


#: swscale threads per conversion: one. PyAV 17+ defaults to one per CPU, and since every
#: frame gets its own scaler, that starts a thread pool per frame: 1.6 ms per 640x360 frame in
#: the pose loop against about 0.3 ms on one thread, the same pixels (docs/benchmarks.md)
SWSCALE_THREADS = 1


def frame_rgb(frame, max_width: int | None, rotation_deg: int) -> np.ndarray:
    """A decoded PyAV frame as an upright RGB array, scaled in swscale to ``max_width``."""
    w, h = decode_size(frame.width, frame.height, max_width)
    rgb = frame.to_ndarray(width=w, height=h, format="rgb24", threads=SWSCALE_THREADS)
    return rotate_frame(rgb, rotation_deg)


class FrameReader:
    """Iterate the frames of a video as ``(index, rgb uint8 array)``, decoded in a thread.

    ``max_width`` (optional) scales frames down in the decoder (FFmpeg's swscale converts
    YUV straight to RGB at the smaller size), so no full-resolution RGB frame is ever made.
    ``stride`` keeps every ``stride``-th frame (0, stride, 2*stride, ...); the others are
    decoded (the codec needs them) but never converted. Indices count the frames delivered.
    After iteration, ``error`` holds a message if the stream broke before its end, and
    ``frames_read`` the number of frames delivered.
    """

    def __init__(self, path: str | Path, *, max_width: int | None = None, stride: int = 1) -> None:
        self.info = probe_video(path)
        self.path = Path(path)
        self.max_width = max_width
        self.stride = max(1, int(stride))
        self.error: str | None = None
        self.frames_read = 0
        self._stop = threading.Event()

    def _decode(self, out: "queue.Queue[object]") -> None:
        try:
            container = _open(self.path)
        except InputError as exc:
            self.error = str(exc)
            out.put(_END)
            return
        try:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            rotation = self.info.rotation_deg
            for n, frame in enumerate(container.decode(stream)):
                if self._stop.is_set():
                    break
                if n % self.stride:
                    continue
                out.put(frame_rgb(frame, self.max_width, rotation))
        except Exception as exc:  # noqa: BLE001 - a broken stream ends early; caller warns
            self.error = f"the video stream broke off ({_short(exc)}); the file may be truncated or corrupt"
        finally:
            container.close()
            out.put(_END)

    def __iter__(self) -> Iterator[tuple[int, np.ndarray]]:
        q: "queue.Queue[object]" = queue.Queue(maxsize=_QUEUE_FRAMES)
        worker = threading.Thread(target=self._decode, args=(q,), daemon=True, name="liftsafe-decode")
        worker.start()
        index = 0
        try:
            while True:
                item = q.get()
                if item is _END:
                    break
                self.frames_read = index + 1
                yield index, item  # type: ignore[misc]
                index += 1
        finally:
            self._stop.set()
            while worker.is_alive():  # drain so the decoder can see the stop flag and exit
                try:
                    q.get(timeout=0.05)
                except queue.Empty:
                    pass
            worker.join(timeout=1.0)


def frame_pts(path: str | Path) -> list[int] | None:
    """Presentation timestamps of every frame, in display order, by demuxing (no decoding);
    None when the container does not give usable ones."""
    container = _open(path)
    try:
        stream = container.streams.video[0]
        pts = []
        for packet in container.demux(stream):
            if packet.size == 0:
                continue
            if packet.pts is None:
                return None
            pts.append(int(packet.pts))
    except Exception:  # noqa: BLE001 - an unreadable index: callers fall back to a plain decode
        return None
    finally:
        container.close()
    pts.sort()
    if len(set(pts)) != len(pts):
        return None
    return pts


def series_stride(path: str | Path, series_fps: float) -> int:
    """How many source frames one frame of a pose series at ``series_fps`` spans (1 when the
    clip was analysed at its own rate; 2 for a 60 fps clip analysed at 30)."""
    return max(1, int(round(probe_video(path).fps / series_fps)))


def read_frames(path: str | Path, indices, *, stride: int = 1, max_width: int | None = None
                ) -> tuple[dict[int, np.ndarray], str | None]:
    """The frames at ``indices`` (counted every ``stride`` source frames) by seeking to the
    keyframe before each: a few frames are decoded per wanted frame, not the whole clip.
    Returns (frames found, a problem or None)."""
    wanted = sorted(set(int(i) for i in indices))
    found: dict[int, np.ndarray] = {}
    if not wanted:
        return found, None
    info = probe_video(path)
    pts = frame_pts(path)
    if pts is None:  # no timestamps: one streaming pass up to the last wanted frame
        reader = FrameReader(path, max_width=max_width, stride=stride)
        frames = iter(reader)
        try:
            for i, rgb in frames:
                if i in wanted:
                    found[i] = rgb.copy()
                if i >= wanted[-1]:
                    break
        finally:
            frames.close()  # type: ignore[attr-defined]
        missing = set(wanted) - found.keys()
        gap = f"frames {sorted(missing)} could not be read from the video" if missing else None
        return found, reader.error or gap
    container = _open(path)
    problem = None
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for i in wanted:
            src = i * stride
            if src >= len(pts):
                continue
            target = pts[src]
            container.seek(target, stream=stream, backward=True, any_frame=False)
            for frame in container.decode(stream):
                if frame.pts is None or frame.pts > target:
                    break
                if frame.pts == target:
                    found[i] = frame_rgb(frame, max_width, info.rotation_deg)
                    break
    except Exception as exc:  # noqa: BLE001 - a broken stream: keep what was found
        problem = f"the video stream broke off ({_short(exc)})"
    finally:
        container.close()
    missing = set(wanted) - found.keys()
    if missing and problem is None:
        problem = f"frames {sorted(missing)} could not be read from the video"
    return found, problem


def iter_frames(
    path: str | Path, *, max_width: int | None = None, stride: int = 1
) -> Iterator[tuple[int, np.ndarray]]:
    """Convenience generator over :class:`FrameReader`."""
    yield from FrameReader(path, max_width=max_width, stride=stride)
