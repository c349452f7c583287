"""Plan generation: structure, coaching.md rules, schema, determinism."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftsafe.errors import InputError
from liftsafe.training.library import Level, load_library
from liftsafe.training.plan import (
    BELT_CUE,
    BRACING_CUE,
    BREATHING_CUE,
    HEAVY_SET_MAX_REPS_POSSIBLE,
    generate_plan,
)

LIB = load_library()
BLOCK_ORDER = ["activation", "primary", "accessory", "mobility"]
PHASE_ORDER = ["mobility", "stability", "loading"]
DOSE_KEYS = {"reps", "hold_s", "distance_m"}


def assert_schema(doc: dict) -> None:
    """The plan JSON of issue 5, exactly: no missing and no extra keys."""
    assert set(doc) == {"weeks"}
    for w in doc["weeks"]:
        assert set(w) == {"index", "phase", "deload", "sessions"}
        assert isinstance(w["index"], int) and isinstance(w["deload"], bool) and w["phase"] in PHASE_ORDER
        for s in w["sessions"]:
            assert set(s) == {"index", "blocks"}
            for b in s["blocks"]:
                assert set(b) == {"kind", "exercises"}
                assert b["kind"] in BLOCK_ORDER
                for e in b["exercises"]:
                    dose = set(e) - {"id", "sets", "load", "cues"}
                    assert len(dose) == 1 and dose <= DOSE_KEYS, e
                    assert {"id", "sets", "load", "cues"} <= set(e)
                    assert isinstance(e["sets"], int) and e["sets"] >= 1
                    assert isinstance(e[dose.pop()], int)
                    assert isinstance(e["load"], str) and isinstance(e["cues"], list) and e["cues"]


levels = st.sampled_from(list(Level))
week_counts = st.integers(min_value=1, max_value=52)
spw = st.sampled_from([2, 3])
equipment = st.one_of(st.none(), st.sets(st.sampled_from(sorted(LIB.equipment))).map(sorted))


@settings(max_examples=40, deadline=None)
@given(level=levels, weeks=week_counts, sessions=spw, equip=equipment)
def test_plan_invariants(level, weeks, sessions, equip):
    plan = generate_plan(level, weeks=weeks, sessions_per_week=sessions, equipment=equip)
    doc = plan.to_dict()
    assert_schema(doc)
    assert [w["index"] for w in doc["weeks"]] == list(range(1, weeks + 1))
    # 3 loading weeks then 1 deload: exactly every 4th week.
    assert [w["deload"] for w in doc["weeks"]] == [i % 4 == 0 for i in range(1, weeks + 1)]
    # Phases never go backwards: mobility -> stability -> loading.
    ranks = [PHASE_ORDER.index(w["phase"]) for w in doc["weeks"]]
    assert ranks == sorted(ranks)
    assert doc["weeks"][0]["phase"] == "mobility"
    if weeks - weeks // 4 >= 3:
        assert set(ranks) == {0, 1, 2}
    for w in plan.weeks:
        assert len(w.sessions) == sessions
        for s in w.sessions:
            assert [b.kind.value for b in s.blocks] == BLOCK_ORDER
            assert len(s.blocks[1].exercises) == 1, "one primary hinge variation per session"
            ids = [p.exercise_id for b in s.blocks for p in b.exercises]
            assert len(ids) == len(set(ids))
            for b in s.blocks:
                for p in b.exercises:
                    ex = LIB.get(p.exercise_id)
                    assert ex.level.rank <= plan.level.rank, "no exercise above the lifter's level"
                    if equip is not None:
                        assert set(ex.equipment) <= set(equip)
                    if ex.hinge:
                        assert BREATHING_CUE in p.cues and BRACING_CUE in p.cues
                    belt_lift = ex.hinge and bool({"barbell", "trap-bar"} & set(ex.equipment))
                    assert (BELT_CUE in p.cues) == (p.heavy and belt_lift), (
                        "belt only on heavy barbell hinges"
                    )
                    if p.heavy:
                        assert not w.deload and b.kind.value == "primary"
                    if ex.id == "plank":
                        assert p.amount >= 30
                    if ex.id == "kneeling-hip-flexor-stretch":
                        assert 20 <= p.amount <= 30
                    assert p.dose is ex.dose
            primary = LIB.get(s.blocks[1].exercises[0].exercise_id)
            assert primary.hinge


@settings(max_examples=15, deadline=None)
@given(level=levels, weeks=week_counts, sessions=spw, equip=equipment)
def test_plan_is_deterministic(level, weeks, sessions, equip):
    a = generate_plan(level, weeks=weeks, sessions_per_week=sessions, equipment=equip)
    b = generate_plan(level, weeks=weeks, sessions_per_week=sessions, equipment=equip)
    assert json.dumps(a.to_dict(), sort_keys=True) == json.dumps(b.to_dict(), sort_keys=True)


def test_belt_only_on_heavy_sets_and_heavy_means_about_5rm():
    plan = generate_plan("advanced", weeks=12, sessions_per_week=3)
    heavy = [p for w in plan.weeks for s in w.sessions for b in s.blocks for p in b.exercises if p.heavy]
    assert heavy, "an advanced 12-week plan reaches about a 5-rep max"
    beginner = generate_plan("beginner", weeks=12, sessions_per_week=3)
    assert not any(
        BELT_CUE in p.cues for w in beginner.weeks for s in w.sessions for b in s.blocks for p in b.exercises
    )
    for p in heavy:
        assert p.amount <= HEAVY_SET_MAX_REPS_POSSIBLE


def test_levels_choose_different_primaries_and_beginners_stay_light():
    def primaries(level):
        plan = generate_plan(level, weeks=12, sessions_per_week=3)
        return {
            s.blocks[1].exercises[0].exercise_id
            for w in plan.weeks
            if w.phase.value == "loading"
            for s in w.sessions
        }

    assert primaries("beginner") <= {"kettlebell-deadlift", "romanian-deadlift"}
    assert "conventional-deadlift" in primaries("advanced")
    assert "trap-bar-deadlift" in primaries("intermediate")


def test_plank_lengthens_and_deload_is_lighter():
    plan = generate_plan("intermediate", weeks=8, sessions_per_week=2)
    holds = [
        p.amount
        for w in plan.weeks
        if not w.deload
        for s in w.sessions
        for b in s.blocks
        for p in b.exercises
        if p.exercise_id == "plank"
    ]
    assert holds[0] == 30 and max(holds) > 30
    w3, w4 = plan.weeks[2], plan.weeks[3]
    assert w4.deload and not w3.deload
    sets3 = sum(p.sets for s in w3.sessions for b in s.blocks for p in b.exercises)
    sets4 = sum(p.sets for s in w4.sessions for b in s.blocks for p in b.exercises)
    assert sets4 < sets3


def test_equipment_fallback_without_gear():
    plan = generate_plan("advanced", weeks=8, sessions_per_week=3, equipment=[])
    for w in plan.weeks:
        for s in w.sessions:
            for b in s.blocks:
                for p in b.exercises:
                    assert LIB.get(p.exercise_id).equipment == ()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"level": "expert"}, r"level must be one of beginner, intermediate, advanced; got 'expert'"),
        ({"weeks": 0}, r"weeks must be a whole number from 1 to 52; got 0"),
        ({"weeks": 53}, r"weeks must be a whole number from 1 to 52; got 53"),
        ({"sessions_per_week": 5}, r"sessions_per_week must be 2 or 3"),
        ({"equipment": ["sled"]}, r"equipment: unknown item\(s\) sled"),
    ],
)
def test_bad_plan_options(kwargs, message):
    args = {"level": "beginner", **kwargs}
    level = args.pop("level")
    with pytest.raises(InputError, match=message):
        generate_plan(level, **args)


def test_plan_cli_json_matches_schema_and_function(run_cli):
    res = run_cli("plan", "--level", "intermediate", "--weeks", "6", "--sessions-per-week", "2", "--json")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert_schema(doc)
    assert doc == generate_plan("intermediate", weeks=6, sessions_per_week=2).to_dict()


def test_plan_cli_text_and_errors(run_cli):
    res = run_cli("plan", "--level", "advanced", "--weeks", "12", "--equipment", "barbell,dumbbells")
    assert res.exit_code == 0
    assert "Week 12" in res.stdout and "conventional-deadlift" in res.stdout and "belt optional" in res.stdout
    bad = run_cli("plan", "--sessions-per-week", "4")
    assert bad.exit_code == 2
    assert "--sessions-per-week must be 2 or 3" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize("level", ["beginner", "intermediate", "advanced"])
def test_loading_wave_restarts_after_every_deload(level):
    from liftsafe.training.plan import LOADING_WAVES, generate_plan

    plan = generate_plan(level, weeks=24, sessions_per_week=2)
    wave = LOADING_WAVES[Level(level)]
    since_deload = 0
    for w in plan.weeks:
        if w.deload:
            since_deload = 0
            continue
        p = w.sessions[0].blocks[1].exercises[0]
        if w.phase.value == "loading" and "deload" not in p.load:
            sets, reps, _ = wave[min(since_deload, 2)]
            assert (p.sets, p.amount) == (sets, reps), (w.index, since_deload)
            since_deload += 1
    # the week right before each deload is never lighter than the week right after it
    for i, w in enumerate(plan.weeks[:-1]):
        nxt = plan.weeks[i + 1]
        if (
            nxt.deload
            and i + 2 < len(plan.weeks)
            and w.phase.value == "loading"
            and plan.weeks[i + 2].phase.value == "loading"
        ):
            before, after = (
                w.sessions[0].blocks[1].exercises[0],
                plan.weeks[i + 2].sessions[0].blocks[1].exercises[0],
            )
            assert (
                before.amount <= after.amount
            )  # fewer (heavier) reps before the deload, the lighter wave week after it


@pytest.mark.parametrize("level", ["beginner", "intermediate", "advanced"])
@pytest.mark.parametrize("equip", [[], ["kettlebell"], ["dumbbells"], ["dowel"], ["barbell"], ["band"]])
def test_main_lift_is_never_a_mobility_drill_once_loading_started(level, equip):
    from liftsafe.training.plan import generate_plan

    plan = generate_plan(level, weeks=12, sessions_per_week=3, equipment=equip)
    lib = load_library()
    loading = [w for w in plan.weeks if w.phase.value == "loading"]
    assert loading, "every 12-week plan reaches the loading phase"
    for w in loading:
        for s in w.sessions:
            main = lib.get(s.blocks[1].exercises[0].exercise_id)
            assert main.category.value != "mobility", (level, equip, w.index, s.index, main.id)
    primaries = {s.blocks[1].exercises[0].exercise_id for w in plan.weeks for s in w.sessions}
    assert primaries != {"wall-taps"} and len(primaries) > 1
