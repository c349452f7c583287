"""Web app: users, sign-in sessions, API tokens, analysis jobs, ownership links, coach links,
workplace jobs (models in liftsafe/store/web_models.py).

Revision ID: 0002_web
Revises: 0001_initial
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_web"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["web_users.id"], name=op.f(f"fk_{table}_{column}_web_users"), ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "web_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("height_m", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN ('lifter', 'coach', 'workplace_admin')", name=op.f("ck_web_users_role_values")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_users")),
        sa.UniqueConstraint("email", name=op.f("uq_web_users_email")),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        _user_fk("web_sessions", "user_id"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"])
    op.create_table(
        "web_api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _user_fk("web_api_tokens", "user_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_web_api_tokens_user_id"), "web_api_tokens", ["user_id"])
    op.create_table(
        "web_analysis_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("exercise", sa.String(40), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("input_path", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress_pct", sa.Float(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name=op.f("ck_web_analysis_jobs_status_values")
        ),
        sa.CheckConstraint("progress_pct BETWEEN 0 AND 100", name=op.f("ck_web_analysis_jobs_progress_range")),
        _user_fk("web_analysis_jobs", "user_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_analysis_jobs")),
    )
    op.create_index(op.f("ix_web_analysis_jobs_user_id"), "web_analysis_jobs", ["user_id"])
    op.create_index(op.f("ix_web_analysis_jobs_status"), "web_analysis_jobs", ["status"])
    op.create_table(
        "web_plan_owners",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_web_plan_owners_plan_id_plans"), ondelete="CASCADE"),
        _user_fk("web_plan_owners", "user_id"),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_web_plan_owners")),
    )
    op.create_index(op.f("ix_web_plan_owners_user_id"), "web_plan_owners", ["user_id"])
    op.create_table(
        "web_workout_owners",
        sa.Column("workout_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workout_id"], ["workout_sessions.id"], name=op.f("fk_web_workout_owners_workout_id_workout_sessions"), ondelete="CASCADE"
        ),
        _user_fk("web_workout_owners", "user_id"),
        sa.PrimaryKeyConstraint("workout_id", name=op.f("pk_web_workout_owners")),
    )
    op.create_index(op.f("ix_web_workout_owners_user_id"), "web_workout_owners", ["user_id"])
    op.create_table(
        "web_coach_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lifter_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        _user_fk("web_coach_links", "lifter_id"),
        _user_fk("web_coach_links", "coach_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_coach_links")),
        sa.UniqueConstraint("lifter_id", "coach_id", name="uq_web_coach_links_pair"),
    )
    op.create_index(op.f("ix_web_coach_links_lifter_id"), "web_coach_links", ["lifter_id"])
    op.create_index(op.f("ix_web_coach_links_coach_id"), "web_coach_links", ["coach_id"])
    op.create_table(
        "web_workplace_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("job", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _user_fk("web_workplace_jobs", "owner_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_workplace_jobs")),
    )
    op.create_index(op.f("ix_web_workplace_jobs_owner_id"), "web_workplace_jobs", ["owner_id"])


def downgrade() -> None:
    for table in (
        "web_workplace_jobs", "web_coach_links", "web_workout_owners", "web_plan_owners",
        "web_analysis_jobs", "web_api_tokens", "web_sessions", "web_users",
    ):
        op.drop_table(table)
