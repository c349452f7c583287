"""The store on SQLite and PostgreSQL: migrations, round trips, atomicity, durability."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime

import pytest
from sqlalchemy import inspect

from liftsafe.errors import InputError, OutputError
from liftsafe.store import repository
from liftsafe.store.db import Store, current_revision, downgrade, head_revision, upgrade
from liftsafe.store.models import Base
from liftsafe.training.log import (
    FormQuality,
    FormSource,
    PainType,
    SessionRecord,
    SetRecord,
    Side,
    parse_session,
)
from liftsafe.training.plan import generate_plan

FULL_SESSION = SessionRecord(
    performed_at=datetime(2026, 1, 5, 18, 30),
    title="Week 1 session 2",
    readiness=7,
    pain_after=2,
    pain_after_type=PainType.DULL,
    soreness=3,
    soreness_onset_h=12.0,
    soreness_end_h=40.5,
    soreness_worsening=False,
    notes="felt good",
    source="manual",
    sets=(
        SetRecord(
            "romanian-deadlift",
            reps=8,
            load_kg=42.5,
            rpe=7.5,
            rir=2,
            tempo="3-1-1-0",
            form=FormQuality.FLAWLESS,
            form_source=FormSource.SELF,
            pain_during=0,
        ),
        SetRecord(
            "romanian-deadlift",
            reps=8,
            load_kg=42.5,
            rir=2,
            form=FormQuality.MINOR,
            form_source=FormSource.ANALYSIS,
            analysis={"verdict": "needs_work", "exercise": "rdl", "rep_count": 8},
            pain_during=2,
            pain_type=PainType.DULL,
        ),
        SetRecord("lunge", reps=8, side=Side.L, notes="left knee fine"),
        SetRecord("plank", hold_s=35.0),
        SetRecord("farmer-carry", distance_m=20.0, load_kg=24.0),
    ),
)


def test_migrations_build_exactly_the_models(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    tables = set(inspect(store.engine).get_table_names())
    assert {"plans", "workout_sessions", "workout_sets", "alembic_version"} <= tables


def test_downgrade_and_upgrade_again(store):
    downgrade(store.engine, "base")
    assert current_revision(store.engine) is None
    assert "workout_sets" not in inspect(store.engine).get_table_names()
    upgrade(store.engine)
    assert current_revision(store.engine) == head_revision()


def test_session_round_trip_keeps_every_field(store):
    with store.transaction() as s:
        sid = repository.add_workout(s, FULL_SESSION)
    with store.transaction() as s:
        (back,) = repository.list_workouts(s)
    assert back.id == sid
    assert back == FULL_SESSION  # id is excluded from equality
    assert back.to_dict()["sets"][1]["analysis"]["verdict"] == "needs_work"


def test_plan_round_trip(store):
    plan = generate_plan("intermediate", weeks=5, sessions_per_week=2, equipment=["dumbbells"])
    with store.transaction() as s:
        pid = repository.save_plan(s, plan, name="test")
    with store.transaction() as s:
        stored = repository.get_plan(s, pid)
        newest = repository.get_plan(s)
        missing = repository.get_plan(s, pid + 100)
    assert stored.plan == plan.to_dict()
    assert stored.equipment == ("dumbbells",) and stored.weeks == 5 and newest.id == pid and missing is None


def test_list_filters(store):
    a = parse_session(
        {"performed_at": "2026-01-01", "sets": [{"exercise": "plank", "hold_s": 30}]}, where="a"
    )
    b = parse_session(
        {"performed_at": "2026-01-08", "sets": [{"exercise": "glute-bridge", "reps": 10}]}, where="b"
    )
    c = parse_session(
        {"performed_at": "2026-01-15", "sets": [{"exercise": "plank", "hold_s": 40}]}, where="c"
    )
    with store.transaction() as s:
        repository.add_workouts(s, [c, a, b])
    with store.transaction() as s:
        assert [r.performed_at.day for r in repository.list_workouts(s)] == [1, 8, 15]
        assert [r.performed_at.day for r in repository.list_workouts(s, exercise_id="plank")] == [1, 15]
        assert [r.performed_at.day for r in repository.list_workouts(s, since=datetime(2026, 1, 5))] == [
            8,
            15,
        ]
        assert [r.performed_at.day for r in repository.list_workouts(s, limit=2)] == [8, 15]
        assert repository.count_workouts(s) == (3, 3)


def test_session_write_is_atomic(store):
    """A database error in the 3rd of 3 sets stores none of the session; earlier sessions stay."""
    with store.transaction() as s:
        repository.add_workout(s, FULL_SESSION)
    broken = SessionRecord(
        performed_at=datetime(2026, 1, 7),
        sets=(
            SetRecord("plank", hold_s=30),
            SetRecord("plank", hold_s=30),
            SetRecord("plank", hold_s=30, rir=40),
        ),
    )
    with pytest.raises(
        OutputError, match=r"database write failed, nothing was saved \(.*ck_workout_sets_rir_range"
    ):
        with store.transaction() as s:
            repository.add_workout(s, broken)
    with store.transaction() as s:
        assert repository.count_workouts(s) == (1, len(FULL_SESSION.sets))


CRASH_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from datetime import datetime
    from liftsafe.store import repository
    from liftsafe.store.db import Store
    from liftsafe.training.log import SessionRecord, SetRecord

    store = Store(sys.argv[1])
    with store.transaction() as s:
        repository.add_workout(s, SessionRecord(datetime(2026, 2, 1), (SetRecord("plank", hold_s=30), SetRecord("plank", hold_s=35))))
    print("confirmed", flush=True)
    with store.transaction() as s:
        repository.add_workout(s, SessionRecord(datetime(2026, 2, 3), (SetRecord("plank", hold_s=40), SetRecord("plank", hold_s=45))))
        os._exit(9)  # the process dies mid-transaction, after the sets were sent to the database
    """  # noqa: E501
)


