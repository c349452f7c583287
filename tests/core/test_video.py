"""Video decoding on small videos made here with PyAV (no external files)."""

from pathlib import Path

import av
import numpy as np
import pytest

from liftsafe.errors import InputError
from liftsafe.pose.video import FrameReader, probe_video


def make_video(path: Path, *, n=12, w=64, h=32, fps=25, rotation=None) -> Path:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        if rotation is not None:
            stream.set_display_rotation(rotation)
        for i in range(n):
            img = np.zeros((h, w, 3), np.uint8)
            img[: h // 2] = 255  # top half white: orientation is checkable
            img[:, : 4 + i] = 80
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def test_probe_and_stream(tmp_path):
    p = make_video(tmp_path / "a.mp4")
    info = probe_video(p)
    assert (info.width, info.height, info.rotation_deg) == (64, 32, 0)
    assert info.fps == pytest.approx(25)
    reader = FrameReader(p)
    frames = list(reader)
    assert len(frames) == 12 and reader.error is None
    idx, img = frames[0]
    assert idx == 0 and img.shape == (32, 64, 3)
    assert img[2, 30].mean() > 200 and img[30, 30].mean() < 50


def test_rotation_metadata_is_applied(tmp_path):
    p = make_video(tmp_path / "r.mp4", rotation=90)
    info = probe_video(p)
    assert info.rotation_deg == 90
    assert (info.width, info.height) == (32, 64)
    _, img = next(iter(FrameReader(p)))
    assert img.shape == (64, 32, 3)
    # rotated 90 deg counter-clockwise: the white top half is now the left half
    assert img[:, :8].mean() > 150 and img[:, -8:].mean() < 100


def test_decoder_downscales(tmp_path):
    p = make_video(tmp_path / "b.mp4", w=128, h=64)
    _, img = next(iter(FrameReader(p, max_width=64)))
    assert img.shape == (32, 64, 3)


def test_stopping_early_does_not_hang(tmp_path):
    p = make_video(tmp_path / "c.mp4", n=60)
    for i, _ in FrameReader(p):
        if i == 2:
            break


@pytest.mark.parametrize(
    "content,message",
    [(b"", "is empty"), (b"hello, I am text" * 10, "is not a video liftsafe can read")],
)
def test_bad_files(tmp_path, content, message):
    p = tmp_path / "x.mp4"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message):
        probe_video(p)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        probe_video(tmp_path / "nope.mp4")
    with pytest.raises(InputError, match="is a folder"):
        probe_video(tmp_path)


def test_truncated_mp4_without_index_is_a_clear_error(tmp_path):
    p = make_video(tmp_path / "t.mp4", n=40, w=128, h=64)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(p.read_bytes()[: int(p.stat().st_size * 0.6)])
    with pytest.raises(InputError, match="truncated or corrupt"):
        probe_video(cut)


def test_truncated_stream_keeps_what_was_decoded(tmp_path):
    p = make_video(tmp_path / "t.mkv", n=40, w=128, h=64)
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(p.read_bytes()[: int(p.stat().st_size * 0.6)])
    frames = list(FrameReader(cut))
    assert 0 < len(frames) < 40
