"""The gradebook: SQLAlchemy models and a small facade (SQLite by default, any SQLAlchemy URL)."""

from graders.gradebook.store import Gradebook

__all__ = ["Gradebook"]
