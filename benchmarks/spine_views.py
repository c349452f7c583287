"""Back-outline curvature by camera yaw on the simulator (run on demand; figures in docs/spine.md).

    python benchmarks/spine_views.py

For each camera yaw (0 = side-on; negative = the camera turned towards the lifter's back) a
simulated lifter does one neutral and one rounded rep (deadlift, RDL, box lift; seeds 0-2;
1 px noise; pinhole camera 3 m away). The rendered silhouette goes through the same outline
measure as a video's person mask, and each rep's ``dorsal_curvature_pull`` is printed as a
range over the seeds. The last line names the largest yaw (of those swept, 5 deg apart up to
45) at which every rounded rep reads above the rounded-back *major* limit and no neutral rep
does: that is how ``SPINE_MAX_YAW_DEG`` in the threshold table was chosen.
"""

from __future__ import annotations

import math

from liftsafe.app.demo import with_silhouette_features
from liftsafe.pipeline import analyze_series
from liftsafe.result import Exercise, FaultCode
from liftsafe.simulate.lifter import SimConfig, simulate_lift
from liftsafe.technique.metrics import RepContext, dorsal_curvature_pull
from liftsafe.technique.thresholds import TABLE

EXERCISES = (Exercise.DEADLIFT, Exercise.RDL, Exercise.BOX_LIFT)
YAWS = (0.0, 20.0, 30.0, 35.0, 40.0, 45.0, 50.0)
SEEDS = (0, 1, 2)


def rep_curvatures(exercise: Exercise, yaw: float, seed: int) -> list[float]:
    """``dorsal_curvature_pull`` of each rep (rep 1 neutral, rep 2 rounded), whatever the view."""
    sim = simulate_lift(SimConfig(exercise=exercise, n_reps=2, seed=seed, camera_yaw_deg=yaw,
                                  faults={1: {FaultCode.ROUNDED_BACK}}))
    analysis = analyze_series(with_silhouette_features(sim), exercise=exercise, simulated=True)
    s, fps = analysis.signals, analysis.result.fps
    return [
        dorsal_curvature_pull(RepContext(signals=s, rep=r, fps=fps, baseline={}))[0] for r in analysis.spans
    ]


def _range(values: list[float]) -> str:
    v = [x for x in values if math.isfinite(x)]
    if len(v) < len(values) or not v:
        return f"not measured ({len(values) - len(v)} of {len(values)})"
    return f"{min(v):.2f} to {max(v):.2f}"


def main() -> None:
    major = next(t for t in TABLE if t.code == FaultCode.ROUNDED_BACK).limits[Exercise.DEADLIFT].major
    print("| yaw (deg) | " + " | ".join(f"{e.value} neutral / rounded" for e in EXERCISES) + " |")
    print("|---|" + "---|" * len(EXERCISES))
    separated: dict[float, bool] = {}
    for magnitude in YAWS:
        for yaw in sorted({magnitude, -magnitude}):
            cells, ok = [], True
            for exercise in EXERCISES:
                neutral, rounded = [], []
                for seed in SEEDS:
                    values = rep_curvatures(exercise, yaw, seed)
                    values = (values + [float("nan")] * 2)[:2]
                    neutral.append(values[0])
                    rounded.append(values[1])
                ok &= all(math.isfinite(x) and x <= major for x in neutral)
                ok &= all(math.isfinite(x) and x > major for x in rounded)
                cells.append(f"{_range(neutral)} / {_range(rounded)}")
            separated[magnitude] = separated.get(magnitude, True) and ok
            print(f"| {yaw:g} | " + " | ".join(cells) + " |", flush=True)
    largest = 0.0
    for magnitude in YAWS:  # ascending: the band ends at the first yaw that fails
        if not separated[magnitude]:
            break
        largest = magnitude
    print(
        f"\nlargest yaw with every rounded rep > {major:g} and every neutral rep <= {major:g}: {largest:g} "
        f"deg"
    )
    print(f"(separation by yaw: {', '.join(f'{k:g}: {v}' for k, v in separated.items())})")


if __name__ == "__main__":
    main()
