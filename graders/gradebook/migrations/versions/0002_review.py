"""The TA review app's tables: accounts, rubric items, reviews (versioned), comment bank, audit.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "review_accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "review_rubric_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assignment", sa.String(100), nullable=False, index=True),
        sa.Column("item", sa.String(200), nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("points", sa.Float, nullable=False),
        sa.Column("text_fa", sa.Text, nullable=False),
        sa.Column("text_en", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "review_grades",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assignment", sa.String(100), nullable=False, index=True),
        sa.Column("submission", sa.String(300), nullable=False),
        sa.Column("item", sa.String(200), nullable=False, index=True),
        sa.Column("rubric_ids", sa.JSON, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("points", sa.Float, nullable=False),
        sa.Column("override", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("grader", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("assignment", "submission", "item"),
    )
    op.create_table(
        "review_comments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assignment", sa.String(100), nullable=False, index=True),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
    )
    op.create_table(
        "review_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("who", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("assignment", sa.String(100), nullable=False, index=True),
        sa.Column("submission", sa.String(300), nullable=False),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("old", sa.JSON, nullable=True),
        sa.Column("new", sa.JSON, nullable=True),
    )


def downgrade() -> None:
    for name in (
        "review_audit",
        "review_comments",
        "review_grades",
        "review_rubric_items",
        "review_accounts",
    ):
        op.drop_table(name)
