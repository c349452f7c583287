"""Keyframes: the worst moment of each faulty rep, with the skeleton and the fault's angle drawn.

The frame is the ``evidence.frame`` of the rep's most severe fault. It is decoded from the
source video when there is one (seeking to the keyframe before each wanted frame, so only a
few frames per rep are decoded, whatever the clip's length), or
drawn on a plain canvas for keypoint-file input (or when the video cannot be read again).
Each keyframe is cropped around the lifter, scaled to at most :data:`KEYFRAME_MAX_PX` and
encoded as JPEG.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import cv2
import numpy as np

from liftsafe.analysis import Analysis
from liftsafe.errors import InputError
from liftsafe.report import drawing
from liftsafe.report.fmt import num
from liftsafe.report.timeline import fault_frame, worst_fault
from liftsafe.result import Fault

#: Longest side of a keyframe image in pixels (enough detail on a laptop, small HTML).
KEYFRAME_MAX_PX = 560
#: Margin around the lifter's bounding box, as a share of its larger side (heuristic).
CROP_MARGIN = 0.18
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Keyframe:
    rep_index: int
    frame: int
    time_s: float
    fault: Fault
    image: np.ndarray  # RGB uint8
    from_video: bool

    def data_uri(self) -> str:
        """The image as a ``data:image/jpeg;base64,...`` URI for inline HTML."""
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(self.image, cv2.COLOR_RGB2BGR),
                               [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if not ok:  # pragma: no cover - OpenCV always encodes a uint8 RGB image
            raise ValueError("could not encode keyframe as JPEG")
        return "data:image/jpeg;base64," + base64.b64encode(buf.tobytes()).decode("ascii")


def evidence_label(fault: Fault) -> str:
    """Short ASCII label drawn on the keyframe, e.g. ``31.5 deg (limit 20)``."""
    ev = fault.evidence
    unit = f" {ev.unit}" if ev.unit and ev.unit != "ratio" else ""
    return f"{num(ev.value)}{unit} (limit {num(ev.threshold)})"


def _crop_box(xy: np.ndarray, conf: np.ndarray, width: int, height: int) -> tuple[int, int, int, int]:
    ok = np.all(np.isfinite(xy), axis=1) & (conf >= drawing.MIN_DRAW_CONFIDENCE)
    if not np.any(ok):
        return 0, 0, width, height
    pts = xy[ok]
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    m = CROP_MARGIN * max(x1 - x0, y1 - y0, 1.0)
    bx0, by0 = int(max(0, np.floor(x0 - m))), int(max(0, np.floor(y0 - m)))
    bx1, by1 = int(min(width, np.ceil(x1 + m))), int(min(height, np.ceil(y1 + m)))
    if bx1 - bx0 < 8 or by1 - by0 < 8:
        return 0, 0, width, height
    return bx0, by0, bx1, by1


def render_keyframe(
    analysis: Analysis, frame_index: int, fault: Fault, background: np.ndarray | None
) -> np.ndarray:
    """Crop ``background`` (or a plain canvas) around the lifter at ``frame_index`` and draw the
    skeleton and ``fault``'s metric with its evidence label."""
    series = analysis.series
    img_w, img_h = series.image_size
    if background is None:
        background = drawing.blank_canvas(img_w, img_h)
    h, w = background.shape[:2]
    sx, sy = (w / img_w if img_w else 1.0), (h / img_h if img_h else 1.0)
    xy = series.xy[frame_index] * np.array([sx, sy])
    conf = series.confidence[frame_index]
    x0, y0, x1, y1 = _crop_box(xy, conf, w, h)
    crop = background[y0:y1, x0:x1]
    scale = min(1.0 * KEYFRAME_MAX_PX / max(crop.shape[:2]), 4.0)
    size = (max(1, int(round(crop.shape[1] * scale))), max(1, int(round(crop.shape[0] * scale))))
    image = cv2.resize(crop, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    local = (xy - np.array([x0, y0])) * scale
    color = drawing.SEVERITY_COLORS[fault.severity.value]
    image = drawing.draw_skeleton(image, local, conf, series.layout)
    image = drawing.draw_metric(image, local, conf, series.layout, fault.evidence.metric,
                                label=evidence_label(fault), color=color, inplace=True)
    return image


def _decode_frames(analysis: Analysis, wanted: set[int]) -> tuple[dict[int, np.ndarray], str | None]:
    """Decode the ``wanted`` frames of the source video by seeking (no full decode pass);
    (frames found, problem or None)."""
    from liftsafe.pose.video import read_frames, series_stride

    try:
        stride = series_stride(analysis.video_path, analysis.series.fps)  # type: ignore[arg-type]
        return read_frames(analysis.video_path, wanted, stride=stride)  # type: ignore[arg-type]
    except InputError as exc:
        return {}, str(exc)


def build_keyframes(analysis: Analysis) -> tuple[list[Keyframe], list[str]]:
    """One keyframe per faulty rep (in rep order) and any notes about how they were made."""
    series = analysis.series
    n = series.n_frames
    picks: list[tuple[int, int, Fault]] = []
    for rep in analysis.result.reps:
        fault = worst_fault(rep)
        if fault is not None and n > 0:
            picks.append((rep.index, fault_frame(fault, series.fps, n), fault))
    if not picks:
        return [], []
    notes: list[str] = []
    decoded: dict[int, np.ndarray] = {}
    if analysis.video_path is not None:
        decoded, problem = _decode_frames(analysis, {f for _, f, _ in picks})
        if problem:
            notes.append(f"Some keyframes are drawn without the video picture: {problem}.")
    frames = []
    for rep_index, frame, fault in picks:
        bg = decoded.get(frame)
        frames.append(Keyframe(rep_index=rep_index, frame=frame, time_s=frame / series.fps, fault=fault,
                               image=render_keyframe(analysis, frame, fault, bg), from_video=bg is not None))
    return frames, notes
