"""SQLAlchemy 2 ORM models of the training store (plans, workout sessions, sets, custom exercises).

The schema is created and evolved only by the Alembic migrations in ``migrations/``;
``tests/store`` checks that the migrations and these models agree. Value ranges are enforced
twice: by :mod:`liftsafe.training.log` (clear messages) and by CHECK constraints here (so no
other writer can store an impossible value).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    level: Mapped[str] = mapped_column(String(20), nullable=False)
    weeks: Mapped[int] = mapped_column(Integer, nullable=False)
    sessions_per_week: Mapped[int] = mapped_column(Integer, nullable=False)
    equipment: Mapped[Any] = mapped_column(JSON, nullable=True)
    plan: Mapped[Any] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    __table_args__ = (
        CheckConstraint("weeks BETWEEN 1 AND 52", name="weeks_range"),
        CheckConstraint("sessions_per_week BETWEEN 2 AND 3", name="sessions_range"),
    )


class WorkoutSessionRow(Base):
    __tablename__ = "workout_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    performed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    readiness: Mapped[int | None] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer)
    pain_after_type: Mapped[str | None] = mapped_column(String(10))
    soreness: Mapped[int | None] = mapped_column(Integer)
    soreness_onset_h: Mapped[float | None] = mapped_column(Float)
    soreness_end_h: Mapped[float | None] = mapped_column(Float)
    soreness_worsening: Mapped[bool] = mapped_column(nullable=False, default=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    plan_week: Mapped[int | None] = mapped_column(Integer)
    plan_session: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="manual")
    duration_s: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    sets: Mapped[list[WorkoutSetRow]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="WorkoutSetRow.position",
        passive_deletes=True,
    )

    __table_args__ = (
        CheckConstraint("readiness IS NULL OR readiness BETWEEN 1 AND 10", name="readiness_range"),
        CheckConstraint("pain_after IS NULL OR pain_after BETWEEN 0 AND 10", name="pain_after_range"),
        CheckConstraint("soreness IS NULL OR soreness BETWEEN 0 AND 10", name="soreness_range"),
        CheckConstraint(
            "pain_after_type IS NULL OR pain_after_type IN ('sharp', 'dull')", name="pain_after_type_values"
        ),
    )


class WorkoutSetRow(Base):
    __tablename__ = "workout_sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("workout_sessions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    exercise_id: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    reps: Mapped[int | None] = mapped_column(Integer)
    load_kg: Mapped[float | None] = mapped_column(Float)
    hold_s: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    rpe: Mapped[float | None] = mapped_column(Float)
    rir: Mapped[int | None] = mapped_column(Integer)
    tempo: Mapped[str | None] = mapped_column(String(20))
    side: Mapped[str | None] = mapped_column(String(1))
    form: Mapped[str | None] = mapped_column(String(20))
    form_source: Mapped[str | None] = mapped_column(String(20))
    analysis: Mapped[Any] = mapped_column(JSON, nullable=True)
    pain_during: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    pain_type: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    set_type: Mapped[str] = mapped_column(
        String(10), nullable=False, default="normal", server_default="normal"
    )
    superset: Mapped[int | None] = mapped_column(Integer)

    session: Mapped[WorkoutSessionRow] = relationship(back_populates="sets")

    __table_args__ = (
        UniqueConstraint("session_id", "position", name="uq_workout_sets_session_position"),
        CheckConstraint("reps IS NULL OR reps >= 0", name="reps_nonnegative"),
        CheckConstraint("load_kg IS NULL OR load_kg >= 0", name="load_nonnegative"),
        CheckConstraint("hold_s IS NULL OR hold_s >= 0", name="hold_nonnegative"),
        CheckConstraint("distance_m IS NULL OR distance_m >= 0", name="distance_nonnegative"),
        CheckConstraint("rpe IS NULL OR rpe BETWEEN 1 AND 10", name="rpe_range"),
        CheckConstraint("rir IS NULL OR rir BETWEEN 0 AND 10", name="rir_range"),
        CheckConstraint("pain_during BETWEEN 0 AND 10", name="pain_during_range"),
        CheckConstraint("side IS NULL OR side IN ('L', 'R')", name="side_values"),
        CheckConstraint("form IS NULL OR form IN ('flawless', 'minor', 'breakdown')", name="form_values"),
        CheckConstraint("pain_type IS NULL OR pain_type IN ('sharp', 'dull')", name="pain_type_values"),
        CheckConstraint("set_type IN ('normal', 'warmup', 'drop', 'failure')", name="set_type_values"),
    )


#: ``owner_id`` of the command-line user (the local database has one user); web accounts
#: own rows under their account id (``web_users.id``, which starts at 1).
LOCAL_OWNER = 0


class CustomExerciseRow(Base):
    """A user's own exercise: a name from an imported log that is not in the library.
    ``mapped_to`` (a library id) is set by ``liftsafe exercises map``. Each user has their own
    (``owner_id``: :data:`LOCAL_OWNER` on the command line, the account id on the web)."""

    __tablename__ = "custom_exercises"

    owner_id: Mapped[int] = mapped_column(Integer, primary_key=True, default=LOCAL_OWNER, server_default="0")
    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    mapped_to: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class TrainingSettingRow(Base):
    """Per-user training settings as JSON values (``equipment``: the equipment profile)."""

    __tablename__ = "training_settings"

    owner_id: Mapped[int] = mapped_column(Integer, primary_key=True, default=LOCAL_OWNER, server_default="0")
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=False)
