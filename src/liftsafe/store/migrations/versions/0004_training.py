"""Training log: set types (warm-up, drop, failure), supersets, session durations and the
user's custom exercises and training settings (the equipment profile), each owned by one
user: ``owner_id`` 0 is the command-line user, else the web account id.

Revision ID: 0004_training
Revises: 0003_jobs
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_training"
down_revision = "0003_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workout_sets") as batch:
        batch.add_column(sa.Column("set_type", sa.String(10), nullable=False, server_default="normal"))
        batch.add_column(sa.Column("superset", sa.Integer(), nullable=True))
        batch.create_check_constraint(op.f("ck_workout_sets_set_type_values"), "set_type IN ('normal', 'warmup', 'drop', 'failure')")
    with op.batch_alter_table("workout_sessions") as batch:
        batch.add_column(sa.Column("duration_s", sa.Integer(), nullable=True))
    op.create_table(
        "custom_exercises",
        sa.Column("owner_id", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("id", sa.String(60), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("mapped_to", sa.String(60), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "id", name=op.f("pk_custom_exercises")),
    )
    op.create_table(
        "training_settings",
        sa.Column("owner_id", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "key", name=op.f("pk_training_settings")),
    )


def downgrade() -> None:
    op.drop_table("training_settings")
    op.drop_table("custom_exercises")
    with op.batch_alter_table("workout_sessions") as batch:
        batch.drop_column("duration_s")
    with op.batch_alter_table("workout_sets") as batch:
        batch.drop_constraint(op.f("ck_workout_sets_set_type_values"), type_="check")
        batch.drop_column("superset")
        batch.drop_column("set_type")
