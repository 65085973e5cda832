"""Alembic migrations of the gradebook schema (run by `graders.gradebook.migrate`)."""
