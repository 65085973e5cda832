"""Student self-check: a pytest plugin that runs an assignment's public checks on a notebook.

`plugin` holds the pytest hooks (registered by the `pytest11` entry point), `target` reads the
options and `dlgrade.toml`, `grading` runs the notebook once and the checks, `nodes` are the
pytest collectors and items, `summary` the closing table of public points.
"""
