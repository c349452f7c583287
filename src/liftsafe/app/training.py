"""Use-cases of the training log: log a session and decide what's next; import a log.

The command line (``liftsafe log add``, ``liftsafe import``) and the web app (the "today" form,
the train page) both call these, so the same log gives the same decisions on both faces --
including the deload rule, which needs to know whether the plan's next week is a deload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from liftsafe.store import repository
from liftsafe.store.db import Store
from liftsafe.training.autoregulation import Decision, decide, decide_all
from liftsafe.training.library import Library, load_library
from liftsafe.training.log import SessionRecord


@dataclass(frozen=True)
class LoggedSession:
    """A session just saved, and the decisions for the next time each exercise comes up."""

    session_id: int
    record: SessionRecord
    decisions: list[Decision]


def next_week_is_deload(session: Any, record: SessionRecord | None) -> bool:
    """True when ``record`` is the last session of a plan week and the plan's next week is a deload."""
    if record is None or record.plan_id is None or record.plan_week is None:
        return False
    stored = repository.get_plan(session, record.plan_id)
    if stored is None or record.plan_week >= stored.weeks:
        return False
    if record.plan_session is not None and record.plan_session < stored.sessions_per_week:
        return False
    return bool(stored.plan["weeks"][record.plan_week]["deload"])


def decide_next(
    store: Store,
    history: list[SessionRecord],
    *,
    latest: SessionRecord | None = None,
    now: datetime | None = None,
    deload: bool | None = None,
    exercise: str | None = None,
    library: Library | None = None,
) -> list[Decision]:
    """Auto-regulation decisions over ``history``: for ``exercise``, else every exercise of the newest
    session.

    ``latest`` is the session that sets the plan position (default: the newest of ``history``);
    when it closes a plan week that precedes a deload week, the deload rule applies. ``deload``
    overrides that (``liftsafe log next --deload``). Decisions are made as of ``now`` or
    ``latest``, whichever is later.
    """
    lib = library or load_library()
    if latest is None and history:
        latest = max(history, key=lambda r: (r.performed_at, r.id or 0))
    if deload is None:
        with store.transaction() as session:
            deload = next_week_is_deload(session, latest)
    when = now or datetime.now()
    if latest is not None:
        when = max(when, latest.performed_at)
    if exercise is not None:
        return [decide(history, exercise, now=when, next_week_deload=deload, library=lib)]
    return decide_all(history, now=when, next_week_deload=deload, library=lib)


def log_session(
    store: Store, record: SessionRecord, *, owner_id: int | None = None, history_owner: Any = None,
    now: datetime | None = None, library: Library | None = None,
) -> LoggedSession:
    """Save one session atomically (all sets or none) and decide what's next.

    ``owner_id`` ties the session to a web user (in the same transaction); ``history_owner``
    is a function ``session -> list[SessionRecord]`` giving the history the decisions read
    (default: the whole log, as on the command line).
    """
    from liftsafe.errors import InputError

    if record.plan_id is not None:
        with store.transaction() as session:
            if repository.get_plan(session, record.plan_id) is None:
                raise InputError(f"plan_id: no plan with id {record.plan_id}.", field="plan_id")
    with store.transaction() as session:
        session_id = repository.add_workout(session, record)
        if owner_id is not None:
            from liftsafe.store.web_models import WorkoutOwnerRow

            session.add(WorkoutOwnerRow(workout_id=session_id, user_id=owner_id))
    with store.transaction() as session:
        history = repository.list_workouts(session) if history_owner is None else history_owner(session)
    decisions = decide_next(store, history, latest=record, now=now, library=library)
    return LoggedSession(session_id=session_id, record=record, decisions=decisions)


@dataclass(frozen=True)
class ImportSummary:
    """What an import added, what was already there, and what it left out."""

    session_ids: list[int]
    imported_sets: int
    already_present_sessions: int
    skipped_sets: int
    skipped_exercises: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON summary ``liftsafe import --json`` prints."""
        return {
            "imported_sessions": len(self.session_ids), "imported_sets": self.imported_sets,
            "already_present_sessions": self.already_present_sessions,
            "skipped_sets": self.skipped_sets, "skipped_exercises": list(self.skipped_exercises),
        }


def import_log(
    store: Store,
    text: str,
    *,
    source: str,
    fmt: str = "auto",
    weight_unit: str = "kg",
    distance_unit: str = "km",
    skip_unknown: bool = False,
) -> ImportSummary:
    """Import a Strong / Hevy CSV or liftsafe JSON log in one transaction; logged sessions are skipped."""
    from liftsafe.training.interchange import read_log

    result = read_log(text, source=source, fmt=fmt, weight_unit=weight_unit, distance_unit=distance_unit,
                      skip_unknown=skip_unknown)
    with store.transaction() as session:
        existing = {(r.performed_at, r.title) for r in repository.list_workouts(session)}
        new = [r for r in result.sessions if (r.performed_at, r.title) not in existing]
        ids = repository.add_workouts(session, new)
    return ImportSummary(
        session_ids=list(ids), imported_sets=sum(len(r.sets) for r in new),
        already_present_sessions=len(result.sessions) - len(new),
        skipped_sets=result.skipped_sets, skipped_exercises=list(result.skipped_exercises),
    )
