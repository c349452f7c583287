"""CLI commands that use the database, on both backends: plan create/show, log add/list/soreness, db."""

from __future__ import annotations

import json

import pytest

from liftsafe.store import repository
from liftsafe.store.db import Store

RDL = "romanian-deadlift,reps=8,load_kg=40,rir=2,form=flawless"


def _counts(db_url):
    with Store(db_url) as store, store.transaction() as s:
        return repository.count_workouts(s)


def test_plan_create_and_show(db_url, run_cli):
    code, out, err = run_cli(
        "plan",
        "create",
        "--level",
        "advanced",
        "--weeks",
        "8",
        "--sessions-per-week",
        "2",
        "--db",
        db_url,
        "--json",
    )
    assert code == 0, err
    saved = json.loads(out)
    code, out, _ = run_cli("plan", "show", str(saved["id"]), "--db", db_url, "--json")
    assert code == 0 and json.loads(out)["plan"] == saved["plan"]
    code, out, _ = run_cli("plan", "show", "--week", "4", "--db", db_url, "--json")
    assert [w["index"] for w in json.loads(out)["plan"]["weeks"]] == [4]
    code, out, _ = run_cli("plan", "show", "--db", db_url)
    assert code == 0 and "Week 8" in out
    code, _, err = run_cli("plan", "show", "99", "--db", db_url)
    assert code == 2 and "no plan with id 99" in err
    run_cli("plan", "create", "--weeks", "4", "--name", "second", "--db", db_url)
    code, out, _ = run_cli("plan", "list", "--db", db_url, "--json")
    assert [(p["id"], p["name"], p["weeks"]) for p in json.loads(out)["plans"]] == [
        (saved["id"], saved["name"], 8),
        (saved["id"] + 1, "second", 4),
    ]


def test_plan_show_without_plans(db_url, run_cli):
    code, _, err = run_cli("plan", "show", "--db", db_url)
    assert code == 2 and "no saved plan yet" in err


def test_log_add_list_and_decision(db_url, run_cli):
    for day in ("2026-01-05", "2026-01-07"):
        code, out, err = run_cli(
            "log",
            "add",
            "--date",
            day,
            "--set",
            RDL,
            "--set",
            RDL,
            "--set",
            RDL,
            "--readiness",
            "8",
            "--db",
            db_url,
        )
        assert code == 0, err
    assert (
        "load +2 kg to 42 kg dumbbells because the last 6 working sets across 2 sessions were flawless and "
        "pain-free"
        in out
    )
    code, out, _ = run_cli("log", "list", "--db", db_url, "--json")
    sessions = json.loads(out)["sessions"]
    assert [len(s["sets"]) for s in sessions] == [3, 3] and sessions[0]["readiness"] == 8
    code, out, _ = run_cli("log", "list", "--db", db_url, "--exercise", "plank")
    assert "no sessions logged yet" in out
    code, out, _ = run_cli(
        "log",
        "soreness",
        str(sessions[0]["id"]),
        "--level",
        "4",
        "--onset-h",
        "20",
        "--end-h",
        "90",
        "--db",
        db_url,
    )
    assert code == 0
    code, out, _ = run_cli("log", "list", "--db", db_url, "--json")
    assert json.loads(out)["sessions"][0]["soreness_end_h"] == 90


@pytest.mark.parametrize(
    ("bad_set", "message"),
    [
        ("romanian-deadlift,reps=8,load_kg=-20", r"--set 3, field 'load_kg': -20 kg is impossible"),
        ("romanian-deadlift,reps=8,rir=40", r"--set 3, field 'rir': 40 is impossible"),
        ("plank,hold_s=30,pain=11", r"--set 3, field 'pain': 11 is impossible"),
        ("deadlfit,reps=5", r"--set 3, field 'exercise': unknown exercise id 'deadlfit'"),
        ("plank,hold_s=30,side=L", r"--set 3, field 'side': plank is not a one-sided exercise"),
    ],
)
def test_log_add_rejects_bad_set_and_saves_nothing(db_url, run_cli, bad_set, message):
    import re

    code, _, _ = run_cli("log", "add", "--set", RDL, "--db", db_url)
    assert code == 0
    code, out, err = run_cli("log", "add", "--set", RDL, "--set", RDL, "--set", bad_set, "--db", db_url)
    assert code == 2
    assert re.search(message, err), err
    assert "Traceback" not in err
    assert _counts(db_url) == (1, 1)


