"""Equipment profile: loads rounded to what exists, plate breakdowns, and the rules using them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liftsafe.errors import InputError
from liftsafe.training.autoregulation import Action, RuleId, decide
from liftsafe.training.equipment import (
    DEFAULT_PROFILE,
    EquipmentProfile,
    describe_load,
    plate_breakdown,
    round_load,
)
from liftsafe.training.library import load_library
from liftsafe.training.log import FormQuality, SessionRecord, SetRecord

LIB = load_library()
T0 = datetime(2026, 1, 5, 18)
NOW = T0 + timedelta(days=5)


def kb_history(load=16.0, n=3):
    s = lambda d: SessionRecord(
        T0 + timedelta(days=d),
        tuple(
            SetRecord("kettlebell-deadlift", reps=10, load_kg=load, form=FormQuality.FLAWLESS)
            for _ in range(n)
        ),
    )
    return [s(0), s(2)]


def test_deload_names_a_kettlebell_that_exists():
    d = decide(kb_history(), "kettlebell-deadlift", now=NOW, next_week_deload=True)
    assert d.rule is RuleId.DELOAD_WEEK and d.load_kg == 10 and "a 10 kg kettlebell" in d.explanation
    mine = EquipmentProfile(kettlebells_kg=(8.0, 12.0, 16.0))
    d = decide(kb_history(), "kettlebell-deadlift", now=NOW, next_week_deload=True, equipment=mine)
    assert d.load_kg == 8 and "a 8 kg kettlebell" in d.explanation


def test_progression_moves_to_the_next_bell_or_adds_reps_at_the_heaviest():
    assert decide(kb_history(), "kettlebell-deadlift", now=NOW).load_kg == 20
    mine = EquipmentProfile(kettlebells_kg=(8.0, 12.0, 16.0))
    d = decide(kb_history(), "kettlebell-deadlift", now=NOW, equipment=mine)
    assert d.action is Action.INCREASE_DOSE and "the heaviest you have" in d.explanation and d.load_kg == 16


def test_barbell_loads_and_plates():
    ex = LIB.get("conventional-deadlift")
    assert round_load(ex, 61.3, DEFAULT_PROFILE) == 62.5 and round_load(ex, 61.2, DEFAULT_PROFILE) == 60
    assert plate_breakdown(102.5, DEFAULT_PROFILE) == (25, 15, 1.25)
    assert describe_load(ex, 20, DEFAULT_PROFILE) == "20 kg (the empty 20 kg bar)"
    home = EquipmentProfile(barbell_kg=15, plates_kg=(10.0, 5.0))
    assert round_load(ex, 32, home, mode="up") == 35 and round_load(ex, 32, home, mode="down") == 25
    assert describe_load(ex, 45, home) == "45 kg (15 kg bar + 10 + 5 kg a side)"
    assert describe_load(ex, 45, EquipmentProfile(unit="lb")).startswith("99 lb (45 kg)")


@given(
    target=st.floats(0, 400),
    kind=st.sampled_from(
        ["conventional-deadlift", "trap-bar-deadlift", "kettlebell-deadlift", "romanian-deadlift"]
    ),
)
def test_rounded_loads_always_exist(target, kind):
    ex = LIB.get(kind)
    loads = DEFAULT_PROFILE.loads_for(ex)
    for mode in ("nearest", "up", "down"):
        assert round_load(ex, target, DEFAULT_PROFILE, mode=mode) in loads
    if kind == "conventional-deadlift":
        x = round_load(ex, target, DEFAULT_PROFILE)
        assert plate_breakdown(x, DEFAULT_PROFILE) is not None


def test_profile_from_dict_validates_and_names_the_field():
    p = EquipmentProfile.from_dict(
        {"barbell_kg": 15, "plates_kg": "10,5,2.5", "kettlebells_kg": [12, 8], "unit": "lb"}
    )
    assert p.plates_kg == (10, 5, 2.5) and p.kettlebells_kg == (8, 12) and p.unit == "lb"
    assert EquipmentProfile.from_dict(p.to_dict()) == p
    with pytest.raises(
        InputError,
        match=r"equipment, field 'plates_kg': 'x' is not|equipment, field 'plates_kg': expected a weight",
    ):
        EquipmentProfile.from_dict({"plates_kg": ["x"]})
    with pytest.raises(InputError, match=r"field 'barbell_kg': '500' kg is impossible"):
        EquipmentProfile.from_dict({"barbell_kg": "500"})
    with pytest.raises(InputError, match=r"unknown field\(s\) bells"):
        EquipmentProfile.from_dict({"bells": [1]})


def test_plan_shows_kilograms_once_the_log_knows_a_load():
    from liftsafe.training.loads import add_loads
    from liftsafe.training.plan import generate_plan

    plan = generate_plan(
        "intermediate", weeks=8, sessions_per_week=2, equipment=["barbell", "dumbbells", "kettlebell"]
    ).to_dict()
    assert add_loads(plan, []) == plan  # nothing known: RIR text only
    history = [
        SessionRecord(
            T0,
            tuple(
                SetRecord("romanian-deadlift", reps=8, load_kg=40, form=FormQuality.FLAWLESS)
                for _ in range(3)
            ),
        )
    ]
    shown = add_loads(plan, history)
    rdl = [
        ex
        for w in shown["weeks"]
        for s in w["sessions"]
        for b in s["blocks"]
        for ex in b["exercises"]
        if ex["id"] == "romanian-deadlift"
    ]
    loaded = [ex for ex in rdl if "load_kg" in ex]
    assert loaded, "the Romanian deadlift gets kilograms"
    e1rm = 40 * (1 + 8 / 30)
    for ex in loaded:
        assert ex["load_kg"] in DEFAULT_PROFILE.dumbbells_kg and ex["load"].startswith(
            f"{ex['load_kg']:g} kg dumbbells; "
        )
        assert ex["load_kg"] <= e1rm
    unrelated = [
        ex
        for w in shown["weeks"]
        for s in w["sessions"]
        for b in s["blocks"]
        for ex in b["exercises"]
        if ex["id"] == "conventional-deadlift"
    ]
    assert all("load_kg" not in ex for ex in unrelated)
