"""An index of check results by item (question, part, check) and run: the review app lists one
item across the class without reading every check of every run.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_check_results_item", "check_results", ["question", "part", "check_id", "run_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_check_results_item", "check_results")
