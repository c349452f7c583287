"""Annotated MP4: the source video (or a plain canvas) with skeleton, live angles, rep counter,
phase and fault flashes, encoded as H.264 (libx264, yuv420p) with PyAV.

Frames are streamed: decoded one at a time by :class:`liftsafe.pose.video.FrameReader` (its
background thread), annotated and handed to the encoder, so memory stays flat however long
the clip is. The video has the pose series' frame rate: a 60 fps clip analysed at 30 fps
(``--max-fps``) gives a 30 fps annotated video, one frame per estimated pose. The output is
written through :func:`~liftsafe.atomic.atomic_path`.

:func:`write_reports` writes the file reports of an analysis, with the annotated video (the
one extra decode pass) in a background thread while the CSV and the HTML report (whose
keyframes are decoded by seeking, a few frames each) are written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from liftsafe.analysis import Analysis
from liftsafe.atomic import atomic_path
from liftsafe.errors import InputError
from liftsafe.report import drawing
from liftsafe.report.timeline import FrameLabels, fault_display_span, frame_labels, rep_frame_range
from liftsafe.result import Fault

#: x264 settings: constant quality 23 is x264's default, visually fine for coaching review;
#: "ultrafast" spends 10-15 % less CPU on the whole render than "superfast" (the video is the
#: last thing ``liftsafe analyze`` waits for) for files 1.6-1.8x as large, about 1 MB per
#: 10 s at 640x360 (heuristic; measured figures in docs/reports.md).
DEFAULT_CRF = 23
DEFAULT_PRESET = "ultrafast"
#: the annotated video is at most this wide (decoded to it in swscale, as the pose frames are):
#: a 1080p clip's full-size decode, drawing and H.264 encode cost 3-4 times a 960 px one's
#: and show nothing more of the skeleton
ANNOTATED_MAX_WIDTH = 960

#: Live angles shown in the panel: (signal name, label).
LIVE_ANGLES: tuple[tuple[str, str], ...] = (
    ("trunk_inclination_deg", "trunk"),
    ("hip_flexion_deg", "hip"),
    ("knee_flexion_deg", "knee"),
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _FaultWindow:
    start_frame: int
    end_frame: int
    fault: Fault


def _fault_windows(analysis: Analysis) -> list[_FaultWindow]:
    fps = analysis.series.fps
    windows = []
    for rep in analysis.result.reps:
        for fault in rep.faults:
            start_s, end_s = fault_display_span(fault, fps)
            windows.append(_FaultWindow(int(np.floor(start_s * fps)), int(np.ceil(end_s * fps)), fault))
    return windows


def _panel_lines(
    analysis: Analysis, i: int, labels: FrameLabels, rep_ends: list[int]
) -> list[tuple[str, tuple[int, int, int]]]:
    n_reps = len(analysis.result.reps)
    lines: list[tuple[str, tuple[int, int, int]]] = []
    rep = int(labels.rep[i]) if i < len(labels.rep) else 0
    if rep:
        phase = labels.phase[i]
        lines.append((f"Rep {rep} of {n_reps}" + (f"  {phase}" if phase else ""), drawing.TEXT_COLOR))
    else:
        done = sum(1 for end in rep_ends if end < i)
        lines.append((f"Reps done {done} of {n_reps}", drawing.TEXT_COLOR))
    for name, label in LIVE_ANGLES:
        values = analysis.signals.get(name)
        if values is None or i >= len(values):
            continue
        v = float(values[i])
        lines.append(
            (f"{label} {v:5.0f} deg" if np.isfinite(v) else f"{label}    -- deg", drawing.TEXT_COLOR)
        )
    return lines


def annotate_frame(
    frame: np.ndarray,
    analysis: Analysis,
    index: int,
    *,
    labels: FrameLabels | None = None,
    windows: list[_FaultWindow] | None = None,
    rep_ends: list[int] | None = None,
) -> np.ndarray:
    """Return a copy of ``frame`` (RGB) annotated for frame ``index`` of ``analysis``: skeleton,
    angle panel with rep counter and phase, and -- during a fault's span -- a border in the
    severity colour, the fault code and the illustrated metric."""
    series = analysis.series
    n = series.n_frames
    labels = labels if labels is not None else frame_labels(analysis.result, n, series.fps)
    windows = windows if windows is not None else _fault_windows(analysis)
    if rep_ends is None:
        rep_ends = [rep_frame_range(r, series.fps, n)[1] for r in analysis.result.reps]
    out = np.ascontiguousarray(frame, dtype=np.uint8).copy()
    h, w = out.shape[:2]
    img_w, img_h = series.image_size
    scale = (w / img_w if img_w else 1.0, h / img_h if img_h else 1.0)
    active = [win.fault for win in windows if win.start_frame <= index <= win.end_frame]
    if index < n:
        drawing.draw_skeleton(out, series.xy[index], series.confidence[index], series.layout,
                              scale_xy=scale, inplace=True)
        if active:  # the worst active fault's measurement, on top of the skeleton
            worst = max(active, key=lambda f: f.severity.rank)
            drawing.draw_metric(out, series.xy[index], series.confidence[index], series.layout,
                                worst.evidence.metric, color=drawing.SEVERITY_COLORS[worst.severity.value],
                                scale_xy=scale, inplace=True)
    lines = _panel_lines(analysis, index, labels, rep_ends) if index < n else []
    if active:
        worst = max(active, key=lambda f: f.severity.rank)
        drawing.draw_border(out, drawing.SEVERITY_COLORS[worst.severity.value], inplace=True)
        for fault in sorted(active, key=lambda f: -f.severity.rank):
            lines.append((f"{fault.code.value.upper()} ({fault.severity.value})",
                          drawing.SEVERITY_COLORS[fault.severity.value]))
    margin = max(6, min(h, w) // 40) + 4
    drawing.draw_panel(out, lines, org=(margin, margin), inplace=True)
    return out


def _source_frames(analysis: Analysis) -> tuple[Iterator[tuple[int, np.ndarray]], int, object | None]:
    """(frame iterator, expected total, reader-or-None)."""
    series = analysis.series
    if analysis.video_path is not None:
        from liftsafe.pose.video import FrameReader, series_stride

        # the frames the pose was estimated on (every other one of a 60 fps clip analysed at 30)
        stride = series_stride(analysis.video_path, series.fps)
        reader = FrameReader(analysis.video_path, stride=stride, max_width=ANNOTATED_MAX_WIDTH)
        total = -(-reader.info.n_frames // stride) if reader.info.n_frames else series.n_frames
        return iter(reader), total, reader
    width, height = series.image_size
    canvas = drawing.blank_canvas(width, height)

    def blank() -> Iterator[tuple[int, np.ndarray]]:
        for i in range(series.n_frames):
            yield i, canvas

    return blank(), series.n_frames, None


def write_annotated_video(
    analysis: Analysis,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    crf: int = DEFAULT_CRF,
    preset: str = DEFAULT_PRESET,
) -> Path:
    """Write the annotated H.264 MP4 of ``analysis`` to ``path`` atomically; return the path.

    With ``analysis.video_path`` the source video is decoded frame by frame and annotated;
    without it (keypoint-file input) the skeleton is drawn on a plain canvas of
    ``series.image_size``. Odd frame sizes are cropped by one pixel (yuv420p needs even
    sizes). ``progress(frames_done, total)`` is called after each frame; ``total`` is the
    container's frame-count estimate and may be off by a few frames.
    """
    import av

    series = analysis.series
    labels = frame_labels(analysis.result, series.n_frames, series.fps)
    windows = _fault_windows(analysis)
    rep_ends = [rep_frame_range(r, series.fps, series.n_frames)[1] for r in analysis.result.reps]
    rate = Fraction(series.fps).limit_denominator(1001)
    frames, total, reader = _source_frames(analysis)
    written = 0
    with atomic_path(path) as tmp:
        container = av.open(str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"})
        try:
            stream = None
            for i, frame in frames:
                h, w = frame.shape[:2]
                h2, w2 = h - h % 2, w - w % 2
                if stream is None:
                    stream = container.add_stream("libx264", rate=rate)
                    stream.width, stream.height = w2, h2
                    stream.pix_fmt = "yuv420p"
                    stream.options = {"crf": str(int(crf)), "preset": preset}
                    # frame threads (x264's own, on every core): a third faster than PyAV's
                    # default slice threads at 640x360, and the files come out no larger
                    # (docs/benchmarks.md)
                    stream.codec_context.thread_type = "FRAME"
                image = annotate_frame(frame, analysis, i, labels=labels, windows=windows, rep_ends=rep_ends)
                if (h2, w2) != (h, w):
                    image = np.ascontiguousarray(image[:h2, :w2])
                if (h2, w2) != (stream.height, stream.width):  # a size change mid-stream: fit
                    image = cv2.resize(image, (stream.width, stream.height), interpolation=cv2.INTER_AREA)
                # OpenCV's I420 conversion (BT.601, limited range, like FFmpeg's default) is
                # faster than letting the encoder's swscale convert RGB.
                vf = av.VideoFrame.from_ndarray(cv2.cvtColor(image, cv2.COLOR_RGB2YUV_I420), format="yuv420p")  # type: ignore[arg-type]
                vf.pts = written
                vf.time_base = 1 / rate
                for packet in stream.encode(vf):
                    container.mux(packet)
                written += 1
                if progress is not None:
                    progress(written, max(total, written))
            if stream is None:
                detail = getattr(reader, "error", None) or "it has no frames"
                raise InputError(
                    f"no frames to annotate in {analysis.video_path or series.source}: {detail}."
                )
            for packet in stream.encode():
                container.mux(packet)
        finally:
            close = getattr(frames, "close", None)
            if close is not None:
                close()
            container.close()
    return Path(path).expanduser()


class _ThreadCall:
    """``fn(*args, progress=..., **kwargs)`` in a background thread of this process, with the
    polling interface of :class:`liftsafe.pose.parallel.PoolCall`."""

    def __init__(self, fn: Callable[..., Path], *args: object, **kwargs: object) -> None:
        import threading

        self._state: dict[str, object] = {"done": 0, "total": 0}

        def tick(done: int, total: int) -> None:
            self._state["done"], self._state["total"] = done, total

        def body() -> None:
            try:
                self._state["path"] = fn(*args, progress=tick, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - re-raised by result()
                self._state["error"] = exc

        self._thread = threading.Thread(target=body, name="liftsafe-annotate", daemon=True)
        self._thread.start()

    def done(self) -> bool:
        """True once the thread has finished."""
        return not self._thread.is_alive()

    def progress(self) -> tuple[int, int]:
        """(done, total) frames."""
        return int(self._state["done"]), int(self._state["total"])  # type: ignore[call-overload]

    def result(self) -> Path:
        """The written path; raises what the writer raised."""
        self._thread.join()
        if "error" in self._state:
            raise self._state["error"]  # type: ignore[misc]
        return self._state["path"]  # type: ignore[return-value]


#: ``submit(fn, *args, **kwargs)``: run ``fn`` elsewhere (another process) and return a call
#: handle with ``done()``, ``progress()`` and ``result()``, or None to run it in a thread here
Submit = Callable[..., Any]


def write_reports(
    analysis: Analysis,
    out_dir: str | os.PathLike[str],
    *,
    html: bool = True,
    annotated: bool = True,
    csv: bool = True,
    html_title: str | None = None,
    names: dict[str, str] | None = None,
    progress_runner: Callable[[Callable[[Progress | None], Path]], Path] | None = None,
    submit: Submit | None = None,
) -> dict[str, Path]:
    """Write ``signals.csv``, ``report.html`` and ``annotated.mp4`` (as asked) into ``out_dir``.

    The annotated video (decode, draw, H.264 encode: the costly part) runs meanwhile, while
    the CSV and HTML are written: in another process when ``submit`` (e.g.
    :meth:`liftsafe.pose.parallel.PosePool.submit_call`, a pose worker that is idle by now)
    takes it, else in a background thread (PyAV, OpenCV and the encoder release the GIL).
    ``progress_runner(fn)`` may wrap the wait for the video in a progress display: it calls
    ``fn(progress)`` and returns its result. Errors of either side are raised after both have
    finished.
    """
    import time

    from liftsafe.report.csvout import write_signals_csv
    from liftsafe.report.html import write_html_report

    out = Path(out_dir)
    names = {"csv": "signals.csv", "html": "report.html", "video": "annotated.mp4", **(names or {})}
    written: dict[str, Path] = {}
    call = None
    if annotated:
        call = submit(write_annotated_video, analysis, out / names["video"]) if submit is not None else None
        if call is None:
            call = _ThreadCall(write_annotated_video, analysis, out / names["video"])
    try:
        if csv:
            written["csv"] = write_signals_csv(analysis, out / names["csv"])
        if html:
            written["html"] = write_html_report(analysis, out / names["html"], title=html_title)
    finally:
        if call is not None:
            def wait(progress: Progress | None) -> Path:
                while not call.done():
                    time.sleep(0.1)
                    done, total = call.progress()
                    if progress is not None and total:
                        progress(done, total)
                return call.result()

            path = progress_runner(wait) if progress_runner is not None else wait(None)
    if call is not None:
        written["video"] = path
    return written
