"""Job files for ``liftsafe niosh``: JSON or TOML (chosen by the file extension).

Format (lengths in cm/in and loads in kg/lb according to ``units``)::

    {"units": "metric" | "us",
     "duration": "short" | "moderate" | "long"
                 | {"work_min": 50, "recovery_min": 60}
                 | {"schedule": [[50, 60], [45, null]]},
     "tasks": [{"name": "pallet to shelf",
                "load": 12.5, "max_load": 15,                 # max_load optional
                "origin": {"h": 40, "v": 20, "a": 30},          # a optional (default 0)
                "destination": {"h": 35, "v": 120, "a": 0},
                "frequency": 2.5,                               # lifts/min
                "coupling": "good" | "fair" | "poor"                # or the decision tree:
                            | {"loose_object": false, "optimal_container": true,
                               "optimal_handles": false, "fingers_flexed_90": true},
                "control_at_destination": false,                # optional
                "one_handed": false, ...                        # optional scope flags
                "reps_per_day": 600, "spine_h": 35,             # optional (LiFFT)
                "trunk_flexion_deg": 40}],                      # optional (L5/S1)
     # optional job-level fields:
     "name": "...", "shift_hours": 8, "temperature_c": 22, "humidity_pct": 45,
     "floor_friction": 0.5, "worker": {"body_mass": 80, "height": 178}}

Every problem raises :class:`~liftsafe.errors.InputError` naming the file, the task (index and
name) and the field.

Size limits (checked before the file is parsed, and before any task is validated):
:data:`MAX_FILE_BYTES` (1 MiB) and :data:`MAX_TASKS` (200 tasks per job). Override them per call
(``load_job_file(path, max_bytes=..., max_tasks=...)``) or for a whole process with the
environment variables ``LIFTSAFE_MAX_JOB_FILE_BYTES`` and ``LIFTSAFE_MAX_JOB_TASKS``; other
front ends (the web app) call :func:`check_task_count` with :func:`max_tasks`.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liftsafe.ergonomics.composite import Job
from liftsafe.ergonomics.lifft import MAX_REPS_PER_DAY
from liftsafe.ergonomics.niosh import (
    MAX_LENGTH,
    MAX_LOAD,
    Coupling,
    Duration,
    DurationAssessment,
    HandLocation,
    LiftingTask,
    ScopeFlag,
    Units,
    coupling_class,
    duration_from_schedule,
    scope_flags_from_conditions,
    validate_task,
)
from liftsafe.errors import InputError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_TASKS",
    "JobFile",
    "TaskExtras",
    "Worker",
    "check_task_count",
    "load_job_file",
    "max_file_bytes",
    "max_tasks",
    "parse_job",
]

#: Default largest job file read (bytes). A 200-task job in JSON is about 40 KB.
MAX_FILE_BYTES = 1 << 20
#: Default most tasks per job (the VLI method aggregates a job into at most 30 sub-tasks).
MAX_TASKS = 200
ENV_MAX_FILE_BYTES = "LIFTSAFE_MAX_JOB_FILE_BYTES"
ENV_MAX_TASKS = "LIFTSAFE_MAX_JOB_TASKS"


def _env_limit(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InputError(f"environment variable {name} must be a whole number; got {raw!r}") from None
    if value < 1:
        raise InputError(f"environment variable {name} must be >= 1; got {value}")
    return value


def max_file_bytes() -> int:
    """The job-file size limit in force: ``LIFTSAFE_MAX_JOB_FILE_BYTES`` or :data:`MAX_FILE_BYTES`."""
    return _env_limit(ENV_MAX_FILE_BYTES, MAX_FILE_BYTES)


def max_tasks() -> int:
    """The task-count limit in force: ``LIFTSAFE_MAX_JOB_TASKS`` or :data:`MAX_TASKS`."""
    return _env_limit(ENV_MAX_TASKS, MAX_TASKS)


def check_task_count(count: int, *, limit: int | None = None, source: str = "job") -> None:
    """Raise :class:`InputError` when a job has more tasks than ``limit`` (default :func:`max_tasks`)."""
    limit = max_tasks() if limit is None else limit
    if count > limit:
        raise InputError(
            f"{source}: field 'tasks' has {count} tasks; the limit is {limit} per job "
            f"(split the job, or raise {ENV_MAX_TASKS})"
        )

JOB_FIELDS = {
    "units", "duration", "tasks", "name", "shift_hours", "temperature_c", "humidity_pct",
    "floor_friction", "worker",
}  # fmt: skip
TASK_FIELDS = {
    "name", "load", "max_load", "origin", "destination", "frequency", "coupling",
    "control_at_destination", "reps_per_day", "spine_h", "trunk_flexion_deg",
} | {flag.value for flag in ScopeFlag}  # fmt: skip
POINT_FIELDS = {"h", "v", "a"}


@dataclass(frozen=True)
class Worker:
    """The worker, for the L5/S1 estimate: body mass (kg/lb) and height (cm/in), job units."""

    body_mass: float
    height: float


@dataclass(frozen=True)
class TaskExtras:
    """Optional per-task inputs for LiFFT and the L5/S1 estimate (job units)."""

    reps_per_day: float | None = None
    spine_h: float | None = None  # horizontal distance lumbar spine/hip -> load (peak)
    trunk_flexion_deg: float | None = None


@dataclass(frozen=True)
class JobFile:
    job: Job
    extras: tuple[TaskExtras, ...]
    worker: Worker | None
    duration_assessment: DurationAssessment | None
    source: str


def load_job_file(path: str | Path, *, max_bytes: int | None = None, max_tasks: int | None = None) -> JobFile:
    """Read and validate a JSON (``.json``) or TOML (``.toml``) job file.

    Files larger than ``max_bytes`` (default :func:`max_file_bytes`) are refused before they are
    read whole; jobs with more than ``max_tasks`` tasks (default :func:`max_tasks`) before any
    task is validated.
    """
    path = Path(path)
    limit = max_file_bytes() if max_bytes is None else max_bytes
    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        raise InputError(f"{path}: job files must end in .json or .toml; got '{suffix or 'no extension'}'")
    too_big = (
        f"{path}: the job file is larger than {limit:,} bytes "
        f"(the limit; split the job, or raise {ENV_MAX_FILE_BYTES})"
    )
    try:
        if path.stat().st_size > limit:
            raise InputError(too_big)
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)  # the size may change between stat and read
    except FileNotFoundError:
        raise InputError(f"{path}: no such job file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a job file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the job file ({exc.strerror or exc})") from None
    if len(raw) > limit:
        raise InputError(too_big)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: the job file is not UTF-8 text") from None
    data = decode_job_text(text, suffix=suffix, source=str(path))
    return parse_job(data, source=str(path), max_tasks=max_tasks)


def decode_job_text(text: str, *, suffix: str, source: str = "job") -> Any:
    """Decode job-file text (``suffix`` ".json" or ".toml"); malformed text is an :class:`InputError`."""
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{source}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        except (ValueError, RecursionError) as exc:  # e.g. a 5000-digit number, arrays nested 10,000 deep
            raise InputError(f"{source}: malformed JSON: {_short(exc)}") from None
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        raise InputError(f"{source}: malformed TOML: {_short(exc)}") from None


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, RecursionError):
        text = "nested too deeply"
    return text[:200]


def parse_job(data: Any, *, source: str = "job", max_tasks: int | None = None) -> JobFile:
    """Validate a decoded job (dict) and build the :class:`Job` and its extras.

    The task count is checked (:func:`check_task_count`) before any task is validated.
    """
    if not isinstance(data, dict):
        raise InputError(f"{source}: the job must be an object with 'units', 'duration' and 'tasks'")
    _unknown(data, JOB_FIELDS, f"{source}")
    units = _enum(data, "units", Units, f"{source}", choices="metric, us")
    duration, assessment = _duration(data.get("duration"), source)
    tasks_raw = data.get("tasks")
    if tasks_raw is None:
        raise InputError(f"{source}: missing field 'tasks' (a list of lifting tasks)")
    if not isinstance(tasks_raw, list) or not tasks_raw:
        raise InputError(f"{source}: field 'tasks' must be a non-empty list of tasks")
    check_task_count(len(tasks_raw), limit=max_tasks, source=source)
    if "name" in data and not isinstance(data["name"], str):
        raise InputError(f"{source}: field 'name' must be a string; got {type(data['name']).__name__}")
    conditions = {}
    for key in ("shift_hours", "temperature_c", "humidity_pct", "floor_friction"):
        if key in data:
            conditions[key] = _number(
                data[key], f"{source}: field '{key}'", minimum=None if key == "temperature_c" else 0
            )
    job_flags = scope_flags_from_conditions(**conditions)
    if assessment is not None and assessment.over_8_hours:
        job_flags |= {ScopeFlag.OVER_8_HOURS}
    tasks: list[LiftingTask] = []
    extras: list[TaskExtras] = []
    names: set[str] = set()
    for index, raw in enumerate(tasks_raw, start=1):
        task, extra = _task(raw, index, source)
        if task.name in names:
            raise InputError(
                f"{source}: task {index}: duplicate task name '{_show(task.name)}' (names must be unique)"
            )
        names.add(task.name)
        tasks.append(task)
        extras.append(extra)
    worker = _worker(data.get("worker"), source) if "worker" in data else None
    job = Job(
        tasks=tuple(tasks), units=units, duration=duration, name=data.get("name"), scope_flags=job_flags
    )
    return JobFile(job, tuple(extras), worker, assessment, source)


def _task(raw: Any, index: int, source: str) -> tuple[LiftingTask, TaskExtras]:
    if not isinstance(raw, dict):
        raise InputError(f"{source}: task {index} must be an object; got {type(raw).__name__}")
    name = raw.get("name", f"task {index}")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{source}: task {index}: field 'name' must be a non-empty string")
    who = f"{source}: task {index} ('{_show(name)}')"
    _unknown(raw, TASK_FIELDS, who)
    load = _required_number(raw, "load", who)
    max_load = _number(raw["max_load"], f"{who}: field 'max_load'") if "max_load" in raw else None
    origin = _point(raw, "origin", who)
    destination = _point(raw, "destination", who)
    frequency = _required_number(raw, "frequency", who)
    coupling = _coupling(raw, who)
    control = _bool(raw, "control_at_destination", who)
    flags = frozenset(flag for flag in ScopeFlag if _bool(raw, flag.value, who))
    task = LiftingTask(
        load=load,
        origin=origin,
        destination=destination,
        frequency_per_min=frequency,
        coupling=coupling,
        control_at_destination=control,
        name=name,
        max_load=max_load,
        scope_flags=flags,
    )
    validate_task(task, label=who)
    extra = TaskExtras(
        reps_per_day=(
            _number(raw["reps_per_day"], f"{who}: field 'reps_per_day'", maximum=MAX_REPS_PER_DAY)
            if "reps_per_day" in raw
            else None
        ),
        spine_h=(
            _number(raw["spine_h"], f"{who}: field 'spine_h'", maximum=MAX_LENGTH)
            if "spine_h" in raw
            else None
        ),
        trunk_flexion_deg=(
            _number(raw["trunk_flexion_deg"], f"{who}: field 'trunk_flexion_deg'", minimum=-30, maximum=135)
            if "trunk_flexion_deg" in raw
            else None
        ),
    )
    return task, extra


def _point(raw: dict, key: str, who: str) -> HandLocation:
    if key not in raw:
        raise InputError(f"{who}: missing field '{key}' (an object with 'h', 'v' and optional 'a')")
    point = raw[key]
    if not isinstance(point, dict):
        raise InputError(f"{who}: field '{key}' must be an object with 'h', 'v' and optional 'a'")
    _unknown(point, POINT_FIELDS, f"{who}: field '{key}'", prefix=f"{key}.")
    h = _required_number(point, "h", who, prefix=f"{key}.")
    v = _required_number(point, "v", who, prefix=f"{key}.")
    a = _number(point["a"], f"{who}: field '{key}.a'", minimum=-180, maximum=180) if "a" in point else 0.0
    return HandLocation(h, v, a)


def _duration(value: Any, source: str) -> tuple[Duration, DurationAssessment | None]:
    if value is None:
        raise InputError(
            f'{source}: missing field \'duration\' (short, moderate, long, or '
            f'{{"work_min": .., "recovery_min": ..}})'
        )
    if isinstance(value, str):
        try:
            return Duration(value.lower()), None
        except ValueError:
            raise InputError(
                f"{source}: field 'duration' must be one of short, moderate, long; got '{_show(value)}'"
            ) from None
    if isinstance(value, dict):
        if "schedule" in value:
            sched = value["schedule"]
            if not isinstance(sched, list) or not sched:
                raise InputError(
                    f"{source}: field 'duration.schedule' must be a list of [work_min, recovery_min] pairs"
                )
            periods = []
            for i, pair in enumerate(sched):
                if not isinstance(pair, list) or len(pair) != 2:
                    raise InputError(
                        f"{source}: field 'duration.schedule[{i}]' must be [work_min, recovery_min]"
                    )
                w = _number(pair[0], f"{source}: field 'duration.schedule[{i}][0]'")
                r = (
                    None
                    if pair[1] is None
                    else _number(pair[1], f"{source}: field 'duration.schedule[{i}][1]'")
                )
                periods.append((w, r))
        else:
            _unknown(value, {"work_min", "recovery_min"}, f"{source}: field 'duration'", prefix="duration.")
            if "work_min" not in value:
                raise InputError(f"{source}: missing field 'duration.work_min'")
            w = _number(value["work_min"], f"{source}: field 'duration.work_min'")
            r = value.get("recovery_min")
            r = None if r is None else _number(r, f"{source}: field 'duration.recovery_min'")
            periods = [(w, r)]
        assessment = duration_from_schedule(periods)
        return assessment.category, assessment
    raise InputError(f"{source}: field 'duration' must be a string or an object; got {type(value).__name__}")


COUPLING_TREE_FIELDS = {
    "loose_object",
    "optimal_container",
    "optimal_handles",
    "bulky",
    "optimal_grip",
    "fingers_flexed_90",
}


def _coupling(raw: dict, who: str) -> Coupling:
    """``coupling`` is a class name, or the answers of the manual's decision tree (p. 18)."""
    value = raw.get("coupling")
    if not isinstance(value, dict):
        return _enum(raw, "coupling", Coupling, who, choices="good, fair, poor, or a decision-tree object")
    _unknown(value, COUPLING_TREE_FIELDS, f"{who}: field 'coupling'", prefix="coupling.")
    if "loose_object" not in value:
        raise InputError(
            f"{who}: missing field 'coupling.loose_object' (true for a loose part, false for a container)"
        )
    answers = {key: _bool(value, key, f"{who}: field 'coupling'") for key in value}
    return coupling_class(**answers)


