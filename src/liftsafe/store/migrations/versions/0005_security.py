"""Web security: API tokens expire (``expires_at``); deleted ids are never handed out again.

SQLite gives a new row the largest id + 1, so deleting the newest analysis made its id the
next upload's, from any account (links, bookmarks and logs then point at someone else's
data). ``AUTOINCREMENT`` keeps ids monotonic; SQLite can only add it by rebuilding the
table, done here with Alembic's batch mode from the full table definition (SQLite does not
report CHECK constraints back, so reflection alone would drop them). PostgreSQL sequences
never reuse values and need nothing.

Revision ID: 0005_security
Revises: 0004_training
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_security"
down_revision = "0004_training"
branch_labels = None
depends_on = None


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["web_users.id"], name=op.f(f"fk_{table}_{column}_web_users"), ondelete="CASCADE")


def _tables(meta: sa.MetaData, *, with_expiry: bool) -> list[sa.Table]:
    jobs = sa.Table(
        "web_analysis_jobs", meta,
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
        # the job-queue columns of 0003_jobs, which runs before this one: the rebuild keeps them
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("claimed_by", sa.String(200), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("batch", sa.String(200), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name=op.f("ck_web_analysis_jobs_status_values")
        ),
        sa.CheckConstraint("progress_pct BETWEEN 0 AND 100", name=op.f("ck_web_analysis_jobs_progress_range")),
        _user_fk("web_analysis_jobs", "user_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_analysis_jobs")),
        sa.Index(op.f("ix_web_analysis_jobs_user_id"), "user_id"),
        sa.Index(op.f("ix_web_analysis_jobs_status"), "status"),
        sa.Index(op.f("ix_web_analysis_jobs_batch"), "batch"),
    )
    workplace = sa.Table(
        "web_workplace_jobs", meta,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("job", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _user_fk("web_workplace_jobs", "owner_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_workplace_jobs")),
        sa.Index(op.f("ix_web_workplace_jobs_owner_id"), "owner_id"),
    )
    token_columns = [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    ]
    if with_expiry:
        token_columns.append(sa.Column("expires_at", sa.DateTime(), nullable=True))
    tokens = sa.Table(
        "web_api_tokens", meta, *token_columns,
        _user_fk("web_api_tokens", "user_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_api_tokens_token_hash")),
        sa.Index(op.f("ix_web_api_tokens_user_id"), "user_id"),
    )
    return [jobs, workplace, tokens]


def _rebuild(*, autoincrement: bool, with_expiry: bool) -> None:
    """SQLite: rebuild the tables (no other table references them, so dropping the old copy
    cascades nothing)."""
    for table in _tables(sa.MetaData(), with_expiry=with_expiry):
        with op.batch_alter_table(table.name, recreate="always", copy_from=table,
                                  table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass  # recreate="always": the table is copied as defined above


def upgrade() -> None:
    op.add_column("web_api_tokens", sa.Column("expires_at", sa.DateTime(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(autoincrement=True, with_expiry=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(autoincrement=False, with_expiry=True)
    with op.batch_alter_table("web_api_tokens") as batch:
        batch.drop_column("expires_at")
