"""Repository functions: domain records (``liftsafe.training``) in, domain records out.

Each function works inside a session the caller opened with :meth:`Store.transaction`, so a
command decides what one transaction is. The ORM rows never leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from liftsafe.store.db import now_seconds
from liftsafe.store.models import (
    LOCAL_OWNER,
    CustomExerciseRow,
    PlanRow,
    TrainingSettingRow,
    WorkoutSessionRow,
    WorkoutSetRow,
)
from liftsafe.training.library import Level
from liftsafe.training.log import FormQuality, FormSource, PainType, SessionRecord, SetRecord, SetType, Side
from liftsafe.training.plan import Plan


@dataclass(frozen=True)
class StoredPlan:
    id: int
    name: str
    level: Level
    weeks: int
    sessions_per_week: int
    equipment: tuple[str, ...] | None
    created_at: datetime
    plan: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The stored plan as a JSON-ready dict."""
        return {
            "id": self.id,
            "name": self.name,
            "level": self.level.value,
            "weeks": self.weeks,
            "sessions_per_week": self.sessions_per_week,
            "equipment": None if self.equipment is None else list(self.equipment),
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "plan": self.plan,
        }


_now = now_seconds


def save_plan(session: Session, plan: Plan, *, name: str) -> int:
    """Save a generated plan; return its id."""
    row = PlanRow(
        name=name,
        level=plan.level.value,
        weeks=len(plan.weeks),
        sessions_per_week=plan.sessions_per_week,
        equipment=None if plan.equipment is None else list(plan.equipment),
        plan=plan.to_dict(),
        created_at=_now(),
    )
    session.add(row)
    session.flush()
    return row.id


def _plan_out(row: PlanRow) -> StoredPlan:
    return StoredPlan(
        id=row.id,
        name=row.name,
        level=Level(row.level),
        weeks=row.weeks,
        sessions_per_week=row.sessions_per_week,
        equipment=None if row.equipment is None else tuple(row.equipment),
        created_at=row.created_at,
        plan=row.plan,
    )


def get_plan(session: Session, plan_id: int | None = None) -> StoredPlan | None:
    """The plan ``plan_id``, or the newest plan when ``plan_id`` is None; None if absent."""
    if plan_id is None:
        row = session.scalars(select(PlanRow).order_by(PlanRow.id.desc()).limit(1)).first()
    else:
        row = session.get(PlanRow, plan_id)
    return None if row is None else _plan_out(row)


def list_plans(session: Session) -> list[StoredPlan]:
    """All saved plans, oldest first."""
    return [_plan_out(r) for r in session.scalars(select(PlanRow).order_by(PlanRow.id))]


def _set_row(position: int, s: SetRecord) -> WorkoutSetRow:
    return WorkoutSetRow(
        position=position,
        exercise_id=s.exercise_id,
        reps=s.reps,
        load_kg=s.load_kg,
        hold_s=s.hold_s,
        distance_m=s.distance_m,
        rpe=s.rpe,
        rir=s.rir,
        tempo=s.tempo,
        side=None if s.side is None else s.side.value,
        form=None if s.form is None else s.form.value,
        form_source=None if s.form_source is None else s.form_source.value,
        analysis=s.analysis,
        pain_during=s.pain_during,
        pain_type=None if s.pain_type is None else s.pain_type.value,
        notes=s.notes,
        set_type=s.set_type.value,
        superset=s.superset,
    )


def add_workout(session: Session, record: SessionRecord, *, row_id: int | None = None) -> int:
    """Insert a session with all its sets (flushed; committed by the caller's transaction).
    ``row_id`` keeps a backup's id (restores into an empty database only)."""
    row = WorkoutSessionRow(
        id=row_id,
        performed_at=record.performed_at,
        title=record.title,
        readiness=record.readiness,
        pain_after=record.pain_after,
        pain_after_type=None if record.pain_after_type is None else record.pain_after_type.value,
        soreness=record.soreness,
        soreness_onset_h=record.soreness_onset_h,
        soreness_end_h=record.soreness_end_h,
        soreness_worsening=record.soreness_worsening,
        notes=record.notes,
        plan_id=record.plan_id,
        plan_week=record.plan_week,
        plan_session=record.plan_session,
        source=record.source,
        duration_s=record.duration_s,
        created_at=_now(),
        sets=[_set_row(i, s) for i, s in enumerate(record.sets, start=1)],
    )
    session.add(row)
    session.flush()
    return row.id


def add_workouts(session: Session, records: Sequence[SessionRecord]) -> list[int]:
    """Save several sessions in the caller's transaction; return their ids."""
    return [add_workout(session, r) for r in records]


def _enum_or_none(enum, value):
    return None if value is None else enum(value)