def _worker(value: Any, source: str) -> Worker:
    if not isinstance(value, dict):
        raise InputError(f"{source}: field 'worker' must be an object with 'body_mass' and 'height'")
    _unknown(value, {"body_mass", "height"}, f"{source}: field 'worker'", prefix="worker.")
    for key in ("body_mass", "height"):
        if key not in value:
            raise InputError(f"{source}: missing field 'worker.{key}'")
    mass = _number(value["body_mass"], f"{source}: field 'worker.body_mass'", minimum=1e-9, maximum=MAX_LOAD)
    height = _number(value["height"], f"{source}: field 'worker.height'", minimum=1e-9, maximum=MAX_LENGTH)
    return Worker(mass, height)


# ----------------------------------------------------------------------------- helpers ----


def _unknown(obj: dict, allowed: set[str], who: str, *, prefix: str = "") -> None:
    for key in obj:
        if key not in allowed:
            hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            allowed_text = ", ".join(sorted(allowed))
            did = f"; did you mean '{prefix}{hint[0]}'?" if hint else f"; allowed: {allowed_text}"
            raise InputError(f"{who}: unknown field '{prefix}{_show(str(key))}'{did}")


def _enum(obj: dict, key: str, enum: type, who: str, *, choices: str) -> Any:
    if key not in obj:
        raise InputError(f"{who}: missing field '{key}' (one of {choices})")
    value = obj[key]
    try:
        return enum(str(value).lower()) if isinstance(value, str) else enum(value)
    except ValueError:
        raise InputError(f"{who}: field '{key}' must be one of {choices}; got {_repr(value)}") from None


