"""Checks of theory answers (the answer sheet or the student's report PDF): numeric, shape,
vector, choice and true/false values (`answers.py`, which also holds the decision policy: an
answer fails only on a `high`-confidence reading), labels (`labels.py`) and free text a TA
scores against a rubric (`rubric.py`).
"""
