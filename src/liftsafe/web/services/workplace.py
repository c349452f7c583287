"""Workplace jobs: stored job files (liftsafe.ergonomics.jobfile format), their NIOSH / LiFFT /
L5-S1 assessment with what-if advice, and aggregates for the workplace admin.

Only job data lives here: a workplace admin never reaches a person's pain or health entries
(those are only read through :mod:`.training`, scoped to their owner and invited coaches).
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from liftsafe.app.workplace import assess_job_data
from liftsafe.ergonomics.report import job_json
from liftsafe.errors import InputError
from liftsafe.store.db import Store
from liftsafe.store.web_models import WorkplaceJobRow
from liftsafe.web.errors import ForbiddenError, NotFoundError
from liftsafe.web.services.accounts import User
from liftsafe.web.services.forms import form_number as _num

MAX_TASK_ROWS = 4
LI_BANDS = (
    (1.0, "low"),
    (3.0, "raised"),
    (math.inf, "high"),
)  # NIOSH: LI <= 1 nearly all workers; > 3 many at risk (Waters et al. 1994)


@dataclass(frozen=True)
class StoredJob:
    id: int
    name: str
    job: dict[str, Any]
    created_at: datetime


def require_admin(user: User) -> None:
    """Only a workplace admin may see jobs (403 otherwise)."""
    if user.role != "workplace_admin":
        raise ForbiddenError(
            "workplace records are kept by workplace admins; sign up with the workplace admin role to add "
            "jobs."
        )


def band(li: float | None) -> str:
    """Risk band of a lifting index: low, raised or high."""
    if li is None:
        return "n/a"
    return next(name for limit, name in LI_BANDS if li <= limit)


def job_from_form(form: Mapping[str, Any]) -> dict[str, Any]:
    """A job-file mapping from the job form (or the pasted job JSON, which wins when given)."""
    pasted = str(form.get("job_json", "") or "").strip()
    if pasted:
        try:
            data = json.loads(pasted)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"the pasted job JSON is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}."
            ) from None
        if isinstance(data, dict) and form.get("name") and "name" not in data:
            data["name"] = str(form["name"])
        return data
    tasks = []
    for i in range(1, MAX_TASK_ROWS + 1):
        name = str(form.get(f"t{i}-name", "") or "").strip()
        if not name:
            continue
        task: dict[str, Any] = {
            "name": name,
            "load": _num(form, f"t{i}-load"),
            "origin": {
                "h": _num(form, f"t{i}-oh"),
                "v": _num(form, f"t{i}-ov"),
                "a": _num(form, f"t{i}-oa") or 0,
            },
            "destination": {
                "h": _num(form, f"t{i}-dh"),
                "v": _num(form, f"t{i}-dv"),
                "a": _num(form, f"t{i}-da") or 0,
            },
            "frequency": _num(form, f"t{i}-frequency"),
            "coupling": str(form.get(f"t{i}-coupling") or "fair"),
        }
        reps = _num(form, f"t{i}-reps_per_day")
        if reps is not None:
            task["reps_per_day"] = reps
        tasks.append({k: v for k, v in task.items() if v is not None})
    return {"name": str(form.get("name", "") or "").strip(), "units": "metric",
            "duration": str(form.get("duration") or "short"), "tasks": tasks}


# heuristic: a job analysis lists tens of tasks (each assessed with what-if advice);
# LIFTSAFE_MAX_TASKS raises it
DEFAULT_MAX_TASKS = 100
_CACHE_SIZE = 512  # assessed jobs kept in memory (a stored job never changes, so its assessment neither)
_cache: OrderedDict[str, dict[str, Any]] = OrderedDict()
_cache_lock = threading.Lock()


def _assess(job: dict[str, Any]) -> dict[str, Any]:
    """The job's assessment, computed once per distinct job document, then from a bounded cache.

    The dashboard lists every job; recomputing each one per view made it take seconds.
    """
    key = hashlib.sha256(json.dumps(job, sort_keys=True, default=str).encode()).hexdigest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return copy.deepcopy(_cache[key])
    doc = job_json(assess_job_data(job, source="job"), details=True)
    with _cache_lock:
        _cache[key] = doc
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return copy.deepcopy(doc)


def check_task_count(job: Any, max_tasks: int = DEFAULT_MAX_TASKS) -> None:
    """Refuse a job with more than ``max_tasks`` tasks before any is parsed."""
    tasks = job.get("tasks") if isinstance(job, dict) else None
    if isinstance(tasks, list) and len(tasks) > max_tasks:
        raise InputError(f"field 'tasks': the job has {len(tasks)} tasks; the limit is {max_tasks} "
                         "(LIFTSAFE_MAX_TASKS). Split it into several jobs.")


def create_job(store: Store, user: User, job: dict[str, Any], *, max_tasks: int = DEFAULT_MAX_TASKS) -> int:
    """Store a job (validated by assessing it); return its id."""
    require_admin(user)
    if not isinstance(job, dict):
        raise InputError("the job must be a JSON object with \"name\" and \"tasks\".")
    check_task_count(job, max_tasks)  # before any task is parsed or assessed
    name = str(job.get("name") or "").strip()
    if not name:
        raise InputError("give the job a name (e.g. 'Packing line 2').")
    _assess(job)  # validate now: a stored job always assesses
    with store.transaction() as s:
        row = WorkplaceJobRow(
            owner_id=user.id, name=name[:200], job=job, created_at=datetime.now().replace(microsecond=0)
        )
        s.add(row)
        s.flush()
        return row.id


def get_job(store: Store, user: User, job_id: int) -> tuple[StoredJob, dict[str, Any]]:
    """One stored job and its assessment."""
    require_admin(user)
    with store.transaction() as s:
        row = s.get(WorkplaceJobRow, job_id)
        if row is None or row.owner_id != user.id:
            raise NotFoundError(f"job {job_id} not found.")
        job = StoredJob(row.id, row.name, row.job, row.created_at)
    return job, _assess(job.job)


def overview(store: Store, user: User) -> dict[str, Any]:
    """The admin's jobs with their highest LI and CLI, and the counts per risk band."""
    require_admin(user)
    with store.transaction() as s:
        rows = s.scalars(
            select(WorkplaceJobRow).where(WorkplaceJobRow.owner_id == user.id).order_by(WorkplaceJobRow.id)
        ).all()
        jobs = [StoredJob(r.id, r.name, r.job, r.created_at) for r in rows]
    items = []
    for job in jobs:
        doc = _assess(job.job)
        lis = [t["li"] for t in doc["tasks"] if t["li"] is not None]
        worst = max([*lis, doc["cli"] or 0.0]) if lis else doc["cli"]
        items.append(
            {
                "job": job,
                "tasks": len(doc["tasks"]),
                "max_li": worst,
                "cli": doc["cli"],
                "band": band(worst),
                "lifft_p": (doc.get("lifft") or {}).get("probability_high_risk"),
            }
        )
    counts = {name: sum(1 for i in items if i["band"] == name) for _, name in LI_BANDS}
    return {"items": items, "counts": counts, "n_tasks": sum(i["tasks"] for i in items)}