def _bool(obj: dict, key: str, who: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise InputError(f"{who}: field '{key}' must be true or false; got {_repr(value)}")
    return value


def _required_number(obj: dict, key: str, who: str, *, prefix: str = "") -> float:
    if key not in obj:
        raise InputError(f"{who}: missing field '{prefix}{key}'")
    return _number(obj[key], f"{who}: field '{prefix}{key}'")


def _number(value: Any, where: str, *, minimum: float | None = 0, maximum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where} must be a number; got {_repr(value)}")
    try:
        value = float(value)
    except OverflowError:  # an integer too large for a float
        raise InputError(
            f"{where} must be a number of sensible size; got an integer of {value.bit_length()} bits"
        ) from None
    if not math.isfinite(value):
        raise InputError(f"{where} must be a number; got {value!r}")
    if minimum is not None and value < minimum:
        if minimum == 0:
            raise InputError(
                f"{where} must be >= 0 (distances, loads and counts cannot be negative); got {value:g}"
            )
        raise InputError(f"{where} must be >= {minimum:g}; got {value:g}")
    if maximum is not None and value > maximum:
        raise InputError(f"{where} must be <= {maximum:g}; got {value:g}")
    return float(value)


def _repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _show(text: str, limit: int = 60) -> str:
    """A user's text inside a one-line message: control characters escaped, long text cut."""
    shown = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."
