"""The rounded-back score over each candidate spine window, as the calibration reads it."""

import math

from liftsafe.app.demo import analyze_simulation
from liftsafe.evaluation.run import spine_window_scores
from liftsafe.result import Exercise, FaultCode
from liftsafe.simulate.lifter import SimConfig, simulate_lift
from liftsafe.technique.thresholds import SPINE_PULL_ASCENT_SHARE, SPINE_PULL_ASCENT_SHARES


def _analysis(yaw: float, faults=None):
    sim = simulate_lift(
        SimConfig(exercise=Exercise.DEADLIFT, n_reps=2, seed=3, camera_yaw_deg=yaw, faults=faults or {})
    )
    return analyze_simulation(sim)


def test_every_window_is_scored_and_the_table_s_window_matches_the_result():
    analysis = _analysis(0.0, {1: {FaultCode.ROUNDED_BACK}})
    scores = spine_window_scores(analysis)
    assert set(scores) == set(SPINE_PULL_ASCENT_SHARES)
    assert all(math.isfinite(v) and v > 0.37 for v in scores.values())  # the rounded rep, whatever the window
    worst = max(r.metrics["dorsal_curvature_pull"] for r in analysis.result.reps)
    assert scores[SPINE_PULL_ASCENT_SHARE] == worst


def test_a_clean_lift_reads_flat_in_every_window():
    scores = spine_window_scores(_analysis(0.0))
    assert all(v < 0.2 for v in scores.values())


def test_no_scores_when_the_spine_is_not_judged():
    assert spine_window_scores(_analysis(45.0)) == {}
