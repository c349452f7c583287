"""Input limits read from the header / frame numbers before anything is decoded or allocated."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from liftsafe.errors import InputError
from liftsafe.pose.limits import Limits, check_complete_mp4


def _write_clip(path: Path, *, size=(64, 48), frames=30, fps=15, faststart=False) -> Path:
    import av

    options = {"movflags": "faststart"} if faststart else {}
    with av.open(str(path), "w", options=options) as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        rng = np.random.default_rng(0)
        for _ in range(frames):  # noise: every frame costs bytes, so half the file is half the frames
            img = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def test_pixels_over_the_limit_are_refused_before_decoding(tmp_path, monkeypatch):
    from liftsafe.pose.video import probe_video

    clip = _write_clip(tmp_path / "big.mp4", size=(160, 120))
    assert probe_video(clip).width == 160  # accepted under the default limits
    monkeypatch.setenv("LIFTSAFE_MAX_PIXELS", "10000")
    with pytest.raises(InputError, match=r"160 x 120 pixels.*LIFTSAFE_MAX_PIXELS") as err:
        probe_video(clip)
    assert str(tmp_path) not in str(err.value)  # the file's name only, never the server path


def test_duration_and_frame_count_limits(tmp_path, monkeypatch):
    from liftsafe.pose.video import FrameReader

    clip = _write_clip(tmp_path / "long.mp4", frames=60, fps=15)  # 4 s
    monkeypatch.setenv("LIFTSAFE_MAX_DURATION_S", "2")
    with pytest.raises(InputError, match="LIFTSAFE_MAX_DURATION_S"):
        list(FrameReader(clip))
    monkeypatch.delenv("LIFTSAFE_MAX_DURATION_S")
    monkeypatch.setenv("LIFTSAFE_MAX_FRAMES", "30")
    with pytest.raises(InputError, match="60 frames.*LIFTSAFE_MAX_FRAMES"):
        list(FrameReader(clip))


def test_bad_limit_setting_names_the_variable(monkeypatch):
    monkeypatch.setenv("LIFTSAFE_MAX_FRAMES", "lots")
    with pytest.raises(InputError, match="LIFTSAFE_MAX_FRAMES"):
        Limits.from_env()


def test_truncated_mp4_with_index_at_the_start_is_refused(tmp_path):
    from liftsafe.pose.video import probe_video

    clip = _write_clip(tmp_path / "whole.mp4", frames=41, faststart=True)
    data = clip.read_bytes()
    assert data[4:8] == b"ftyp" and b"moov" in data[: len(data) // 2]  # index at the start
    check_complete_mp4(clip)  # the complete file passes
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="cut short"):
        probe_video(cut)


def test_keypoint_frame_span_is_capped_before_arrays_are_sized(tmp_path):
    """Frames 0 and 1,000,000 in a 1.5 KB file once allocated arrays for a million frames."""
    from liftsafe.pose.files import read_keypoints

    kp = [[100.0 + i, 200.0, 0.9] for i in range(17)]
    doc = {"fps": 30, "layout": "coco17", "image_size": [640, 480],
           "frames": [{"frame": 0, "keypoints": kp}, {"frame": 1_000_000, "keypoints": kp}]}
    path = tmp_path / "span.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match="LIFTSAFE_MAX_FRAME_SPAN"):
        read_keypoints(path)
    doc["frames"][1]["frame"] = 10
    path.write_text(json.dumps(doc))
    assert read_keypoints(path).n_frames == 11
