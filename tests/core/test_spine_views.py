"""Back rounding is judged from side views only: beyond ~30 deg of yaw the far shoulder joins
the outline (simulator sweep in docs/spine.md), so an oblique clip abstains on the spine."""

import pytest

from liftsafe.result import Exercise, FaultCode
from liftsafe.simulate.demo import analyze_simulation
from liftsafe.simulate.lifter import SimConfig, simulate_lift


def _analyse(yaw: float):
    sim = simulate_lift(
        SimConfig(exercise=Exercise.DEADLIFT, n_reps=2, seed=5, camera_yaw_deg=yaw, faults={1: {FaultCode.ROUNDED_BACK}})
    )
    return analyze_simulation(sim).result


@pytest.mark.parametrize("yaw", [0.0, 20.0])
def test_rounded_rep_found_and_clean_rep_not_in_side_views(yaw):
    result = _analyse(yaw)
    assert result.judged and result.view.value == "side"
    codes = [{f.code for f in rep.faults} for rep in result.reps]
    assert FaultCode.ROUNDED_BACK not in codes[0]
    assert FaultCode.ROUNDED_BACK in codes[1]


def test_oblique_view_abstains_on_the_spine_with_a_reason():
    result = _analyse(45.0)
    assert result.view.value == "oblique"
    assert not result.judged
    assert all(FaultCode.ROUNDED_BACK not in {f.code for f in rep.faults} for rep in result.reps)
    assert any("side views only" in w for w in result.warnings)