def test_log_add_from_json_file(db_url, run_cli, tmp_path):
    f = tmp_path / "s.json"
    f.write_text(
        json.dumps(
            {
                "performed_at": "2026-03-01T07:00",
                "title": "gym",
                "pain_after": 1,
                "pain_after_type": "dull",
                "sets": [{"exercise": "plank", "hold_s": 30}, {"exercise": "lunge", "reps": 8, "side": "R"}],
            }
        )
    )
    code, out, err = run_cli("log", "add", "--from", str(f), "--db", db_url, "--json")
    assert code == 0, err
    assert json.loads(out)["sets"] == 2
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "performed_at": "2026-03-02",
                "sets": [{"exercise": "plank", "hold_s": 30}, {"exercise": "plank", "hold_s": "long"}],
            }
        )
    )
    code, _, err = run_cli("log", "add", "--from", str(bad), "--db", db_url)
    assert code == 2 and "set 2, field 'hold_s': expected a number" in err
    code, _, err = run_cli("log", "add", "--from", str(f), "--title", "x", "--db", db_url)
    assert code == 2 and "with --from, put --title in the file's session fields instead" in err
    assert _counts(db_url) == (1, 2)


def test_log_add_with_technique_analysis_result(db_url, run_cli, tmp_path):
    result = tmp_path / "result.json"
    result.write_text(json.dumps({"exercise": "rdl", "verdict": "unsafe", "rep_count": 5, "reps": []}))
    code, out, err = run_cli(
        "log",
        "add",
        "--set",
        f"romanian-deadlift,reps=5,load_kg=50,analysis={result}",
        "--db",
        db_url,
        "--json",
    )
    assert code == 0, err
    decision = json.loads(out)["decisions"][0]
    assert (
        decision["rule"] == "form-breakdown" and decision["load_kg"] == 44
    )  # -10 % is 45 kg; dumbbells come in 44 and 46
    code, out, _ = run_cli("log", "list", "--db", db_url, "--json")
    st = json.loads(out)["sessions"][0]["sets"][0]
    assert st["form"] == "breakdown" and st["form_source"] == "analysis"


def test_db_commands(db_url, run_cli):
    code, out, _ = run_cli("db", "current", "--db", db_url, "--json")
    assert code == 0 and json.loads(out)["revision"] is None
    code, out, _ = run_cli("db", "upgrade", "--db", db_url)
    from liftsafe.store.db import head_revision

    assert code == 0 and head_revision() in out
    code, out, _ = run_cli("db", "current", "--db", db_url, "--json")
    assert json.loads(out)["revision"] == json.loads(out)["head"]


def test_env_var_selects_the_database(db_url, run_cli, monkeypatch):
    monkeypatch.setenv("LIFTSAFE_DATABASE_URL", db_url)
    code, _, err = run_cli("log", "add", "--set", "plank,hold_s=30")
    assert code == 0, err
    assert _counts(db_url) == (1, 1)


STRONG_CSV = """Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE
2026-01-05 18:30:00,Back day,45m,Deadlift (Barbell),1,60,5,0,0,,,
2026-01-05 18:30:00,Back day,45m,Deadlift (Barbell),2,60,5,0,0,,,7.5
2026-01-07 18:30:00,Back day,45m,Plank,1,0,0,0,45,,,
2026-01-09 18:30:00,Back day,45m,Deadlift (Barbell),1,62.5,5,0,0,,,
"""  # noqa: E501


