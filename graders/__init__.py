"""dlgrade: automated grading and Persian feedback reports for a deep-learning course.

The package is the trusted side of the design: spec loading, intake, sandboxed execution,
checks, scoring, the gradebook, reports and the CLI.
"""

__version__ = "0.1.0"
