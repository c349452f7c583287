"""The command line and the web app give the same decisions for the same log.

Both faces call :mod:`liftsafe.app.training`; this test drives the real faces (the ``liftsafe``
CLI through ``main`` and the web app through HTTP) on the same session -- the last session of
a plan week before a deload week, where the deload rule must apply on both.
"""

from __future__ import annotations

import html
import json
import re

from webkit import ASSESS, csrf_of

DECISION = re.compile(
    r'<div class="decision"><strong>([^:<]+): ([^<]+?)</strong>.*?<br>(.*?) <span class="small">\(rule '
    r'([^)]+)\)</span></div>',
    re.S,
)


def _web_log(client, week: int, session: int) -> None:
    page = client.get(f"/train/today?week={week}&session={session}")
    assert page.status_code == 200
    keys = re.findall(r'name="set-(\d+)-exercise" value="([^"]+)"', page.text)
    amounts = dict(re.findall(r'name="set-(\d+)-amount" value="(\d*)"', page.text))
    data = {
        "csrf_token": csrf_of(client),
        "plan_week": str(week),
        "plan_session": str(session),
        "readiness": "8",
    }
    for k, ex in keys:
        dose = re.search(rf'name="set-{k}-dose" value="([^"]+)"', page.text).group(1)
        data.update(
            {
                f"set-{k}-exercise": ex,
                f"set-{k}-dose": dose,
                f"set-{k}-amount": amounts[k] or "8",
                f"set-{k}-load_kg": "20",
                f"set-{k}-form": "flawless",
                f"set-{k}-pain": "0",
                f"set-{k}-done": "1",
            }
        )
    assert client.post("/train/log", data=data, follow_redirects=False).status_code == 303


def _session_json(record, plan_id: int) -> dict:
    doc = {k: v for k, v in record.to_dict().items() if v is not None and k != "id"}
    doc["sets"] = [{k: v for k, v in st.items() if v not in (None, "")} for st in doc["sets"]]
    doc["plan_id"] = plan_id
    return doc


def test_cli_and_web_decide_the_same_for_the_same_log(app, lifter, tmp_path, run_cli):
    from liftsafe.store import repository

    r = lifter.post("/train/assessment", data={**ASSESS, "csrf_token": csrf_of(lifter)})
    assert r.status_code == 200 and "cleared to train" in r.text
    _web_log(lifter, 3, 2)  # week 3's last session: week 4 of the 8-week plan is a deload
    page = lifter.get("/train")
    web_decisions = [(ex.strip(), action.replace(" ", "_"), html.unescape(expl).strip(), rule)
                     for ex, action, expl, rule in DECISION.findall(page.text)]
    assert web_decisions, page.text[:500]

    # the same plan and the same session through the command line, on a database of its own
    with app.state.store.transaction() as s:
        (record,) = repository.list_workouts(s)
        stored_plan = repository.get_plan(s, record.plan_id)
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    created = run_cli("plan", "create", "--level", stored_plan.level.value, "--weeks", str(stored_plan.weeks),
                      "--sessions-per-week", str(stored_plan.sessions_per_week), "--db", db, "--json")
    assert created.exit_code == 0, created.stderr
    created_doc = json.loads(created.stdout)
    assert created_doc["plan"] == stored_plan.plan  # the very same plan
    session_file = tmp_path / "session.json"
    session_file.write_text(json.dumps(_session_json(record, created_doc["id"])), encoding="utf-8")
    logged = run_cli("log", "add", "--from", str(session_file), "--db", db, "--json")
    assert logged.exit_code == 0, logged.stderr
    cli_decisions = [(d["exercise_id"], d["action"], d["explanation"].strip(), d["rule"])
                     for d in json.loads(logged.stdout)["decisions"]]

    assert cli_decisions == web_decisions
    assert "deload-week" in {rule for *_, rule in web_decisions}  # the deload rule applies on the web too
