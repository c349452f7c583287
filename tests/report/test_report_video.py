"""The annotated MP4 writer: decode the output back with PyAV and check it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest
from report_factory import HEIGHT, N_FRAMES, WIDTH, decode_all, make_series

from liftsafe.analysis import Analysis
from liftsafe.errors import InputError
from liftsafe.report import write_annotated_video
from liftsafe.report.drawing import CANVAS_COLOR, SEVERITY_COLORS


def _stream_facts(path: Path) -> tuple[str, str, int, int]:
    with av.open(str(path)) as container:
        cc = container.streams.video[0].codec_context
        return cc.name, cc.pix_fmt, cc.width, cc.height


def _fault_frames(analysis: Analysis) -> tuple[int, int]:
    fault = analysis.result.reps[1].faults[0]
    fps = analysis.series.fps
    return int(np.ceil(fault.start_s * fps)), int(np.floor(fault.end_s * fps))


def test_keypoints_only_video(tmp_path: Path, analysis: Analysis) -> None:
    calls: list[tuple[int, int]] = []
    path = write_annotated_video(analysis, tmp_path / "kp.mp4", progress=lambda d, t: calls.append((d, t)))
    assert _stream_facts(path) == ("h264", "yuv420p", WIDTH, HEIGHT)
    frames = decode_all(path)
    assert len(frames) == N_FRAMES
    assert frames[0].shape == (HEIGHT, WIDTH, 3)
    canvas = np.array(CANVAS_COLOR)
    for f in (0, 20, 50):
        drawn = np.abs(frames[f].astype(int) - canvas).sum(axis=2) > 60
        assert drawn.mean() > 0.01  # skeleton and panel are on the canvas
    assert calls[-1] == (N_FRAMES, N_FRAMES)
    assert [d for d, _ in calls] == list(range(1, N_FRAMES + 1))


def test_video_from_source_differs_and_keeps_size_and_count(tmp_path: Path, make_analysis,
                                                            source_video: Path) -> None:
    a = make_analysis(video_path=source_video)
    path = write_annotated_video(a, tmp_path / "annotated.mp4")
    assert _stream_facts(path) == ("h264", "yuv420p", WIDTH, HEIGHT)
    out, src = decode_all(path), decode_all(source_video)
    assert len(out) == len(src) == N_FRAMES
    for f in (0, 30, 60):
        diff = np.abs(out[f].astype(int) - src[f].astype(int)).sum(axis=2)
        assert (diff > 80).mean() > 0.01  # annotations present
        assert (diff < 30).mean() > 0.5  # and the picture is still the source's


def test_fault_flash_border(tmp_path: Path, analysis: Analysis) -> None:
    frames = decode_all(write_annotated_video(analysis, tmp_path / "kp.mp4"))
    first, last = _fault_frames(analysis)
    colour = np.array(SEVERITY_COLORS[analysis.result.reps[1].faults[0].severity.value])

    def border_is_fault_coloured(img: np.ndarray) -> bool:
        strip = img[HEIGHT // 2, 1:4].astype(int)  # left border, middle row
        return bool(np.abs(strip - colour).max() < 40)

    assert all(border_is_fault_coloured(frames[f]) for f in range(first, last + 1))
    assert not any(border_is_fault_coloured(frames[f]) for f in (0, 10, 20, N_FRAMES - 1))


def test_odd_canvas_size_is_made_even(tmp_path: Path, analysis: Analysis) -> None:
    odd = replace(analysis.series, image_size=(WIDTH + 1, HEIGHT + 1))
    a = Analysis(result=analysis.result, series=odd, signals=analysis.signals)
    assert _stream_facts(write_annotated_video(a, tmp_path / "odd.mp4"))[2:] == (WIDTH, HEIGHT)


def test_video_longer_than_keypoints_is_kept_whole(
    tmp_path: Path, analysis: Analysis, source_video: Path
) -> None:
    short = make_series(N_FRAMES - 10)
    a = Analysis(
        result=analysis.result,
        series=short,
        signals={k: v[: N_FRAMES - 10] for k, v in analysis.signals.items()},
        video_path=source_video,
    )
    frames = decode_all(write_annotated_video(a, tmp_path / "a.mp4"))
    assert len(frames) == N_FRAMES


def test_unreadable_source_video_is_an_input_error(tmp_path: Path, make_analysis) -> None:
    bad = tmp_path / "not_a_video.mp4"
    bad.write_text("hello")
    with pytest.raises(InputError, match="not a video liftsafe can read"):
        write_annotated_video(make_analysis(video_path=bad), tmp_path / "out.mp4")
    assert not (tmp_path / "out.mp4").exists()


def test_video_rendered_in_a_pose_worker_matches_the_thread(tmp_path: Path, make_analysis,
                                                            source_video: Path) -> None:
    """The CLI renders the annotated video in its (by then idle) pose worker process: the file
    is the one the in-process thread writes, and the progress bar still reaches the end."""
    from liftsafe.pose.parallel import PosePool
    from liftsafe.report.video import write_reports

    a = make_analysis(video_path=source_video)
    here = write_reports(a, tmp_path / "thread", html=False, csv=False)["video"]
    seen: list[tuple[int, int]] = []

    def runner(wait):
        return wait(lambda done, total: seen.append((done, total)))

    with PosePool(2) as pool:
        there = write_reports(a, tmp_path / "pool", html=False, csv=False, submit=pool.submit_call,
                              progress_runner=runner)["video"]
    a_frames, b_frames = decode_all(here), decode_all(there)
    assert len(a_frames) == len(b_frames) == N_FRAMES
    assert max(np.abs(x.astype(int) - y.astype(int)).max() for x, y in zip(a_frames, b_frames)) <= 2
    assert not seen or seen[-1][0] <= seen[-1][1] == N_FRAMES
