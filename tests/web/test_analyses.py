"""Analyses: uploads (real files from the simulator), the worker, status/result contract,
report files, history, cancelling, restarts, bad input and ownership."""

from __future__ import annotations

import json
import time

import pytest
from webkit import api_token, csrf_of, new_client, wait_job


def _upload_api(client, path, *, exercise="deadlift", headers=None, name=None):
    with open(path, "rb") as f:
        return client.post(
            "/api/analyses",
            files={"video": (name or path.name, f)},
            data={"exercise": exercise},
            headers=headers or {},
        )


def test_keypoint_upload_runs_the_real_pipeline_and_returns_the_cli_contract(app, lifter, keypoint_json):
    token = api_token(lifter)
    auth = {"Authorization": f"Bearer {token}"}
    with new_client(app) as api:
        r = _upload_api(api, keypoint_json, headers=auth)
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        body = wait_job(api, job_id, headers=auth)
    assert body["status"] == "done", body
    assert body["progress_pct"] == 100
    from liftsafe.pipeline import analyze_keypoints

    expected = analyze_keypoints(keypoint_json, exercise="deadlift").result.to_dict()
    got = body["result"]
    assert got["rep_count"] == expected["rep_count"] == 3
    assert got["verdict"] == expected["verdict"]
    assert [r["faults"] for r in got["reps"]] == json.loads(
        json.dumps([r["faults"] for r in expected["reps"]])
    )
    # the report page shows the video, per-rep table and the CLI's HTML report
    page = lifter.get(f"/analyses/{job_id}")
    assert (
        page.status_code == 200 and f"/analyses/{job_id}/annotated.mp4" in page.text and "Reps" in page.text
    )
    video = lifter.get(f"/analyses/{job_id}/annotated.mp4")
    assert (
        video.status_code == 200
        and video.headers["content-type"] == "video/mp4"
        and video.content[4:8] == b"ftyp"
    )
    ranged = lifter.get(f"/analyses/{job_id}/annotated.mp4", headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.content) == 100
    report = lifter.get(f"/analyses/{job_id}/report.html")
    assert report.status_code == 200 and ("<svg" in report.text or "data:image/png" in report.text)
    history = lifter.get("/analyses")
    assert f'href="/analyses/{job_id}"' in history.text and "class=\"trend\"" in history.text


def _upload_page(client, path, name):
    with open(path, "rb") as f:
        r = client.post("/analyses", files={"video": (name, f, "video/mp4")},
                        data={"exercise": "deadlift", "csrf_token": csrf_of(client)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def test_a_video_without_a_person_fails_with_one_line(lifter, blank_mp4):
    job_id = _upload_page(lifter, blank_mp4, "empty.mp4")
    body = wait_job(lifter, job_id)
    assert body["status"] == "failed" and body["result"] is None
    assert "no person found" in body["error"] and "\n" not in body["error"]
    page = lifter.get(f"/analyses/{job_id}")
    assert "The analysis failed" in page.text and "no person found" in page.text


def test_a_rendered_video_goes_through_blazepose(lifter, silhouette_mp4):
    """The simulator's silhouette, encoded as H.264, analysed by the real video pipeline."""
    job_id = _upload_page(lifter, silhouette_mp4, "lift.mp4")
    body = wait_job(lifter, job_id)
    if body["status"] == "failed":  # BlazePose may legitimately not see a drawn figure
        assert "no person found" in body["error"]
    else:
        assert body["status"] == "done" and body["result"]["exercise"] == "deadlift"
        assert body["result"]["source"] == "lift.mp4"  # the uploaded name, never the server path
    assert lifter.get("/api/analyses").json()[0]["id"] == job_id


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("notes.txt", b"hello", 415, "is not a video"),
        ("fake.mp4", b"this is not a video at all" * 10, 415, "does not contain MP4 data"),
        ("empty.mp4", b"", 400, "is empty"),
    ],
)
def test_non_video_uploads_are_rejected_with_json(lifter, name, content, status, message):
    r = lifter.post("/api/analyses", files={"video": (name, content)}, data={"exercise": "deadlift"},
                    headers={"X-CSRF-Token": csrf_of(lifter)})
    assert r.status_code == status and message in r.json()["error"]
    assert lifter.get("/api/analyses").json() == []


def test_unknown_exercise_is_a_clear_400(lifter, keypoint_json):
    r = _upload_api(lifter, keypoint_json, exercise="deadlfit", headers={"X-CSRF-Token": csrf_of(lifter)})
    assert r.status_code == 400 and "exercise must be one of" in r.json()["error"]


def test_oversized_upload_is_413_and_nothing_is_kept(app, lifter, settings):
    big = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (settings.max_upload_bytes + 10)
    r = lifter.post("/api/analyses", files={"video": ("big.mp4", big)}, data={"exercise": "deadlift"},
                    headers={"X-CSRF-Token": csrf_of(lifter)})
    assert r.status_code == 413 and "5 MB limit" in r.json()["error"]
    leftovers = [p for p in (settings.data_dir / "analyses").rglob("*") if p.is_file()]
    assert leftovers == []
    assert lifter.get("/analyses").status_code == 200  # still serving


