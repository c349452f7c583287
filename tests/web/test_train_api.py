# ruff: noqa: E501 -- app export headers and rows are kept on one line, as the apps write them
"""Training JSON API: token auth, owner scoping, sessions, decisions, import and export."""

from __future__ import annotations

import json

from test_train import _plan
from webkit import api_token

RDL = {"exercise": "romanian-deadlift", "reps": 8, "load_kg": 40, "form": "flawless"}
HEVY = (
    '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes","set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"\n'
    '"Legs","3 Jan 2026, 10:00","3 Jan 2026, 11:00","","Romanian Deadlift (Barbell)",,"",0,"warmup",40,10,,,\n'
    '"Legs","3 Jan 2026, 10:00","3 Jan 2026, 11:00","","Leg Press (Machine)",1,"",0,"normal",100,12,,,\n'
)


def test_training_api_round_trip_and_owner_scoping(lifter, other):
    auth = {"Authorization": f"Bearer {api_token(lifter)}"}
    _plan(lifter)
    plans = lifter.get("/api/training/plans", headers=auth).json()
    assert len(plans) == 1 and plans[0]["level"] == "beginner"
    pid = plans[0]["id"]
    for day in ("2026-01-05T18:00:00", "2026-01-07T18:00:00"):
        r = lifter.post(
            "/api/training/sessions",
            headers=auth,
            json={"performed_at": day, "sets": [RDL] * 3, "plan_id": pid, "plan_week": 5, "plan_session": 1},
        )
        assert r.status_code == 201, r.text
    sid = r.json()["id"]
    decisions = lifter.get("/api/training/decisions", headers=auth).json()
    assert decisions[0]["rule"] == "flawless-progress" and decisions[0]["load_kg"] == 42
    plan = lifter.get(f"/api/training/plans/{pid}", headers=auth).json()
    assert any(
        "load_kg" in ex
        for w in plan["plan"]["weeks"]
        for s in w["sessions"]
        for b in s["blocks"]
        for ex in b["exercises"]
    )
    bad = lifter.post(
        "/api/training/sessions", headers=auth, json={"performed_at": "2099-01-01", "sets": [RDL]}
    )
    assert bad.status_code == 400 and "field 'performed_at'" in bad.json()["error"]
    imp = lifter.post("/api/training/import", headers=auth, files={"file": ("h.csv", HEVY.encode())}).json()
    assert imp["imported_sessions"] == 1 and imp["custom_exercises"] == ["Leg Press (Machine)"]
    again = lifter.post("/api/training/import", headers=auth, files={"file": ("h.csv", HEVY.encode())}).json()
    assert again["imported_sessions"] == 0
    backup = json.loads(lifter.get("/api/training/export?format=json", headers=auth).text)
    assert len(backup["sessions"]) == 3 and [p["id"] for p in backup["plans"]] == [pid]
    hevy = lifter.get("/api/training/export?format=hevy", headers=auth)
    assert hevy.headers["content-type"].startswith("text/csv") and '"Leg Press (Machine)"' in hevy.text

    other_auth = {"Authorization": f"Bearer {api_token(other)}"}
    assert other.get("/api/training/sessions", headers=other_auth).json() == []
    assert other.get(f"/api/training/sessions/{sid}", headers=other_auth).status_code == 404
    assert other.get(f"/api/training/plans/{pid}", headers=other_auth).status_code == 404
    steal = other.post(
        "/api/training/sessions",
        headers=other_auth,
        json={"performed_at": "2026-01-09", "sets": [RDL], "plan_id": pid},
    )
    assert steal.status_code == 400 and "not one of your plans" in steal.json()["error"]
    assert json.loads(other.get("/api/training/export", headers=other_auth).text)["sessions"] == []
    assert lifter.get("/api/training/sessions", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_custom_exercises_mappings_and_equipment_are_each_users_own(lifter, other):
    """Two accounts import the same unknown exercise: each gets their own custom exercise; one
    maps it and only that account's sets move and only its later imports use the mapping."""
    auth = {"Authorization": f"Bearer {api_token(lifter)}"}
    other_auth = {"Authorization": f"Bearer {api_token(other)}"}
    for client, headers in ((lifter, auth), (other, other_auth)):
        r = client.post("/api/training/import", headers=headers, files={"file": ("h.csv", HEVY.encode())})
        assert r.status_code == 200 and r.json()["custom_exercises"] == ["Leg Press (Machine)"], r.text
    mapped = lifter.post(
        "/api/training/exercises/map", headers=auth, json={"name": "Leg Press (Machine)", "exercise_id": "lunge"}
    )
    assert mapped.status_code == 200 and mapped.json()["sets_moved"] == 1, mapped.text
    mine = lifter.get("/api/training/exercises", headers=auth).json()
    theirs = other.get("/api/training/exercises", headers=other_auth).json()
    assert [(c["name"], c["mapped_to"], c["sets"]) for c in mine] == [("Leg Press (Machine)", "lunge", 0)]
    assert [(c["name"], c["mapped_to"], c["sets"]) for c in theirs] == [("Leg Press (Machine)", None, 1)]
    ids = lambda client, h: {st["exercise_id"] for s in client.get("/api/training/sessions", headers=h).json() for st in s["sets"]}  # noqa: E731
    assert "lunge" in ids(lifter, auth) and "custom:leg-press-machine" not in ids(lifter, auth)
    assert "custom:leg-press-machine" in ids(other, other_auth) and "lunge" not in ids(other, other_auth)
    # a later import of a new day: the mapping applies to the lifter only
    later = HEVY.replace("3 Jan 2026", "5 Jan 2026")
    for client, headers in ((lifter, auth), (other, other_auth)):
        assert client.post("/api/training/import", headers=headers, files={"file": ("h.csv", later.encode())}).json()["imported_sessions"] == 1
    assert "custom:leg-press-machine" not in ids(lifter, auth)
    assert [c["sets"] for c in other.get("/api/training/exercises", headers=other_auth).json()] == [2]
    # the other account cannot map (or see) the lifter's names; a name it never imported is named
    bad = other.post("/api/training/exercises/map", headers=other_auth, json={"name": "Hack Squat", "exercise_id": "lunge"})
    assert bad.status_code == 400 and "no custom exercise named 'Hack Squat'" in bad.json()["error"]
    # equipment profiles are per account too
    assert lifter.put("/api/training/equipment", headers=auth, json={"barbell_kg": 15}).json()["barbell_kg"] == 15
    assert other.get("/api/training/equipment", headers=other_auth).json()["barbell_kg"] == 20
    backup = json.loads(other.get("/api/training/export?format=json", headers=other_auth).text)
    assert [c["mapped_to"] for c in backup["custom_exercises"]] == [None]


def test_api_import_is_all_or_nothing_and_the_command_line_user_keeps_their_own_exercises(app, lifter):
    from liftsafe.app.logbook import import_text, list_exercises

    auth = {"Authorization": f"Bearer {api_token(lifter)}"}
    bad = HEVY + '"Legs","4 Jan 2026, 10:00","4 Jan 2026, 11:00","","Leg Press (Machine)",,"",0,"superset",100,12,,,\n'
    r = lifter.post("/api/training/import", headers=auth, files={"file": ("h.csv", bad.encode())})
    assert r.status_code == 400 and "row 4, field 'set_type'" in r.json()["error"]
    assert lifter.get("/api/training/sessions", headers=auth).json() == []  # nothing half-imported
    assert lifter.get("/api/training/exercises", headers=auth).json() == []
    store = app.state.store
    import_text(store, HEVY.replace("Leg Press (Machine)", "Hack Squat"), source="cli.csv")  # the CLI user
    assert [c["name"] for c in list_exercises(store)] == ["Hack Squat"]
    assert lifter.post("/api/training/import", headers=auth, files={"file": ("h.csv", HEVY.encode())}).status_code == 200
    assert [c["name"] for c in list_exercises(store)] == ["Hack Squat"]
    assert [c["name"] for c in lifter.get("/api/training/exercises", headers=auth).json()] == ["Leg Press (Machine)"]
