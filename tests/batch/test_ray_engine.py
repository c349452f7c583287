"""The Ray engine on a local Ray (``ray.init(num_cpus=2)``, no network, no dashboard): the
same results as the local process pool; an unreachable head is a one-line error, no hang."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def _results(out: Path) -> dict[str, dict]:
    return {p.relative_to(out).as_posix(): json.loads(p.read_text()) for p in sorted(out.rglob("*.json"))}


def test_local_and_ray_engines_give_identical_results(local_ray, run_cli, clip_folder, tmp_path):
    code_local = run_cli(
        "batch", str(clip_folder), "--out", str(tmp_path / "local"), "--engine", "local", "-j", "2"
    ).exit_code
    res = run_cli("batch", str(clip_folder), "--out", str(tmp_path / "ray"), "--engine", "ray", "-j", "2")
    assert code_local == res.exit_code == 3, res.stderr  # broken.json is an error row on both
    local, on_ray = _results(tmp_path / "local"), _results(tmp_path / "ray")
    assert set(local) == {"lift3.json.json", "sub/lift4.csv.json"} and local == on_ray
    assert (tmp_path / "local/summary.csv").read_text() == (tmp_path / "ray/summary.csv").read_text()
    ledger = (tmp_path / "ray/.liftsafe-batch/ledger.jsonl").read_text()
    assert len({json.loads(line)["worker"] for line in ledger.splitlines()}) >= 1


def test_back_pressure_bounds_the_tasks_in_flight(local_ray, clip_folder):
    from liftsafe.batch.engines import IN_FLIGHT_PER_WORKER, RayEngine
    from liftsafe.batch.work import ClipTask

    tasks = [ClipTask(str(clip_folder / "lift3.json"), f"c{i}", "deadlift") for i in range(8)]
    engine = RayEngine(workers=1)
    seen = []
    lazy = iter(tasks)
    pulled = []

    def feed():
        for t in lazy:
            pulled.append(t.rel)
            yield t

    for outcome in engine.run(feed()):
        seen.append(outcome.rel)
        # the engine never holds more than its in-flight budget ahead of what it has returned
        assert len(pulled) - len(seen) <= IN_FLIGHT_PER_WORKER
    assert sorted(seen) == sorted(t.rel for t in tasks)


def test_an_unreachable_ray_address_is_one_line_naming_it(run_cli, clip_folder, tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.monotonic()
    res = run_cli(
        "batch",
        str(clip_folder),
        "--out",
        str(tmp_path / "out"),
        "--engine",
        "ray",
        "--ray-address",
        f"127.0.0.1:{port}",
    )
    assert res.exit_code == 2 and f"127.0.0.1:{port}" in res.stderr and "Traceback" not in res.stderr
    assert res.stderr.count("error:") == 1
    assert time.monotonic() - t0 < 60
    assert not list((tmp_path / "out").rglob("*.json"))


def test_web_jobs_run_on_ray_when_an_address_is_set(local_ray, tmp_path, keypoint_folder):
    """LIFTSAFE_RAY_ADDRESS: the worker runs the limited child as a Ray task; same result."""
    import io

    from liftsafe.batch.isolation import Limits
    from liftsafe.store.db import Store
    from liftsafe.store.web_models import AnalysisJobRow
    from liftsafe.web.services import accounts, analyses
    from liftsafe.web.worker import Worker, WorkerConfig

    clip = keypoint_folder / "lift3.json"
    data = tmp_path / "data"
    with Store(f"sqlite:///{tmp_path / 'web.db'}") as store:
        user = accounts.sign_up(store, email="ann@example.com", password="a long enough password")
        job = analyses.create_job(
            store,
            user,
            stream=io.BytesIO(clip.read_bytes()),
            filename="lift3.json",
            exercise="deadlift",
            data_dir=data,
            max_bytes=10 << 20,
        ).id
        worker = Worker(store, data, WorkerConfig(workers=1, ray_address="local", limits=Limits(1536, 300)))
        worker.start()
        try:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                with store.transaction() as s:
                    row = s.get(AnalysisJobRow, job)
                if row.status in ("done", "failed"):
                    break
                time.sleep(0.2)
        finally:
            worker.stop()
    assert row.status == "done", row.error
    from liftsafe.pipeline import analyze_path

    expected = analyze_path(data / "analyses" / str(job) / "input.json", exercise="deadlift").result.to_dict()
    assert row.result == expected
    assert (data / "analyses" / str(job) / "report.html").is_file()