def _record(row: WorkoutSessionRow) -> SessionRecord:
    sets = tuple(
        SetRecord(
            exercise_id=s.exercise_id,
            reps=s.reps,
            load_kg=s.load_kg,
            hold_s=s.hold_s,
            distance_m=s.distance_m,
            rpe=s.rpe,
            rir=s.rir,
            tempo=s.tempo,
            side=_enum_or_none(Side, s.side),
            form=_enum_or_none(FormQuality, s.form),
            form_source=_enum_or_none(FormSource, s.form_source),
            analysis=s.analysis,
            pain_during=s.pain_during,
            pain_type=_enum_or_none(PainType, s.pain_type),
            notes=s.notes,
            set_type=SetType(s.set_type),
            superset=s.superset,
        )
        for s in row.sets
    )
    return SessionRecord(
        id=row.id,
        performed_at=row.performed_at,
        sets=sets,
        title=row.title,
        readiness=row.readiness,
        pain_after=row.pain_after,
        pain_after_type=_enum_or_none(PainType, row.pain_after_type),
        soreness=row.soreness,
        soreness_onset_h=row.soreness_onset_h,
        soreness_end_h=row.soreness_end_h,
        soreness_worsening=bool(row.soreness_worsening),
        notes=row.notes,
        plan_id=row.plan_id,
        plan_week=row.plan_week,
        plan_session=row.plan_session,
        source=row.source,
        duration_s=row.duration_s,
    )


