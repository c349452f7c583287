"""Helpers shared by the web tests (signed-in clients, CSRF, sound assessment answers, uploading and
waiting for jobs)."""

from __future__ import annotations

import re
import time

PASSWORD = "correct horse battery"

#: The answers of a sound beginner to the training assessment form (cleared to train, an 8-week plan).
ASSESS = {
    "level": "beginner",
    "pain_now": "0",
    "toe_touch": "floor",
    "hinge_test": "pass",
    "job_demand": "none",
    "sessions_per_week": "2",
    "weeks": "8",
}


def new_client(app):
    from fastapi.testclient import TestClient

    return TestClient(app)


def csrf_of(client) -> str:
    """The CSRF token (double-submit cookie), fetching a page first if there is none yet."""
    if "liftsafe_csrf" not in client.cookies:
        client.get("/signin")
    return client.cookies["liftsafe_csrf"]


def sign_up(client, email: str, role: str = "lifter"):
    return client.post(
        "/signup",
        data={"email": email, "password": PASSWORD, "role": role, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )


def api_token(client) -> str:
    page = client.post("/account/tokens", data={"name": "test", "csrf_token": csrf_of(client)})
    m = re.search(r'id="new-token">([^<]+)<', page.text)
    assert m, page.text[:500]
    return m.group(1)


def wait_job(client, job_id: int, *, timeout_s: float = 90.0, headers=None) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body = client.get(f"/api/analyses/{job_id}", headers=headers or {}).json()
        if body["status"] not in ("queued", "running"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout_s} s: {body}")


def analysed(client, path, *, exercise: str = "box-lift") -> int:
    """The id of ``client``'s analysis of the keypoint file ``path``, uploaded through the API and
    finished (asserted)."""
    with open(path, "rb") as f:
        r = client.post("/api/analyses", files={"video": ("lift.json", f)}, data={"exercise": exercise},
                        headers={"X-CSRF-Token": csrf_of(client)})
    job_id = r.json()["id"]
    assert wait_job(client, job_id)["status"] == "done"
    return job_id
