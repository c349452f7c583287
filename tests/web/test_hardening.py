"""Hardening of the web app: body limits, throttle, privacy of health data, 4xx instead of
500s and the smaller defects a probe of `liftsafe serve` found. (The same probes against a
real server over TCP are in tests/security/.)"""

from __future__ import annotations

import html
import json
import stat
import threading

import pytest
from webkit import PASSWORD, api_token, csrf_of, new_client, sign_up, wait_job


def _upload(client, path, name=None):
    return client.post(
        "/api/analyses",
        files={"video": (name or path.name, path.read_bytes())},
        data={"exercise": "deadlift"},
        headers={"X-CSRF-Token": csrf_of(client)},
    )


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------------------- limits
def test_chunked_upload_without_length_is_stopped_at_the_limit(app, lifter, settings):
    sent = [0]

    def body():
        boundary = b"--xyz\r\n"
        yield boundary + b'Content-Disposition: form-data; name="video"; filename="big.mp4"\r\n\r\n'
        for _ in range(64):  # 64 x 256 KiB = 16 MiB against a 5 MB limit
            sent[0] += 256 * 1024
            yield b"\x00" * (256 * 1024)
        yield b"\r\n--xyz--\r\n"

    r = lifter.post(
        "/api/analyses",
        content=body(),
        headers={"X-CSRF-Token": csrf_of(lifter), "Content-Type": "multipart/form-data; boundary=xyz"},
    )
    assert "content-length" not in r.request.headers
    assert r.status_code == 413 and "5 MB limit" in r.json()["error"]
    assert [p for p in (settings.data_dir / "analyses").rglob("*") if p.is_file()] == []


def test_chunked_upload_is_refused_before_sign_in_is_checked(client, settings):
    def body():
        for _ in range(40):
            yield b"\x00" * (256 * 1024)

    r = client.post(
        "/analyses",
        content=body(),
        headers={"Content-Type": "multipart/form-data; boundary=xyz"},
        follow_redirects=False,
    )
    assert r.status_code == 413  # not a 303 to the sign-in page after storing 10 MB


def test_form_body_and_text_fields_are_capped(app, client, lifter):
    huge = "a" * (1024 * 1024) + "@example.com"  # a 1 MiB e-mail address
    r = client.post("/signup", data={"email": huge, "password": PASSWORD, "csrf_token": csrf_of(client)})
    assert r.status_code == 413 and "LIFTSAFE_MAX_FORM_KB" in r.text
    r = client.post(
        "/signup",
        data={"email": "a" * 300 + "@example.com", "password": PASSWORD, "csrf_token": csrf_of(client)},
    )
    assert r.status_code == 400 and "field 'email'" in html.unescape(r.text)
    with app.state.store.transaction() as s:
        from sqlalchemy import func, select

        from liftsafe.store.web_models import UserRow

        assert s.scalar(select(func.count()).select_from(UserRow)) == 1  # only ann
    r = lifter.post(
        "/train/log", data={"notes": "n" * 5000, "set-1-done": "on", "csrf_token": csrf_of(lifter)}
    )
    assert r.status_code == 400 and "field 'notes'" in html.unescape(r.text)


