"""Property-based fuzzing of job-file parsing (JSON and TOML) and of the whole `liftsafe niosh` path.

Whatever the input, the only error is the project's InputError (exit 2), never another exception
(exit 1). Inputs that parse are assessed end to end (RNLE, composite, VLI, what-if, LiFFT, L5/S1,
JSON and terminal rendering) and must not raise either.
"""

from __future__ import annotations

import copy
import io
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from liftsafe.ergonomics.jobfile import decode_job_text, load_job_file, parse_job
from liftsafe.ergonomics.report import assess_job_file, job_json, render_job
from liftsafe.errors import InputError

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

GOOD = {
    "units": "metric",
    "duration": "long",
    "worker": {"body_mass": 80, "height": 178},
    "tasks": [
        {
            "name": "pallet",
            "load": 12,
            "origin": {"h": 40, "v": 20, "a": 30},
            "destination": {"h": 35, "v": 110},
            "frequency": 2,
            "coupling": "fair",
            "control_at_destination": True,
            "reps_per_day": 500,
            "spine_h": 40,
            "trunk_flexion_deg": 45,
        },
        {
            "name": "shelf",
            "load": 8,
            "origin": {"h": 30, "v": 90},
            "destination": {"h": 45, "v": 150},
            "frequency": 1,
            "coupling": "good",
        },
    ],
}

numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [0, -0.0, 1e-300, 1e28, 1e308, 15, 15.0001, 16, 100, 100.5, 135, 175, 1000, 1000.1, 10**400]
    ),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    st.text(max_size=30),
    st.sampled_from(["metric", "us", "short", "moderate", "long", "good", "fair", "poor", ""]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


def _get(node, path):
    for part in path:
        node = node[part]
    return node


def _paths(node, prefix=()):
    """Every (path) inside GOOD: dict keys and list indexes."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


PATHS = [p for p in _paths(GOOD) if p]
FIELD_NAMES = sorted(
    {p[-1] for p in PATHS if isinstance(p[-1], str)} | {"one_handed", "schedule", "work_min", "a"}
)


@st.composite
def mutated_jobs(draw):
    """GOOD with a few fields replaced, deleted or added -- close enough to valid to reach deep code."""
    job = copy.deepcopy(GOOD)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(PATHS))
        parent = job
        try:
            for part in path[:-1]:
                parent = parent[part]
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                parent[path[-1]] = draw(json_values)
            elif action == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[draw(st.sampled_from(FIELD_NAMES))] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced the parent
    return job


NUMERIC_PATHS = [
    p for p in PATHS if isinstance(_get(GOOD, p), (int, float)) and not isinstance(_get(GOOD, p), bool)
]
plausible = st.one_of(
    st.floats(min_value=-10, max_value=2000, allow_nan=False),
    st.sampled_from([0, 0.2, 10, 15, 15.5, 16, 25, 63, 63.5, 70, 75, 100, 135, 136, 175, 176, 180, 1000]),
)


@st.composite
def numeric_jobs(draw):
    """GOOD with its numbers changed to plausible and edge values (mostly valid jobs), plus US units
    and other durations: reaches the RNLE, composite, what-if, LiFFT and L5/S1 code."""
    job = copy.deepcopy(GOOD)
    for path in draw(st.lists(st.sampled_from(NUMERIC_PATHS), min_size=1, max_size=6)):
        parent = job
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = draw(plausible)
    job["units"] = draw(st.sampled_from(["metric", "us"]))
    job["duration"] = draw(st.sampled_from(["short", "moderate", "long"]))
    return job


def _run_whole_path(data) -> None:
    """parse -> assess -> JSON -> terminal; only InputError may escape."""
    try:
        jobfile = parse_job(data, source="fuzz.json")
        assessment = assess_job_file(jobfile, vli=True)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc).strip()  # one line
        return
    json.dumps(job_json(assessment, details=True), allow_nan=False)
    render_job(assessment, Console(file=io.StringIO(), width=120))


@FUZZ
@given(json_values)
def test_any_json_value_is_a_job_or_an_input_error(data):
    _run_whole_path(data)


@FUZZ
@given(st.one_of(mutated_jobs(), numeric_jobs()))
def test_mutated_valid_jobs_never_raise_anything_but_input_error(data):
    _run_whole_path(data)


@FUZZ
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1"))))
def test_any_text_decodes_or_is_an_input_error(text):
    for suffix in (".json", ".toml"):
        try:
            data = decode_job_text(text, suffix=suffix)
        except InputError:
            continue
        _run_whole_path(data)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items() if v is not None)
            + "}"
        )
    return '""'


@FUZZ
@given(mutated_jobs())
def test_mutated_jobs_as_toml_files_never_raise_anything_but_input_error(tmp_path, data):
    lines = [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in data.items() if v is not None and k != "tasks"]
    tasks = data.get("tasks")
    if isinstance(tasks, list):
        lines.append(f'"tasks" = {_toml_value(tasks)}')
    elif tasks is not None:
        lines.append(f'"tasks" = {_toml_value(tasks)}')
    path = tmp_path / "fuzz.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        jobfile = load_job_file(path)
    except InputError:
        return
    assessment = assess_job_file(jobfile)
    json.dumps(job_json(assessment, details=True), allow_nan=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(mutated_jobs(), numeric_jobs(), json_values))
def test_liftsafe_niosh_never_exits_1(tmp_path, capsys, data):
    from liftsafe.cli import main

    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    for extra in ([], ["--json", "--details", "--vli"]):
        with pytest.raises(SystemExit) as exc:
            main(["niosh", str(path), *extra])
        assert exc.value.code in (0, 2), capsys.readouterr().err
        capsys.readouterr()


def test_pathological_files_are_input_errors(tmp_path):
    cases = {
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "bigint.json": '{"units": "metric", "duration": "long", "tasks": [' + "9" * 5000 + "]}",
        "deep.toml": "a = " + "[" * 100_000 + "]" * 100_000,
        "nul.json": "\x00",
        "empty.toml": "",
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(InputError):
            load_job_file(path)
    with pytest.raises(InputError, match="not UTF-8"):
        (tmp_path / "latin.json").write_bytes(b'{"units": "m\xe9tric"}')
        load_job_file(tmp_path / "latin.json")
    with pytest.raises(InputError, match="is a folder"):
        (tmp_path / "dir.json").mkdir()
        load_job_file(tmp_path / "dir.json")
