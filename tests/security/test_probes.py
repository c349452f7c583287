"""The probes of the web hardening review, replayed against a real ``liftsafe serve`` on
127.0.0.1 over TCP. Every loop is bounded; every probe ends by checking the server still
answers. Memory is read from the server's own peak RSS (VmHWM in /proc)."""

from __future__ import annotations

import json
import os
import select
import socket
import stat
import threading
import time

import pytest
from probekit import PASSWORD, UPLOAD_MB, Server, csrf_of, sign_up, upload, wait_job, write_clip

pytestmark = pytest.mark.skipif(
    not os.path.isdir("/proc/self"), reason="reads the server's memory from /proc"
)

MAX_SERVER_RSS_MB = 1536  # the hardening target: memory per analysis stays <= 1.5 GB whatever the upload


@pytest.fixture(scope="module")
def lifter(server):
    with server.client() as c:
        sign_up(c, "ann@example.com")
        yield c


def _still_serving(server) -> None:
    assert server.alive()
    with server.client() as c:
        assert c.get("/signin").status_code == 200


# ------------------------------------------------------------------ 1, 2: hostile analysis inputs
def test_oversized_frames_are_refused_from_the_header(server, lifter, tmp_path):
    """(Item 1) the server runs with LIFTSAFE_MAX_PIXELS=1 MP; a 1920 x 1080 clip is refused
    from its header, before a frame is decoded, and the job fails with the limit named."""
    clip = write_clip(tmp_path / "big.mp4", size=(1920, 1080), frames=3)
    r = upload(lifter, "big.mp4", clip.read_bytes())
    assert r.status_code == 202
    body = wait_job(lifter, r.json()["id"])
    assert (
        body["status"] == "failed"
        and "LIFTSAFE_MAX_PIXELS" in body["error"]
        and "1920 x 1080" in body["error"]
    )
    assert str(server.data_dir) not in body["error"]
    _still_serving(server)


def test_one_hour_tiny_clip_is_refused_from_the_header(server, lifter, tmp_path):
    """(Item 2) a small file declaring an hour of video (here 1 fps, 3600 frames of 64 x 48)."""
    clip = write_clip(tmp_path / "hour.mp4", size=(64, 48), frames=3600, fps=1.0)
    assert clip.stat().st_size < 2 * 1024 * 1024
    r = upload(lifter, "hour.mp4", clip.read_bytes())
    body = wait_job(lifter, r.json()["id"])
    assert body["status"] == "failed" and "LIFTSAFE_MAX_DURATION_S" in body["error"]
    _still_serving(server)


def test_keypoint_file_with_frames_0_and_1e6(server, lifter):
    """(Item 2) 1.5 KB of JSON once allocated arrays for a million frames (3.2 GB)."""
    kp = [[100.0 + i, 200.0, 0.9] for i in range(17)]
    doc = {
        "fps": 30,
        "layout": "coco17",
        "image_size": [640, 480],
        "frames": [{"frame": 0, "keypoints": kp}, {"frame": 1_000_000, "keypoints": kp}],
    }
    content = json.dumps(doc).encode()
    assert len(content) < 2000
    body = wait_job(lifter, upload(lifter, "span.json", content).json()["id"])
    assert body["status"] == "failed" and "LIFTSAFE_MAX_FRAME_SPAN" in body["error"]
    assert server.peak_rss_mb() < MAX_SERVER_RSS_MB
    _still_serving(server)


