"""Throughput and memory benchmark (run on demand; not part of the test suite).

    python benchmarks/throughput.py [CLIP] [--repeat-long 4] [--json]

Measures, on the same clip in the same run:

1. **model only** -- BlazePose (with segmentation, as the pipeline runs it) on frames that
   are already decoded and in memory: the ceiling for the pipeline;
2. **end to end** -- ``liftsafe.pipeline.analyze_video`` (decode thread, pose, mask feature,
   cleaning, kinematics, reps, faults);
3. **end to end + reports** -- plus JSON, CSV, HTML and the annotated MP4;
   (and (2) again on the clip looped ``--repeat-long`` times: start-up -- importing
   MediaPipe, building its graph -- is paid once per run, so a short clip understates the
   steady-state rate);
4. **memory in video length** -- peak RSS of (2) in a fresh process for the clip and for the
   clip looped ``--repeat-long`` times (written to a temporary file): flat memory means the
   long clip needs about the same peak.

Default clip: ../shared/data/deadlift-clips/good/good001.mp4 (720p, 24 fps). Figures are
reported in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CLIP = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "deadlift-clips" / "good" / "good001.mp4"
)


def model_only_fps(clip: Path) -> tuple[float, int]:
    from liftsafe.pose.blazepose import BlazePoseEstimator, quiet_native_stderr
    from liftsafe.pose.video import FrameReader

    frames = [rgb for _, rgb in FrameReader(clip, max_width=960)]
    with quiet_native_stderr():
        est = BlazePoseEstimator(segmentation=True)
        est.process(frames[0], 0)  # warm-up (graph start) not timed
        t0 = time.perf_counter()
        for i, rgb in enumerate(frames):
            est.process(rgb, i)
        dt = time.perf_counter() - t0
        est.close()
    return len(frames) / dt, len(frames)


def end_to_end_fps(clip: Path, *, reports: bool) -> float:
    from liftsafe import report
    from liftsafe.pipeline import analyze_video

    t0 = time.perf_counter()
    analysis = analyze_video(clip)
    if reports:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            report.write_json(analysis, out / "r.json")
            report.write_signals_csv(analysis, out / "s.csv")
            report.write_html_report(analysis, out / "r.html")
            report.write_annotated_video(analysis, out / "a.mp4")
    dt = time.perf_counter() - t0
    return analysis.series.n_frames / dt


def loop_video(clip: Path, times: int, target: Path) -> int:
    """Write ``clip`` repeated ``times`` times (re-encoded) to ``target``; returns frames."""
    import av

    from liftsafe.pose.video import FrameReader, probe_video

    info = probe_video(clip)
    n = 0
    with av.open(str(target), "w") as out:
        stream = out.add_stream("libx264", rate=round(info.fps))
        stream.width, stream.height, stream.pix_fmt = info.width, info.height, "yuv420p"
        for _ in range(times):
            for _, rgb in FrameReader(clip):
                for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                    out.mux(packet)
                n += 1
        for packet in stream.encode():
            out.mux(packet)
    return n


def peak_rss_mb(clip: Path) -> float:
    """Peak resident memory of a fresh process that analyses ``clip``."""
    code = (
        "import resource, sys\n"
        "from liftsafe.pipeline import analyze_video\n"
        f"analyze_video({str(clip)!r})\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path, default=DEFAULT_CLIP)
    parser.add_argument(
        "--repeat-long", type=int, default=4, help="loop the clip this many times for the memory check"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.clip.exists():
        sys.exit(f"clip not found: {args.clip} (pass a video path)")
    from liftsafe.pose.video import probe_video

    info = probe_video(args.clip)
    model_fps, n = model_only_fps(args.clip)
    e2e_fps = end_to_end_fps(args.clip, reports=False)
    e2e_reports_fps = end_to_end_fps(args.clip, reports=True)
    with tempfile.TemporaryDirectory() as tmp:
        long_clip = Path(tmp) / "long.mp4"
        n_long = loop_video(args.clip, args.repeat_long, long_clip)
        e2e_long_fps = end_to_end_fps(long_clip, reports=False)
        rss_short = peak_rss_mb(args.clip)
        rss_long = peak_rss_mb(long_clip)
    figures = {
        "clip": args.clip.name,
        "resolution": f"{info.width}x{info.height}",
        "clip_fps": round(info.fps, 2),
        "frames": n,
        "cpu_count": os.cpu_count(),
        "model_only_fps": round(model_fps, 1),
        "end_to_end_fps": round(e2e_fps, 1),
        "end_to_end_with_reports_fps": round(e2e_reports_fps, 1),
        "end_to_end_over_model": round(e2e_fps / model_fps, 3),
        "end_to_end_long_fps": round(e2e_long_fps, 1),
        "end_to_end_long_over_model": round(e2e_long_fps / model_fps, 3),
        "realtime_factor_long": round(e2e_long_fps / info.fps, 2),
        "peak_rss_mb_short": round(rss_short, 1),
        "peak_rss_mb_long": round(rss_long, 1),
        "long_frames": n_long,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        print(f"{key:30s} {value}")


if __name__ == "__main__":
    main()
