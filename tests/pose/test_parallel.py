"""Chunked multi-process pose estimation (liftsafe.pose.parallel) with real processes.

Short chunk settings (monkeypatched in this, the planning process) make small synthetic
videos split into several chunks; the clip tests use real BlazePose on a shared clip.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from pathlib import Path

import av
import numpy as np
import pytest

from liftsafe.errors import AnalysisError, InputError
from liftsafe.pose import parallel
from liftsafe.pose.estimator import FramePose
from liftsafe.pose.parallel import Chunk, check_workers, frame_stride, parse_max_fps, plan_chunks
from liftsafe.pose.video import FrameReader


def make_video(path: Path, *, n: int, fps: int = 30, w: int = 96, h: int = 64) -> Path:
    """A moving bar: frame i has a bright column at x = i % w (so frames are tellable apart)."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.options = {"g": "12"}  # a keyframe every 12 frames: seeking has work to do
        for i in range(n):
            img = np.full((h, w, 3), 40, np.uint8)
            img[:, (i * 3) % w] = 250
            img[: h // 4, : 1 + i % (w - 1)] = 160
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


class BarEstimator:
    """Reads the bright column's x and the top band's length: a frame's identity, exactly."""

    layout = "blazepose33"

    def process(self, rgb, timestamp_ms):
        col = float(np.argmax(rgb[rgb.shape[0] // 2, :, 0]))
        band = float(np.sum(rgb[2, :, 0] > 100))
        xy = np.tile([col, band], (33, 1)).astype(float)
        return FramePose(xy=xy, confidence=np.ones(33))

    def close(self):
        pass


def bar_estimator():
    return BarEstimator()


def crash_in_child():
    if mp.parent_process() is not None:
        os._exit(3)  # a worker dying hard (segfault, OOM kill) without a Python exception
    return BarEstimator()


def raise_in_child():
    if mp.parent_process() is not None:

        class Broken(BarEstimator):
            def process(self, rgb, timestamp_ms):
                raise RuntimeError("model exploded")

        return Broken()
    return BarEstimator()


def report_like(n: int, *, progress) -> int:
    """Stands for the annotated-video writer: reports progress, returns where it ran."""
    for i in range(n):
        progress(i + 1, n)
    return os.getpid()


def refuse_input(*, progress) -> None:
    raise InputError("no frames to annotate in clip.mp4: it has no frames.", field="video")


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_CHUNK_S", 0.5)
    monkeypatch.setattr(parallel, "WARMUP_S", 0.3)
    monkeypatch.setattr(parallel, "CHILD_STARTUP_S", 0.0)


def children_of_me() -> list[int]:
    """Live (non-zombie) processes whose parent is this test process, except multiprocessing's
    resource tracker and fork server (one each per parent, by design: they exit with the
    parent; the job-isolation tests start the fork server)."""
    me, kids = os.getpid(), []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me and fields[0] != "Z":
                cmdline = (d / "cmdline").read_bytes()
                if b"resource_tracker" not in cmdline and b"multiprocessing.forkserver" not in cmdline:
                    kids.append(int(d.name))
    return kids


# --------------------------------------------------------------------------- settings
@pytest.mark.parametrize(
    ("fps", "cap", "stride"),
    [
        (60, 30, 2),
        (59.94, 30, 2),
        (50, 30, 2),
        (120, 30, 4),
        (30, 30, 1),
        (29.97, 30, 1),
        (24, 30, 1),
        (60, None, 1),
        (240, 60, 4),
    ],
)
def test_frame_stride(fps, cap, stride):
    assert frame_stride(fps, cap) == stride


@pytest.mark.parametrize("bad", [0, -1, 1.5, "two", True])
def test_bad_workers_name_the_option(bad):
    with pytest.raises(InputError, match="--workers"):
        check_workers(bad)


@pytest.mark.parametrize("bad", ["-1", "0", "nan", "fast", -3])
def test_bad_max_fps_names_the_option(bad):
    with pytest.raises(InputError, match="--max-fps"):
        parse_max_fps(bad)


def test_max_fps_native():
    assert parse_max_fps("native") is None and parse_max_fps("24") == 24.0


def test_plan_covers_every_frame_once():
    chunks = plan_chunks(900, 3, fps=30)
    assert chunks[0] == Chunk(0, 0, 0, chunks[0].end)
    assert [c.start for c in chunks[1:]] == [c.end for c in chunks[:-1]] and chunks[-1].end == 900
    assert all(c.start - c.warm_start == round(parallel.WARMUP_S * 30) for c in chunks[1:])
    # equal work: the calling process's chunk is longer by the others' warm-up and start-up
    assert chunks[0].end - chunks[0].start > chunks[1].end - chunks[1].start


def test_a_prestarted_pool_gives_its_children_the_larger_share():
    """Prestarted children are ahead of the calling process (it still imports the analysis and
    loads its model): they get more of the clip, and every frame is still estimated once."""
    cold = plan_chunks(600, 2, fps=30)
    warm = plan_chunks(600, 2, fps=30, startup_s=-parallel.PRESTARTED_LEAD_S)
    for chunks in (cold, warm):
        assert [c.start for c in chunks[1:]] == [c.end for c in chunks[:-1]] and chunks[-1].end == 600
    def work(c):
        return c.end - c.warm_start
    assert work(warm[1]) > work(warm[0]) and warm[0].end < cold[0].end
    lead = round(parallel.PRESTARTED_LEAD_S * 30)
    assert abs(work(warm[1]) - work(warm[0]) - lead) <= 1


@pytest.mark.parametrize("max_width", [None, 640])
def test_one_thread_colour_conversion_gives_the_same_pixels(tmp_path, max_width):
    """frame_rgb converts on one swscale thread (PyAV's default starts a pool per frame): the
    pixels are those of the default conversion, scaled or not."""
    from liftsafe.pose.video import decode_size, frame_rgb

    video = make_video(tmp_path / "wide.mp4", n=6, w=1280, h=720)
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            w, h = decode_size(frame.width, frame.height, max_width)
            expected = frame.to_ndarray(width=w, height=h, format="rgb24")
            np.testing.assert_array_equal(frame_rgb(frame, max_width, 0), expected)


def test_short_clips_are_not_split():
    assert len(plan_chunks(150, 2, fps=30)) == 1
    assert len(plan_chunks(900, 1, fps=30)) == 1


def test_cli_rejects_bad_workers_and_max_fps(run_cli, tmp_path):
    clip = make_video(tmp_path / "c.mp4", n=10)
    res = run_cli("analyze", str(clip), "--workers", "0", "--out", str(tmp_path / "o"))
    assert res.exit_code == 2 and "--workers" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("analyze", str(clip), "--max-fps", "-1", "--out", str(tmp_path / "o"))
    assert res.exit_code == 2 and "--max-fps" in res.stderr and "Traceback" not in res.stderr


# --------------------------------------------------------------------------- join
@pytest.mark.parametrize(("workers", "max_fps"), [(2, None), (3, None), (3, 15.0)])
def test_chunks_join_to_exactly_the_serial_frames(tmp_path, small_chunks, workers, max_fps):
    clip = make_video(tmp_path / "c.mp4", n=120)
    serial = parallel.estimate_video_parallel(
        clip, workers=1, max_fps=max_fps, estimator_factory=bar_estimator
    )
    chunked = parallel.estimate_video_parallel(
        clip, workers=workers, max_fps=max_fps, estimator_factory=bar_estimator
    )
    stride = 1 if max_fps is None else 2
    assert len(plan_chunks(-(-120 // stride), workers, fps=30 / stride)) == workers
    assert chunked.series.n_frames == serial.series.n_frames == -(-120 // stride)
    assert chunked.series.fps == pytest.approx(30 / stride)
    np.testing.assert_array_equal(chunked.series.xy, serial.series.xy)  # the same frame, in the same place
    assert not chunked.warnings and children_of_me() == []


def test_progress_reaches_the_total(tmp_path, small_chunks):
    clip = make_video(tmp_path / "c.mp4", n=90)
    seen = []
    parallel.estimate_video_parallel(
        clip,
        workers=2,
        max_fps=None,
        estimator_factory=bar_estimator,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1] == (90, 90) and all(d <= t for d, t in seen)


# --------------------------------------------------------------------------- failures
def test_a_crashed_worker_fails_the_analysis_in_one_line(tmp_path, small_chunks):
    clip = make_video(tmp_path / "c.mp4", n=120)
    t0 = time.monotonic()
    with pytest.raises(AnalysisError) as err:
        parallel.estimate_video_parallel(clip, workers=3, max_fps=None, estimator_factory=crash_in_child)
    assert "stopped unexpectedly" in str(err.value) and "\n" not in str(err.value)
    assert "--workers 1" in str(err.value) and "__main__" in str(err.value)  # the CLI and the API way out
    assert time.monotonic() - t0 < 60
    assert children_of_me() == []


def test_a_model_error_in_one_chunk_fails_the_analysis(tmp_path, small_chunks):
    clip = make_video(tmp_path / "c.mp4", n=120)
    with pytest.raises(AnalysisError, match="pose estimation failed at frame") as err:
        parallel.estimate_video_parallel(clip, workers=2, max_fps=None, estimator_factory=raise_in_child)
    assert "\n" not in str(err.value) and children_of_me() == []


def test_a_pool_survives_a_failed_clip(tmp_path, small_chunks):
    clip = make_video(tmp_path / "c.mp4", n=120)
    with parallel.PosePool(2) as pool:
        with pytest.raises(AnalysisError):
            pool.estimate(clip, max_fps=None, estimator_factory=crash_in_child)
        again = pool.estimate(clip, max_fps=None, estimator_factory=bar_estimator)
        assert again.series.n_frames == 120
    assert children_of_me() == []


def test_truncated_clip_with_real_blazepose_never_hangs_or_orphans(tmp_path, small_chunks):
    full = make_video(tmp_path / "t.mkv", n=150)
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(full.read_bytes()[: int(full.stat().st_size * 0.6)])
    t0 = time.monotonic()
    serial = FrameReader(cut)
    decodable = len(list(serial))
    try:
        res = parallel.estimate_video_parallel(cut, workers=2, max_fps=None)
    except (AnalysisError, InputError) as exc:  # a failure must be one line
        assert "\n" not in str(exc)
    else:  # or the decodable part is kept (with the serial reader's warning, if it gives one)
        assert 0 < res.series.n_frames == decodable < 150
        assert bool(res.warnings) == bool(serial.error)
    assert time.monotonic() - t0 < 120
    assert children_of_me() == []


# --------------------------------------------------------------------------- real clip
@pytest.mark.clips
def test_chunked_blazepose_matches_serial_and_keeps_the_reps(clips_dir, monkeypatch):
    """good008 (11 s, several reps) in 3 chunks (edges fall inside reps) against one serial run."""
    from liftsafe.kinematics.spine import dorsal_curvature_feature
    from liftsafe.pipeline import analyze_series
    from liftsafe.pose.estimator import SceneChange

    monkeypatch.setattr(parallel, "MIN_CHUNK_S", 2.0)
    clip = clips_dir / "good" / "good008.mp4"
    kw = dict(
        max_fps=30.0,
        features={"dorsal_curvature": dorsal_curvature_feature},
        image_features={"scene_change": SceneChange()},
    )
    serial = parallel.estimate_video_parallel(clip, workers=1, **kw).series
    chunked = parallel.estimate_video_parallel(clip, workers=3, **kw).series
    chunks = plan_chunks(serial.n_frames, 3, fps=serial.fps)
    assert len(chunks) == 3 and chunked.n_frames == serial.n_frames
    # landmarks: the torso and legs (the points every measure reads), where both runs see them
    core = [11, 12, 23, 24, 25, 26, 27, 28]
    seen = (serial.confidence[:, core] > 0.5) & (chunked.confidence[:, core] > 0.5)
    dist = np.linalg.norm(serial.xy[:, core] - chunked.xy[:, core], axis=2)[seen]
    stature = np.nanmedian(np.abs(serial.xy[:, 11, 1] - serial.xy[:, 27, 1]))
    assert np.median(dist) < 0.01 * stature and np.percentile(dist, 95) < 0.05 * stature
    a = analyze_series(serial, exercise="deadlift").result
    b = analyze_series(chunked, exercise="deadlift").result
    edges = [c.start for c in chunks[1:]]
    inside = [e for e in edges for r in a.reps if r.start_frame < e < r.end_frame]
    assert inside, "the test needs a chunk edge inside a rep"
    assert b.rep_count == a.rep_count and b.verdict == a.verdict
    for ra, rb in zip(a.reps, b.reps):
        assert abs(ra.start_frame - rb.start_frame) <= 3 and abs(ra.end_frame - rb.end_frame) <= 3
        assert {f.code for f in ra.faults} == {f.code for f in rb.faults}


# --------------------------------------------------------------------------- pipeline wiring
def test_a_60fps_clip_is_analysed_on_every_other_frame(tmp_path):
    from liftsafe.pipeline import acquire_pose

    clip = make_video(tmp_path / "c60.mp4", n=61, fps=60)
    pose = acquire_pose(clip, estimator=BarEstimator(), max_fps=30)
    assert pose.series.fps == pytest.approx(30) and pose.series.n_frames == 31
    assert list(pose.series.xy[:4, 0, 0]) == [0.0, 6.0, 12.0, 18.0]  # frames 0, 2, 4, 6 (bar at 3 * i)
    native = acquire_pose(clip, estimator=BarEstimator(), max_fps=None)
    assert native.series.fps == pytest.approx(60) and native.series.n_frames == 61


def test_cache_key_names_the_frames_analysed_and_the_chunks(tmp_path, small_chunks):
    from liftsafe.pose.cache import cache_key

    c60 = make_video(tmp_path / "c60.mp4", n=120, fps=60)
    c30 = make_video(tmp_path / "c30.mp4", n=120, fps=30)

    def key(clip, workers, max_fps):
        return cache_key(
            clip,
            max_width=960,
            features=("f",),
            estimation=parallel.estimation_key(clip, workers=workers, max_fps=max_fps),
        )

    assert key(c60, 1, 30.0) != key(c60, 1, None)  # every other frame vs every frame
    assert key(c30, 1, 30.0) == key(c30, 1, None)  # a 30 fps clip: the same frames
    assert key(c30, 1, 30.0) != key(c30, 2, 30.0)  # chunk starts restart the tracker


def test_json_to_stdout_skips_the_other_reports(run_cli, tmp_path):
    from liftsafe.simulate.lifter import SimConfig, simulate_lift

    series = simulate_lift(SimConfig(n_reps=2)).series
    names = series.names
    rows = ["frame," + ",".join(f"{n}_{c}" for n in names for c in ("x", "y", "confidence"))]
    for f in range(series.n_frames):
        rows.append(
            f"{f},"
            + ",".join(
                f"{series.xy[f, j, 0]:.2f},{series.xy[f, j, 1]:.2f},{series.confidence[f, j]:.2f}"
                for j in range(len(names))
            )
        )
    kp = tmp_path / "lift.csv"
    kp.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    res = run_cli("analyze", str(kp), "--fps", "30", "--json", "-", "--out", str(out))
    assert res.exit_code == 0, res.stderr
    assert '"rep_count"' in res.stdout
    assert sorted(p.name for p in out.iterdir()) == ["result.json"]


@pytest.mark.clips
def test_a_warm_estimator_restarts_like_a_new_one(clips_dir):
    from liftsafe.pose.blazepose import BlazePoseEstimator

    frames = [rgb for i, rgb in FrameReader(clips_dir / "good" / "good014.mp4", max_width=480) if i < 25][:25]

    def run(est):
        return np.stack(
            [p.xy if (p := est.process(f, 0)) is not None else np.full((33, 2), np.nan) for f in frames]
        )

    with BlazePoseEstimator(segmentation=True) as fresh:
        expected = run(fresh)
    first = run(parallel.warm_estimator(segmentation=True))
    second = run(parallel.warm_estimator(segmentation=True))  # the same process's model, restarted
    np.testing.assert_array_equal(first, expected)
    np.testing.assert_array_equal(second, expected)


class Stop(Exception):
    pass


def test_an_exception_from_progress_stops_the_job_and_its_workers(tmp_path, small_chunks):
    """A web worker cancels a job by raising from its progress callback: that exception, not
    a decode error, comes out, and no worker is left running."""
    clip = make_video(tmp_path / "c.mp4", n=120)

    def progress(done, total):
        if done > 5:
            raise Stop("cancelled")

    with pytest.raises(Stop):
        parallel.estimate_video_parallel(
            clip, workers=2, max_fps=None, estimator_factory=bar_estimator, progress=progress
        )
    assert children_of_me() == []


def test_other_work_runs_in_a_pool_process_with_its_progress():
    with parallel.PosePool(2) as pool:
        call = pool.submit_call(report_like, 7)
        assert call is not None
        assert call.result() != os.getpid()
        assert call.progress() == (7, 7)
        failing = pool.submit_call(refuse_input)
        with pytest.raises(InputError, match="no frames to annotate"):
            failing.result()
    assert parallel.PosePool(1).submit_call(report_like, 3) is None  # no process to spare: run it here
    assert children_of_me() == []


def test_a_prestarted_pool_gives_the_serial_frames(tmp_path, small_chunks):
    """Workers started (and their model loaded) ahead of the clip change nothing in the result."""
    video = make_video(tmp_path / "bar.mp4", n=90)
    serial = parallel.estimate_video_parallel(video, workers=1, estimator_factory=bar_estimator)
    with parallel.PosePool(2) as pool:
        pool.prestart(segmentation=False)
        warm = pool.estimate(video, estimator_factory=bar_estimator)
    np.testing.assert_array_equal(serial.series.xy, warm.series.xy)
    assert children_of_me() == []