def test_an_upload_page_error_is_a_page(lifter):
    r = lifter.post("/analyses", files={"video": ("notes.txt", b"hello")},
                    data={"exercise": "deadlift", "csrf_token": csrf_of(lifter)})
    assert r.status_code == 415 and "<html" in r.text and "is not a video" in r.text


def test_another_user_cannot_read_or_cancel(app, lifter, other, keypoint_json):
    r = _upload_api(lifter, keypoint_json, headers={"X-CSRF-Token": csrf_of(lifter)})
    job_id = r.json()["id"]
    wait_job(lifter, job_id)
    for path in (f"/api/analyses/{job_id}", f"/analyses/{job_id}", f"/analyses/{job_id}/annotated.mp4",
                 f"/analyses/{job_id}/report.html"):
        resp = other.get(path)
        assert resp.status_code == 404, path
    assert other.get("/api/analyses").json() == []
    assert (
        other.post(f"/api/analyses/{job_id}/cancel", headers={"X-CSRF-Token": csrf_of(other)}).status_code
        == 404
    )
    assert str(job_id) not in other.get("/analyses").text.split("History")[1]


def test_invited_coach_can_read_but_others_cannot(app, lifter, keypoint_json):
    from webkit import sign_up

    with new_client(app) as coach:
        sign_up(coach, "coach@example.com", role="coach")
        job_id = _upload_api(lifter, keypoint_json, headers={"X-CSRF-Token": csrf_of(lifter)}).json()["id"]
        assert coach.get(f"/api/analyses/{job_id}").status_code == 404
        lifter.post(
            "/account/coach", data={"coach_email": "coach@example.com", "csrf_token": csrf_of(lifter)}
        )
        assert coach.get(f"/api/analyses/{job_id}").status_code == 200
        assert "ann@example.com" in coach.get("/coach").text
        # a coach can read, not cancel
        assert (
            coach.post(f"/api/analyses/{job_id}/cancel", headers={"X-CSRF-Token": csrf_of(coach)}).status_code
            == 404
        )


def test_jobs_survive_a_restart_and_can_be_cancelled(settings, keypoint_json):
    """With the worker off, jobs stay queued; a new app (restart) re-queues running ones and runs them."""
    from dataclasses import replace

    from webkit import sign_up

    from liftsafe.store.web_models import AnalysisJobRow
    from liftsafe.web import create_app

    first = create_app(replace(settings, worker=False))
    with new_client(first) as c:
        sign_up(c, "ann@example.com")
        headers = {"X-CSRF-Token": csrf_of(c)}
        keep = _upload_api(c, keypoint_json, headers=headers).json()["id"]
        drop = _upload_api(c, keypoint_json, headers=headers).json()["id"]
        cancelled = c.post(f"/api/analyses/{drop}/cancel", headers=headers).json()
        assert cancelled["status"] == "cancelled"
        again = c.post(f"/api/analyses/{drop}/cancel", headers=headers)
        assert again.status_code == 400 and "already finished" in again.json()["error"]
        with first.state.store.transaction() as s:  # as if the server died mid-analysis
            s.get(AnalysisJobRow, keep).status = "running"
        cookies = dict(c.cookies)
    first.state.store.close()
    second = create_app(settings)
    with new_client(second) as c2:
        c2.cookies.update(cookies)
        assert wait_job(c2, keep)["status"] == "done"
        assert c2.get(f"/api/analyses/{drop}").json()["status"] == "cancelled"
    second.state.store.close()


def test_a_crashing_job_fails_cleanly_and_the_worker_goes_on(app, lifter, keypoint_json, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"layout": "blazepose33", "frames": "not a list"}')
    headers = {"X-CSRF-Token": csrf_of(lifter)}
    bad_id = _upload_api(lifter, bad, headers=headers).json()["id"]
    good_id = _upload_api(lifter, keypoint_json, headers=headers).json()["id"]
    failed = wait_job(lifter, bad_id)
    assert failed["status"] == "failed" and failed["error"] and "\n" not in failed["error"]
    assert wait_job(lifter, good_id)["status"] == "done"


