"""Angle error by camera yaw on the simulator (run on demand; figures in docs/kinematics.md).

    python benchmarks/kinematic_validity.py

For each camera yaw (0 = side-on) a simulated deadlifter (3 reps, 1 px noise, pinhole camera
3 m away) is measured with liftsafe's definitions and compared with the exact truth from the
noise-free body model: mean and 95th-percentile absolute error of trunk inclination, hip and
knee flexion, plus the estimated yaw and the view class.
"""

from __future__ import annotations

import numpy as np

from liftsafe.kinematics.clean import clean_series
from liftsafe.kinematics.signals import compute_signals
from liftsafe.kinematics.view import check_camera
from liftsafe.result import Exercise
from liftsafe.simulate.lifter import SimConfig, simulate_lift

SIGNALS = ("trunk_inclination_deg", "hip_flexion_deg", "knee_flexion_deg")


def main() -> None:
    print(
        "| yaw (deg) | estimated yaw | view | " + " | ".join(f"{s} mean / p95 error" for s in SIGNALS) + " |"
    )
    print("|---|---|---|" + "---|" * len(SIGNALS))
    for yaw in (0, 10, 20, 30, 45, 60, 75, 90):
        errs = {s: [] for s in SIGNALS}
        est = []
        views = []
        for exercise in (Exercise.DEADLIFT, Exercise.RDL, Exercise.SQUAT):
            sim = simulate_lift(SimConfig(exercise=exercise, n_reps=3, camera_yaw_deg=yaw, seed=2))
            series = clean_series(sim.series).series
            sig = compute_signals(series).values
            cam = check_camera(sim.series, trunk_inclination_deg=sig["trunk_inclination_deg"])
            est.append(cam.yaw_deg)
            views.append(cam.view.value)
            for s in SIGNALS:
                errs[s].append(np.abs(sig[s] - sim.truth[s]))
        cells = []
        for s in SIGNALS:
            e = np.concatenate(errs[s])
            e = e[np.isfinite(e)]
            cells.append(f"{e.mean():.1f} / {np.percentile(e, 95):.1f}")
        print(f"| {yaw} | {np.mean(est):.0f} | {'/'.join(sorted(set(views)))} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
