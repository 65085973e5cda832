"""Where each upload time came from (`times` CSV, the files, or withheld): a column of the intake
records. A gradebook that already has it (made by a build that added it by hand) is kept as is.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("intake_records")}
    if "time_source" not in columns:
        op.add_column(
            "intake_records",
            sa.Column("time_source", sa.String(20), nullable=False, server_default=""),
        )


def downgrade() -> None:
    op.drop_column("intake_records", "time_source")
