"""A person's own data: "export all my data" (one JSON document) and "delete my account".

Export holds every row stored about the person: the account (without the password hash),
sign-in sessions and API tokens (names and dates, never the secrets), analyses with their
results, training plans and logged workouts with every set, coach links in both directions
and workplace jobs. Deleting removes the same rows plus the analysis folders (uploads,
reports, annotated videos, pose estimates) from the disk.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, or_, select

from liftsafe.store.db import Store
from liftsafe.store.models import PlanRow, WorkoutSessionRow, WorkoutSetRow
from liftsafe.store.web_models import (
    AnalysisJobRow,
    ApiTokenRow,
    CoachLinkRow,
    PlanOwnerRow,
    UserRow,
    WebSessionRow,
    WorkoutOwnerRow,
    WorkplaceJobRow,
)
from liftsafe.web.services.accounts import User
from liftsafe.web.services.analyses import _job

EXPORT_FORMAT = "liftsafe-personal-data/1"
_SECRET_COLUMNS = {"password_hash", "token_hash", "input_path"}  # secrets and server paths stay out


def _value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _row(row: Any) -> dict[str, Any]:
    return {
        c.name: _value(getattr(row, c.key)) for c in row.__table__.columns if c.name not in _SECRET_COLUMNS
    }


def export_user(store: Store, user: User) -> dict[str, Any]:
    """Everything stored about ``user`` as JSON-ready data."""
    with store.transaction() as s:
        account = _row(s.get(UserRow, user.id))
        sessions = [
            {"created_at": _value(r.created_at), "expires_at": _value(r.expires_at)}
            for r in s.scalars(select(WebSessionRow).where(WebSessionRow.user_id == user.id))
        ]
        tokens = [_row(r) for r in s.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user.id))]
        analyses = []
        for r in s.scalars(
            select(AnalysisJobRow).where(AnalysisJobRow.user_id == user.id).order_by(AnalysisJobRow.id)
        ):
            job = _job(r)  # result and error as the person sees them: no server paths
            analyses.append({**_row(r), "result": job.result, "error": job.error})
        plan_ids = list(s.scalars(select(PlanOwnerRow.plan_id).where(PlanOwnerRow.user_id == user.id)))
        plans = [
            _row(r) for r in s.scalars(select(PlanRow).where(PlanRow.id.in_(plan_ids)).order_by(PlanRow.id))
        ]
        workout_ids = list(
            s.scalars(select(WorkoutOwnerRow.workout_id).where(WorkoutOwnerRow.user_id == user.id))
        )
        workouts = []
        for w in s.scalars(
            select(WorkoutSessionRow)
            .where(WorkoutSessionRow.id.in_(workout_ids))
            .order_by(WorkoutSessionRow.id)
        ):
            doc = _row(w)
            doc["sets"] = [
                _row(x)
                for x in s.scalars(
                    select(WorkoutSetRow)
                    .where(WorkoutSetRow.session_id == w.id)
                    .order_by(WorkoutSetRow.position)
                )
            ]
            workouts.append(doc)
        links = s.execute(
            select(CoachLinkRow.lifter_id, CoachLinkRow.coach_id, UserRow.email).join(
                UserRow,
                or_(
                    (CoachLinkRow.coach_id == UserRow.id) & (CoachLinkRow.lifter_id == user.id),
                    (CoachLinkRow.lifter_id == UserRow.id) & (CoachLinkRow.coach_id == user.id),
                ),
            )
        ).all()
        coaches = [email for lifter_id, _coach_id, email in links if lifter_id == user.id]
        lifters = [email for lifter_id, _coach_id, email in links if lifter_id != user.id]
        workplace = [
            _row(r)
            for r in s.scalars(
                select(WorkplaceJobRow)
                .where(WorkplaceJobRow.owner_id == user.id)
                .order_by(WorkplaceJobRow.id)
            )
        ]
    return {
        "format": EXPORT_FORMAT,
        "exported_at": datetime.now().replace(microsecond=0).isoformat(),
        "account": account,
        "sign_ins": sessions,
        "api_tokens": tokens,
        "analyses": analyses,
        "training_plans": plans,
        "workouts": workouts,
        "coaches_with_access": coaches,
        "lifters_who_invited_me": lifters,
        "workplace_jobs": workplace,
    }


def delete_user(store: Store, user: User, *, data_dir: Path) -> None:
    """Delete the account and everything it owns, in one transaction; then the analysis folders."""
    from liftsafe.web.services.analyses import job_dir

    with store.transaction() as s:
        job_ids = list(s.scalars(select(AnalysisJobRow.id).where(AnalysisJobRow.user_id == user.id)))
        workout_ids = list(
            s.scalars(select(WorkoutOwnerRow.workout_id).where(WorkoutOwnerRow.user_id == user.id))
        )
        plan_ids = list(s.scalars(select(PlanOwnerRow.plan_id).where(PlanOwnerRow.user_id == user.id)))
        if workout_ids:
            s.execute(delete(WorkoutSetRow).where(WorkoutSetRow.session_id.in_(workout_ids)))
            s.execute(delete(WorkoutOwnerRow).where(WorkoutOwnerRow.workout_id.in_(workout_ids)))
            s.execute(delete(WorkoutSessionRow).where(WorkoutSessionRow.id.in_(workout_ids)))
        if plan_ids:
            s.execute(delete(PlanOwnerRow).where(PlanOwnerRow.plan_id.in_(plan_ids)))
            s.execute(delete(PlanRow).where(PlanRow.id.in_(plan_ids)))
        for table, column in (
            (WebSessionRow, WebSessionRow.user_id),
            (ApiTokenRow, ApiTokenRow.user_id),
            (AnalysisJobRow, AnalysisJobRow.user_id),
            (WorkplaceJobRow, WorkplaceJobRow.owner_id),
        ):
            s.execute(delete(table).where(column == user.id))
        s.execute(
            delete(CoachLinkRow).where(
                or_(CoachLinkRow.lifter_id == user.id, CoachLinkRow.coach_id == user.id)
            )
        )
        s.execute(delete(UserRow).where(UserRow.id == user.id))
    for job_id in job_ids:
        shutil.rmtree(job_dir(data_dir, job_id), ignore_errors=True)
