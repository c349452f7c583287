"""Initial training store: plans, workout sessions, workout sets.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column("sessions_per_week", sa.Integer(), nullable=False),
        sa.Column("equipment", sa.JSON(), nullable=True),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("weeks BETWEEN 1 AND 52", name=op.f("ck_plans_weeks_range")),
        sa.CheckConstraint("sessions_per_week BETWEEN 2 AND 3", name=op.f("ck_plans_sessions_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    op.create_table(
        "workout_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("performed_at", sa.DateTime(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("readiness", sa.Integer(), nullable=True),
        sa.Column("pain_after", sa.Integer(), nullable=True),
        sa.Column("pain_after_type", sa.String(10), nullable=True),
        sa.Column("soreness", sa.Integer(), nullable=True),
        sa.Column("soreness_onset_h", sa.Float(), nullable=True),
        sa.Column("soreness_end_h", sa.Float(), nullable=True),
        sa.Column("soreness_worsening", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("plan_week", sa.Integer(), nullable=True),
        sa.Column("plan_session", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("readiness IS NULL OR readiness BETWEEN 1 AND 10", name=op.f("ck_workout_sessions_readiness_range")),
        sa.CheckConstraint("pain_after IS NULL OR pain_after BETWEEN 0 AND 10", name=op.f("ck_workout_sessions_pain_after_range")),
        sa.CheckConstraint("soreness IS NULL OR soreness BETWEEN 0 AND 10", name=op.f("ck_workout_sessions_soreness_range")),
        sa.CheckConstraint(
            "pain_after_type IS NULL OR pain_after_type IN ('sharp', 'dull')", name=op.f("ck_workout_sessions_pain_after_type_values")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_workout_sessions_plan_id_plans"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workout_sessions")),
    )
    op.create_index(op.f("ix_workout_sessions_performed_at"), "workout_sessions", ["performed_at"])
    op.create_table(
        "workout_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(60), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("load_kg", sa.Float(), nullable=True),
        sa.Column("hold_s", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("rpe", sa.Float(), nullable=True),
        sa.Column("rir", sa.Integer(), nullable=True),
        sa.Column("tempo", sa.String(20), nullable=True),
        sa.Column("side", sa.String(1), nullable=True),
        sa.Column("form", sa.String(20), nullable=True),
        sa.Column("form_source", sa.String(20), nullable=True),
        sa.Column("analysis", sa.JSON(), nullable=True),
        sa.Column("pain_during", sa.Integer(), nullable=False),
        sa.Column("pain_type", sa.String(10), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint("reps IS NULL OR reps >= 0", name=op.f("ck_workout_sets_reps_nonnegative")),
        sa.CheckConstraint("load_kg IS NULL OR load_kg >= 0", name=op.f("ck_workout_sets_load_nonnegative")),
        sa.CheckConstraint("hold_s IS NULL OR hold_s >= 0", name=op.f("ck_workout_sets_hold_nonnegative")),
        sa.CheckConstraint("distance_m IS NULL OR distance_m >= 0", name=op.f("ck_workout_sets_distance_nonnegative")),
        sa.CheckConstraint("rpe IS NULL OR rpe BETWEEN 1 AND 10", name=op.f("ck_workout_sets_rpe_range")),
        sa.CheckConstraint("rir IS NULL OR rir BETWEEN 0 AND 10", name=op.f("ck_workout_sets_rir_range")),
        sa.CheckConstraint("pain_during BETWEEN 0 AND 10", name=op.f("ck_workout_sets_pain_during_range")),
        sa.CheckConstraint("side IS NULL OR side IN ('L', 'R')", name=op.f("ck_workout_sets_side_values")),
        sa.CheckConstraint("form IS NULL OR form IN ('flawless', 'minor', 'breakdown')", name=op.f("ck_workout_sets_form_values")),
        sa.CheckConstraint("pain_type IS NULL OR pain_type IN ('sharp', 'dull')", name=op.f("ck_workout_sets_pain_type_values")),
        sa.ForeignKeyConstraint(
            ["session_id"], ["workout_sessions.id"], name=op.f("fk_workout_sets_session_id_workout_sessions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workout_sets")),
        sa.UniqueConstraint("session_id", "position", name="uq_workout_sets_session_position"),
    )
    op.create_index(op.f("ix_workout_sets_session_id"), "workout_sets", ["session_id"])
    op.create_index(op.f("ix_workout_sets_exercise_id"), "workout_sets", ["exercise_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_workout_sets_exercise_id"), table_name="workout_sets")
    op.drop_index(op.f("ix_workout_sets_session_id"), table_name="workout_sets")
    op.drop_table("workout_sets")
    op.drop_index(op.f("ix_workout_sessions_performed_at"), table_name="workout_sessions")
    op.drop_table("workout_sessions")
    op.drop_table("plans")
