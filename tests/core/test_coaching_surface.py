"""What every surface reads from the result: the priority's fixed keys (batch summaries),
per-rep not-checked faults, warnings that do not repeat ``not_checked``, and a ``not_judged``
verdict that is never printed as good."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from liftsafe.pipeline import analyze_series, with_rep_not_checked, without_not_checked_echo
from liftsafe.result import Exercise, FaultCode, Tempo, Verdict
from liftsafe.simulate.lifter import SimConfig, simulate_lift
from liftsafe.technique.config import default_config
from liftsafe.technique.verdict import Unavailable

PRIORITY_KEYS = {"code", "severity", "reps", "reps_affected", "cue", "why", "drill"}


@pytest.fixture(scope="module")
def faulty():
    faults = {0: ("jerked_pull",), 2: ("squatting_the_hinge",)}
    sim = simulate_lift(SimConfig(n_reps=3, seed=3, faults=faults))
    return analyze_series(sim.series, exercise="deadlift")


@pytest.fixture(scope="module")
def behind():
    return analyze_series(simulate_lift(SimConfig(n_reps=3, seed=3, camera_yaw_deg=90.0)).series,
                          exercise="deadlift")


def test_priority_has_a_stable_shape_a_batch_summary_can_read(faulty):
    d = faulty.result.to_dict()
    p = d["priority"]
    assert set(p) == PRIORITY_KEYS
    assert p["reps_affected"] == len(p["reps"]) >= 1
    on = [r["index"] for r in d["reps"] if any(f["code"] == p["code"] for f in r["faults"])]
    assert p["reps"] == on
    assert p["severity"] == max((f["severity"] for r in d["reps"] for f in r["faults"]),
                                key=["minor", "major", "unsafe"].index)


def test_each_rep_lists_what_was_not_checked_in_it_only(faulty):
    d = faulty.result.to_dict()
    clip = {x["code"] for x in d["not_checked"]}
    for rep, hidden in zip(d["reps"], faulty.unavailable_faults_by_rep):
        assert isinstance(rep["not_checked"], list)
        codes = {x["code"] for x in rep["not_checked"]}
        assert codes <= set(hidden) and not codes & clip
        assert not codes & {f["code"] for f in rep["faults"]}
        assert all(x["reason"] and x["kind"] == "occlusion" for x in rep["not_checked"])


def test_rep_not_checked_leaves_out_clip_level_and_other_exercises_faults():
    from liftsafe.result import Rep

    reps = [Rep(index=i, start_s=0.0, end_s=1.0, phases={}, tempo=Tempo(0, 0, 0), metrics={}) for i in (1, 2)]
    by_rep = ({"hips_rise_first": "hips hidden", "rounded_back": "back hidden"}, {})
    missing = {FaultCode.ROUNDED_BACK: Unavailable("hidden in every rep", "occlusion")}
    out = with_rep_not_checked(reps, by_rep, missing, exercise=Exercise.DEADLIFT, config=default_config())
    assert out[0].not_checked == ({"code": "hips_rise_first", "reason": "hips hidden", "kind": "occlusion"},)
    assert out[1].not_checked == ()
    squat = with_rep_not_checked(reps, ({"squatting_the_hinge": "knees hidden"}, {}), {},
                                 exercise=Exercise.SQUAT, config=default_config())
    assert squat[0].not_checked == ()  # not a squat fault: not listed at all


def test_warnings_do_not_repeat_the_not_checked_list():
    note = ("not checked: hips_rise_first, hyperextended_lockout (hips hidden behind the plate at lockout). "
            "To check them, film from a little in front of side-on (30-40 deg), where the plate no longer "
            "covers the hips")
    listed = [{"code": "hips_rise_first", "reason": "r"}, {"code": "hyperextended_lockout", "reason": "r"}]
    assert without_not_checked_echo(["other", note], listed) == [
        "other",
        "to check the faults hidden in this clip, film from a little in front of side-on (30-40 deg), "
        "where the plate no longer covers the hips",
    ]
    # a line naming a fault the list lacks is kept whole
    assert without_not_checked_echo([note], listed[:1]) == [note]
    # unless that fault is not part of the exercise
    assert without_not_checked_echo([note], listed[:1], relevant={"hips_rise_first"}) != [note]
    # the advice to film from a little in front stays only if it would get one of them checked
    advice = without_not_checked_echo([note], listed)
    assert without_not_checked_echo([note], listed, reported_oblique={"hips_rise_first"}) == advice
    assert without_not_checked_echo([note], listed, reported_oblique={"twisting"}) == []


def test_no_result_warning_repeats_not_checked(faulty, behind):
    for a in (faulty, behind):
        assert not [w for w in a.result.warnings if w.startswith("not checked: ")]


def test_not_judged_is_never_printed_as_good(behind):
    from liftsafe.report.terminal import print_summary

    assert behind.result.verdict is Verdict.NOT_JUDGED
    buf = io.StringIO()
    print_summary(behind.result, {}, console=Console(file=buf, width=200))
    text = buf.getvalue()
    assert "NOT JUDGED" in text and "not_judged" not in text.lower().replace("not judged", "")
    assert " good " not in text and "GOOD" not in text
    assert behind.result.summary in " ".join(text.split()) or behind.result.summary[:60] in text


def test_went_well_only_names_faults_measured_in_every_rep(faulty):
    from liftsafe.technique.rules import cues

    r = faulty.result
    hidden = {x["code"] for rep in r.reps for x in rep.not_checked}
    for code in hidden:
        well = cues()[code].get("well", "")
        assert not well or well not in r.went_well
    if not r.judged:  # back rounding unmeasured: the back is not praised
        assert cues()["rounded_back"].get("well", "~") not in r.went_well


def test_a_good_set_whose_back_was_not_checked_says_so_in_the_summary():
    """Keypoints without a body outline (the simulator's plain series): nothing is wrong, but the
    back's shape was never read, and the one sentence a lifter reads must not hide that."""
    result = analyze_series(simulate_lift(SimConfig(n_reps=3, seed=3)).series, exercise="deadlift").result
    assert result.verdict == Verdict.GOOD and result.judged is False
    assert "Back rounding could not be checked" in result.summary
    others = [x for x in result.not_checked if x["code"] != FaultCode.ROUNDED_BACK.value]
    assert f"{len(others)} other faults could not be checked" in result.summary


def test_a_set_whose_back_was_checked_does_not_mention_it():
    from liftsafe.technique.coaching import summary

    text = summary(Verdict.GOOD, [], n_not_checked=2)
    assert "Back rounding" not in text and "2 faults could not be checked" in text
    unchecked = summary(Verdict.GOOD, [], n_not_checked=0, back_checked=False)
    assert "Back rounding could not be checked" in unchecked
