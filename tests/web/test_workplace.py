"""Workplace: jobs and tasks, NIOSH / LiFFT with what-if advice, printable report, aggregates,
and the privacy boundary (an admin never sees a person's pain or health entries)."""

from __future__ import annotations

import html
import json
import re

from webkit import csrf_of, new_client, sign_up

TASK = {
    "t1-name": "tote to shelf",
    "t1-load": "15",
    "t1-oh": "40",
    "t1-ov": "20",
    "t1-dh": "35",
    "t1-dv": "120",
    "t1-frequency": "2",
    "t1-coupling": "fair",
    "t1-reps_per_day": "600",
}


def _admin(app):
    c = new_client(app)
    c.__enter__()
    assert sign_up(c, "boss@example.com", role="workplace_admin").status_code == 303
    return c


def test_admin_records_a_job_and_gets_niosh_lifft_and_advice(app):
    from liftsafe.ergonomics.jobfile import parse_job
    from liftsafe.ergonomics.report import assess_job_file

    admin = _admin(app)
    try:
        r = admin.post(
            "/workplace/jobs",
            data={"name": "Packing", "duration": "short", "csrf_token": csrf_of(admin), **TASK},
            follow_redirects=False,
        )
        assert r.status_code == 303
        page = admin.get(r.headers["location"])
        expected = assess_job_file(
            parse_job(
                {
                    "units": "metric",
                    "duration": "short",
                    "tasks": [
                        {
                            "name": "tote to shelf",
                            "load": 15,
                            "origin": {"h": 40, "v": 20, "a": 0},
                            "destination": {"h": 35, "v": 120, "a": 0},
                            "frequency": 2,
                            "coupling": "fair",
                            "reps_per_day": 600,
                        }
                    ],
                }
            )
        )
        li = expected.result.tasks[0].li
        assert f"LI <span class=\"li-mid\">{li:.2f}</span>" in page.text
        assert (
            "What would bring it down" in page.text
            and expected.advice[0].advice[0].message.split(";")[0][:30] in page.text
        )
        assert (
            "LiFFT" in page.text
            and "data-print" in page.text
            and "script-src 'self'" in page.headers["content-security-policy"]
        )
        dash = admin.get("/workplace")
        assert "Packing" in dash.text and "1 raised" in dash.text
        assert "<title>Workplace · liftsafe</title>" in dash.text  # the page title holds no form
        assert dash.text.count("Assess a filmed lift") == 1
    finally:
        admin.__exit__(None, None, None)


def test_pasted_job_json_and_bad_input(app):
    admin = _admin(app)
    try:
        job = {
            "name": "Dock",
            "units": "metric",
            "duration": "moderate",
            "tasks": [
                {
                    "name": "crate",
                    "load": 8,
                    "origin": {"h": 30, "v": 70},
                    "destination": {"h": 30, "v": 80},
                    "frequency": 1,
                    "coupling": "good",
                }
            ],
        }
        r = admin.post(
            "/workplace/jobs",
            data={"job_json": json.dumps(job), "csrf_token": csrf_of(admin)},
            follow_redirects=False,
        )
        assert r.status_code == 303
        assert "Meets the NIOSH design goal" in admin.get(r.headers["location"]).text
        bad = admin.post(
            "/workplace/jobs",
            data={"name": "X", "csrf_token": csrf_of(admin), **{**TASK, "t1-load": "heavy"}},
        )
        assert bad.status_code == 400 and "field 't1-load' must be a number" in html.unescape(bad.text)
        bad = admin.post("/workplace/jobs", data={"job_json": "{nope", "csrf_token": csrf_of(admin)})
        assert bad.status_code == 400 and "not valid JSON" in bad.text
        bad = admin.post(
            "/workplace/jobs",
            data={"name": "Y", "csrf_token": csrf_of(admin), **{**TASK, "t1-coupling": "sticky"}},
        )
        assert bad.status_code == 400 and "coupling" in bad.text
        assert admin.get("/workplace").text.count('href="/workplace/jobs/') == 1
    finally:
        admin.__exit__(None, None, None)


