"""Input limits checked BEFORE anything is decoded or allocated.

A tiny file can declare a huge job: an H.264 stream of 16000 x 16000 pixels (a frame of
768 MB once decoded to RGB), a one-hour clip of 64 x 64 pixels, or a keypoint file with
frames 0 and 1,000,000 (arrays sized by the frame-number span). These checks read only
the container header (PyAV stream metadata) or the frame numbers, and refuse the input with
a one-line :class:`~liftsafe.errors.InputError` naming the limit and the variable that
raises it.

===============================  ==================================================  ===========
variable                         limit                                               default
===============================  ==================================================  ===========
``LIFTSAFE_MAX_PIXELS``          pixels per frame (width x height)                   9,000,000
``LIFTSAFE_MAX_FRAMES``          video frames (as the header declares them)          36,000
``LIFTSAFE_MAX_DURATION_S``      video duration in seconds                           600
``LIFTSAFE_MAX_FRAME_SPAN``      keypoint files: last minus first frame number + 1   36,000
``LIFTSAFE_MAX_KEYPOINT_MB``     keypoint file size (web uploads)                    40
===============================  ==================================================  ===========

The defaults are heuristics: 9 MP admits 4K UHD (3840 x 2160 = 8.3 MP) phone video; ten
minutes at 60 fps (36,000 frames) is several times the longest set of a strength session.
Parsing a keypoint JSON takes about ten times its size in memory (a 13 MB file of 8,000
BlazePose frames with world points peaked at 138 MB), so web uploads of keypoint files have
their own, smaller size limit (:func:`check_keypoint_file`): 40 MB holds about 24,000 such
frames.

:func:`check_complete_mp4` also refuses an ISO-BMFF file (MP4/MOV) whose boxes run past the
end of the file: a clip cut short during copying would otherwise be analysed as complete
(the decoder stops quietly at the cut).
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liftsafe.errors import InputError

ENV = {
    "max_pixels": "LIFTSAFE_MAX_PIXELS",
    "max_frames": "LIFTSAFE_MAX_FRAMES",
    "max_duration_s": "LIFTSAFE_MAX_DURATION_S",
    "max_frame_span": "LIFTSAFE_MAX_FRAME_SPAN",
    "max_keypoint_mb": "LIFTSAFE_MAX_KEYPOINT_MB",
}
ISO_BMFF_SUFFIXES = (".mp4", ".mov", ".m4v", ".3gp")


@dataclass(frozen=True)
class Limits:
    max_pixels: int = 9_000_000
    max_frames: int = 36_000
    max_duration_s: float = 600.0
    max_frame_span: int = 36_000
    max_keypoint_mb: float = 40.0

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, overridden by the ``LIFTSAFE_MAX_*`` variables (positive numbers)."""
        values: dict[str, Any] = {}
        for name, var in ENV.items():
            raw = os.environ.get(var, "").strip()
            if not raw:
                continue
            try:
                value = float(raw)
            except ValueError:
                raise InputError(f"{var} must be a number; got {raw!r}.") from None
            if not value > 0 or value != value or value == float("inf"):
                raise InputError(f"{var} must be a positive number; got {raw!r}.")
            values[name] = value if name in ("max_duration_s", "max_keypoint_mb") else int(value)
        return cls(**values)


def _name(path: str | Path) -> str:
    """The file's name only: error messages never show server paths."""
    return Path(path).name


def check_video_header(path: str | Path, container: Any, limits: Limits | None = None) -> None:
    """Refuse a video whose header declares more pixels, frames or seconds than the limits
    (``container``: an open PyAV container with a video stream; nothing is decoded). The
    container is closed when the video is refused."""
    try:
        _check_header(path, container, limits or Limits.from_env())
    except BaseException:
        container.close()
        raise


def _check_header(path: str | Path, container: Any, limits: Limits) -> None:
    name = _name(path)
    stream = container.streams.video[0]
    ctx = stream.codec_context
    width, height = int(ctx.width or 0), int(ctx.height or 0)
    if width * height > limits.max_pixels:
        raise InputError(
            f"'{name}' is {width} x {height} pixels ({width * height / 1e6:.1f} MP per frame); the limit is "
            f"{limits.max_pixels / 1e6:.1f} MP ({ENV['max_pixels']}). "
            "Export the clip at a lower resolution (1080p is plenty)."
        )
    duration_s = 0.0
    if stream.duration and stream.time_base:
        duration_s = float(stream.duration * stream.time_base)
    elif container.duration:
        duration_s = container.duration / 1_000_000
    if duration_s > limits.max_duration_s:
        raise InputError(
            f"'{name}' lasts {duration_s:.0f} s; the limit is {limits.max_duration_s:.0f} s "
            f"({ENV['max_duration_s']}). "
            "Trim the clip to the set you want analysed."
        )
    rate = float(stream.average_rate or stream.guessed_rate or 0)
    frames = int(stream.frames or 0) or int(round(duration_s * rate))
    if frames > limits.max_frames:
        raise InputError(
            f"'{name}' has {frames} frames; the limit is {limits.max_frames} ({ENV['max_frames']}). "
            "Trim the clip to the set you want analysed."
        )
    check_complete_mp4(path)


def check_complete_mp4(path: str | Path) -> None:
    """Refuse an MP4/MOV whose top-level boxes (ISO/IEC 14496-12 section 4.2: 32-bit size,
    4-byte type, optional 64-bit size) run past the end of the file: the file was cut short."""
    p = Path(path)
    if p.suffix.lower() not in ISO_BMFF_SUFFIXES:
        return
    try:
        size = p.stat().st_size
        with p.open("rb") as f:
            offset = 0
            while offset + 8 <= size:
                f.seek(offset)
                box_size, box_type = struct.unpack(">I4s", f.read(8))
                if box_size == 1:  # 64-bit size follows the type
                    raw = f.read(8)
                    if len(raw) < 8:
                        break
                    box_size = struct.unpack(">Q", raw)[0]
                elif box_size == 0:  # the box runs to the end of the file
                    return
                if box_size < 8:
                    return  # not a box structure we can follow; leave it to the decoder
                if offset + box_size > size:
                    raise InputError(
                        f"'{p.name}' is cut short: its {box_type.decode('latin-1')!r} box needs "
                        f"{offset + box_size - size} more bytes than the file holds. "
                        "Copy the complete video again."
                    )
                offset += box_size
    except OSError:
        return  # unreadable files are reported by the decoder with their own message


def check_keypoint_file(
    path: str | Path, shown_name: str | None = None, limits: Limits | None = None
) -> None:
    """Refuse a keypoint file larger than ``LIFTSAFE_MAX_KEYPOINT_MB`` before it is parsed."""
    limits = limits or Limits.from_env()
    size = Path(path).stat().st_size
    if size > limits.max_keypoint_mb * 1024 * 1024:
        raise InputError(
            f"'{shown_name or _name(path)}' is a {size / 2**20:.0f} MB keypoint file; the limit is "
            f"{limits.max_keypoint_mb:g} MB ({ENV['max_keypoint_mb']}). Export the keypoints of one set."
        )


def check_frame_span(first: int, last: int, where: str, limits: Limits | None = None) -> None:
    """Refuse a keypoint file whose frame numbers span more frames than the limit (the
    arrays are sized by the span, not by the number of frames listed)."""
    limits = limits or Limits.from_env()
    span = int(last) - int(first) + 1
    if span > limits.max_frame_span:
        raise InputError(
            f"{where}: frames {first} to {last} span {span} frames; the limit is {limits.max_frame_span} "
            f"({ENV['max_frame_span']}). Number the frames of one clip consecutively."
        )
