"""The analysis job queue and its workers, on SQLite and PostgreSQL: exclusive claims across
servers, limited child processes, attempts, stale jobs, cancel."""

from __future__ import annotations

import io
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from liftsafe.batch.isolation import Limits
from liftsafe.store.db import Store
from liftsafe.store.web_models import AnalysisJobRow
from liftsafe.web.services import accounts, analyses
from liftsafe.web.worker import Worker, WorkerConfig


@pytest.fixture()
def store(db_url):
    with Store(db_url) as s:
        yield s


@pytest.fixture()
def user(store):
    return accounts.sign_up(store, email="ann@example.com", password="a long enough password")


def _queue(store, user, path: Path, data_dir: Path) -> int:
    return analyses.create_job(
        store,
        user,
        stream=io.BytesIO(path.read_bytes()),
        filename=path.name,
        exercise="deadlift",
        data_dir=data_dir,
        max_bytes=50 * 1024 * 1024,
        max_pending=10,  # these tests queue more jobs than one account may have waiting on the web
    ).id


def _job_row(user, *, status: str, at: datetime, **fields) -> AnalysisJobRow:
    """A job row written straight to the table (no upload): for the claim and re-queue tests."""
    fields.setdefault("filename", "x.mp4")
    fields.setdefault("progress_pct", 0.0)
    return AnalysisJobRow(
        user_id=user.id,
        exercise="deadlift",
        input_path="/nowhere",
        status=status,
        cancel_requested=False,
        created_at=at,
        updated_at=at,
        **fields,
    )


def _row(store, job_id) -> AnalysisJobRow:
    with store.transaction() as s:
        return s.get(AnalysisJobRow, job_id)


def _wait(store, ids, timeout_s=240.0) -> list[AnalysisJobRow]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        rows = [_row(store, i) for i in ids]
        if all(r.status in ("done", "failed", "cancelled") for r in rows):
            return rows
        time.sleep(0.2)
    raise AssertionError(f"jobs not finished: {[(r.id, r.status, r.attempts) for r in rows]}")


def _run(workers: list[Worker], store, ids, timeout_s=240.0) -> list[AnalysisJobRow]:
    """Start the workers, wait until the jobs ``ids`` are finished, stop the workers (also on failure)."""
    for w in workers:
        w.start()
    try:
        return _wait(store, ids, timeout_s)
    finally:
        for w in workers:
            w.stop()


SOUND = WorkerConfig(workers=1, limits=Limits(memory_mb=1536, timeout_s=300))
"""One child at a time, under the default memory limit and a time limit no sound job reaches."""


