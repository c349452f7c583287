"""Each fault code's metric is triggered by its injected fault and not by a clean lift
(simulator); whether it is *reported* follows the false-alarm budget (technique/budget.py):
reported at or above its floor, never when not checked from that view."""

import pytest

from liftsafe.app.demo import analyze_simulation
from liftsafe.pipeline import analyze_series
from liftsafe.result import Exercise, FaultCode, Verdict, View
from liftsafe.simulate.lifter import SimConfig, simulate_lift
from liftsafe.technique.config import default_config
from liftsafe.technique.thresholds import BY_CODE, severity_level

#: faults that only show from the front (sideways motion); the rest are filmed side-on
FRONT_VIEW = {FaultCode.LATERAL_SHIFT: 90.0, FaultCode.ASYMMETRY: 90.0}


def _codes(rep):
    return {f.code for f in rep.faults}


#: a barbell deadlift filmed side-on: the analysis assumes full-size plates, which hide the hips at
#: every lockout and standing frame (kinematics/occlusion.py), so these are not checked there
HIDDEN_BY_PLATES = {FaultCode.INCOMPLETE_LOCKOUT, FaultCode.HYPEREXTENDED_LOCKOUT, FaultCode.HEAD_OUT_OF_LINE}


@pytest.mark.parametrize("code", list(FaultCode), ids=lambda c: c.value)
@pytest.mark.parametrize("seed", [3, 11])
def test_injected_fault_is_found_in_its_rep_only(code, seed):
    # a shallow hinge's hips stay near the hands, where the plates are: judged without a load here
    no_load = HIDDEN_BY_PLATES | {FaultCode.SHALLOW_HINGE}
    exercise = Exercise.HIP_HINGE if code in no_load else Exercise.DEADLIFT
    cfg = SimConfig(
        exercise=exercise,
        n_reps=2,
        faults={1: {code}},
        camera_yaw_deg=FRONT_VIEW.get(code, 0.0),
        seed=seed,
    )
    sim = simulate_lift(cfg)
    analysis = (
        analyze_simulation(sim)
        if code is FaultCode.ROUNDED_BACK
        else analyze_series(sim.series, exercise=cfg.exercise)
    )
    result = analysis.result
    assert result.rep_count == 2
    clean_rep, faulty_rep = result.reps
    assert code not in _codes(clean_rep)
    t = BY_CODE[code]
    # the measurement sees the injected fault, in its rep only
    severity, _ = severity_level(faulty_rep.metrics[t.metric], t, cfg.exercise)
    assert severity is not None, faulty_rep.metrics[t.metric]
    assert severity_level(clean_rep.metrics.get(t.metric, float("nan")), t, cfg.exercise)[0] is None
    budget = default_config().budget_for(code, result.view)
    not_checked = {x["code"]: x["reason"] for x in result.not_checked}
    if budget is None or budget.floor is None:  # not checked from this view: listed, never shown
        assert code.value in not_checked and not_checked[code.value]
        assert code not in _codes(faulty_rep)
        return
    if severity.rank < budget.floor.rank:  # measured, but below the level it is reported from
        assert code not in _codes(faulty_rep)
        return
    assert code in _codes(faulty_rep), [f.code.value for f in faulty_rep.faults]
    fault = next(f for f in faulty_rep.faults if f.code is code)
    assert faulty_rep.start_s <= fault.start_s <= fault.end_s <= faulty_rep.end_s + 1e-9
    assert fault.cue and fault.evidence.source
    op = fault.evidence.comparison
    assert (
        (fault.evidence.value > fault.evidence.threshold)
        if op == ">"
        else (fault.evidence.value < fault.evidence.threshold)
    )


@pytest.mark.parametrize("code", sorted(HIDDEN_BY_PLATES), ids=lambda c: c.value)
def test_side_view_deadlift_says_which_faults_the_plates_keep_from_being_checked(code):
    sim = simulate_lift(SimConfig(exercise=Exercise.DEADLIFT, n_reps=2, faults={1: {code}}, seed=3))
    analysis = analyze_series(sim.series, exercise=Exercise.DEADLIFT)
    assert code not in {c for r in analysis.result.reps for c in _codes(r)}
    assert "behind the plate" in analysis.unavailable_faults[code.value]


@pytest.mark.parametrize("exercise", list(Exercise), ids=lambda e: e.value)
@pytest.mark.parametrize("yaw", [0.0, 45.0, 90.0])
def test_clean_lifts_have_no_faults(exercise, yaw):
    sim = simulate_lift(SimConfig(exercise=exercise, n_reps=3, camera_yaw_deg=yaw, seed=1, noise_px=1.5))
    result = analyze_series(sim.series, exercise=exercise).result
    assert result.rep_count == 3
    assert result.view == {0.0: View.SIDE, 45.0: View.OBLIQUE, 90.0: View.FRONT}[yaw]
    assert [f.code.value for r in result.reps for f in r.faults] == []
    if result.view is View.FRONT:
        # no fault has passed the false-alarm budget from the front: not judged, never "good"
        assert result.verdict is Verdict.NOT_JUDGED
        assert "front" in result.summary and "Film side-on" in result.summary
    else:
        assert result.verdict is Verdict.GOOD
        assert result.priority is None and result.went_well


def test_demo_lifter_rounds_on_alternate_reps():
    from liftsafe.app.demo import demo_analysis

    result = demo_analysis(n_reps=4, seed=5).result
    assert result.simulated and result.judged
    assert result.rep_count == 4
    assert [FaultCode.ROUNDED_BACK in _codes(r) for r in result.reps] == [False, True, False, True]
    assert result.verdict is not Verdict.GOOD


@pytest.mark.parametrize("n_reps", [1, 3])
@pytest.mark.parametrize("exercise", [Exercise.SQUAT, Exercise.KETTLEBELL_DEADLIFT])
def test_a_brisk_sound_lift_gets_no_tempo_fault(exercise, n_reps):
    # a gym squat filmed as a 1-2 s clip goes down in about half a second and up as fast; such a
    # lift is sound: a fast squat is not a jerk (jerked_pull is not part of the squat), and a quick
    # descent has not been validated on sound lifts (the budget: not checked). Before, this squat
    # got jerked_pull and uncontrolled_descent on every rep (benchmarks/brisk_tempo.py)
    one_rep_clip = dict(pause_s=0.1, idle_before_s=0.3, idle_after_s=0.3, setup_s=0.2, lockout_s=0.3)
    short = one_rep_clip if n_reps == 1 else {}
    for seed in (0, 1):
        cfg = SimConfig(
            exercise=exercise, n_reps=n_reps, seed=seed, noise_px=1.5, noise_correlation=0.6,
            tempo_jitter=0.05, far_side_confidence_range=(0.4, 0.8), descent_s=0.5, ascent_s=0.5, **short,
        )
        result = analyze_series(simulate_lift(cfg).series, exercise=exercise).result
        assert result.rep_count == n_reps
        assert [f.code.value for r in result.reps for f in r.faults] == []
        assert result.verdict is Verdict.GOOD
    # not part of the squat at all, so not listed as "not checked" either
    assert Exercise.SQUAT not in BY_CODE[FaultCode.JERKED_PULL].limits
