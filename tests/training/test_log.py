"""Workout-log validation: impossible values are rejected with row and field named."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liftsafe.errors import InputError
from liftsafe.training.log import (
    FormQuality,
    FormSource,
    PainType,
    Side,
    parse_session,
    parse_set,
    parse_set_spec,
)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"exercise": "romanian-deadlift", "reps": 8, "load_kg": -1},
            r"row 4, field 'load_kg': -1 kg is impossible",
        ),
        (
            {"exercise": "romanian-deadlift", "reps": 8, "rir": 40},
            r"row 4, field 'rir': 40 is impossible; it must be between 0 and 10",
        ),
        ({"exercise": "romanian-deadlift", "reps": 8, "pain": 11}, r"row 4, field 'pain': 11 is impossible"),
        ({"exercise": "romanian-deadlift", "reps": 8, "rpe": 0}, r"field 'rpe': 0 is impossible"),
        ({"exercise": "romanian-deadlift", "reps": 8.5}, r"field 'reps': expected a whole number"),
        ({"exercise": "romanian-deadlift", "reps": "eight"}, r"field 'reps': expected a number, got 'eight'"),
        ({"exercise": "romanian-deadlift", "reps": float("nan")}, r"field 'reps': expected a finite number"),
        ({"exercise": "romanian-deadlift"}, r"row 4: give the dose of the set"),
        ({"exercise": "nope", "reps": 1}, r"row 4, field 'exercise': unknown exercise id 'nope'"),
        ({"reps": 1}, r"row 4, field 'exercise': missing"),
        (
            {"exercise": "plank", "hold_s": 30, "pain_type": "sharp"},
            r"field 'pain_type': given as sharp but pain is 0",
        ),
        (
            {"exercise": "plank", "hold_s": 30, "pain": 3, "pain_type": "stabbing"},
            r"field 'pain_type': must be one of sharp, dull",
        ),
        (
            {"exercise": "plank", "hold_s": 30, "form": "great"},
            r"field 'form': must be one of flawless, minor, breakdown",
        ),
        ({"exercise": "plank", "hold_s": 30, "tempo": "slow"}, r"field 'tempo': use four phases"),
        ({"exercise": "lunge", "reps": 8, "side": "middle"}, r"field 'side': must be one of L, R"),
        ({"exercise": "plank", "hold_s": 30, "weight": 5}, r"row 4: unknown field\(s\) weight"),
        (
            {"exercise": "plank", "hold_s": 30, "analysis": {"verdict": "meh"}},
            r"field 'analysis': expected a technique-analysis result",
        ),
    ],
)
def test_bad_sets(fields, message):
    with pytest.raises(InputError, match=message):
        parse_set(fields, where="row 4")


def test_good_set_normalises():
    s = parse_set(
        {
            "exercise_id": "lunge",
            "reps": "8",
            "load_kg": "12,5",
            "side": "l",
            "form": "Flawless",
            "pain_during": 2,
            "pain_type": "DULL",
            "tempo": "3-1-1-0",
        },
        where="x",
    )
    assert (s.reps, s.load_kg, s.side, s.form, s.form_source, s.pain_during, s.pain_type) == (
        8, 12.5, Side.L, FormQuality.FLAWLESS, FormSource.SELF, 2, PainType.DULL)
    a = parse_set(
        {
            "exercise": "romanian-deadlift",
            "reps": 5,
            "analysis": {"verdict": "good", "exercise": "rdl", "reps": [1, 2]},
        },
        where="x",
    )
    assert (
        a.form is FormQuality.FLAWLESS
        and a.form_source is FormSource.ANALYSIS
        and a.analysis == {"verdict": "good", "exercise": "rdl"}
    )


def test_a_not_judged_analysis_links_without_claiming_a_form():
    s = parse_set(
        {"exercise": "romanian-deadlift", "reps": 5,
         "analysis": {"verdict": "not_judged", "exercise": "rdl", "rep_count": 0}},
        where="x",
    )
    # linked, but a clip that could not be judged says nothing about the form
    assert s.analysis == {"verdict": "not_judged", "exercise": "rdl", "rep_count": 0}
    assert s.form is None and s.form_source is None
    own = parse_set({"exercise": "romanian-deadlift", "reps": 5, "form": "minor",
                     "analysis": {"verdict": "not_judged"}}, where="x")
    assert own.form is FormQuality.MINOR and own.form_source is FormSource.SELF


def test_the_analysis_error_lists_every_verdict():
    from liftsafe.result import Verdict

    with pytest.raises(InputError) as err:
        parse_set({"exercise": "plank", "hold_s": 30, "analysis": {"verdict": "meh"}}, where="row 4")
    assert all(v.value in str(err.value) for v in Verdict)


@given(load=st.floats(0, 600), reps=st.integers(0, 100), rir=st.integers(0, 10), pain=st.integers(0, 10))
def test_every_plausible_value_is_accepted(load, reps, rir, pain):
    s = parse_set(
        {"exercise": "romanian-deadlift", "reps": reps, "load_kg": load, "rir": rir, "pain": pain}, where="x"
    )
    assert (s.reps, s.load_kg, s.rir, s.pain_during) == (reps, load, rir, pain)


@given(rir=st.one_of(st.integers(max_value=-1), st.integers(min_value=11)))
def test_every_impossible_rir_is_rejected(rir):
    with pytest.raises(InputError, match=r"field 'rir'"):
        parse_set({"exercise": "romanian-deadlift", "reps": 5, "rir": rir}, where="x")


def test_set_spec_parsing():
    s = parse_set_spec("romanian-deadlift, reps=8, load-kg=40", where="--set 1")
    assert (s.exercise_id, s.reps, s.load_kg) == ("romanian-deadlift", 8, 40.0)
    with pytest.raises(InputError, match=r"--set 2: expected key=value, got '8'"):
        parse_set_spec("plank,hold_s=30,8", where="--set 2")
    with pytest.raises(InputError, match=r"--set 2: field 'reps' given twice"):
        parse_set_spec("lunge,reps=8,reps=9", where="--set 2")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sets": []}, r"field 'sets': a session needs at least one set"),
        ({"performed_at": "yesterday"}, r"field 'performed_at': 'yesterday' is not a date"),
        ({"readiness": 0}, r"field 'readiness': 0 is impossible"),
        (
            {"soreness": 3, "soreness_onset_h": 30, "soreness_end_h": 10},
            r"soreness cannot end \(10 h\) before it starts \(30 h\)",
        ),
        ({"soreness_onset_h": 30}, r"field 'soreness': rate the soreness"),
        ({"soreness_worsening": "maybe"}, r"field 'soreness_worsening': expected yes or no"),
        ({"mood": "ok"}, r"unknown field\(s\) mood"),
    ],
)
def test_bad_sessions(fields, message):
    raw = {"performed_at": "2026-01-05", "sets": [{"exercise": "plank", "hold_s": 30}], **fields}
    with pytest.raises(InputError, match=message):
        parse_session(raw, where="session 3")
