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

from sqlalchemy import func, select

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
            user = s.scalars(select(UserRow).where(func.lower(UserRow.email) == owner_email.strip().lower())).first()
            if user is None:
                self.store.close()
                raise InputError(f"--db-owner {owner_email}: no web account with that e-mail in the database; "
                                 "sign up in the web app first.")
            self.owner_id = user.id

    def save(self, clip: Clip, rec: ClipRecord, result: dict | None) -> int:
        """Insert or update the clip's row; returns its id."""
        now = _now()
        name = clip.rel[-255:]
        with self.store.transaction() as s:
            row = s.scalars(select(AnalysisJobRow).where(AnalysisJobRow.batch == self.batch, AnalysisJobRow.filename == name,
                                                         AnalysisJobRow.user_id == self.owner_id)).first()
            if row is None:
                row = AnalysisJobRow(user_id=self.owner_id, filename=name, batch=self.batch, created_at=now,
                                     cancel_requested=False)
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
        self.store.close()
