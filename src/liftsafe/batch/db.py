"""Batch results in the database, stored as the web app stores analyses.

Each clip becomes a row of ``web_analysis_jobs`` owned by a web account (``--db-owner``,
normally a workplace admin) with the JSON result (status ``done``) or the error (``failed``),
the file's relative path as its name and the batch's name in ``batch``. The account sees them
on its analyses page and trend like uploads. Re-running a batch updates the same rows (one
row per batch and file), so the database stays idempotent like the output folder.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Integer, func, select

from liftsafe.batch.manifest import Clip
from liftsafe.batch.state import ClipRecord
from liftsafe.errors import InputError
from liftsafe.store.db import Store
from liftsafe.store.web_models import AnalysisJobRow, UserRow


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class BatchSink:
    def __init__(self, url: str, *, owner_email: str, batch: str) -> None:
        self.store = Store(url)
        self.batch = batch[:200]
        with self.store.transaction() as s:
            user = s.scalars(
                select(UserRow).where(func.lower(UserRow.email) == owner_email.strip().lower())
            ).first()
            if user is None:
                self.store.close()
                raise InputError(
                    f"--db-owner {owner_email}: no web account with that e-mail in the database; "
                    "sign up in the web app first."
                )
            self.owner_id = user.id

    def save(self, clip: Clip, rec: ClipRecord, result: dict | None) -> int:
        """Insert or update the clip's row; returns its id."""
        now = _now()
        name = clip.rel[-255:]
        with self.store.transaction() as s:
            row = s.scalars(
                select(AnalysisJobRow).where(
                    AnalysisJobRow.batch == self.batch,
                    AnalysisJobRow.filename == name,
                    AnalysisJobRow.user_id == self.owner_id,
                )
            ).first()
            if row is None:
                row = AnalysisJobRow(
                    user_id=self.owner_id,
                    filename=name,
                    batch=self.batch,
                    created_at=now,
                    cancel_requested=False,
                )
                s.add(row)
            row.exercise = clip.exercise
            row.input_path = str(Path(clip.path).resolve())
            row.status = "done" if rec.ok else "failed"
            row.progress_pct = 100.0 if rec.ok else 0.0
            row.result = result if rec.ok else None
            row.error = None if rec.ok else rec.error
            row.attempts = 1
            row.updated_at = now
            s.flush()
            return row.id

    def close(self) -> None:
        """Dispose of the database engine."""
        self.store.close()


# --- reading a batch back (the workplace admin's batch page) ----------------------------------
def _faulty_share(result: dict | None) -> float | None:
    reps = (result or {}).get("reps") or []
    if not reps:
        return None
    bad = sum(1 for r in reps if any(f.get("severity") in ("major", "unsafe") for f in r.get("faults", [])))
    return bad / len(reps)


def _group(filename: str) -> tuple[str, str]:
    """``TASK/WORKER/clip.mp4`` -> (task, worker); shallower paths leave the missing parts empty."""
    parts = filename.split("/")[:-1]
    return (parts[0] if parts else "", parts[1] if len(parts) > 1 else "")


def batch_names(store: Store, owner_id: int) -> list[dict]:
    """The owner's batches, newest first: name, clips, failed, last update."""
    with store.transaction() as s:
        rows = s.execute(
            select(
                AnalysisJobRow.batch,
                func.count(),
                func.sum((AnalysisJobRow.status == "failed").cast(Integer)),
                func.max(AnalysisJobRow.updated_at),
            )
            .where(AnalysisJobRow.user_id == owner_id, AnalysisJobRow.batch.is_not(None))
            .group_by(AnalysisJobRow.batch)
        ).all()
    out = [
        {"name": name, "clips": n, "failed": int(failed or 0), "updated": updated}
        for name, n, failed, updated in rows
    ]
    return sorted(out, key=lambda b: b["updated"], reverse=True)


def batch_table(store: Store, owner_id: int, batch: str) -> dict:
    """One batch as a table: every clip (task and worker from its folders, verdict, reps, share of
    reps with a major or unsafe fault, fault codes, error) and one row per task and worker
    (clips, verdicts, mean faulty share, oldest-to-newest faulty shares as the trend)."""
    with store.transaction() as s:
        jobs = s.scalars(
            select(AnalysisJobRow)
            .where(AnalysisJobRow.user_id == owner_id, AnalysisJobRow.batch == batch)
            .order_by(AnalysisJobRow.filename)
        ).all()
        clips = []
        for j in jobs:
            task, worker = _group(j.filename)
            result = j.result if j.status == "done" else None
            codes = sorted({f["code"] for r in (result or {}).get("reps", []) for f in r.get("faults", [])})
            clips.append(
                {
                    "id": j.id,
                    "file": j.filename,
                    "task": task,
                    "worker": worker,
                    "exercise": j.exercise,
                    "status": j.status,
                    "verdict": (result or {}).get("verdict"),
                    "rep_count": (result or {}).get("rep_count"),
                    "faulty_share": _faulty_share(result),
                    "fault_codes": codes,
                    "error": j.error,
                    "created_at": j.created_at,
                }
            )
    groups: dict[tuple[str, str], dict] = {}
    for c in clips:
        g = groups.setdefault(
            (c["task"], c["worker"]),
            {"task": c["task"], "worker": c["worker"], "clips": 0, "failed": 0, "verdicts": {}, "trend": []},
        )
        g["clips"] += 1
        if c["status"] != "done":
            g["failed"] += 1
            continue
        g["verdicts"][c["verdict"]] = g["verdicts"].get(c["verdict"], 0) + 1
        if c["faulty_share"] is not None:
            g["trend"].append((c["created_at"], c["faulty_share"]))
    for g in groups.values():
        g["trend"] = [round(share, 2) for _, share in sorted(g["trend"], key=lambda t: t[0])]
        g["faulty_share"] = round(sum(g["trend"]) / len(g["trend"]), 2) if g["trend"] else None
    for c in clips:
        c["created_at"] = c["created_at"].isoformat()
        if c["faulty_share"] is not None:
            c["faulty_share"] = round(c["faulty_share"], 2)
    return {
        "name": batch,
        "clips": clips,
        "groups": sorted(groups.values(), key=lambda g: (g["task"], g["worker"])),
    }
