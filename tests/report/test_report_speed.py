"""Reports of a clip analysed below its frame rate (--max-fps), keyframes by seeking, and
write_reports (annotated video in a background thread)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from report_factory import FPS, HEIGHT, N_FRAMES, WIDTH, decode_all

from liftsafe.pose.video import FrameReader, read_frames
from liftsafe.report import write_reports
from liftsafe.report.keyframes import build_keyframes
from liftsafe.report.video import write_annotated_video


def write_marked_video(path: Path, n: int, fps: int) -> Path:
    """Frame i has a white column at x = 4 * i (its index is readable from the picture)."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.options = {"g": "10", "crf": "10"}
        for i in range(n):
            img = np.full((HEIGHT, WIDTH, 3), 30, np.uint8)
            img[:, (4 * i) % WIDTH : (4 * i) % WIDTH + 2] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def marked_index(rgb: np.ndarray) -> int:
    return int(np.argmax(rgb[HEIGHT - 5, :, 1] > 128) // 4)


def test_a_60fps_clip_analysed_at_30_gives_a_30fps_video_on_the_analysed_frames(tmp_path, make_analysis):
    src = write_marked_video(tmp_path / "src60.mp4", 2 * N_FRAMES, int(2 * FPS))
    a = make_analysis(video_path=src)  # its series: N_FRAMES at 30 fps, as --max-fps 30 gives
    out = write_annotated_video(a, tmp_path / "annotated.mp4")
    with av.open(str(out)) as c:
        assert float(c.streams.video[0].average_rate) == pytest.approx(FPS)
    frames = decode_all(out)
    assert len(frames) == N_FRAMES
    assert [marked_index(frames[k]) for k in (0, 1, 2, 17)] == [0, 2, 4, 34]


@pytest.mark.parametrize("stride", [1, 2, 3])
def test_seeking_reads_the_same_frames_as_a_full_decode(tmp_path, stride):
    src = write_marked_video(tmp_path / "src.mp4", 60, 30)
    wanted = [0, 3, 9, 11, 19]
    found, problem = read_frames(src, wanted, stride=stride)
    sequential = {i: rgb for i, rgb in FrameReader(src, stride=stride) if i in wanted}
    assert problem is None and found.keys() == sequential.keys() == set(wanted)
    for i in wanted:
        assert marked_index(found[i]) == i * stride
        assert np.array_equal(found[i], sequential[i])


def test_missing_frames_are_reported(tmp_path):
    src = write_marked_video(tmp_path / "src.mp4", 20, 30)
    found, problem = read_frames(src, [5, 400])
    assert set(found) == {5} and "400" in problem


def test_keyframes_of_a_60fps_clip_show_the_analysed_frame(tmp_path, make_analysis):
    src = write_marked_video(tmp_path / "src60.mp4", 2 * N_FRAMES, int(2 * FPS))
    frames, notes = build_keyframes(make_analysis(video_path=src))
    assert frames and not notes and all(k.from_video for k in frames)


def test_write_reports_writes_every_asked_file(tmp_path, make_analysis, source_video):
    written = write_reports(
        make_analysis(video_path=source_video), tmp_path, html=True, annotated=True, csv=True
    )
    assert set(written) == {"csv", "html", "video"} and all(p.is_file() for p in written.values())
    assert len(decode_all(written["video"])) == N_FRAMES
    only_csv = write_reports(make_analysis(), tmp_path / "b", html=False, annotated=False, csv=True)
    assert set(only_csv) == {"csv"}


def test_write_reports_raises_the_video_error_after_the_rest(tmp_path, make_analysis):
    from liftsafe.errors import InputError

    bad = tmp_path / "gone.mp4"
    with pytest.raises(InputError):
        write_reports(make_analysis(video_path=bad), tmp_path, html=True, annotated=True, csv=True)
    assert (tmp_path / "report.html").is_file() and not (tmp_path / "annotated.mp4").exists()
