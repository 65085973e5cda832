"""Exports of the gradebook: a CSV for the LMS grade import, Gradescope `results.json` files,
a JSON dump; and the code-similarity listing for the TAs."""