def test_database_down_is_a_clear_503(app, lifter, settings):
    from sqlalchemy import create_engine

    store = app.state.store
    good = store.engine
    store.engine = create_engine("sqlite:////nonexistent-dir/liftsafe.db")
    try:
        r = lifter.get("/api/analyses")
        assert r.status_code == 503 and "nothing was saved" in r.json()["error"]
        page = lifter.get("/analyses")
        assert page.status_code == 503 and "Database or disk unavailable" in page.text
    finally:
        store.engine = good
    # a database failure in the middle of an upload leaves no file behind
    import io

    from liftsafe.errors import OutputError
    from liftsafe.web.services import accounts, analyses

    user = accounts.token_user(store, api_token(lifter))
    store.engine = create_engine("sqlite:////nonexistent-dir/liftsafe.db")
    try:
        with pytest.raises(OutputError, match="nothing was saved"):
            analyses.create_job(store, user, stream=io.BytesIO(b"{}"), filename="k.json", exercise="deadlift",
                                data_dir=settings.data_dir, max_bytes=1000)
    finally:
        store.engine = good
    assert [p for p in (settings.data_dir / "analyses").rglob("*") if p.is_file()] == []
    assert lifter.get("/api/analyses").status_code == 200


@pytest.mark.clips
def test_real_clip_end_to_end(clips_dir, tmp_path):
    """A real 3-s deadlift clip through POST /api/analyses -> worker -> BlazePose -> report files."""
    from webkit import sign_up

    from liftsafe.web import create_app
    from liftsafe.web.settings import Settings

    clip = clips_dir / "good" / "good002.mp4"
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'web.db'}", data_dir=tmp_path / "data"))
    with new_client(app) as c:
        sign_up(c, "ann@example.com")
        auth = {"Authorization": f"Bearer {api_token(c)}"}
        r = _upload_api(c, clip, headers=auth)
        assert r.status_code == 202
        body = wait_job(c, r.json()["id"], headers=auth, timeout_s=150)
        assert body["status"] == "done", body
        result = body["result"]
        assert (
            result["exercise"] == "deadlift"
            and result["rep_count"] >= 1
            and result["verdict"] in ("good", "needs_work", "unsafe")
        )
        assert {"reps", "warnings", "view", "fps", "duration_s"} <= set(result)
        video = c.get(f"/analyses/{body['id']}/annotated.mp4")
        assert video.status_code == 200 and len(video.content) > 10_000
    app.state.store.close()


def test_locked_database_is_a_clear_503_and_nothing_is_lost(tmp_path):
    """Another program holds the SQLite write lock: a clear page, nothing half-saved, serving goes on."""
    import sqlite3

    from webkit import sign_up

    from liftsafe.web import create_app
    from liftsafe.web.settings import Settings

    db = tmp_path / "web.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}", data_dir=tmp_path / "data", worker=False))
    with new_client(app) as c:
        sign_up(c, "ann@example.com")
        token = csrf_of(c)
        holder = sqlite3.connect(db, timeout=0.1)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            r = c.post("/account/tokens", data={"name": "x", "csrf_token": token})
        finally:
            holder.rollback()
            holder.close()
        assert (
            r.status_code == 503 and "locked by another program" in r.text and "nothing was saved" in r.text
        )
        page = c.get("/account")
        assert page.status_code == 200 and "<li>none</li>" in page.text
    app.state.store.close()


def test_declared_oversized_upload_is_refused_before_reading(lifter, settings):
    body = b"x" * (settings.max_upload_bytes + 2 * 1024 * 1024)
    r = lifter.post(
        "/api/analyses",
        content=body,
        headers={"Content-Type": "multipart/form-data; boundary=zz", "X-CSRF-Token": csrf_of(lifter)},
    )
    assert r.status_code == 413 and "5 MB limit" in r.json()["error"]
    page = lifter.post(
        "/analyses", content=body, headers={"Content-Type": "multipart/form-data; boundary=zz"}
    )
    assert page.status_code == 413 and "<html" in page.text
    assert r.headers["x-frame-options"] == "SAMEORIGIN"


def test_a_running_analysis_can_be_cancelled(lifter, long_blank_mp4):
    headers = {"X-CSRF-Token": csrf_of(lifter)}
    job_id = _upload_api(lifter, long_blank_mp4, headers=headers).json()["id"]
    deadline = time.monotonic() + 60
    while lifter.get(f"/api/analyses/{job_id}").json()["status"] == "queued" and time.monotonic() < deadline:
        time.sleep(0.05)
    r = lifter.post(f"/api/analyses/{job_id}/cancel", headers=headers)
    assert r.status_code == 200 and r.json()["status"] == "running"
    body = wait_job(lifter, job_id)
    assert body["status"] == "cancelled" and body["result"] is None


def test_delete_removes_the_analysis_and_its_files(lifter, keypoint_json, settings):
    headers = {"X-CSRF-Token": csrf_of(lifter)}
    job_id = _upload_api(lifter, keypoint_json, headers=headers).json()["id"]
    wait_job(lifter, job_id)
    folder = settings.data_dir / "analyses" / str(job_id)
    assert (folder / "annotated.mp4").is_file() and (folder / "report.html").is_file()
    r = lifter.post(
        f"/analyses/{job_id}/delete", data={"csrf_token": csrf_of(lifter)}, follow_redirects=False
    )
    assert r.status_code == 303 and not folder.exists()
    assert lifter.get(f"/api/analyses/{job_id}").status_code == 404