def test_workplace_task_count_is_capped_and_assessments_are_cached(app, monkeypatch):
    from liftsafe.web.services import workplace

    admin = new_client(app)
    admin.__enter__()
    try:
        sign_up(admin, "boss@example.com", role="workplace_admin")
        task = {
            "name": "t",
            "load": 10,
            "origin": {"h": 30, "v": 50},
            "destination": {"h": 30, "v": 100},
            "frequency": 1,
            "coupling": "good",
        }
        too_many = {
            "name": "big",
            "units": "metric",
            "duration": "short",
            "tasks": [dict(task, name=f"t{i}") for i in range(101)],
        }
        r = admin.post(
            "/workplace/jobs", data={"job_json": json.dumps(too_many), "csrf_token": csrf_of(admin)}
        )
        assert r.status_code == 400 and "101 tasks" in r.text and "LIFTSAFE_MAX_TASKS" in r.text
        calls = [0]
        real = workplace.assess_job_data

        def counting(*a, **kw):
            calls[0] += 1
            return real(*a, **kw)

        monkeypatch.setattr(workplace, "assess_job_data", counting)  # a counting wrapper around the real one
        workplace._cache.clear()  # the cache is per process: start cold
        job = {
            "name": "small",
            "units": "metric",
            "duration": "short",
            "tasks": [dict(task, name=f"t{i}") for i in range(3)],
        }
        r = admin.post(
            "/workplace/jobs",
            data={"job_json": json.dumps(job), "csrf_token": csrf_of(admin)},
            follow_redirects=False,
        )
        assert r.status_code == 303, html.unescape(r.text)[-2000:]
        for _ in range(3):
            assert admin.get("/workplace").status_code == 200
        assert admin.get(r.headers["location"]).status_code == 200
        assert calls[0] == 1  # assessed when stored; the dashboard and report reuse it
    finally:
        admin.__exit__(None, None, None)


def test_workplace_post_does_not_run_in_the_event_loop():
    """The CPU work of POST /workplace/jobs runs in a worker thread, not in the async route."""
    import inspect

    from liftsafe.web.routers import workplace

    src = inspect.getsource(workplace.create_job)
    assert "run_in_threadpool" in src and not inspect.iscoroutinefunction(workplace._create_job)


# --------------------------------------------------------------------------- sign-in
def test_parallel_wrong_passwords_cannot_exceed_the_throttle():
    from liftsafe.web.security import SignInThrottle

    throttle = SignInThrottle()
    start = threading.Barrier(30)
    reserved = []

    def attempt():
        start.wait()
        reserved.append(throttle.begin("ann@example.com") == 0.0)

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(reserved) == SignInThrottle.MAX_FAILURES == 10
    for _ in range(sum(reserved)):
        throttle.failed("ann@example.com")
    assert throttle.begin("ann@example.com") > 0


def test_unknown_account_runs_a_password_hash_too(client, monkeypatch):
    """Equal work for known and unknown e-mail addresses: both verify an argon2 hash."""
    from argon2 import PasswordHasher

    from liftsafe.web import security

    sign_up(client, "ann@example.com")
    verified = []

    class Counting(PasswordHasher):  # the real argon2 hasher, counting what it verifies
        def verify(self, hash, password):
            verified.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(security, "_HASHER", Counting())
    with new_client(client.app) as c:
        for email in ("ann@example.com", "nobody@example.com"):
            r = c.post(
                "/signin", data={"email": email, "password": "wrong password!", "csrf_token": csrf_of(c)}
            )
            assert r.status_code == 400 and "wrong e-mail or password" in r.text
    assert len(verified) == 2 and all(h.startswith("$argon2id$") for h in verified)


def test_signing_in_ends_the_previous_session_of_that_browser(app):
    with new_client(app) as c:
        sign_up(c, "ann@example.com")
        first = c.cookies["liftsafe_session"]
        c.post("/signout", data={"csrf_token": csrf_of(c)})
        sign_up(c, "bob@example.com")
        bob = c.cookies["liftsafe_session"]
        r = c.post(
            "/signin",
            data={"email": "ann@example.com", "password": PASSWORD, "csrf_token": csrf_of(c)},
            follow_redirects=False,
        )
        assert r.status_code == 303 and c.cookies["liftsafe_session"] not in (first, bob)
    with new_client(app) as replay:
        replay.cookies.set("liftsafe_session", bob)
        assert replay.get("/account", follow_redirects=False).status_code == 303  # bob's session is gone


def test_a_user_sees_their_sign_ins_and_ends_the_others(app, lifter):
    with new_client(app) as phone:
        r = phone.post(
            "/signin",
            data={"email": "ann@example.com", "password": PASSWORD, "csrf_token": csrf_of(phone)},
            follow_redirects=False,
        )
        assert r.status_code == 303
        page = lifter.get("/account").text
        assert page.count("<li>since ") == 2 and "this browser" in page
        r = lifter.post("/account/sessions/end-others", data={"csrf_token": csrf_of(lifter)})
        assert r.status_code == 200 and "signed out 1 other browser" in r.text
        assert (
            phone.get("/account", follow_redirects=False).status_code == 303
        )  # the phone must sign in again
        assert lifter.get("/account").status_code == 200  # this browser stays signed in


