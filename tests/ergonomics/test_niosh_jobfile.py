"""Job files (JSON and TOML): parsing, and errors that name the file, task and field."""

from __future__ import annotations

import copy
import json

import pytest

from liftsafe.ergonomics.jobfile import load_job_file, parse_job
from liftsafe.ergonomics.niosh import Duration, ScopeFlag, Units
from liftsafe.errors import InputError

GOOD = {
    "units": "metric",
    "duration": "long",
    "tasks": [
        {"name": "pallet", "load": 12, "origin": {"h": 40, "v": 20, "a": 30}, "destination": {"h": 35, "v": 110},  # noqa: E501
         "frequency": 2, "coupling": "fair", "control_at_destination": True},
        {"name": "shelf", "load": 8, "origin": {"h": 30, "v": 90}, "destination": {"h": 45, "v": 150},
         "frequency": 1, "coupling": "good"},
    ],
}  # fmt: skip


def job_with(**changes):
    job = copy.deepcopy(GOOD)
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        node = job
        for part in path:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value
    return job


DELETE = object()


def test_parse_good_job():
    jf = parse_job(GOOD)
    assert jf.job.units is Units.METRIC and jf.job.duration is Duration.LONG
    assert [t.name for t in jf.job.tasks] == ["pallet", "shelf"]
    assert jf.job.tasks[0].origin.a_deg == 30 and jf.job.tasks[1].origin.a_deg == 0  # a defaults to 0
    assert jf.job.tasks[0].control_at_destination and not jf.job.tasks[1].control_at_destination


def test_toml_and_json_files_give_the_same_job(tmp_path):
    (tmp_path / "job.json").write_text(json.dumps(GOOD))
    toml = """
units = "metric"
duration = "long"

[[tasks]]
name = "pallet"
load = 12
frequency = 2
coupling = "fair"
control_at_destination = true
origin = { h = 40, v = 20, a = 30 }
destination = { h = 35, v = 110 }

[[tasks]]
name = "shelf"
load = 8
frequency = 1
coupling = "good"
origin = { h = 30, v = 90 }
destination = { h = 45, v = 150 }
"""
    (tmp_path / "job.toml").write_text(toml)
    assert load_job_file(tmp_path / "job.json").job == load_job_file(tmp_path / "job.toml").job


