"""Batch throughput benchmark: clips per minute on the local process pool and on Ray (run on
demand; not part of the test suite).

    python benchmarks/batch.py [FOLDER] [--workers 1 2] [--engines local ray] [--limit N] [--json]

For each engine and worker count, the clips of FOLDER (default: the shared deadlift clips) are
analysed once through :mod:`liftsafe.batch.engines` exactly as ``liftsafe batch`` runs them
(results are not written: the driver's file writing is milliseconds per clip). Reported:

* **wall s** and **clips/min** -- from engine start (process pool or ``ray.init`` and actor
  start) to the last result, so start-up is included as a user sees it;
* **start-up s** -- until the first result minus that clip's own analysis time;
* **analysis s/clip** -- mean time inside the worker (``analyse_clip``);
* **overhead s/clip** -- ``(wall x workers - sum of analysis times) / clips``: time a worker
  slot spent not analysing (start-up, scheduling, idle at the end); for Ray compare it with
  local at the same worker count;
* **peak RSS per worker MB** -- the largest resident set any worker process reached.

Needs Ray for the ray engine (``pip install 'liftsafe[cluster]'``); a local Ray is started
with ``num_cpus`` = workers, no dashboard. Figures are reported in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "data" / "deadlift-clips"


def _clip_seconds(path: Path) -> float:
    import av

    with av.open(str(path)) as c:
        s = c.streams.video[0]
        if s.duration is not None and s.time_base is not None:
            return float(s.duration * s.time_base)
        return float(c.duration or 0) / 1e6


def run_once(engine_name: str, workers: int, tasks) -> dict:
    from liftsafe.batch.engines import make_engine

    engine = make_engine(engine_name, workers=workers)
    t0 = time.perf_counter()
    if hasattr(engine, "start"):
        engine.start()
    first = None
    outcomes = []
    try:
        for outcome in engine.run(tasks):
            if first is None:
                first = time.perf_counter() - t0 - outcome.seconds
            outcomes.append(outcome)
    finally:
        engine.close()
    wall = time.perf_counter() - t0
    n = len(outcomes)
    busy = sum(o.seconds for o in outcomes)
    return {
        "engine": engine_name,
        "workers": workers,
        "clips": n,
        "errors": sum(1 for o in outcomes if o.error),
        "wall_s": round(wall, 1),
        "clips_per_min": round(60.0 * n / wall, 2),
        "startup_s": round(first or 0.0, 1),
        "analysis_s_per_clip": round(busy / n, 2),
        "overhead_s_per_clip": round((wall * workers - busy) / n, 2),
        "peak_rss_per_worker_mb": round(max(o.max_rss_mb for o in outcomes), 0),
        "results": {o.rel: o.result for o in outcomes},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--engines", nargs="+", default=["local", "ray"], choices=["local", "ray"])
    parser.add_argument(
        "--limit", type=int, default=None, help="analyse only the first N clips (sorted by path)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("GLOG_minloglevel", "2")

    from liftsafe.batch.manifest import collect
    from liftsafe.batch.work import ClipTask

    clips = collect(args.folder, exercise="deadlift").clips
    clips = [c for c in clips if not c.is_keypoints][: args.limit]
    tasks = [ClipTask(str(c.path), c.rel, c.exercise) for c in clips]
    video_s = sum(_clip_seconds(c.path) for c in clips)
    rows = []
    for engine in args.engines:
        for workers in args.workers:
            print(f"{engine} x{workers}: {len(tasks)} clips ...", file=sys.stderr, flush=True)
            rows.append(run_once(engine, workers, tasks))
    same = all(r["results"] == rows[0]["results"] for r in rows)
    for r in rows:
        r["video_s_per_wall_s"] = round(video_s / r["wall_s"], 2)
        r.pop("results")
    report = {
        "clips": len(tasks),
        "video_seconds": round(video_s, 1),
        "identical_results": same,
        "cpus": os.cpu_count(),
        "load_avg_1min_at_end": round(os.getloadavg()[0], 2),
        "runs": rows,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(
        f"{len(tasks)} clips, {video_s:.0f} s of video, {os.cpu_count()} CPUs; "
        f"identical results across runs: {same}"
    )
    print(
        "| engine | workers | wall s | clips/min | start-up s | analysis s/clip | overhead s/clip "
        "| peak RSS/worker MB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['engine']} | {r['workers']} | {r['wall_s']} | {r['clips_per_min']} | {r['startup_s']} | "
            f"{r['analysis_s_per_clip']} | {r['overhead_s_per_clip']} | {r['peak_rss_per_worker_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
