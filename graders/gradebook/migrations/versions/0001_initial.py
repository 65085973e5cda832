"""The gradebook schema as released before the review app: submissions, runs, check results,
intake records, TA scores. A table that already exists is kept as it is, so a gradebook made by
that release (no `alembic_version` table) is adopted by upgrading it.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _create(name: str, *columns: sa.schema.SchemaItem) -> None:
    if not sa.inspect(op.get_bind()).has_table(name):
        op.create_table(name, *columns)


def upgrade() -> None:
    _create(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assignment", sa.String(100), nullable=False, index=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("students", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("assignment", "key"),
    )
    _create(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), index=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("max", sa.Float, nullable=False),
        sa.Column("signature", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    _create(
        "check_results",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), index=True),
        sa.Column("question", sa.String(50), nullable=False),
        sa.Column("part", sa.String(50), nullable=False),
        sa.Column("check_id", sa.String(100), nullable=False),
        sa.Column("check", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("hidden", sa.Boolean, nullable=False),
        sa.Column("message_fa", sa.Text, nullable=False),
        sa.Column("message_en", sa.Text, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
    )
    _create(
        "intake_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assignment", sa.String(100), nullable=False, index=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("students", sa.JSON, nullable=False),
        sa.Column("identified", sa.Boolean, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("submitted_at", TZ, nullable=True),
        sa.Column("days_late", sa.Integer, nullable=False),
        sa.Column("late_penalty_percent", sa.Float, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("duplicate_of", sa.String(300), nullable=True),
        sa.Column("flags", sa.JSON, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("assignment", "key"),
    )
    _create(
        "ta_scores",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assignment", sa.String(100), nullable=False, index=True),
        sa.Column("submission", sa.String(300), nullable=False, index=True),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("points", sa.Float, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("grader", sa.String(100), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )


def downgrade() -> None:
    for name in ("ta_scores", "intake_records", "check_results", "runs", "submissions"):
        op.drop_table(name)
