"""Back rounding is judged within SPINE_MAX_YAW_DEG (40 deg) of side-on: beyond that the far
shoulder joins the outline and a rounded back can read flat (simulator sweep in docs/spine.md,
``benchmarks/spine_views.py``), so such a clip abstains on the spine with a reason."""

import pytest

from liftsafe.app.demo import analyze_simulation
from liftsafe.result import Exercise, FaultCode, View
from liftsafe.simulate.lifter import SimConfig, simulate_lift
from liftsafe.technique.rules import judgeable
from liftsafe.technique.thresholds import SPINE_MAX_YAW_DEG


def _analyse(yaw: float, exercise: Exercise = Exercise.DEADLIFT):
    sim = simulate_lift(
        SimConfig(
            exercise=exercise, n_reps=2, seed=5, camera_yaw_deg=yaw, faults={1: {FaultCode.ROUNDED_BACK}}
        )
    )
    return analyze_simulation(sim).result


@pytest.mark.parametrize(
    "yaw, exercise, view",
    [
        (0.0, Exercise.DEADLIFT, "side"),
        (20.0, Exercise.DEADLIFT, "side"),
        (35.0, Exercise.DEADLIFT, "oblique"),
        (-35.0, Exercise.DEADLIFT, "oblique"),
        (35.0, Exercise.BOX_LIFT, "oblique"),
        (-35.0, Exercise.RDL, "oblique"),
    ],
)
def test_rounded_rep_found_and_clean_rep_not_within_the_yaw_limit(yaw, exercise, view):
    result = _analyse(yaw, exercise)
    assert result.judged and result.view.value == view
    rounded = [
        {f.severity.value for f in rep.faults if f.code == FaultCode.ROUNDED_BACK} for rep in result.reps
    ]
    # the clean rep: never major; in an oblique view the far shoulder may lift it to minor (0.2-0.3)
    assert not rounded[0] & {"major", "unsafe"}
    if view == "side":
        assert not rounded[0]
    assert rounded[1] & {"major", "unsafe"}


def test_beyond_the_yaw_limit_the_spine_abstains_with_a_reason():
    result = _analyse(45.0)
    assert result.view.value == "oblique"
    assert not result.judged
    assert all(FaultCode.ROUNDED_BACK not in {f.code for f in rep.faults} for rep in result.reps)
    assert all("dorsal_curvature_pull" not in rep.metrics for rep in result.reps)  # not measured at all
    assert any(f"within {SPINE_MAX_YAW_DEG:.0f} deg of side-on" in w for w in result.warnings)


def test_judgeable_by_view_and_yaw():
    assert judgeable(FaultCode.ROUNDED_BACK, View.SIDE, 10.0)
    assert judgeable(FaultCode.ROUNDED_BACK, View.OBLIQUE, SPINE_MAX_YAW_DEG)
    assert not judgeable(FaultCode.ROUNDED_BACK, View.OBLIQUE, SPINE_MAX_YAW_DEG + 0.5)
    assert not judgeable(FaultCode.ROUNDED_BACK, View.FRONT, 10.0)  # the view decides first
    assert judgeable(FaultCode.ROUNDED_BACK, View.SIDE)  # yaw unknown: the view alone
    assert judgeable(FaultCode.TWISTING, View.OBLIQUE, 55.0)  # other faults keep their views
