"""Alembic revision scripts of the gradebook, oldest first."""
