"""Checks of the bonus assignment's Q1 (Persian instruction fine-tuning with PEFT).

They read `facts.probe.extras["peft"]` (written by `graders/probes/probe_peft.py` inside the
student's kernel: untrusted, validated by `graders/facts/peft.py` / `parsing.py`) and compare what the
notebook really built with what its *own* configuration should give (`graders.metrics.
peft_formulas`), so a different valid r or number of virtual tokens is not punished. Methods are
grouped in three families: `soft_prompt` (prompt / prefix / P-tuning), `lora` (LoRA, DoRA,
rsLoRA) and `freeze` (first two and last two layers).
"""