def test_truncated_mp4_is_not_analysed_as_complete(server, lifter, tmp_path):
    """(Item 8) index (moov) at the start, file cut in half."""
    clip = write_clip(
        tmp_path / "whole.mp4", size=(64, 48), frames=41, noise=True, options={"movflags": "faststart"}
    )
    data = clip.read_bytes()
    body = wait_job(lifter, upload(lifter, "cut.mp4", data[: len(data) // 2]).json()["id"])
    assert body["status"] == "failed" and "cut short" in body["error"]


# ------------------------------------------------------------------ 3: chunked uploads
def _chunked_upload(server, path: str, *, headers: dict[str, str], max_bytes: int) -> tuple[int, bytes]:
    """Send a chunked multipart body of up to ``max_bytes`` until the server answers; return
    (bytes sent, the answer's first bytes)."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    head = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{server.port}",
        "Transfer-Encoding: chunked",
        "Content-Type: multipart/form-data; boundary=xyz",
        *[f"{k}: {v}" for k, v in headers.items()],
        "",
        "",
    ]
    sock.sendall("\r\n".join(head).encode())
    chunk = b"\x00" * (256 * 1024)
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    first = b'--xyz\r\nContent-Disposition: form-data; name="video"; filename="big.mp4"\r\n\r\n'
    sock.sendall(f"{len(first):x}\r\n".encode() + first + b"\r\n")
    sent = 0
    answer = b""
    try:
        while sent < max_bytes:  # bounded: at most max_bytes
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            sock.sendall(framed)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        sock.settimeout(30)
        answer = sock.recv(4096)
    except (ConnectionResetError, TimeoutError):
        pass
    sock.close()
    return sent, answer


def test_chunked_upload_stops_at_the_limit_before_auth(server):
    """(Item 3) no Content-Length, no sign-in, no CSRF token: once 300 MB were written to disk
    before the 401/403/413. Now the answer is 413 once the limit is passed."""
    before = sum(p.stat().st_size for p in server.data_dir.rglob("*") if p.is_file())
    sent, answer = _chunked_upload(server, "/api/analyses", headers={}, max_bytes=300 * 1024 * 1024)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    slack = 64 * 1024 * 1024  # socket buffers on both sides
    assert sent < (UPLOAD_MB + 1) * 1024 * 1024 + slack, sent
    after = sum(p.stat().st_size for p in server.data_dir.rglob("*") if p.is_file())
    assert after - before < 1024 * 1024
    _still_serving(server)


# ------------------------------------------------------------------ 4: workplace jobs
def test_workplace_post_does_not_stall_other_clients(server):
    """(Item 4) a large job is assessed in a worker thread: a page asked for meanwhile is
    answered before the job's POST returns. More tasks than the cap are refused."""
    with server.client() as admin:
        sign_up(admin, "boss@example.com", role="workplace_admin")
        task = {
            "load": 12,
            "origin": {"h": 35, "v": 40},
            "destination": {"h": 45, "v": 120},
            "frequency": 2,
            "coupling": "fair",
            "reps_per_day": 500,
        }
        job = {
            "name": "big",
            "units": "metric",
            "duration": "long",
            "tasks": [dict(task, name=f"t{i}") for i in range(500)],
        }
        r = admin.post("/workplace/jobs", data={"job_json": json.dumps(job), "csrf_token": csrf_of(admin)})
        assert r.status_code == 400 and "LIFTSAFE_MAX_TASKS" in r.text
        job["tasks"] = job["tasks"][:100]
        done: dict[str, float] = {}

        def post():
            with server.client() as c:
                c.cookies.update(admin.cookies)
                c.post(
                    "/workplace/jobs",
                    data={"job_json": json.dumps(job), "csrf_token": admin.cookies["liftsafe_csrf"]},
                )
            done["post"] = time.monotonic()

        t = threading.Thread(target=post)
        t.start()
        time.sleep(0.05)
        with server.client() as other:
            assert other.get("/signin").status_code == 200
            done["get"] = time.monotonic()
        t.join(120)
        assert done["get"] < done["post"]
        assert admin.get("/workplace").status_code == 200


# ------------------------------------------------------------------ 5: sign-in throttle race
def test_parallel_wrong_passwords_are_throttled(server):
    with server.client() as c:
        sign_up(c, "victim@example.com")
    results: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(30)

    def guess(i: int):
        with server.client() as c:
            token = csrf_of(c)
            start.wait(30)
            r = c.post(
                "/signin",
                data={"email": "victim@example.com", "password": f"wrong guess {i}", "csrf_token": token},
            )
            with lock:
                results.append(r.status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    checked = results.count(400)
    assert len(results) == 30 and checked <= 10 and results.count(429) == 30 - checked, results


# ------------------------------------------------------------------ 6: privacy
def test_privacy_headers_files_and_sessions(server, lifter):
    for url in ("/analyses", "/account", "/train", "/api/me"):
        r = lifter.get(url, headers={"X-CSRF-Token": csrf_of(lifter)})
        assert r.headers["cache-control"] == "no-store", url
    r = lifter.get("/signin", headers={"X-Forwarded-Proto": "https"})  # behind a TLS proxy on this host
    assert r.headers["strict-transport-security"].startswith("max-age=")
    assert stat.S_IMODE(server.db.stat().st_mode) == 0o600
    assert stat.S_IMODE(server.data_dir.stat().st_mode) == 0o700
    for p in server.data_dir.rglob("*"):
        if not p.name.startswith(".upload-"):
            assert stat.S_IMODE(p.stat().st_mode) == (0o700 if p.is_dir() else 0o600), p


def test_unknown_and_known_addresses_get_the_same_answers(server):
    with server.client() as c:
        sign_up(c, "known@example.com")
    with server.client() as c:
        answers = []
        for email in ("known@example.com", "unknown@example.com"):
            r = c.post(
                "/signin", data={"email": email, "password": "wrong password!", "csrf_token": csrf_of(c)}
            )
            answers.append((r.status_code, r.text.replace(email, "EMAIL")))
        assert answers[0] == answers[1]


def test_sign_in_replaces_the_browser_session_and_sign_out_revokes_tokens(server):
    with server.client() as c:
        sign_up(c, "first@example.com")
        page = c.post("/account/tokens", data={"name": "t", "csrf_token": csrf_of(c)})
        token = page.text.split('id="new-token">')[1].split("<")[0]
        old = c.cookies["liftsafe_session"]
        sign_up(c, "second@example.com")  # someone else signs up / in on the same browser
        with server.client() as replay:
            replay.cookies.set("liftsafe_session", old)
            assert replay.get("/account").status_code == 303  # the first person's session ended
        with server.client() as api:
            assert api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with server.client() as c:  # the token's owner signs in again, then out
        r = c.post(
            "/signin", data={"email": "first@example.com", "password": PASSWORD, "csrf_token": csrf_of(c)}
        )
        assert r.status_code == 303
        assert c.post("/signout", data={"csrf_token": csrf_of(c)}).status_code == 303
        with server.client() as api:
            assert api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


# ------------------------------------------------------------------ 7: 500s
def test_former_500s_are_4xx_and_keep_the_connection(server, lifter):
    c = lifter  # one keep-alive connection for every probe: a 500 used to reset it
    me = c.get("/api/me").json()["id"]
    urls = [
        f"/coach/lifters/{me}/analyses",
        f"/coach/lifters/{me}/train",
        "/analyses/9223372036854775808",
        "/api/analyses/18446744073709551616",
        "/workplace/jobs/9223372036854775808",
    ]
    for url in urls:
        r = c.get(url, headers={"X-CSRF-Token": csrf_of(c)})
        assert 400 <= r.status_code < 500, (url, r.status_code)
    r = c.post("/train/log", data={"set-abc-done": "on", "csrf_token": csrf_of(c)})
    assert r.status_code == 400
    with server.client() as admin:
        sign_up(admin, "admin2@example.com", role="workplace_admin")
        r = admin.post(
            "/workplace/jobs",
            data={
                "analysis_id": "nan",
                "v-load": "10",
                "v-height_cm": "175",
                "v-frequency": "1",
                "csrf_token": csrf_of(admin),
            },
        )
        assert r.status_code == 400
    _still_serving(server)


# ------------------------------------------------------------------ 9: smaller defects
def test_text_limits_file_names_and_ids(server, tmp_path):
    with server.client() as c:
        r = c.post(
            "/signup",
            data={"email": "a" * (1024 * 1024) + "@x.org", "password": PASSWORD, "csrf_token": csrf_of(c)},
        )
        assert r.status_code == 413
        sign_up(c, "names@example.com")
        r = c.post(
            "/train/log", data={"notes": "n" * (1024 * 1024), "set-1-done": "on", "csrf_token": csrf_of(c)}
        )
        assert r.status_code == 413
        kp = json.dumps(
            {
                "fps": 30,
                "layout": "coco17",
                "frames": [{"keypoints": [[100.0 + i, 200.0 + f, 0.9] for i in range(17)]} for f in range(5)],
            }
        ).encode()
        r = upload(c, "y" * 300 + ".json", kp)
        first = r.json()["id"]
        job = c.get(f"/api/analyses/{first}").json()
        assert job["filename"].endswith(".json") and len(job["filename"]) == 255
        wait_job(c, first)
        c.post(f"/analyses/{first}/delete", data={"csrf_token": csrf_of(c)})
        second = upload(c, "again.json", kp).json()["id"]
        assert second > first  # a deleted id is not handed out again


def test_stale_partials_are_removed_when_the_server_starts(tmp_path):
    server = Server(tmp_path)
    folder = server.data_dir / "analyses" / "5"
    folder.mkdir(parents=True)
    partial = folder / ".annotated.mp4.partial-0badc0de.mp4"
    partial.write_bytes(b"\x00" * 1000)
    server.start()
    try:
        assert not partial.exists()
    finally:
        server.stop(kill=True)


def test_server_memory_stayed_bounded(server):
    """After every probe above (run first, in file order), the server's peak RSS."""
    peak = server.peak_rss_mb()
    print(f"server peak RSS after the probes: {peak:.0f} MB")
    assert peak < MAX_SERVER_RSS_MB