def list_workouts(
    session: Session,
    *,
    exercise_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
    owner_id: int | None = None,
) -> list[SessionRecord]:
    """Sessions oldest first (the newest ``limit`` if given); ``exercise_id`` keeps sessions
    containing that exercise (all their sets are returned); ``owner_id`` keeps one user's
    sessions (see :func:`owned_session_ids`; None: every session, as on the command line)."""
    stmt = select(WorkoutSessionRow).options(selectinload(WorkoutSessionRow.sets))
    if owner_id is not None:
        stmt = stmt.where(WorkoutSessionRow.id.in_(owned_session_ids(owner_id)))
    if exercise_id is not None:
        stmt = stmt.where(
            WorkoutSessionRow.id.in_(
                select(WorkoutSetRow.session_id).where(WorkoutSetRow.exercise_id == exercise_id)
            )
        )
    if since is not None:
        stmt = stmt.where(WorkoutSessionRow.performed_at >= since)
    if until is not None:
        stmt = stmt.where(WorkoutSessionRow.performed_at <= until)
    stmt = stmt.order_by(WorkoutSessionRow.performed_at.desc(), WorkoutSessionRow.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = session.scalars(stmt).all()
    return [_record(r) for r in reversed(rows)]


def count_workouts(session: Session) -> tuple[int, int]:
    """(number of sessions, number of sets)."""
    from sqlalchemy import func

    n_sessions = session.scalar(select(func.count()).select_from(WorkoutSessionRow)) or 0
    n_sets = session.scalar(select(func.count()).select_from(WorkoutSetRow)) or 0
    return n_sessions, n_sets


def update_soreness(
    session: Session,
    session_id: int,
    *,
    soreness: int,
    onset_h: float | None,
    end_h: float | None,
    worsening: bool,
) -> bool:
    """Record soreness reported after a session; False if the session does not exist."""
    row = session.get(WorkoutSessionRow, session_id)
    if row is None:
        return False
    row.soreness, row.soreness_onset_h, row.soreness_end_h, row.soreness_worsening = (
        soreness,
        onset_h,
        end_h,
        worsening,
    )
    session.flush()
    return True


def restore_plan(session: Session, data: dict[str, Any], *, keep_id: bool = False) -> int:
    """Insert a plan read from a backup (``interchange._plan_in`` shape); returns its new id
    (its backup id with ``keep_id``, for restores into an empty database)."""
    row = PlanRow(
        id=data["id"] if keep_id else None,
        name=data["name"],
        level=data["level"],
        weeks=data["weeks"],
        sessions_per_week=data["sessions_per_week"],
        equipment=data.get("equipment"),
        plan=data["plan"],
        created_at=data.get("created_at") or _now(),
    )
    session.add(row)
    session.flush()
    return row.id


def owned_session_ids(owner_id: int = LOCAL_OWNER):
    """A subquery of the ids of ``owner_id``'s workout sessions: a web account's own (through
    ``web_workout_owners``), or for the command-line user those no web account owns."""
    from liftsafe.store.web_models import WorkoutOwnerRow

    if owner_id == LOCAL_OWNER:
        return select(WorkoutSessionRow.id).where(
            WorkoutSessionRow.id.not_in(select(WorkoutOwnerRow.workout_id))
        )
    return select(WorkoutOwnerRow.workout_id).where(WorkoutOwnerRow.user_id == owner_id)


def _customs(session: Session, owner_id: int):
    return select(CustomExerciseRow).where(CustomExerciseRow.owner_id == owner_id)


def add_custom_exercises(
    session: Session,
    names: dict[str, str],
    mappings: dict[str, str] | None = None,
    *,
    owner_id: int = LOCAL_OWNER,
) -> int:
    """Record ``owner_id``'s custom exercises (id -> name) not yet known; returns how many were new."""
    mappings = mappings or {}
    known = {r.id for r in session.scalars(_customs(session, owner_id))}
    new = 0
    for cid, name in names.items():
        if cid in known:
            continue
        session.add(
            CustomExerciseRow(
                owner_id=owner_id, id=cid, name=name, mapped_to=mappings.get(cid), created_at=_now()
            )
        )
        new += 1
    for cid, target in mappings.items():
        if cid not in names and cid not in known:
            session.add(
                CustomExerciseRow(
                    owner_id=owner_id,
                    id=cid,
                    name=cid.removeprefix("custom:").replace("-", " "),
                    mapped_to=target,
                    created_at=_now(),
                )
            )
    session.flush()
    return new


def list_custom_exercises(session: Session, *, owner_id: int = LOCAL_OWNER) -> list[dict[str, Any]]:
    """``owner_id``'s custom exercises with their number of sets in that user's log, by name."""
    from sqlalchemy import func

    counts = dict(
        session.execute(
            select(WorkoutSetRow.exercise_id, func.count())
            .where(WorkoutSetRow.session_id.in_(owned_session_ids(owner_id)))
            .group_by(WorkoutSetRow.exercise_id)
        ).all()
    )
    rows = session.scalars(_customs(session, owner_id).order_by(CustomExerciseRow.name, CustomExerciseRow.id))
    return [
        {"id": r.id, "name": r.name, "mapped_to": r.mapped_to, "sets": int(counts.get(r.id, 0))} for r in rows
    ]


def custom_names(session: Session, *, owner_id: int = LOCAL_OWNER) -> dict[str, str]:
    """``owner_id``'s custom exercise ids -> their names as imported."""
    return {r.id: r.name for r in session.scalars(_customs(session, owner_id))}


def custom_mappings(session: Session, *, owner_id: int = LOCAL_OWNER) -> dict[str, str]:
    """custom id -> library id for the custom exercises ``owner_id`` has mapped."""
    return {
        r.id: r.mapped_to
        for r in session.scalars(_customs(session, owner_id).where(CustomExerciseRow.mapped_to.is_not(None)))
        if r.mapped_to is not None
    }


def find_custom_exercise(session: Session, name_or_id: str, *, owner_id: int = LOCAL_OWNER) -> str | None:
    """The id of ``owner_id``'s custom exercise named ``name_or_id`` (name, id or slug), or None."""
    from liftsafe.training.log import custom_id

    text = name_or_id.strip()
    for cond in (
        CustomExerciseRow.id == text,
        CustomExerciseRow.name == text,
        CustomExerciseRow.id == custom_id(text),
    ):
        row = session.scalars(_customs(session, owner_id).where(cond)).first()
        if row is not None:
            return row.id
    return None


def map_custom_exercise(
    session: Session, custom: str, library_id: str, *, owner_id: int = LOCAL_OWNER
) -> int:
    """Map ``owner_id``'s custom exercise to a library exercise: the sets of that user's log move
    to ``library_id`` and their later imports use the mapping. Returns the number of sets moved."""
    from sqlalchemy import update

    row = session.get(CustomExerciseRow, (owner_id, custom))
    if row is None:
        raise KeyError(custom)
    row.mapped_to = library_id
    result = session.execute(
        update(WorkoutSetRow)
        .where(WorkoutSetRow.exercise_id == custom, WorkoutSetRow.session_id.in_(owned_session_ids(owner_id)))
        .values(exercise_id=library_id)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def is_empty(session: Session) -> bool:
    """No plans and no sessions: a restore may keep the backup's ids."""
    return (
        session.scalar(select(PlanRow.id).limit(1)) is None
        and session.scalar(select(WorkoutSessionRow.id).limit(1)) is None
    )


def sync_id_sequences(session: Session) -> None:
    """After inserting explicit ids on PostgreSQL, move the id sequences past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    from sqlalchemy import text

    for table in ("plans", "workout_sessions"):
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM "
                f"{table}), 0) + 1, false)"
            )
        )


def get_setting(session: Session, key: str, *, owner_id: int = LOCAL_OWNER) -> Any:
    """One of ``owner_id``'s training settings as its JSON value, or None."""
    row = session.get(TrainingSettingRow, (owner_id, key))
    return None if row is None else row.value


def set_setting(session: Session, key: str, value: Any, *, owner_id: int = LOCAL_OWNER) -> None:
    """Save one of ``owner_id``'s training settings as a JSON value."""
    row = session.get(TrainingSettingRow, (owner_id, key))
    if row is None:
        session.add(TrainingSettingRow(owner_id=owner_id, key=key, value=value))
    else:
        row.value = value
    session.flush()


def get_equipment(session: Session, *, owner_id: int = LOCAL_OWNER):
    """``owner_id``'s saved equipment profile, or the default one."""
    from liftsafe.training.equipment import DEFAULT_PROFILE, EquipmentProfile

    raw = get_setting(session, "equipment", owner_id=owner_id)
    return (
        DEFAULT_PROFILE if raw is None else EquipmentProfile.from_dict(raw, where="saved equipment profile")
    )
