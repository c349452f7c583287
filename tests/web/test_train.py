"""Train: assessment -> plan, calendar, logging today's session, auto-regulation explanations,
soreness check-ins, progress chart; privacy of training records."""

from __future__ import annotations

import html
import re

from webkit import ASSESS, csrf_of, new_client, sign_up


def _plan(client):
    r = client.post("/train/assessment", data={**ASSESS, "csrf_token": csrf_of(client)})
    assert r.status_code == 200 and "cleared to train" in r.text, r.text[:400]


def _log_today(client, *, load="20", form="flawless", pain="0", tick=None):
    page = client.get("/train/today")
    assert page.status_code == 200
    keys = re.findall(r'name="set-(\d+)-exercise" value="([^"]+)"', page.text)
    amounts = dict(re.findall(r'name="set-(\d+)-amount" value="(\d*)"', page.text))
    week = re.search(r'name="plan_week" value="(\d+)"', page.text).group(1)
    session = re.search(r'name="plan_session" value="(\d+)"', page.text).group(1)
    data = {
        "csrf_token": csrf_of(client),
        "plan_week": week,
        "plan_session": session,
        "pain_after": "1",
        "readiness": "8",
    }
    ticked = keys if tick is None else keys[:tick]
    for k, ex in ticked:
        dose = re.search(rf'name="set-{k}-dose" value="([^"]+)"', page.text).group(1)
        data.update(
            {
                f"set-{k}-exercise": ex,
                f"set-{k}-dose": dose,
                f"set-{k}-amount": amounts[k] or "8",
                f"set-{k}-load_kg": load,
                f"set-{k}-form": form,
                f"set-{k}-pain": pain,
                f"set-{k}-done": "1",
            }
        )
    r = client.post("/train/log", data=data, follow_redirects=False)
    return r, (int(week), int(session)), len(ticked)


def test_assessment_builds_a_plan_calendar(lifter):
    page = lifter.get("/train")
    assert "short assessment" in page.text and 'name="red_flags"' in page.text
    _plan(lifter)
    cal = lifter.get("/train")
    assert cal.text.count('class="week') == 8 and "deload" in cal.text
    assert 'href="/train/today?week=1&amp;session=2"' in cal.text
    assert "kneeling hip-flexor stretch" in cal.text and "Rest day: gentle mobility" in cal.text
    assert "<strong>protein</strong>" in cal.text and "Br J Sports Med" in cal.text


def test_red_flags_stop_the_plan(lifter):
    r = lifter.post(
        "/train/assessment", data={**ASSESS, "red_flags": "bladder-bowel", "csrf_token": csrf_of(lifter)}
    )
    assert r.status_code == 200 and "start the plan yet" in r.text and "emergency" in r.text
    assert "short assessment" in lifter.get("/train").text  # no plan stored


def test_bad_assessment_value_is_a_clear_400(lifter):
    r = lifter.post(
        "/train/assessment", data={**ASSESS, "sessions_per_week": "5", "csrf_token": csrf_of(lifter)}
    )
    assert r.status_code == 400 and "sessions_per_week must be 2 or 3" in r.text


def test_logging_today_marks_the_calendar_and_explains_decisions(lifter):
    _plan(lifter)
    today = lifter.get("/train/today")
    assert "data-rest=" in today.text and 'id="rest-left"' in today.text
    assert "kneeling hip-flexor stretch" in today.text and "protein" in today.text  # daily reminder, recovery
    r, (week, session), n = _log_today(lifter)
    assert r.status_code == 303 and n > 0
    cal = lifter.get("/train")
    assert cal.text.count("✓ done") == 1
    assert "What happens next, and why" in cal.text and "(rule " in cal.text
    assert f"Week {week} session {session}" in cal.text
    # the next 'today' is the following session
    assert f'name="plan_session" value="{session + 1}"' in lifter.get("/train/today").text


def test_nothing_ticked_is_refused_and_nothing_saved(lifter):
    _plan(lifter)
    r, _, _ = _log_today(lifter, tick=0)
    assert r.status_code == 400 and "tick at least one set" in r.text
    assert "No sessions yet" in lifter.get("/train").text


def test_bad_set_value_is_a_clear_400(lifter):
    _plan(lifter)
    r, _, _ = _log_today(lifter, pain="11")
    assert r.status_code == 400 and "pain" in r.text and "0" in r.text


