"""The TA review web app (`dlgrade review`): grade one item across the class with shared rubric
items, override automatic results with a reason, on the same gradebook as the CLI."""
