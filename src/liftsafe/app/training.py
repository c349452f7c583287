"""Use-cases of the training log: log a session and decide what's next; import a log.

The command line (``liftsafe log add``, ``liftsafe import``) and the web app (the "today" form,
the train page) both call these, so the same log gives the same decisions on both faces --
including the deload rule, which needs to know whether the plan's next week is a deload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from liftsafe.app.logbook import ImportSummary, import_text
from liftsafe.store import repository
from liftsafe.store.db import Store
from liftsafe.store.models import LOCAL_OWNER
from liftsafe.training.autoregulation import Decision, decide, decide_all
from liftsafe.training.library import Library, load_library
from liftsafe.training.log import FUTURE_TOLERANCE, SessionRecord


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
    level: str | None = None,
    owner_id: int = LOCAL_OWNER,
) -> list[Decision]:
    """Auto-regulation decisions over ``history``: for ``exercise``, else every exercise of the newest
    session.

    ``latest`` is the session that sets the plan position (default: the newest of ``history``);
    when it closes a plan week that precedes a deload week, the deload rule applies. ``deload``
    overrides that (``liftsafe log next --deload``). Decisions are made as of ``now`` or
    ``latest``, whichever is later. ``level`` (default: the level of the plan ``latest`` belongs
    to, else the newest plan's) sets how many flawless sets add load; loads are rounded to the
    saved equipment profile of ``owner_id`` (the command-line user, or a web account).
    """
    lib = library or load_library()
    clock = now or datetime.now()
    if latest is None and history:  # the newest session that is not in the future: rules read only the past
        past = [r for r in history if r.performed_at <= clock + FUTURE_TOLERANCE]
        latest = max(past, key=lambda r: (r.performed_at, r.id or 0)) if past else None
    with store.transaction() as session:
        if deload is None:
            deload = next_week_is_deload(session, latest)
        if level is None:
            plan = repository.get_plan(session, latest.plan_id if latest is not None else None)
            level = None if plan is None else plan.level.value
        equipment = repository.get_equipment(session, owner_id=owner_id)
    when = now or datetime.now()
    if latest is not None:
        when = max(when, latest.performed_at)
    if exercise is not None:
        return [
            decide(
                history,
                exercise,
                now=when,
                next_week_deload=deload,
                level=level,
                library=lib,
                equipment=equipment,
            )
        ]
    return decide_all(
        history, now=when, next_week_deload=deload, level=level, library=lib, equipment=equipment
    )


def log_session(
    store: Store,
    record: SessionRecord,
    *,
    owner_id: int | None = None,
    history_owner: Any = None,
    now: datetime | None = None,
    library: Library | None = None,
) -> LoggedSession:
    """Save one session atomically (all sets or none) and decide what's next.

    ``owner_id`` ties the session to a web user (in the same transaction); the decisions read
    that user's log (without ``owner_id``: the whole log, as on the command line), or the history
    ``history_owner`` gives (a function ``session -> list[SessionRecord]``).
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
        if history_owner is not None:
            history = history_owner(session)
        else:  # a web account's own log, or the whole log on the command line
            history = repository.list_workouts(session, owner_id=owner_id)
    decisions = decide_next(
        store, history, latest=record, now=now, library=library, owner_id=owner_id or LOCAL_OWNER
    )
    return LoggedSession(session_id=session_id, record=record, decisions=decisions)


def import_log(
    store: Store,
    text: str,
    *,
    source: str,
    fmt: str = "auto",
    weight_unit: str = "kg",
    distance_unit: str = "km",
    owner_id: int = LOCAL_OWNER,
) -> ImportSummary:
    """Import a Strong / Hevy CSV or a liftsafe JSON log or backup into ``owner_id``'s log in
    one transaction (see :func:`liftsafe.app.logbook.import_text`)."""
    return import_text(
        store,
        text,
        source=source,
        fmt=fmt,
        weight_unit=weight_unit,
        distance_unit=distance_unit,
        owner_id=owner_id,
    )


def list_sessions(
    store: Store,
    *,
    exercise: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
    owner_id: int | None = None,
) -> list[SessionRecord]:
    """The logged sessions, oldest first: only those with ``exercise``, on or after ``since``, the newest
    ``limit``; only ``owner_id``'s (a web account) when given, else every session (the command line)."""
    with store.transaction() as session:
        return repository.list_workouts(
            session, exercise_id=exercise, since=since, limit=limit, owner_id=owner_id
        )


def owned_session(store: Store, session_id: int, *, owner_id: int) -> SessionRecord | None:
    """Logged session ``session_id`` when web account ``owner_id`` owns it, else None."""
    from liftsafe.store.web_models import WorkoutOwnerRow

    with store.transaction() as session:
        owner = session.get(WorkoutOwnerRow, session_id)
        if owner is None or owner.user_id != owner_id:
            return None
        found = repository.list_workouts(session, owner_id=owner_id)
    return next((r for r in found if r.id == session_id), None)


def add_session(store: Store, record: SessionRecord, *, owner_id: int) -> int:
    """Save one session for web account ``owner_id`` (its plan, if any, must be theirs); its id."""
    from liftsafe.errors import InputError
    from liftsafe.store.web_models import PlanOwnerRow, WorkoutOwnerRow

    with store.transaction() as session:
        if record.plan_id is not None:
            owner = session.get(PlanOwnerRow, record.plan_id)
            if owner is None or owner.user_id != owner_id:
                raise InputError(f"session, field 'plan_id': plan {record.plan_id} is not one of your plans.")
        session_id = repository.add_workout(session, record)
        session.add(WorkoutOwnerRow(workout_id=session_id, user_id=owner_id))
    return session_id


def personal_records_after(
    store: Store, record: SessionRecord, *, library: Library | None = None
) -> list[Any]:
    """The personal records ``record`` (just logged) set against the whole log."""
    from liftsafe.training.recovery import personal_records

    with store.transaction() as session:
        history = repository.list_workouts(session)
    return personal_records(history, record, library=library)


def today_guidance(store: Store, *, now: datetime | None = None) -> dict[str, Any]:
    """Today's reminders and recovery guidance, from the sessions logged since midnight."""
    from liftsafe.training.recovery import today

    clock = now or datetime.now()
    midnight = clock.replace(hour=0, minute=0, second=0, microsecond=0)
    with store.transaction() as session:
        sessions = repository.list_workouts(session, since=midnight)
    return today(sessions, now=clock)


def record_soreness(
    store: Store,
    session_id: int,
    *,
    soreness: int,
    onset_h: float | None,
    end_h: float | None,
    worsening: bool,
) -> bool:
    """Record soreness that followed logged session ``session_id``; False when there is no such session."""
    with store.transaction() as session:
        return bool(
            repository.update_soreness(
                session, session_id, soreness=soreness, onset_h=onset_h, end_h=end_h, worsening=worsening
            )
        )


def progress_of(
    store: Store, exercise: str | None = None, *, since: datetime | None = None
) -> tuple[str, Any] | None:
    """``(exercise, series)``: load, e1RM, pain and soreness over time for ``exercise`` (default: the
    exercise with the most logged sets); None when no exercise is given and nothing is logged."""
    from collections import Counter

    from liftsafe.training.progress import progress_series

    records = list_sessions(store, exercise=exercise, since=since)
    if exercise is None:
        counts = Counter(st.exercise_id for r in records for st in r.sets)
        if not counts:
            return None
        exercise = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return exercise, progress_series(records, exercise)