def job_from_video(store: Store, user: User, form: Mapping[str, Any], *, data_dir) -> dict[str, Any]:
    """A one-task job whose geometry (H, V, A at origin and destination; spine H; trunk flexion)
    is measured on one of the admin's finished analyses (as ``liftsafe assess``: the median over
    the lifts, see liftsafe.ergonomics.video); load, stature, frequency and coupling from the form."""
    import numpy as np

    from liftsafe.app.workplace import measured_geometry
    from liftsafe.web.services.analyses import input_path, pose_cache_dir

    require_admin(user)
    analysis_id = _num(form, "analysis_id", whole=True)  # 'nan', '1e400', '3.5': a named 400, not a crash
    load, height_cm, frequency = _num(form, "v-load"), _num(form, "v-height_cm"), _num(form, "v-frequency")
    for key, value in (
        ("analysis_id", analysis_id),
        ("v-load", load),
        ("v-height_cm", height_cm),
        ("v-frequency", frequency),
    ):
        if value is None:
            raise InputError(f"field '{key}' is required for a filmed lift.")
    if not 1 <= analysis_id <= 2**63 - 1:
        raise InputError(f"analysis {analysis_id} not found; pick one of your finished analyses.")
    if not 100 <= height_cm <= 230:
        raise InputError(f"the worker's height must be 100-230 cm; got {height_cm:g}.")
    job, path = input_path(store, user, analysis_id)
    height_m = height_cm / 100
    geo = measured_geometry(
        path, exercise=job.exercise, height_m=height_m, cache_dir=pose_cache_dir(data_dir, job.id)
    )
    a_o, a_d = geo["a_origin_deg"], geo["a_destination_deg"]
    if not (np.isfinite(a_o) and np.isfinite(a_d)):
        a_o = a_d = 0.0
    task: dict[str, Any] = {
        "name": str(form.get("v-task") or job.filename)[:100],
        "load": load,
        "origin": {
            "h": round(geo["h_origin_cm"], 1),
            "v": round(geo["v_origin_cm"], 1),
            "a": round(float(a_o), 1),
        },
        "destination": {
            "h": round(geo["h_destination_cm"], 1),
            "v": round(geo["v_destination_cm"], 1),
            "a": round(float(a_d), 1),
        },
        "frequency": frequency,
        "coupling": str(form.get("v-coupling") or "fair"),
    }
    reps = _num(form, "v-reps_per_day")
    if reps is not None:
        task["reps_per_day"] = reps
        if np.isfinite(geo["spine_h_cm"]):
            task["spine_h"] = round(geo["spine_h_cm"], 1)
    name = str(form.get("name") or "").strip() or f"Filmed lift: {job.filename}"
    return {
        "name": name,
        "units": "metric",
        "duration": str(form.get("duration") or "short"),
        "tasks": [task],
    }


def finished_analyses(store: Store, user: User) -> list:
    """The finished analyses of the admin's own uploads."""
    from liftsafe.web.services.analyses import list_jobs

    return [j for j in list_jobs(store, user) if j.status == "done"]