def test_crash_mid_log_loses_nothing_confirmed(db_url, tmp_path):
    Store(db_url).close()  # schema exists before the crashing process starts
    proc = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, db_url], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 9, proc.stderr
    assert "confirmed" in proc.stdout
    with Store(db_url) as store, store.transaction() as s:
        records = repository.list_workouts(s)
    assert [r.performed_at for r in records] == [datetime(2026, 2, 1)]
    assert [st.hold_s for st in records[0].sets] == [30.0, 35.0]


def test_bad_urls_are_input_errors(tmp_path):
    with pytest.raises(InputError, match=r"database URL 'not a url' is not valid"):
        Store("not a url")
    bad_file = tmp_path / "not-a.db"
    bad_file.write_text("this is not a database " * 50)
    with pytest.raises(
        InputError, match=r"cannot open the database sqlite:///.*not-a.db: file is not a database"
    ):
        Store(f"sqlite:///{bad_file}")
    with pytest.raises(InputError, match=r"cannot open the database postgresql\+psycopg://nobody@127\.0\.0\.1:1/x.*LIFTSAFE_DATABASE_URL"):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/x")


def test_default_url_uses_env_then_user_data_dir(monkeypatch, tmp_path):
    from liftsafe.store.db import database_url

    monkeypatch.setenv("LIFTSAFE_DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    assert database_url() == f"sqlite:///{tmp_path}/x.db"
    assert database_url("sqlite:///explicit.db") == "sqlite:///explicit.db"
    monkeypatch.delenv("LIFTSAFE_DATABASE_URL")
    assert database_url().startswith("sqlite:///") and database_url().endswith("liftsafe.db")


def test_training_core_does_not_import_sqlalchemy():
    code = (
        "import sys\n"
        "import liftsafe.training.library, liftsafe.training.plan, liftsafe.training.log, "
        "liftsafe.training.autoregulation, liftsafe.training.e1rm\n"
        "assert 'sqlalchemy' not in sys.modules, 'training core imported sqlalchemy'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
