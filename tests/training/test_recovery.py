"""Personal records (with the belt note), daily reminder, recovery guidance."""

from __future__ import annotations

from datetime import datetime, timedelta

from liftsafe.training.log import SessionRecord, SetRecord, SetType
from liftsafe.training.recovery import BELT_PR_ADVICE, HIP_FLEXOR_REMINDER, personal_records, today

T0 = datetime(2026, 1, 5, 18)


def s(day, *sets):
    return SessionRecord(T0 + timedelta(days=day), tuple(sets))


def test_personal_records_with_belt_advice_only_on_barbell_hinges():
    hist = [
        s(
            0,
            SetRecord("conventional-deadlift", reps=5, load_kg=100),
            SetRecord("kettlebell-deadlift", reps=10, load_kg=16),
        )
    ]
    new = s(
        3,
        SetRecord("conventional-deadlift", reps=3, load_kg=110),
        SetRecord("kettlebell-deadlift", reps=10, load_kg=20),
        SetRecord("conventional-deadlift", reps=1, load_kg=140, set_type=SetType.WARMUP),
    )
    recs = {r.exercise_id: r for r in personal_records([*hist, new], new)}
    assert recs["conventional-deadlift"].value_kg == 110 and recs["conventional-deadlift"].previous_kg == 100
    assert recs["conventional-deadlift"].belt_advice and BELT_PR_ADVICE in recs["conventional-deadlift"].text
    assert not recs["kettlebell-deadlift"].belt_advice and "belt" not in recs["kettlebell-deadlift"].text
    more_reps = s(5, SetRecord("conventional-deadlift", reps=8, load_kg=110))
    (r,) = personal_records([*hist, new, more_reps], more_reps)
    assert r.kind == "e1rm" and r.value_kg > r.previous_kg
    assert personal_records([hist[0]], hist[0]) == []  # a first session sets no record


def test_today_reminds_daily_and_on_rest_days():
    hist = [s(0, SetRecord("plank", hold_s=30))]
    trained = today(hist, now=T0 + timedelta(hours=2))
    assert trained["trained_today"] and trained["reminders"] == [HIP_FLEXOR_REMINDER]
    rest = today(hist, now=T0 + timedelta(days=1))
    assert (
        not rest["trained_today"]
        and len(rest["reminders"]) == 2
        and {r["topic"] for r in rest["recovery"]} >= {"sleep", "protein"}
    )