def test_claims_are_exclusive_across_servers_and_threads(db_url, store, user, tmp_path):
    """Two servers (own engines) with three threads each race for 24 queued jobs: every job is
    claimed exactly once."""
    now = datetime.now().replace(microsecond=0)
    with store.transaction() as s:
        s.add_all(_job_row(user, status="queued", at=now, filename=f"c{i}.mp4") for i in range(24))
    servers = [Worker(Store(db_url), tmp_path, WorkerConfig(workers=1)) for _ in range(2)]
    claimed: list[int] = []
    lock = threading.Lock()

    def race(worker: Worker, name: str) -> None:
        misses = 0
        while misses < 20:
            try:
                claim = worker.claim(name)
            except Exception:  # SQLite: a write lock taken by the other server; try again
                claim = None
            if claim is None:
                misses += 1
                time.sleep(0.01)
                continue
            with lock:
                claimed.append(claim.job_id)

    threads = [
        threading.Thread(target=race, args=(w, f"{w.name}-{k}:{i}"))
        for k, w in enumerate(servers)
        for i in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for w in servers:
        w.store.close()
    assert len(claimed) == 24 and len(set(claimed)) == 24
    with store.transaction() as s:
        rows = s.query(AnalysisJobRow).all()
        assert {r.status for r in rows} == {"running"} and {r.attempts for r in rows} == {1}


def test_two_servers_share_one_queue_and_run_each_job_once(db_url, store, user, tmp_path, keypoint_json):
    data = tmp_path / "data"
    ids = [_queue(store, user, keypoint_json, data) for _ in range(4)]
    servers = [Worker(Store(db_url), data, SOUND) for _ in range(2)]
    try:
        rows = _run(servers, store, ids)
    finally:
        for w in servers:
            w.store.close()
    assert [r.status for r in rows] == ["done"] * 4 and [r.attempts for r in rows] == [1] * 4
    assert all(r.result["rep_count"] == 3 for r in rows)
    assert all((data / "analyses" / str(i) / "report.html").is_file() for i in ids)


def test_a_hostile_input_kills_its_child_not_the_server(
    store, user, tmp_path, keypoint_json, write_hostile_keypoints
):
    """A 2 kB keypoint file whose frame numbers run to 1,000,000 needs gigabytes: under the default
    limit of 1.5 GB its child fails, three times, then the job fails with the reason; the job behind
    it runs. (The input limits refuse such a file before it is read; the fixture lifts them so the
    memory limit, the last line of defence, is what is tested.)"""
    hostile = write_hostile_keypoints(tmp_path / "hostile.json")
    data = tmp_path / "data"
    bad, good = _queue(store, user, hostile, data), _queue(store, user, keypoint_json, data)
    rows = _run([Worker(store, data, SOUND)], store, [bad, good])
    assert rows[0].status == "failed" and rows[0].attempts == 3, rows[0].error
    assert (
        "3 times" in rows[0].error and "1536 MB memory limit" in rows[0].error and "\n" not in rows[0].error
    )
    assert rows[1].status == "done" and rows[1].attempts == 1


def test_a_job_over_the_time_limit_is_killed_and_fails_after_three_attempts(
    store, user, tmp_path, keypoint_json
):
    data = tmp_path / "data"
    job = _queue(store, user, keypoint_json, data)
    worker = Worker(store, data, WorkerConfig(workers=1, limits=Limits(memory_mb=None, timeout_s=0.3)))
    (row,) = _run([worker], store, [job])
    assert row.status == "failed" and row.attempts == 3 and "0.3 s time limit" in row.error


def test_a_job_whose_worker_died_is_requeued_then_failed_after_three_attempts(store, user, tmp_path):
    now = datetime.now().replace(microsecond=0)
    old = now - timedelta(minutes=10)
    with store.transaction() as s:
        rows = [
            _job_row(
                user,
                status="running",
                at=old,
                progress_pct=40.0,
                attempts=n,
                claimed_by=f"elsewhere:1:{n}",
                heartbeat_at=hb,
            )
            for n, hb in ((1, old), (3, old), (1, now))
        ]
        s.add_all(rows)
        s.flush()
        ids = [r.id for r in rows]
    worker = Worker(store, tmp_path, WorkerConfig(workers=1, stale_after_s=60))
    assert sorted(worker.requeue_stale()) == sorted(ids[:2])
    again, dead, alive = (_row(store, i) for i in ids)
    assert again.status == "queued" and again.attempts == 1 and again.progress_pct == 0.0
    assert dead.status == "failed" and "3 times" in dead.error and "worker stopped" in dead.error
    assert alive.status == "running"  # its heartbeat is fresh: another server is running it


def test_a_stopping_server_puts_its_running_job_back_without_counting_the_attempt(
    store, user, tmp_path, keypoint_json
):
    data = tmp_path / "data"
    job = _queue(store, user, keypoint_json, data)
    worker = Worker(store, data, SOUND)
    worker.start()
    deadline = time.monotonic() + 60
    while _row(store, job).status == "queued" and time.monotonic() < deadline:
        time.sleep(0.02)
    worker.stop()
    row = _row(store, job)
    assert (row.status, row.attempts) in (
        ("queued", 0),
        ("done", 1),
    )  # stopped in time, or it had already finished


def test_an_unreachable_ray_address_fails_the_job_with_the_reason_after_three_attempts(
    store, user, tmp_path, keypoint_json
):
    pytest.importorskip("ray")
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp_path / "data"
    job = _queue(store, user, keypoint_json, data)
    worker = Worker(store, data, WorkerConfig(workers=1, ray_address=f"127.0.0.1:{port}"))
    (row,) = _run([worker], store, [job], timeout_s=120)
    assert row.status == "failed" and row.attempts == 3 and f"127.0.0.1:{port}" in row.error


def test_a_job_of_a_dead_server_on_this_host_is_requeued_at_once(store, user, tmp_path):
    import socket
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    now = datetime.now().replace(microsecond=0)
    with store.transaction() as s:
        row = _job_row(
            user,
            status="running",
            at=now,
            progress_pct=10.0,
            attempts=1,
            claimed_by=f"{socket.gethostname()}:{gone.pid}:0",
            heartbeat_at=now,
        )
        s.add(row)
        s.flush()
        job = row.id
    worker = Worker(store, tmp_path, WorkerConfig(workers=1, stale_after_s=600))
    assert worker.requeue_stale() == [job]  # its heartbeat is fresh, but its process is gone
    assert _row(store, job).status == "queued"