def test_sign_out_revokes_api_tokens_and_tokens_expire(app, lifter):
    from liftsafe.web.services import accounts

    token = api_token(lifter)
    auth = {"Authorization": f"Bearer {token}"}
    with new_client(app) as api:
        assert api.get("/api/me", headers=auth).status_code == 200
        r = lifter.post("/signout", data={"csrf_token": csrf_of(lifter)}, follow_redirects=False)
        assert r.status_code == 303 and "storage" in r.headers["clear-site-data"]
        assert api.get("/api/me", headers=auth).status_code == 401
    store = app.state.store
    user = accounts.authenticate(store, email="ann@example.com", password=PASSWORD)
    short = accounts.create_api_token(store, user, name="short", days=-1)  # already past its expiry
    assert accounts.token_user(store, short) is None
    assert accounts.list_api_tokens(store, user) == []  # the expired token was deleted


# --------------------------------------------------------------------------- privacy
def test_every_personal_page_is_no_store(lifter):
    for url in ("/analyses", "/account", "/train", "/api/me", "/account/export.json"):
        r = lifter.get(url, headers={"X-CSRF-Token": csrf_of(lifter)})
        assert r.headers["cache-control"] == "no-store", url
        assert "strict-transport-security" not in r.headers  # plain HTTP: no HSTS
    assert "no-store" not in lifter.get("/static/app.css").headers.get("cache-control", "")


def test_hsts_behind_https(app):
    with new_client(app) as c:
        c.base_url = "https://testserver"
        r = c.get("/signin")
        assert r.headers["strict-transport-security"].startswith("max-age=31536000")


def test_lifter_sees_and_withdraws_coach_access(app, lifter):
    with new_client(app) as coach:
        sign_up(coach, "coach@example.com", role="coach")
        lifter.post(
            "/account/coach", data={"coach_email": "coach@example.com", "csrf_token": csrf_of(lifter)}
        )
        page = lifter.get("/account").text
        assert "Coaches with access" in page and "coach@example.com can read" in page
        from liftsafe.web.services import accounts

        store = app.state.store
        ann = accounts.authenticate(store, email="ann@example.com", password=PASSWORD)
        coach_user = accounts.authenticate(store, email="coach@example.com", password=PASSWORD)
        assert coach.get(f"/coach/lifters/{ann.id}/analyses").status_code == 200
        r = lifter.post(
            f"/account/coaches/{coach_user.id}/withdraw",
            data={"csrf_token": csrf_of(lifter)},
            follow_redirects=False,
        )
        assert r.status_code == 303
        assert coach.get(f"/coach/lifters/{ann.id}/analyses").status_code == 404
        assert coach.get(f"/coach/lifters/{ann.id}/train").status_code == 404
        assert "coach@example.com can read" not in lifter.get("/account").text


def test_files_are_private(app, lifter, settings, keypoint_json):
    from liftsafe.web.files import restrict_sqlite

    assert _mode(settings.data_dir) == 0o700
    job_id = _upload(lifter, keypoint_json).json()["id"]
    folder = settings.data_dir / "analyses" / str(job_id)
    assert _mode(folder) == 0o700 and _mode(folder / "input.json") == 0o600
    url = app.state.store.url
    if url.startswith("sqlite:///"):
        restrict_sqlite(url)
        from pathlib import Path

        assert _mode(Path(url[len("sqlite:///") :])) == 0o600


def test_the_account_page_offers_export_and_delete_once_in_its_body(lifter):
    page = lifter.get("/account").text
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == "Account · liftsafe"
    body = page.split("<body", 1)[1]
    assert body.count('id="delete-account"') == 1 and body.count("/account/export.json") == 1