def test_jobs_are_scoped_to_their_admin_and_lifters_cannot_add(app, lifter):
    admin = _admin(app)
    try:
        r = admin.post(
            "/workplace/jobs",
            data={"name": "Packing", "csrf_token": csrf_of(admin), **TASK},
            follow_redirects=False,
        )
        job_path = r.headers["location"]
        with new_client(app) as admin2:
            sign_up(admin2, "other-boss@example.com", role="workplace_admin")
            assert admin2.get(job_path).status_code == 404
            assert "Packing" not in admin2.get("/workplace").text
        assert lifter.get(job_path).status_code == 403
        r = lifter.post("/workplace/jobs", data={"name": "Mine", "csrf_token": csrf_of(lifter), **TASK})
        assert r.status_code == 403 and "workplace admins" in r.text
    finally:
        admin.__exit__(None, None, None)


def test_admin_never_sees_pain_or_health_entries(app, lifter):
    """A lifter logs a session with pain and soreness; no admin page or API shows it."""
    lifter.post(
        "/train/assessment",
        data={
            "level": "beginner",
            "pain_now": "3",
            "pain_type": "dull",
            "pain_where": "lower-back-left",
            "sessions_per_week": "2",
            "weeks": "6",
            "csrf_token": csrf_of(lifter),
        },
    )
    page = lifter.get("/train/today")
    k, ex = re.search(r'name="set-(\d+)-exercise" value="([^"]+)"', page.text).groups()
    dose = re.search(rf'name="set-{k}-dose" value="([^"]+)"', page.text).group(1)
    lifter.post(
        "/train/log",
        data={
            "csrf_token": csrf_of(lifter),
            "plan_week": "1",
            "plan_session": "1",
            "pain_after": "7",
            "pain_after_type": "dull",
            "notes": "PRIVATE-HEALTH-NOTE",
            f"set-{k}-exercise": ex,
            f"set-{k}-dose": dose,
            f"set-{k}-amount": "8",
            f"set-{k}-pain": "6",
            f"set-{k}-done": "1",
        },
    )
    workout = re.search(r'/train/workouts/(\d+)/soreness', lifter.get("/train").text).group(1)
    admin = _admin(app)
    try:
        admin.post("/workplace/jobs", data={"name": "Packing", "csrf_token": csrf_of(admin), **TASK})
        seen = "".join(admin.get(p).text for p in ("/workplace", "/train", "/analyses", "/account", "/coach",
                                                  "/train/progress/kettlebell-deadlift.png"))
        seen += json.dumps(admin.get("/api/analyses").json())
        for secret in ("PRIVATE-HEALTH-NOTE", "lower-back-left", "ann@example.com"):
            assert secret not in seen
        r = admin.post(
            f"/train/workouts/{workout}/soreness", data={"soreness": "1", "csrf_token": csrf_of(admin)}
        )
        assert r.status_code == 404
    finally:
        admin.__exit__(None, None, None)


def test_filmed_lift_is_measured_and_assessed(app, keypoint_json):
    """An admin uploads a (keypoint) recording of a lift; its geometry feeds the NIOSH assessment."""
    from webkit import analysed

    from liftsafe.ergonomics.video import estimate_geometry, median_geometry
    from liftsafe.pipeline import analyze_keypoints

    admin = _admin(app)
    try:
        job_id = analysed(admin, keypoint_json)
        assert f'<option value="{job_id}">' in admin.get("/workplace").text
        r = admin.post(
            "/workplace/jobs",
            data={
                "analysis_id": str(job_id),
                "name": "Filmed",
                "v-load": "12",
                "v-height_cm": "178",
                "v-frequency": "1",
                "v-reps_per_day": "300",
                "csrf_token": csrf_of(admin),
            },
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text[-800:]
        page = admin.get(r.headers["location"])
        geo = median_geometry(
            estimate_geometry(
                analyze_keypoints(keypoint_json, exercise="box-lift", height_m=1.78), height_m=1.78
            )
        )
        from liftsafe.store.web_models import WorkplaceJobRow

        with app.state.store.transaction() as s:
            stored = s.get(WorkplaceJobRow, int(r.headers["location"].rsplit("/", 1)[1])).job
        assert stored["tasks"][0]["origin"]["h"] == round(geo["h_origin_cm"], 1)
        assert stored["tasks"][0]["destination"]["v"] == round(geo["v_destination_cm"], 1)
        assert "Lifting risk report: Filmed" in page.text and "LiFFT" in page.text
        missing = admin.post(
            "/workplace/jobs", data={"analysis_id": str(job_id), "v-load": "12", "csrf_token": csrf_of(admin)}
        )
        assert missing.status_code == 400 and "is required for a filmed lift" in html.unescape(missing.text)
    finally:
        admin.__exit__(None, None, None)