def test_import_is_all_or_nothing(db_url, run_cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(STRONG_CSV.replace("62.5,5,", "62.5,-5,"))
    code, _, err = run_cli("import", str(bad), "--db", db_url)
    assert code == 2 and "bad.csv, row 5, field 'reps': -5 is impossible" in err
    assert _counts(db_url) == (0, 0)
    corrupt = tmp_path / "corrupt.csv"
    corrupt.write_bytes(STRONG_CSV.encode()[:-30])
    code, _, err = run_cli("import", str(corrupt), "--db", db_url)
    assert code == 2 and "corrupt.csv, row 5" in err and _counts(db_url) == (0, 0)
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\xff\xd8\xff\xe0garbage")
    code, _, err = run_cli("import", str(binary), "--db", db_url)
    assert code == 2 and "not a UTF-8 text file" in err
    good = tmp_path / "good.csv"
    good.write_text(STRONG_CSV)
    code, out, err = run_cli("import", str(good), "--db", db_url, "--json")
    assert code == 0, err
    assert json.loads(out)["imported_sessions"] == 3 and _counts(db_url) == (3, 4)
    code, out, _ = run_cli("import", str(good), "--db", db_url, "--json")
    assert json.loads(out)["already_present_sessions"] == 3 and _counts(db_url) == (3, 4)


def test_export_then_import_elsewhere(db_url, run_cli, tmp_path):
    run_cli(
        "log",
        "add",
        "--date",
        "2026-02-01T08:00",
        "--set",
        "romanian-deadlift,reps=8,load_kg=40,form=breakdown,pain=3,pain_type=sharp",
        "--soreness",
        "5",
        "--soreness-onset-h",
        "12",
        "--soreness-end-h",
        "80",
        "--db",
        db_url,
    )
    out_json = tmp_path / "log.json"
    code, _, err = run_cli("export", "--format", "json", "-o", str(out_json), "--db", db_url)
    assert code == 0, err
    other = f"sqlite:///{tmp_path / 'other.db'}"
    code, _, err = run_cli("import", str(out_json), "--db", other)
    assert code == 0, err
    with Store(db_url) as a, a.transaction() as s1:
        first = repository.list_workouts(s1)
    with Store(other) as b, b.transaction() as s2:
        second = repository.list_workouts(s2)
    assert [r.to_dict() | {"id": None, "source": None} for r in first] == [
        r.to_dict() | {"id": None, "source": None} for r in second
    ]
    code, out, _ = run_cli("export", "--format", "strong", "-o", "-", "--db", db_url)
    assert (
        out.splitlines()[0].startswith('"Workout #","Date","Workout Name","Duration (sec)","Exercise Name"')
        and "Romanian Deadlift (Dumbbell)" in out
    )
    code, _, err = run_cli("export", "--format", "xml", "-o", "-", "--db", db_url)
    assert code == 2 and "--format must be json, strong or hevy" in err


def test_progress_command(db_url, run_cli, tmp_path):
    code, _, err = run_cli("progress", "--db", db_url)
    assert code == 2 and "no sessions logged yet" in err
    for day, load in (("2026-01-05", 40), ("2026-01-08", 42.5), ("2026-01-12", 45)):
        run_cli(
            "log",
            "add",
            "--date",
            day,
            "--set",
            f"romanian-deadlift,reps=8,load_kg={load}",
            "--set",
            "plank,hold_s=30",
            "--set",
            f"romanian-deadlift,reps=8,load_kg={load}",
            "--soreness",
            "2",
            "--db",
            db_url,
        )
    code, out, err = run_cli("progress", "--db", db_url, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["exercise_id"] == "romanian-deadlift" and [p["top_load_kg"] for p in doc["points"]] == [
        40,
        42.5,
        45,
    ]
    target = tmp_path / "p.html"
    code, out, err = run_cli("progress", "--exercise", "romanian-deadlift", "-o", str(target), "--db", db_url)
    assert code == 0 and target.read_text().count("<tr><td>") == 3
    code, _, err = run_cli("progress", "--exercise", "romanian", "--db", db_url)
    assert code == 2 and "unknown exercise id 'romanian'" in err


def test_log_next_and_plan_deload(db_url, run_cli):
    code, out, _ = run_cli("log", "next", "--db", db_url)
    assert code == 0 and "no sessions logged yet" in out
    run_cli(
        "plan", "create", "--level", "beginner", "--weeks", "8", "--sessions-per-week", "2", "--db", db_url
    )
    for day, sess in (("2026-01-05", 1), ("2026-01-08", 2)):
        code, out, err = run_cli(
            "log",
            "add",
            "--date",
            day,
            "--set",
            RDL,
            "--set",
            RDL,
            "--plan-id",
            "1",
            "--plan-week",
            "3",
            "--plan-session",
            str(sess),
            "--db",
            db_url,
            "--json",
        )
        assert code == 0, err
    decision = json.loads(out)["decisions"][0]
    assert decision["rule"] == "deload-week" and decision["load_kg"] == 24  # week 4 of the plan is a deload
    code, out, _ = run_cli("log", "next", "--exercise", "romanian-deadlift", "--db", db_url, "--json")
    assert json.loads(out)["decisions"][0]["rule"] == "flawless-progress"
    code, _, err = run_cli("log", "add", "--set", RDL, "--plan-id", "7", "--db", db_url)
    assert code == 2 and "--plan-id: no plan with id 7" in err