def test_soreness_check_in_and_progress_chart(app, lifter):
    _plan(lifter)
    _log_today(lifter, load="16")
    page = lifter.get("/train")
    workout_id = int(re.search(r"/train/workouts/(\d+)/soreness", page.text).group(1))
    r = lifter.post(
        f"/train/workouts/{workout_id}/soreness",
        data={
            "soreness": "4",
            "soreness_onset_h": "12",
            "soreness_end_h": "80",
            "csrf_token": csrf_of(lifter),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = lifter.get("/train")
    assert "4/10, gone after 80.0 h" in page.text
    chart = re.search(r'src="(/train/progress/[^"]+\.png)"', page.text)
    assert chart, "a logged loaded exercise gets a progress chart"
    png = lifter.get(chart.group(1))
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    bad = lifter.post(
        f"/train/workouts/{workout_id}/soreness",
        data={
            "soreness": "4",
            "soreness_onset_h": "50",
            "soreness_end_h": "10",
            "csrf_token": csrf_of(lifter),
        },
    )
    assert bad.status_code == 400 and "cannot end" in bad.text


def test_training_records_are_private(app, lifter, other):
    _plan(lifter)
    _log_today(lifter)
    workout_id = int(re.search(r"/train/workouts/(\d+)/soreness", lifter.get("/train").text).group(1))
    # the other lifter sees no plan, no sessions, cannot check in on someone else's workout
    assert "short assessment" in other.get("/train").text
    r = other.post(
        f"/train/workouts/{workout_id}/soreness", data={"soreness": "9", "csrf_token": csrf_of(other)}
    )
    assert r.status_code == 404
    assert other.get("/train/today", follow_redirects=False).status_code == 303
    with new_client(app) as admin:
        sign_up(admin, "boss@example.com", role="workplace_admin")
        assert "Week 1" not in admin.get("/train").text
        assert (
            admin.post(
                f"/train/workouts/{workout_id}/soreness", data={"soreness": "9", "csrf_token": csrf_of(admin)}
            ).status_code
            == 404
        )


def test_invited_coach_reads_the_log_others_do_not(app, lifter, other):
    _plan(lifter)
    _log_today(lifter, pain="2")
    lifter_id = lifter.get("/api/me").json()["id"]
    with new_client(app) as coach:
        sign_up(coach, "coach@example.com", role="coach")
        assert coach.get(f"/coach/lifters/{lifter_id}/train").status_code == 404
        lifter.post(
            "/account/coach", data={"coach_email": "coach@example.com", "csrf_token": csrf_of(lifter)}
        )
        page = coach.get(f"/coach/lifters/{lifter_id}/train")
        assert (
            page.status_code == 200
            and "Week 1 session 1" in page.text
            and "Next-session decisions" in page.text
        )
        assert f'href="/coach/lifters/{lifter_id}/train"' in coach.get("/coach").text
    assert other.get(f"/coach/lifters/{lifter_id}/train").status_code == 404


def test_inviting_an_unknown_coach_answers_as_for_a_known_one(app, lifter):
    """The answer must not tell whether a coach account exists (no account discovery)."""
    with new_client(app) as coach:
        sign_up(coach, "coach@example.com", role="coach")

    def invite(email):
        return lifter.post("/account/coach", data={"coach_email": email, "csrf_token": csrf_of(lifter)})

    unknown, known = invite("nobody@example.com"), invite("coach@example.com")
    assert unknown.status_code == known.status_code == 200
    assert "if nobody@example.com has a coach account" in unknown.text
    assert "if coach@example.com has a coach account" in known.text


def test_assessment_with_a_job_lift_adds_the_drill(lifter):
    data = {
        **ASSESS,
        "job_demand": "heavy",
        "job_load_kg": "23",
        "job_from_cm": "10",
        "job_to_cm": "75",
        "job_rwl_kg": "14",
        "csrf_token": csrf_of(lifter),
    }
    r = lifter.post("/train/assessment", data=data)
    assert r.status_code == 200 and "cleared to train" in r.text
    text = ""
    for _ in range(6):  # the drill starts with the stability phase
        page = lifter.get("/train/today")
        text += page.text
        if "job lift" in page.text.lower():
            break
        _log_today(lifter)
    assert "box or tote" in text and "lifting aid" in text
    bad = lifter.post(
        "/train/assessment", data={**ASSESS, "job_load_kg": "23", "csrf_token": csrf_of(lifter)}
    )
    assert bad.status_code == 400 and "from_cm" in bad.text and "missing" in bad.text


JOB = {
    "units": "metric",
    "duration": "long",
    "tasks": [
        {"name": "tote to shelf", "load": 23, "origin": {"h": 50, "v": 10},
         "destination": {"h": 50, "v": 120}, "frequency": 4, "coupling": "fair"},
    ],
}  # fmt: skip


def _job_drills(client) -> list[dict]:
    from webkit import api_token

    auth = {"Authorization": f"Bearer {api_token(client)}"}
    plan = client.get("/api/training/plans", headers=auth).json()[-1]
    return [
        ex
        for w in plan["plan"]["weeks"]
        for s in w["sessions"]
        for b in s["blocks"]
        for ex in b["exercises"]
        if ex["id"] == "job-lift"
    ]


def _rwl(job: dict) -> float:
    from liftsafe.ergonomics.jobfile import parse_job
    from liftsafe.ergonomics.niosh import assess_task

    j = parse_job(job).job
    return round(assess_task(j.tasks[0], units=j.units, duration=j.duration, ignore_scope=True).rwl, 1)


def test_assessment_with_a_pasted_or_uploaded_niosh_job_file_adds_the_drill_with_its_rwl(lifter, monkeypatch):
    import json

    rwl = _rwl(JOB)
    assert rwl < 23  # the job's lift is above its limit
    data = {**ASSESS, "job_demand": "heavy", "job_text": json.dumps(JOB), "csrf_token": csrf_of(lifter)}
    r = lifter.post("/train/assessment", data=data)
    assert r.status_code == 200 and "cleared to train" in r.text, r.text[-600:]
    drills = _job_drills(lifter)
    assert drills and "lifting aid" in json.dumps(drills[0]) and f"of {rwl:g} kg" in drills[0]["load"]
    toml = (
        'units = "metric"\nduration = "long"\n[[tasks]]\nname = "tote to shelf"\nload = 23\n'
        'frequency = 4\ncoupling = "fair"\norigin = { h = 50, v = 10 }\ndestination = { h = 50, v = 120 }\n'
    )
    r = lifter.post(
        "/train/assessment",
        data={**ASSESS, "csrf_token": csrf_of(lifter)},
        files={"job_file": ("job.toml", toml.encode())},
    )
    assert r.status_code == 200 and "cleared to train" in r.text
    assert [d["load"] for d in _job_drills(lifter)] == [d["load"] for d in drills]
    bad_job = {**ASSESS, "job_text": '{"tasks": [{"load": 5}]}', "csrf_token": csrf_of(lifter)}
    bad = lifter.post("/train/assessment", data=bad_job)
    assert bad.status_code == 400 and "pasted job" in html.unescape(bad.text)
    monkeypatch.setenv("LIFTSAFE_MAX_JOB_FILE_BYTES", "100")
    big = lifter.post(
        "/train/assessment",
        data={**ASSESS, "csrf_token": csrf_of(lifter)},
        files={"job_file": ("job.json", json.dumps(JOB).encode())},
    )
    assert big.status_code == 400 and "larger than 100 bytes" in html.unescape(big.text)


def test_assessment_with_a_filmed_job_lift_uses_the_users_own_analysis(app, lifter, other, keypoint_json):
    from webkit import analysed

    from liftsafe.app.joblifts import job_lift_from_video

    job_id = analysed(lifter, keypoint_json)
    assert f'<option value="{job_id}">' in lifter.get("/train?new=1").text
    form = {**ASSESS, "job_analysis_id": str(job_id), "job_video_load_kg": "30", "job_video_height_cm": "178",
            "job_video_frequency": "2"}  # fmt: skip
    r = lifter.post("/train/assessment", data={**form, "csrf_token": csrf_of(lifter)})
    assert r.status_code == 200 and "cleared to train" in r.text, r.text[-600:]
    expected, _ = job_lift_from_video(keypoint_json, load_kg=30, height_m=1.78, frequency=2)
    assert expected.rwl_kg is not None and expected.rwl_kg < 30
    drills = _job_drills(lifter)
    assert drills and "lifting aid" in str(drills[0]) and f"{expected.rwl_kg:g} kg" in str(drills[0])
    stolen = other.post("/train/assessment", data={**form, "csrf_token": csrf_of(other)})
    assert stolen.status_code == 404
    no_load = {**ASSESS, "job_analysis_id": str(job_id), "csrf_token": csrf_of(lifter)}
    missing = lifter.post("/train/assessment", data=no_load)
    assert missing.status_code == 400 and "job_video_load_kg" in missing.text
