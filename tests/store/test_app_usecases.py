"""The use-cases of app/ that the command line and the web call for everything stored: sessions,
soreness, progress, today, plans (the command-line log and a web account's own), the self-assessment
and the schema."""

from __future__ import annotations

from datetime import datetime

import pytest

from liftsafe.app import database, plans, training
from liftsafe.app.assessment import assess_me
from liftsafe.errors import InputError
from liftsafe.training.assessment import Answers, assess
from liftsafe.training.joblift import job_advice, parse_job_lift
from liftsafe.training.library import Level
from liftsafe.training.log import SessionRecord, SetRecord
from liftsafe.training.plan import generate_plan


def _session(day: int, *sets: SetRecord, **fields) -> SessionRecord:
    return SessionRecord(performed_at=datetime(2026, 1, day, 18, 0), title=f"day {day}", sets=sets, **fields)


def _rdl(load: float) -> SetRecord:
    return SetRecord("romanian-deadlift", reps=8, load_kg=load, rir=2)


def _user(store, email: str):
    from liftsafe.web.services.accounts import sign_up

    return sign_up(store, email=email, password="a long enough passphrase 1")


def test_sessions_soreness_and_progress(store) -> None:
    assert training.list_sessions(store) == []
    assert training.progress_of(store) is None
    first = training.log_session(store, _session(5, _rdl(40), SetRecord("plank", hold_s=30))).session_id
    training.log_session(store, _session(8, _rdl(42.5)))
    listed = training.list_sessions(store)
    assert [r.performed_at.day for r in listed] == [5, 8]  # oldest first
    assert [r.performed_at.day for r in training.list_sessions(store, limit=1)] == [8]
    assert [r.performed_at.day for r in training.list_sessions(store, exercise="plank")] == [5]
    assert training.list_sessions(store, since=datetime(2026, 1, 6))[0].performed_at.day == 8

    assert training.record_soreness(store, first, soreness=4, onset_h=12.0, end_h=None, worsening=False)
    assert training.list_sessions(store)[0].soreness == 4
    assert not training.record_soreness(store, 9999, soreness=4, onset_h=None, end_h=None, worsening=False)

    found = training.progress_of(store)
    assert found is not None
    exercise, series = found  # the exercise with most logged sets
    assert exercise == "romanian-deadlift"
    assert [round(p.top_load_kg, 1) for p in series.points] == [40.0, 42.5]


def test_today_reads_only_todays_sessions(store) -> None:
    now = datetime(2026, 1, 8, 20, 0)
    assert training.today_guidance(store, now=now)["trained_today"] is False
    training.log_session(store, _session(8, _rdl(40)))
    assert training.today_guidance(store, now=now)["trained_today"] is True
    assert training.today_guidance(store, now=datetime(2026, 1, 9, 8, 0))["trained_today"] is False


def test_plans_saved_listed_and_shown_with_loads(store) -> None:
    assert plans.plan_with_loads(store) is None
    saved = plans.save_plan(store, generate_plan(Level.BEGINNER, weeks=4), name="four weeks")
    assert [p.id for p in plans.list_plans(store)] == [saved.id]
    stored, doc = plans.plan_with_loads(store)  # the newest
    assert stored.id == saved.id and doc["name"] == "four weeks" and "guidance" in doc
    _, week2 = plans.plan_with_loads(store, saved.id, week=2)
    assert [w["index"] for w in week2["plan"]["weeks"]] == [2]
    with pytest.raises(InputError, match=r"^week must be between 1 and 4") as bad:
        plans.plan_with_loads(store, saved.id, week=5)
    assert bad.value.field == "week"  # the CLI says it as --week


def test_a_web_accounts_plans_and_sessions_are_its_own(store) -> None:
    alice, bob = _user(store, "alice@example.org"), _user(store, "bob@example.org")
    cli_plan = plans.save_plan(store, generate_plan(Level.BEGINNER, weeks=4), name="command line")
    hers = plans.save_plan(store, generate_plan(Level.BEGINNER, weeks=4), name="hers", owner_id=alice.id)
    assert [p.id for p in plans.list_plans(store, owner_id=alice.id)] == [hers.id]
    assert plans.list_plans(store, owner_id=bob.id) == []
    assert {p.id for p in plans.list_plans(store)} == {cli_plan.id, hers.id}
    assert plans.owned_plan_with_loads(store, hers.id, owner_id=alice.id)["name"] == "hers"
    assert plans.owned_plan_with_loads(store, hers.id, owner_id=bob.id) is None

    sid = training.add_session(store, _session(5, _rdl(40), plan_id=hers.id, plan_week=1), owner_id=alice.id)
    with pytest.raises(InputError, match="not one of your plans"):
        training.add_session(store, _session(6, _rdl(40), plan_id=hers.id, plan_week=1), owner_id=bob.id)
    assert [r.id for r in training.list_sessions(store, owner_id=alice.id)] == [sid]
    assert training.list_sessions(store, owner_id=bob.id) == []
    assert training.owned_session(store, sid, owner_id=alice.id).id == sid
    assert training.owned_session(store, sid, owner_id=bob.id) is None

    # the decisions after a web session read that account's log only
    training.log_session(store, _session(7, _rdl(60)))  # command-line session, not alice's
    logged = training.log_session(store, _session(9, _rdl(42.5)), owner_id=alice.id)
    assert [r.performed_at.day for r in training.list_sessions(store, owner_id=alice.id)] == [5, 9]
    assert logged.decisions and all(d.exercise_id == "romanian-deadlift" for d in logged.decisions)


def test_assess_me_is_the_core_assessment_plus_job_advice() -> None:
    answers = Answers(level=Level.BEGINNER, pain_now=0)
    job = parse_job_lift("name=boxes,load_kg=15,from_cm=20,to_cm=100")
    assessed = assess_me(answers, [job])
    assert assessed.result == assess(answers)
    doc = assessed.to_dict()
    assert doc["job_lifts"] == [{**job.to_dict(), "advice": job_advice(job)}]
    assert "job_lifts" not in assess_me(answers).to_dict()


def test_database_upgrade_and_describe(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert database.describe(url)["revision"] is None  # untouched
    rev = database.upgrade(url)
    info = database.describe(url)
    assert rev == info["revision"] == info["head"]
    assert info["url"].startswith("sqlite:///")
