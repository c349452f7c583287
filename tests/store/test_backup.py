# ruff: noqa: E501 -- app export headers and rows are kept on one line, as the apps write them
"""Full backup and restore (``liftsafe export --format json`` / ``liftsafe import``) on
SQLite and PostgreSQL, custom exercises, minute-precision duplicates."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from liftsafe.app.logbook import export_text, import_text, list_exercises, map_exercise
from liftsafe.store import repository
from liftsafe.store.db import Store
from liftsafe.training.plan import generate_plan

T0 = datetime(2025, 6, 2, 7, 0)


def _empty(store: Store) -> None:
    """Make the database empty again, ids restarting at 1 (as in a new database)."""
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "postgresql":
            conn.execute(
                text(
                    "TRUNCATE workout_sets, workout_sessions, plans, custom_exercises, training_settings "
                    "RESTART IDENTITY CASCADE"
                )
            )
        else:
            for table in (
                "workout_sets",
                "workout_sessions",
                "plans",
                "custom_exercises",
                "training_settings",
            ):
                conn.execute(text(f"DELETE FROM {table}"))


def test_backup_with_plan_linked_sessions_restores_into_an_empty_database(db_url, run_cli, tmp_path):
    run_cli(
        "plan",
        "create",
        "--level",
        "beginner",
        "--weeks",
        "4",
        "--sessions-per-week",
        "2",
        "--name",
        "spring",
        "--db",
        db_url,
    )
    code, out, err = run_cli("equipment", "set", "--kettlebells", "8,12,16", "--unit", "lb", "--db", db_url)
    assert code == 0, err
    code, _, err = run_cli(
        "log",
        "add",
        "--date",
        "2026-01-05T18:00",
        "--set",
        "romanian-deadlift,reps=8,load_kg=40,form=flawless",
        "--plan-id",
        "1",
        "--plan-week",
        "1",
        "--plan-session",
        "1",
        "--soreness",
        "3",
        "--db",
        db_url,
    )
    assert code == 0, err
    hevy = tmp_path / "h.csv"
    hevy.write_text(
        '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes","set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"\n'
        '"Legs","3 Jan 2026, 10:00","3 Jan 2026, 11:00","","Leg Press (Machine)",1,"",0,"warmup",60,12,,,\n'
    )
    assert run_cli("import", str(hevy), "--db", db_url)[0] == 0
    backup = tmp_path / "backup.json"
    assert run_cli("export", "--format", "json", "-o", str(backup), "--db", db_url)[0] == 0
    doc = json.loads(backup.read_text())
    assert doc["version"] == 2 and [p["name"] for p in doc["plans"]] == ["spring"]
    assert doc["equipment"]["kettlebells_kg"] == [8, 12, 16] and doc["equipment"]["unit"] == "lb"
    assert doc["custom_exercises"] == [
        {"id": "custom:leg-press-machine", "name": "Leg Press (Machine)", "mapped_to": None}
    ]
    with Store(db_url) as s:
        _empty(s)
    code, out, err = run_cli("import", str(backup), "--db", db_url)
    assert code == 0, err
    assert "restored 1 plan(s)" in out
    again = tmp_path / "again.json"
    run_cli("export", "--format", "json", "-o", str(again), "--db", db_url)
    assert again.read_text() == backup.read_text()


def test_custom_exercises_are_kept_listed_and_mapped(db_url, run_cli, tmp_path):
    strong = tmp_path / "s.csv"
    strong.write_text(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout "
        "Notes,RPE\n"
        '2026-01-05 18:30:00,"Back",45m,"Good Morning (Barbell)",1,40,8,0,0,,,\n'
        '2026-01-07 18:30:00,"Back",45m,"Good Morning (Barbell)",1,40,8,0,0,,,\n'
    )
    code, out, err = run_cli("import", str(strong), "--db", db_url)
    assert code == 0, err
    assert "kept as your own: Good Morning (Barbell)" in out
    code, out, _ = run_cli("exercises", "list", "--db", db_url, "--json")
    assert json.loads(out)["custom_exercises"] == [
        {"id": "custom:good-morning-barbell", "name": "Good Morning (Barbell)", "mapped_to": None, "sets": 2}
    ]
    code, out, _ = run_cli("log", "next", "--db", db_url)
    assert "custom:good-morning-barbell: no load advice" in out and "[not-mapped]" in out
    code, out, _ = run_cli("export", "--format", "hevy", "-o", "-", "--db", db_url)
    assert '"Good Morning (Barbell)"' in out
    code, out, err = run_cli(
        "exercises", "map", "Good Morning (Barbell)", "barbell-romanian-deadlift", "--db", db_url
    )
    assert code == 0, err
    assert "2 set(s) moved" in out
    code, out, _ = run_cli("log", "next", "--db", db_url)
    assert "barbell-romanian-deadlift" in out and "not-mapped" not in out
    # later imports use the mapping
    strong.write_text(strong.read_text().replace("2026-01-07", "2026-01-09"))
    run_cli("import", str(strong), "--db", db_url)
    with Store(db_url) as s, s.transaction() as session:
        ids = {st.exercise_id for r in repository.list_workouts(session) for st in r.sets}
    assert ids == {"barbell-romanian-deadlift"}
    code, _, err = run_cli("exercises", "map", "Nope", "plank", "--db", db_url)
    assert code == 2 and "no custom exercise named 'Nope'" in err
    code, _, err = run_cli("exercises", "map", "Good Morning (Barbell)", "good-morning", "--db", db_url)
    assert code == 2 and "unknown exercise id 'good-morning'" in err


def test_reimporting_own_hevy_export_adds_nothing(db_url, run_cli, tmp_path):
    for day in ("2026-01-05T18:30:45", "2026-01-07T07:05:59"):
        run_cli(
            "log",
            "add",
            "--date",
            day,
            "--set",
            "romanian-deadlift,reps=8,load_kg=40",
            "--set",
            "plank,hold_s=30",
            "--db",
            db_url,
        )
    for fmt in ("hevy", "strong", "json"):
        out = tmp_path / f"x.{fmt}"
        assert run_cli("export", "--format", fmt, "-o", str(out), "--db", db_url)[0] == 0
        code, res, err = run_cli("import", str(out), "--db", db_url, "--json")
        assert code == 0, err
        summary = json.loads(res)
        assert (summary["imported_sessions"], summary["already_present_sessions"]) == (0, 2), fmt
        assert summary["kept_share"] == 1.0


def test_future_dates_are_refused_with_the_field(db_url, run_cli, tmp_path):
    code, _, err = run_cli("log", "add", "--date", "2099-01-01", "--set", "plank,hold_s=30", "--db", db_url)
    assert code == 2 and "field 'performed_at': 2099-01-01 00:00 is in the future" in err
    bad = tmp_path / "f.csv"
    bad.write_text(
        "Date,Workout Name,Exercise Name,Set Order,Weight,Reps\n2026-01-01 "
        "10:00:00,A,Plank,1,0,1\n2099-01-01 10:00:00,B,Plank,1,0,1\n"
    )
    code, _, err = run_cli("import", str(bad), "--db", db_url)
    assert code == 2 and "f.csv, row 3, field 'performed_at'" in err
    with Store(db_url) as s, s.transaction() as session:
        assert repository.count_workouts(session) == (0, 0)


# --- property: backup -> restore -> backup is exact ----------------------------------------

LIB_IDS = ["romanian-deadlift", "conventional-deadlift", "kettlebell-deadlift", "plank", "farmer-carry"]
set_st = st.fixed_dictionaries(
    {
        "exercise": st.sampled_from([*LIB_IDS, "custom:leg-press-machine", "custom:cable-row"]),
        "reps": st.integers(0, 30),
        "load_kg": st.one_of(st.none(), st.integers(0, 800).map(lambda x: x / 4)),
        "rpe": st.one_of(st.none(), st.sampled_from([6.0, 7.5, 10.0])),
        "rir": st.one_of(st.none(), st.integers(0, 10)),
        "tempo": st.one_of(st.none(), st.just("3-1-1-0")),
        "form": st.one_of(st.none(), st.sampled_from(["flawless", "minor", "breakdown"])),
        "pain": st.integers(0, 10),
        "notes": st.text(max_size=20),
        "set_type": st.sampled_from(["normal", "warmup", "drop", "failure"]),
        "superset": st.one_of(st.none(), st.integers(0, 3)),
    }
).map(lambda d: {**d, "pain_type": "dull" if d["pain"] else None})
session_st = st.fixed_dictionaries(
    {
        "title": st.text(max_size=15),
        "readiness": st.one_of(st.none(), st.integers(1, 10)),
        "pain_after": st.one_of(st.none(), st.integers(0, 10)),
        "soreness": st.one_of(st.none(), st.integers(1, 10)),
        "soreness_worsening": st.booleans(),
        "notes": st.text(max_size=30),
        "duration_s": st.one_of(st.none(), st.integers(0, 7200)),
        "sets": st.lists(set_st, min_size=1, max_size=5),
        "plan": st.one_of(st.none(), st.integers(0, 1)),
    }
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sessions=st.lists(session_st, min_size=1, max_size=4),
    n_plans=st.integers(0, 2),
    level=st.sampled_from(["beginner", "advanced"]),
)
def test_backup_round_trips_exactly(store, sessions, n_plans, level):
    plans = [
        {
            "id": i + 1,
            "name": f"plan {i}",
            "level": level,
            "weeks": 2,
            "sessions_per_week": 2,
            "equipment": None if i else ["kettlebell"],
            "created_at": "2026-01-01T10:00:00",
            "plan": generate_plan(level, weeks=2, sessions_per_week=2).to_dict(),
        }
        for i in range(n_plans)
    ]
    out_sessions = []
    for i, s in enumerate(sessions):
        s = dict(s)
        plan = s.pop("plan")
        s["performed_at"] = (T0 + timedelta(days=i, minutes=i)).isoformat()
        if plan is not None and plan < n_plans:
            s.update(plan_id=plan + 1, plan_week=1, plan_session=1)
        out_sessions.append(s)
    doc = {
        "format": "liftsafe-log",
        "version": 2,
        "plans": plans,
        "equipment": {
            "barbell_kg": 15.0,
            "trap_bar_kg": 25.0,
            "plates_kg": [10.0, 5.0],
            "kettlebells_kg": [8.0, 16.0],
            "dumbbells_kg": [2.0, 4.0],
            "unit": "lb",
        }
        if n_plans
        else None,
        "custom_exercises": [
            {"id": "custom:leg-press-machine", "name": "Leg Press (Machine)", "mapped_to": None},
            {"id": "custom:cable-row", "name": "Seated Cable Row", "mapped_to": None},
        ],
        "sessions": out_sessions,
    }
    _empty(store)
    import_text(store, json.dumps(doc), source="gen.json")
    first, n = export_text(store, "json")
    assert n == len(sessions)
    _empty(store)
    import_text(store, first, source="first.json")
    second, _ = export_text(store, "json")
    assert second == first
    back = json.loads(first)
    assert back["plans"] == plans and back["equipment"] == doc["equipment"]
    assert len(back["custom_exercises"]) == 2
    for orig, got in zip(out_sessions, back["sessions"]):
        assert (
            got["title"] == orig["title"].replace("\x00", "").strip()[:200]
            and got["duration_s"] == orig["duration_s"]
        )
        assert [st["set_type"] for st in got["sets"]] == [x["set_type"] for x in orig["sets"]]
        assert [st["superset"] for st in got["sets"]] == [x["superset"] for x in orig["sets"]]
        assert [st["exercise_id"] for st in got["sets"]] == [x["exercise"] for x in orig["sets"]]
        assert got["plan_id"] == orig.get("plan_id")
    assert list_exercises(store)[0]["name"] == "Leg Press (Machine)"


def test_map_exercise_unknown_name(store):
    from liftsafe.errors import InputError

    with pytest.raises(InputError, match="no custom exercise named 'x'"):
        map_exercise(store, "x", "plank")


def test_plan_show_gives_kilograms_rounded_to_the_saved_equipment(db_url, run_cli):
    run_cli(
        "plan", "create", "--level", "beginner", "--weeks", "8", "--sessions-per-week", "2", "--db", db_url
    )
    code, out, _ = run_cli("plan", "show", "--json", "--db", db_url)
    assert "load_kg" not in out
    run_cli("equipment", "set", "--kettlebells", "8,12,16,24", "--db", db_url)
    run_cli(
        "log",
        "add",
        "--date",
        "2026-01-05",
        "--set",
        "kettlebell-deadlift,reps=10,load_kg=16",
        "--db",
        db_url,
    )
    code, out, err = run_cli("plan", "show", "--json", "--db", db_url)
    assert code == 0, err
    kb = [
        ex
        for w in json.loads(out)["plan"]["weeks"]
        for s in w["sessions"]
        for b in s["blocks"]
        for ex in b["exercises"]
        if ex["id"] == "kettlebell-deadlift" and "load_kg" in ex
    ]
    assert kb and all(ex["load_kg"] in (8, 12, 16, 24) for ex in kb) and "kettlebell; " in kb[0]["load"]
    code, out, _ = run_cli("plan", "show", "--week", "5", "--db", db_url)
    assert " kg kettlebell" in out


def test_plan_show_prints_the_daily_reminder_recovery_and_their_sources(db_url, run_cli):
    run_cli("plan", "create", "--level", "beginner", "--weeks", "4", "--db", db_url)
    code, out, err = run_cli("plan", "show", "--db", db_url)
    assert code == 0, err
    text = " ".join(out.split())
    assert "kneeling hip-flexor stretch, 20-30 s per side" in text and "Rest day: gentle mobility" in text
    for topic in ("sleep:", "protein:", "hydration:", "easy cardio:"):
        assert topic in text
    assert "Sleep 38(6):843-844, 2015" in text and "Lancet" in text
    assert ".md" not in text  # published sources only, no files
    code, out, _ = run_cli("plan", "show", "--json", "--db", db_url)
    guidance = json.loads(out)["guidance"]
    assert {r["topic"] for r in guidance["recovery"]} == {"sleep", "protein", "hydration", "easy cardio"}
    assert len(guidance["sources"]) >= 4


def test_log_add_reports_personal_records_and_today_view(db_url, run_cli):
    run_cli(
        "log",
        "add",
        "--date",
        "2026-01-05",
        "--set",
        "conventional-deadlift,reps=5,load_kg=100",
        "--db",
        db_url,
    )
    code, out, err = run_cli(
        "log",
        "add",
        "--date",
        "2026-01-08",
        "--set",
        "conventional-deadlift,reps=5,load_kg=105",
        "--db",
        db_url,
    )
    assert code == 0, err
    assert (
        "personal record on conventional-deadlift: heaviest working set 105 kg (was 100 kg)" in out
        and "belt can help you brace" in out
    )
    code, out, _ = run_cli("log", "today", "--db", db_url, "--json")
    info = json.loads(out)
    assert any("hip-flexor" in r for r in info["reminders"]) and info["recovery"]


def test_custom_exercises_are_charted(db_url, run_cli, tmp_path):
    strong = tmp_path / "s.csv"
    strong.write_text(
        "Date,Workout Name,Exercise Name,Set Order,Weight,Reps\n"
        '2026-01-05 18:30:00,"A","Leg Press (Machine)",1,100,10\n2026-01-08 18:30:00,"A","Leg Press (Machine)",1,110,10\n'
    )
    run_cli("import", str(strong), "--db", db_url)
    code, out, err = run_cli("progress", "--exercise", "custom:leg-press-machine", "--json", "--db", db_url)
    assert code == 0, err
    assert [p["top_load_kg"] for p in json.loads(out)["points"]] == [100, 110]
    code, out, _ = run_cli("log", "list", "--exercise", "custom:leg-press-machine", "--db", db_url)
    assert out.count("session ") == 2
