"""Assignment specs: the pydantic models and the YAML loader."""

from graders.spec.loader import find_assignment, load_spec
from graders.spec.models import AssignmentSpec, CheckSpec, PartSpec, QuestionSpec

__all__ = [
    "AssignmentSpec",
    "CheckSpec",
    "PartSpec",
    "QuestionSpec",
    "find_assignment",
    "load_spec",
]
