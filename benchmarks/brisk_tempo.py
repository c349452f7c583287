"""Do sound lifts at a brisk tempo get tempo faults? (simulator, run on demand)

    python benchmarks/brisk_tempo.py [--seeds 4] [--json]

Real sound lifts are often quicker than the simulator's default tempo (1.2 s down, 1.0 s up):
a one-rep gym squat filmed in 1-2 s goes down in 0.4-0.7 s and up as fast. For each exercise
and tempo (descent / ascent seconds), clean simulated lifts -- three-rep sets and one-rep clips
that start and end standing -- run through the product's path (``analyze_series``) with
BlazePose-like noise (1.5 px AR(1) jitter, 0.05 tempo jitter, far-side landmarks at visibility
0.4-0.8). Printed: the share of clean reps on which each fault was reported (any severity),
the share at major or above, the clips judged "needs work", and the median of the two tempo
measures (peak hip-extension velocity, descent duration). Nothing here is injected: every
reported fault is a false alarm. Figures: docs/kinematics.md.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sim_conditions import KEYPOINT_NOISE  # noqa: E402 - the sibling benchmark's noise

#: (descent_s, ascent_s): the simulator's default, then quicker sound tempos
TEMPOS: tuple[tuple[float, float], ...] = ((1.2, 1.0), (0.8, 0.7), (0.6, 0.6), (0.5, 0.5), (0.4, 0.45))
EXERCISES = ("deadlift", "rdl", "kettlebell-deadlift", "hip-hinge", "squat")


def run(seeds: int = 4) -> list[dict]:
    from liftsafe.pipeline import analyze_series
    from liftsafe.simulate import SimConfig, simulate_lift

    rows: list[dict] = []
    for exercise in EXERCISES:
        for descent_s, ascent_s in TEMPOS:
            for one_rep in (False, True):
                fired: Counter[str] = Counter()
                major: Counter[str] = Counter()
                reps = clips = needs_work = wrong_count = 0
                velocity: list[float] = []
                descent: list[float] = []
                for seed in range(seeds):
                    short = dict(pause_s=0.1, idle_before_s=0.3, idle_after_s=0.3, setup_s=0.2, lockout_s=0.3)
                    cfg = SimConfig(
                        exercise=exercise,
                        n_reps=1 if one_rep else 3,
                        seed=seed,
                        **KEYPOINT_NOISE,
                        descent_s=descent_s,
                        ascent_s=ascent_s,
                        **(short if one_rep else {}),
                    )
                    series = simulate_lift(cfg).series
                    result = analyze_series(series, exercise=exercise, simulated=True).result
                    clips += 1
                    wrong_count += result.rep_count != cfg.n_reps
                    needs_work += result.verdict.value != "good"
                    for rep in result.reps:
                        reps += 1
                        for code in {f.code.value for f in rep.faults}:
                            fired[code] += 1
                        for code in {f.code.value for f in rep.faults if f.severity.rank >= 2}:
                            major[code] += 1
                        v = rep.metrics.get("peak_hip_extension_velocity_deg_s")
                        d = rep.metrics.get("descent_duration_s")
                        if v is not None and math.isfinite(v):
                            velocity.append(v)
                        if d is not None and math.isfinite(d):
                            descent.append(d)
                rows.append(
                    {
                        "exercise": exercise,
                        "descent_s": descent_s,
                        "ascent_s": ascent_s,
                        "clip": "one rep" if one_rep else "three reps",
                        "clips": clips,
                        "reps": reps,
                        "wrong_rep_count": wrong_count,
                        "needs_work": needs_work,
                        "fired": {c: round(k / max(reps, 1), 2) for c, k in sorted(fired.items())},
                        "major": {c: round(k / max(reps, 1), 2) for c, k in sorted(major.items())},
                        "median_peak_hip_extension_velocity_deg_s": (
                            round(statistics.median(velocity)) if velocity else None
                        ),
                        "median_descent_duration_s": (
                            round(statistics.median(descent), 2) if descent else None
                        ),
                    }
                )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = run(args.seeds)
    if args.json:
        json.dump(rows, sys.stdout, indent=1)
        print()
        return 0
    print("| exercise | descent / ascent s | clip | reps | faults reported on clean reps (share) | "
          "at major | clips 'needs work' | peak hip ext. deg/s | descent s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        fired = ", ".join(f"`{c}` {v:.2f}" for c, v in r["fired"].items()) or "none"
        major = ", ".join(f"`{c}` {v:.2f}" for c, v in r["major"].items()) or "none"
        print(
            f"| {r['exercise']} | {r['descent_s']} / {r['ascent_s']} | {r['clip']} | {r['reps']} | {fired} | "
            f"{major} | {r['needs_work']}/{r['clips']} | "
            f"{r['median_peak_hip_extension_velocity_deg_s'] or '-'} | "
            f"{r['median_descent_duration_s'] or '-'} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
