"""Checks of the image-captioning question (bonus-llm-captioning Q2), on the `captioning` probe's facts.

Data preparation (`data.py`: vocabulary file with special tokens, one padded length, a split by
image with no leakage, the two plots), the models (`models.py`: `ImageCaptioningModel` with an
encoder and a decoder, frozen encoder, a loss that ignores <pad>, attention weights summing to 1,
a causal mask tested by perturbing a future token) and BLEU (`bleu_checks.py`). The probe's
output is untrusted: it is validated with `graders.facts.captioning.CaptioningFacts` (`parsing.py`) before any
check reads it.
"""
