"""Job queue: attempt count, claiming worker and heartbeat of analysis jobs; the batch they
belong to (``liftsafe batch --db``).

Revision ID: 0003_jobs
Revises: 0002_web
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_jobs"
down_revision = "0002_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("web_analysis_jobs") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("claimed_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("batch", sa.String(200), nullable=True))
    op.create_index(op.f("ix_web_analysis_jobs_batch"), "web_analysis_jobs", ["batch"])


def downgrade() -> None:
    op.drop_index(op.f("ix_web_analysis_jobs_batch"), table_name="web_analysis_jobs")
    with op.batch_alter_table("web_analysis_jobs") as batch:
        batch.drop_column("batch")
        batch.drop_column("heartbeat_at")
        batch.drop_column("claimed_by")
        batch.drop_column("attempts")