def test_export_and_delete_my_account(app, lifter, other, keypoint_json, settings):
    job_id = _upload(lifter, keypoint_json).json()["id"]
    wait_job(lifter, job_id)
    export = lifter.get("/account/export.json")
    assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]
    doc = export.json()
    assert doc["account"]["email"] == "ann@example.com" and "password_hash" not in doc["account"]
    assert [a["id"] for a in doc["analyses"]] == [job_id] and "input_path" not in doc["analyses"][0]
    assert str(settings.data_dir) not in export.text
    r = lifter.post(
        "/account/delete",
        data={"confirm": "DELETE", "password": "wrong password!", "csrf_token": csrf_of(lifter)},
    )
    assert r.status_code == 200 and "type DELETE" in r.text
    r = lifter.post(
        "/account/delete",
        data={"confirm": "DELETE", "password": PASSWORD, "csrf_token": csrf_of(lifter)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert not (settings.data_dir / "analyses" / str(job_id)).exists()
    assert other.get(f"/api/analyses/{job_id}", headers={"X-CSRF-Token": csrf_of(other)}).status_code == 404
    with new_client(app) as c:
        r = c.post(
            "/signin", data={"email": "ann@example.com", "password": PASSWORD, "csrf_token": csrf_of(c)}
        )
        assert r.status_code == 400  # the account is gone
        assert sign_up(c, "ann@example.com").status_code == 303  # and the address is free again


def test_web_uploads_keep_no_shared_pose_cache(settings):
    from liftsafe.web.services.analyses import job_dir, pose_cache_dir

    assert pose_cache_dir(settings.data_dir) is None  # the worker's call: nothing kept apart from the job
    assert pose_cache_dir(settings.data_dir, 7).parent == job_dir(settings.data_dir, 7)  # deleted with it


# --------------------------------------------------------------------------- 500s -> 4xx
def test_coach_route_with_own_id_is_404_not_500(app, lifter):
    from liftsafe.web.services import accounts

    ann = accounts.authenticate(app.state.store, email="ann@example.com", password=PASSWORD)
    for url in (f"/coach/lifters/{ann.id}/analyses", f"/coach/lifters/{ann.id}/train"):
        assert lifter.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/analyses/9223372036854775808",
        "/api/analyses/99999999999999999999",
        "/analyses/9223372036854775808/report.html",
        "/workplace/jobs/18446744073709551616",
        "/coach/lifters/9223372036854775808/analyses",
        "/analyses/-1",
        "/analyses/abc",
    ],
)
def test_huge_or_bad_ids_are_404(lifter, url):
    assert lifter.get(url, headers={"X-CSRF-Token": csrf_of(lifter)}).status_code == 404


def test_huge_id_in_a_post_is_404(lifter):
    r = lifter.post("/analyses/9223372036854775808/delete", data={"csrf_token": csrf_of(lifter)})
    assert r.status_code == 404


def test_analysis_id_nan_is_a_400(app):
    with new_client(app) as admin:
        sign_up(admin, "boss@example.com", role="workplace_admin")
        for bad in ("nan", "inf", "1e400", "3.5", "99999999999999999999999"):
            r = admin.post(
                "/workplace/jobs",
                data={
                    "analysis_id": bad,
                    "v-load": "10",
                    "v-height_cm": "175",
                    "v-frequency": "1",
                    "csrf_token": csrf_of(admin),
                },
            )
            assert r.status_code in (400, 404), (bad, r.status_code)


def test_log_with_a_non_numeric_set_key_is_a_400(lifter):
    r = lifter.post("/train/log", data={"set-abc-done": "on", "csrf_token": csrf_of(lifter)})
    assert r.status_code == 400 and "set-abc-done" in r.text


# --------------------------------------------------------------------------- smaller defects
def test_no_server_paths_in_results_reports_or_errors(lifter, keypoint_json, blank_mp4, settings):
    job_id = _upload(lifter, keypoint_json, name="my lift.json").json()["id"]
    body = wait_job(lifter, job_id)
    assert body["result"]["source"] == "my lift.json"
    report = lifter.get(f"/analyses/{job_id}/report.html")
    assert report.status_code == 200 and str(settings.data_dir) not in report.text
    bad = settings.data_dir.parent / "broken.json"
    bad.write_text('{"fps": 30, "frames": [{"frame": 0, "keypoints": [[1, 2]]}]}')
    failed = wait_job(lifter, _upload(lifter, bad).json()["id"])
    assert failed["status"] == "failed" and str(settings.data_dir) not in failed["error"], failed


