"""Reference solutions: code that computes every reference value and trains every model.

Each assignment is a subpackage (`hw5-rnn` -> `reference_solutions.hw5_rnn`) exposing
`build(profile: str, device: str) -> dict[str, dict]`: golden documents by file name,
each a mapping of value keys to JSON values. `reference_solutions.build` writes them with
their provenance.
"""