def test_duration_from_work_and_recovery_and_scope_flags():
    jf = parse_job(job_with(duration={"work_min": 90, "recovery_min": 30}, tasks__1__one_handed=True))
    assert jf.job.duration is Duration.MODERATE
    assert jf.job.tasks[1].scope_flags == {ScopeFlag.ONE_HANDED}
    jf = parse_job(job_with(duration={"schedule": [[45, 30], [45, 60]]}))
    assert jf.job.duration is Duration.MODERATE
    jf = parse_job(job_with(shift_hours=10, temperature_c=30))
    assert jf.job.scope_flags == {ScopeFlag.OVER_8_HOURS, ScopeFlag.ADVERSE_ENVIRONMENT}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tasks__0__load": DELETE}, r"task 1 \('pallet'\): missing field 'load'"),
        ({"tasks__1__origin": DELETE}, r"task 2 \('shelf'\): missing field 'origin'"),
        ({"tasks__1__destination__v": DELETE}, r"task 2 \('shelf'\): missing field 'destination.v'"),
        ({"tasks__0__frequency": DELETE}, r"task 1 \('pallet'\): missing field 'frequency'"),
        ({"tasks__0__coupling": DELETE}, r"task 1 \('pallet'\): missing field 'coupling'"),
        ({"tasks__0__origin__h": -5}, r"task 1 \('pallet'\): field 'origin.h' must be >= 0.*got -5"),
        ({"tasks__1__destination__v": -1}, r"task 2 \('shelf'\): field 'destination.v' must be >= 0"),
        ({"tasks__1__load": -3}, r"task 2 \('shelf'\): field 'load' must be >= 0"),
        ({"tasks__0__frequency": 1000}, r"task 1 \('pallet'\): field 'frequency' must be <= 100 lifts/min"),
        ({"tasks__0__load": 1e28}, r"task 1 \('pallet'\): field 'load' must be <= 1000"),
        ({"tasks__0__frequency": -1}, r"task 1 \('pallet'\): field 'frequency' must be >= 0"),
        (
            {"tasks__0__frequency": "often"},
            r"task 1 \('pallet'\): field 'frequency' must be a number; got 'often'",
        ),
        (
            {"tasks__0__coupling": "great"},
            r"task 1 \('pallet'\): field 'coupling' must be one of good, fair, poor",
        ),
        (
            {"tasks__0__coupling": {"handles": True}},
            r"task 1 \('pallet'\): field 'coupling': unknown field 'coupling.handles'",
        ),
        (
            {"tasks__0__coupling": {"bulky": True}},
            r"task 1 \('pallet'\): missing field 'coupling.loose_object'",
        ),
        ({"tasks__0__origin__a": 270}, r"task 1 \('pallet'\): field 'origin.a' must be <= 180"),
        (
            {"tasks__0__frequncy": 2},
            r"task 1 \('pallet'\): unknown field 'frequncy'; did you mean 'frequency'",
        ),
        ({"tasks__0__one_handed": "yes"}, r"task 1 \('pallet'\): field 'one_handed' must be true or false"),
        (
            {"tasks__0__max_load": 5},
            r"task 1 \('pallet'\): field 'max_load' \(5\) is smaller than 'load' \(12\)",
        ),
        ({"tasks__1__name": "pallet"}, r"task 2: duplicate task name 'pallet'"),
        ({"units": "imperial"}, r"field 'units' must be one of metric, us; got 'imperial'"),
        ({"units": DELETE}, r"missing field 'units'"),
        ({"duration": "forever"}, r"field 'duration' must be one of short, moderate, long"),
        ({"duration": DELETE}, r"missing field 'duration'"),
        ({"tasks": []}, r"field 'tasks' must be a non-empty list"),
        ({"tasks": DELETE}, r"missing field 'tasks'"),
        ({"worker": {"body_mass": 80}}, r"missing field 'worker.height'"),
        ({"colour": "red"}, r"unknown field 'colour'"),
    ],
)
def test_bad_job_files_name_the_task_and_field(changes, message):
    with pytest.raises(InputError, match=message):
        parse_job(job_with(**changes), source="job.json")


def test_unnamed_task_is_named_by_index():
    job = job_with(tasks__1__name=DELETE, tasks__1__origin__h=-2)
    with pytest.raises(InputError, match=r"task 2 \('task 2'\): field 'origin.h'"):
        parse_job(job)


def test_file_level_errors(tmp_path):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"units": "metric", "tasks": [')
    with pytest.raises(InputError, match=r"bad.json: malformed JSON at line 1"):
        load_job_file(bad_json)
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("units = metric\n")
    with pytest.raises(InputError, match=r"bad.toml: malformed TOML"):
        load_job_file(bad_toml)
    with pytest.raises(InputError, match=r"job files must end in .json or .toml; got '.yaml'"):
        load_job_file(tmp_path / "job.yaml")
    with pytest.raises(InputError, match=r"no such job file"):
        load_job_file(tmp_path / "missing.json")
    top = tmp_path / "list.json"
    top.write_text("[1, 2]")
    with pytest.raises(InputError, match=r"the job must be an object"):
        load_job_file(top)


def test_coupling_from_the_decision_tree():
    tree = {"loose_object": False, "optimal_container": True, "fingers_flexed_90": True}
    jf = parse_job(job_with(tasks__0__coupling=tree))
    assert str(jf.job.tasks[0].coupling) == "fair"
    jf = parse_job(job_with(tasks__0__coupling={"loose_object": True, "bulky": True}))
    assert str(jf.job.tasks[0].coupling) == "poor"
