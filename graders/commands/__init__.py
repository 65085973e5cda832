"""One module per verb, each with a keyword-only `main(...)`; `graders.cli` is a thin layer."""
