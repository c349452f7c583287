"""ORM models of the web app: accounts, sign-in sessions, API tokens, analysis jobs,
ownership of training records, coach links and workplace jobs.

Shares :class:`liftsafe.store.models.Base` (one metadata, one migration history); created by
migration ``0002_web``. The training tables (``plans``, ``workout_sessions``) stay as they
are: the web app records who owns each row in the link tables ``web_plan_owners`` and
``web_workout_owners`` so the CLI store keeps working unchanged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from liftsafe.store.models import Base

ROLES = ("lifter", "coach", "workplace_admin")
JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled")


class UserRow(Base):
    __tablename__ = "web_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False, unique=True)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    height_m: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    __table_args__ = (CheckConstraint("role IN ('lifter', 'coach', 'workplace_admin')", name="role_values"),)


class WebSessionRow(Base):
    """A signed-in browser: the cookie holds a random token, the table only its SHA-256."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class ApiTokenRow(Base):
    __tablename__ = "web_api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    # None: created before tokens expired (migration 0005_security)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = ({"sqlite_autoincrement": True},)  # a deleted id is never handed out again


class AnalysisJobRow(Base):
    __tablename__ = "web_analysis_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    exercise: Mapped[str] = mapped_column(String(40), nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    input_path: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    progress_pct: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[Any] = mapped_column(JSON, nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    # job queue (migration 0003_jobs, liftsafe/web/worker.py): claims, heartbeats, attempts
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    batch: Mapped[str | None] = mapped_column(String(200), index=True)  # liftsafe batch --db: its name

    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name="status_values"
        ),
        CheckConstraint("progress_pct BETWEEN 0 AND 100", name="progress_range"),
        {"sqlite_autoincrement": True},  # a deleted analysis's id is never the next upload's
    )


class PlanOwnerRow(Base):
    __tablename__ = "web_plan_owners"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False, index=True
    )


class WorkoutOwnerRow(Base):
    __tablename__ = "web_workout_owners"

    workout_id: Mapped[int] = mapped_column(
        ForeignKey("workout_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False, index=True
    )


class CoachLinkRow(Base):
    """A lifter invited a coach: the coach may read that lifter's analyses and training."""

    __tablename__ = "web_coach_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lifter_id: Mapped[int] = mapped_column(
        ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    coach_id: Mapped[int] = mapped_column(
        ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False, index=True
    )

    __table_args__ = (UniqueConstraint("lifter_id", "coach_id", name="uq_web_coach_links_pair"),)


class WorkplaceJobRow(Base):
    """A workplace job (a job file as JSON, see liftsafe.ergonomics.jobfile) owned by an admin."""

    __tablename__ = "web_workplace_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    job: Mapped[Any] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    __table_args__ = ({"sqlite_autoincrement": True},)
