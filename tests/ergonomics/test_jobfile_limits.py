"""Job-file size limits: file size and task count, checked before parsing, configurable."""

from __future__ import annotations

import copy
import json
import tracemalloc

import pytest

from liftsafe.ergonomics import jobfile
from liftsafe.ergonomics.jobfile import (
    MAX_FILE_BYTES,
    MAX_TASKS,
    check_task_count,
    load_job_file,
    max_file_bytes,
    max_tasks,
    parse_job,
)
from liftsafe.errors import InputError

TASK = {
    "load": 5,
    "origin": {"h": 30, "v": 75},
    "destination": {"h": 30, "v": 100},
    "frequency": 1,
    "coupling": "good",
}


def job(n: int) -> dict:
    return {
        "units": "metric",
        "duration": "long",
        "tasks": [{**copy.deepcopy(TASK), "name": f"t{i}"} for i in range(n)],
    }


def test_defaults_are_documented_and_sane():
    assert MAX_FILE_BYTES == 1 << 20 and MAX_TASKS == 200
    assert max_file_bytes() == MAX_FILE_BYTES and max_tasks() == MAX_TASKS
    # a job at the task limit fits well inside the size limit
    assert len(json.dumps(job(MAX_TASKS))) < MAX_FILE_BYTES / 4


def test_too_many_tasks_is_refused_before_any_task_is_validated(tmp_path):
    data = job(MAX_TASKS + 1)
    data["tasks"][-1]["load"] = -1  # would be an error too, but the count is checked first
    with pytest.raises(InputError, match=r"field 'tasks' has 201 tasks; the limit is 200 per job"):
        parse_job(data)
    assert len(parse_job(job(MAX_TASKS)).job.tasks) == MAX_TASKS
    with pytest.raises(InputError, match=r"has 3 tasks; the limit is 2"):
        parse_job(job(3), max_tasks=2)


def test_large_file_is_refused_before_it_is_read(tmp_path):
    # the 50 MB / 382,691-task file that once took 2.6 GB: refused from its size, nothing parsed
    path = tmp_path / "huge.json"
    with path.open("w") as fh:
        fh.write('{"units": "metric", "duration": "long", "tasks": [')
        fh.write(",".join([json.dumps({**TASK, "name": "x"})] * 5000))  # ~0.6 MB of tasks
        fh.write("]}")
        fh.seek(50_000_000)
        fh.write(" ")  # sparse: 50 MB on paper
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"huge.json: the job file is larger than 1,048,576 bytes"):
            load_job_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # the file was not read whole


def test_limits_are_configurable_per_call_and_by_environment(tmp_path, monkeypatch):
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job(5)))
    size = path.stat().st_size
    with pytest.raises(InputError, match=r"larger than"):
        load_job_file(path, max_bytes=size - 1)
    assert len(load_job_file(path, max_bytes=size).job.tasks) == 5
    with pytest.raises(InputError, match=r"the limit is 4 per job"):
        load_job_file(path, max_tasks=4)
    monkeypatch.setenv("LIFTSAFE_MAX_JOB_TASKS", "3")
    with pytest.raises(
        InputError, match=r"the limit is 3 per job \(split the job, or raise LIFTSAFE_MAX_JOB_TASKS\)"
    ):
        load_job_file(path)
    monkeypatch.setenv("LIFTSAFE_MAX_JOB_TASKS", "lots")
    with pytest.raises(InputError, match=r"LIFTSAFE_MAX_JOB_TASKS must be a whole number"):
        load_job_file(path)
    monkeypatch.delenv("LIFTSAFE_MAX_JOB_TASKS")
    monkeypatch.setenv("LIFTSAFE_MAX_JOB_FILE_BYTES", str(size - 1))
    with pytest.raises(InputError, match=r"larger than"):
        load_job_file(path)


def test_check_task_count_is_the_shared_entry_point():
    check_task_count(MAX_TASKS)
    with pytest.raises(InputError, match=r"web: field 'tasks' has 201 tasks"):
        check_task_count(MAX_TASKS + 1, source="web")
    assert jobfile.__all__.count("MAX_TASKS") == 1


def test_cli_refuses_an_oversized_job_with_exit_2(tmp_path, capsys, monkeypatch):
    from liftsafe.cli import main

    path = tmp_path / "big.json"
    path.write_text(json.dumps(job(MAX_TASKS + 1)))
    with pytest.raises(SystemExit) as exc:
        main(["niosh", str(path)])
    assert exc.value.code == 2
    assert "has 201 tasks; the limit is 200" in capsys.readouterr().err
