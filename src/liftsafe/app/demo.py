"""The ``liftsafe demo`` lifter and the bridge from the simulator to the analysis pipeline.

:func:`silhouette_features` renders the simulated body's silhouette for every frame and runs
the *same* dorsal-contour measure the video path runs on BlazePose's segmentation mask
(:func:`liftsafe.kinematics.spine.dorsal_curvature`), so the demo and the tests exercise the
real back-rounding code, not a shortcut.
"""

from __future__ import annotations

import numpy as np

from liftsafe.analysis import Analysis
from liftsafe.kinematics.signals import mid_joint
from liftsafe.kinematics.spine import dorsal_curvature
from liftsafe.result import Exercise, FaultCode
from liftsafe.simulate.lifter import SimConfig, SimulatedLift, simulate_lift
from liftsafe.simulate.render import render_silhouette


def silhouette_features(sim: SimulatedLift) -> dict[str, np.ndarray]:
    """Per-frame ``dorsal_curvature`` measured on rendered silhouettes."""
    series = sim.series
    shoulder = mid_joint(series, "shoulder")
    hip = mid_joint(series, "hip")
    values = np.full(series.n_frames, np.nan)
    for f in range(series.n_frames):
        mask = render_silhouette(sim, f)
        values[f] = dorsal_curvature(mask.astype(np.float32), shoulder[f], hip[f], sim.config.facing)
    return {"dorsal_curvature": values}


def with_silhouette_features(sim: SimulatedLift):
    """The simulated series with the mask-derived frame features attached."""
    from dataclasses import replace

    return replace(sim.series, frame_features=silhouette_features(sim))


def demo_config(*, n_reps: int = 4, seed: int = 7) -> SimConfig:
    """Good hinge reps alternating with rounded-back reps (every second rep rounds)."""
    faults = {i: {FaultCode.ROUNDED_BACK} for i in range(1, n_reps, 2)}
    return SimConfig(exercise=Exercise.DEADLIFT, n_reps=n_reps, seed=seed, faults=faults, noise_px=1.0)


def analyze_simulation(sim: SimulatedLift, *, height_m: float | None = None) -> Analysis:
    """Analyse a simulated lift through the pipeline, with its mask-derived frame features."""
    from liftsafe.pipeline import analyze_series

    series = with_silhouette_features(sim)
    return analyze_series(
        series,
        exercise=sim.config.exercise,
        height_m=height_m,
        source=f"simulated lifter: {sim.config.exercise.value}, {sim.config.n_reps} reps (seed "
               f"{sim.config.seed})",
        simulated=True,
    )


def demo_analysis(*, n_reps: int = 4, seed: int = 7) -> Analysis:
    """The demo: simulate, measure, analyse. The result says ``simulated: true``."""
    sim = simulate_lift(demo_config(n_reps=n_reps, seed=seed))
    return analyze_simulation(sim, height_m=sim.config.body_height_m)
