"""Alembic environment: migrates the connection handed in by `graders.gradebook.migrate`."""

from alembic import context

from graders.gradebook.models import Base
from graders.gradebook.review_models import ReviewBase
from graders.gradebook.ta_scores import _Base as TABase

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=[Base.metadata, TABase.metadata, ReviewBase.metadata],
)
with context.begin_transaction():
    context.run_migrations()
