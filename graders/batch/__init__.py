"""Batch grading of a whole class: find submissions in an LMS export, identify students and
groups, apply the late policy, grade in parallel (local pool or Dask), resume after a kill."""
