"""liftsafe.simulate -- the simulated lifter: synthetic keypoints with exactly known truth.

Used by ``liftsafe demo`` and as the synthetic-data factory of the tests::

    from liftsafe.simulate import SimConfig, simulate_lift
    sim = simulate_lift(SimConfig(exercise="deadlift", n_reps=3, faults={1: {"rounded_back"}}))
    sim.series        # PoseSeries (BlazePose-33, pixels) as an estimator would give
    sim.truth         # true per-frame signals (angles in degrees, distances in metres)
    sim.reps          # TrueRep boundaries and phases; sim.injected: faults per rep

See ``docs/simulator.md``.
"""

from liftsafe.simulate.body import BodyDims, Posture, build_body
from liftsafe.simulate.camera import Camera
from liftsafe.simulate.faults import FAULT_DEFAULTS, FAULT_SPECS, FaultSpec
from liftsafe.simulate.lifter import PHASES, SimConfig, SimulatedLift, TrueRep, measure_body, simulate_lift
from liftsafe.simulate.motion import BOTTOM_POSTURES
from liftsafe.simulate.render import dorsal_line_m, render_silhouette

__all__ = [
    "BOTTOM_POSTURES",
    "BodyDims",
    "Camera",
    "FAULT_DEFAULTS",
    "FAULT_SPECS",
    "FaultSpec",
    "PHASES",
    "Posture",
    "SimConfig",
    "SimulatedLift",
    "TrueRep",
    "build_body",
    "dorsal_line_m",
    "measure_body",
    "render_silhouette",
    "simulate_lift",
]
