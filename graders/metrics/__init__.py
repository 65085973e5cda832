"""Math shared by the reference solutions and the checks: a leaf package (imports nothing of
graders), so `reference_solutions/` never imports `graders.checks`.

- `curve_math`: curve downsampling, normalising, decay rates and the band rule for trained values.
- `bleu`: the project's corpus BLEU-1..4 (and sacreBLEU's, for comparison).
- `peft_formulas`: trainable-parameter counts of the PEFT methods of the bonus assignment.
"""