def test_long_file_names_keep_their_extension(lifter, keypoint_json):
    name = "x" * 300 + ".json"
    r = _upload(lifter, keypoint_json, name=name)
    assert r.status_code == 202
    job = lifter.get(f"/api/analyses/{r.json()['id']}").json()
    assert len(job["filename"]) == 255 and job["filename"].endswith(".json")


def test_deleted_ids_are_not_reused(lifter, other, keypoint_json):
    first = _upload(lifter, keypoint_json).json()["id"]
    wait_job(lifter, first)
    lifter.post(f"/analyses/{first}/delete", data={"csrf_token": csrf_of(lifter)})
    second = _upload(other, keypoint_json).json()["id"]
    assert second > first


def test_stale_partial_files_are_removed_at_start_up(settings):
    from liftsafe.web import create_app

    folder = settings.data_dir / "analyses" / "3"
    folder.mkdir(parents=True)
    partial = folder / ".annotated.mp4.partial-1a2b3c4d.mp4"
    partial.write_bytes(b"half")
    (folder / "report.html").write_text("kept")
    shared = settings.data_dir / "pose-cache" / "ab12.npz"  # the old cache shared by every account
    shared.parent.mkdir(parents=True)
    shared.write_bytes(b"landmarks")
    app = create_app(settings)
    try:
        assert not partial.exists() and (folder / "report.html").exists()
        assert not shared.parent.exists()
    finally:
        app.state.store.close()


def test_keypoint_file_with_a_huge_frame_span_fails_cleanly(lifter, tmp_path):
    kp = [[100.0 + i, 200.0, 0.9] for i in range(17)]
    doc = {
        "fps": 30,
        "layout": "coco17",
        "image_size": [640, 480],
        "frames": [{"frame": 0, "keypoints": kp}, {"frame": 1_000_000, "keypoints": kp}],
    }
    path = tmp_path / "span.json"
    path.write_text(json.dumps(doc))
    body = wait_job(lifter, _upload(lifter, path).json()["id"])
    assert body["status"] == "failed" and "LIFTSAFE_MAX_FRAME_SPAN" in body["error"]


def test_large_keypoint_files_are_refused_before_parsing(lifter, tmp_path, monkeypatch):
    """Parsing JSON takes ~10x its size in memory: keypoint uploads have their own cap."""
    monkeypatch.setenv("LIFTSAFE_MAX_KEYPOINT_MB", "1")
    doc = {"fps": 30, "layout": "coco17", "frames": [{"keypoints": [[100.5, 200.25, 0.9]] * 17}] * 4000}
    path = tmp_path / "long.json"
    path.write_text(json.dumps(doc))
    assert path.stat().st_size > 1024 * 1024
    r = _upload(lifter, path)
    assert (
        r.status_code == 400
        and "LIFTSAFE_MAX_KEYPOINT_MB" in r.json()["error"]
        and "long.json" in r.json()["error"]
    )


def test_one_account_cannot_fill_the_queue(settings, keypoint_json):
    """Uploads past LIFTSAFE_MAX_PENDING waiting analyses are refused (429) for that account only."""
    from dataclasses import replace

    from liftsafe.web import create_app

    app = create_app(
        replace(settings, worker=False, max_pending=2)
    )  # nothing finishes: every job stays queued
    try:
        with new_client(app) as ann, new_client(app) as bob:
            sign_up(ann, "ann@example.com")
            sign_up(bob, "bob@example.com")
            assert [_upload(ann, keypoint_json).status_code for _ in range(2)] == [202, 202]
            r = _upload(ann, keypoint_json)
            assert r.status_code == 429 and "LIFTSAFE_MAX_PENDING" in r.json()["error"]
            assert _upload(bob, keypoint_json).status_code == 202
    finally:
        app.state.store.close()
