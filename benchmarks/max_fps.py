"""Does analysing at 30 fps change what a 60 fps clip's analysis finds? (simulator)

    python benchmarks/max_fps.py [--seeds 3] [--json]

For every fault the simulator injects (and a clean set), simulated 60 fps deadlifts with
BlazePose-like noise are analysed twice: on every frame (native) and on every other frame
(what ``--max-fps 30`` analyses). Reported: agreement of rep counts, verdicts, per-rep fault
codes; the largest difference of rep and fault start/end times; and the change of the
fastest measure, the peak hip-extension velocity (the "jerked pull" evidence).
Figures are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import replace

from liftsafe.pipeline import analyze_series
from liftsafe.result import Exercise, FaultCode
from liftsafe.simulate.demo import with_silhouette_features
from liftsafe.simulate.faults import FAULT_SPECS
from liftsafe.simulate.lifter import SimConfig, simulate_lift


def every_other(series):
    """The series a stride-2 decode gives: frames 0, 2, 4, ... at half the rate."""
    return replace(
        series,
        xy=series.xy[::2],
        confidence=series.confidence[::2],
        fps=series.fps / 2,
        world_m=None if series.world_m is None else series.world_m[::2],
        frame_features={k: v[::2] for k, v in series.frame_features.items()},
    )


def compare(fault: FaultCode | None, seed: int) -> dict:
    faults = {} if fault is None else {1: {fault}}
    config = SimConfig(
        exercise=Exercise.DEADLIFT,
        n_reps=3,
        fps=60.0,
        seed=seed,
        faults=faults,
        noise_px=1.5,
        noise_correlation=0.5,
    )
    series = with_silhouette_features(simulate_lift(config))
    a = analyze_series(series, exercise=Exercise.DEADLIFT, simulated=True).result
    b = analyze_series(every_other(series), exercise=Exercise.DEADLIFT, simulated=True).result
    same_faults = a.rep_count == b.rep_count and all(
        {f.code for f in ra.faults} == {f.code for f in rb.faults} for ra, rb in zip(a.reps, b.reps)
    )
    dt = [
        abs(x - y)
        for ra, rb in zip(a.reps, b.reps)
        for x, y in ((ra.start_s, rb.start_s), (ra.end_s, rb.end_s))
    ]
    for ra, rb in zip(a.reps, b.reps):
        fb = {f.code: f for f in rb.faults}
        for f in ra.faults:
            if f.code in fb:
                dt += [abs(f.start_s - fb[f.code].start_s), abs(f.end_s - fb[f.code].end_s)]
    vel = [
        (
            ra.metrics.get("peak_hip_extension_velocity_deg_s"),
            rb.metrics.get("peak_hip_extension_velocity_deg_s"),
        )
        for ra, rb in zip(a.reps, b.reps)
    ]
    vel_change = [abs(y - x) / abs(x) for x, y in vel if x and y and math.isfinite(x) and math.isfinite(y)]
    return {
        "fault": "none" if fault is None else fault.value,
        "seed": seed,
        "reps": (a.rep_count, b.rep_count),
        "verdict": (a.verdict.value, b.verdict.value),
        "same_reps": a.rep_count == b.rep_count,
        "same_verdict": a.verdict == b.verdict,
        "same_faults": same_faults,
        "max_time_diff_s": max(dt) if dt else 0.0,
        "max_velocity_change": max(vel_change) if vel_change else 0.0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = [compare(code, seed) for code in [None, *FAULT_SPECS] for seed in range(args.seeds)]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(
        f"{'fault':26} {'seed':>4} {'reps 60/30':>10} {'verdict 60/30':>24} "
        f"{'faults same':>11} {'max dt s':>8} {'vel chg':>7}"
    )
    for r in rows:
        print(
            f"{r['fault']:26} {r['seed']:>4} {'%d/%d' % r['reps']:>10} {'/'.join(r['verdict']):>24} "
            f"{str(r['same_faults']):>11} {r['max_time_diff_s']:8.3f} {r['max_velocity_change']:7.1%}"
        )
    n = len(rows)
    print(
        f"\nsame rep count {sum(r['same_reps'] for r in rows)}/{n}, "
        f"same verdict {sum(r['same_verdict'] for r in rows)}/{n}, "
        f"same faults per rep {sum(r['same_faults'] for r in rows)}/{n}; largest time difference "
        f"{max(r['max_time_diff_s'] for r in rows):.3f} s; largest peak-velocity change "
        f"{max(r['max_velocity_change'] for r in rows):.1%}"
    )


if __name__ == "__main__":
    main()
