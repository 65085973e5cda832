"""Grading without a kernel: facts from a notebook's saved outputs and from static analysis.

`outputs` parses what the submitted notebook printed and displayed when the student ran it
(self-reported, source `saved`); `static` reads its code with `ast` (nothing executed, source
`static`); `expected` turns static PEFT configs into expected trainable counts; `checks` holds
the saved-mode variants of the practical checks and the table of which sources each check
accepts; `mode` applies a question's grading mode and the worth of self-reported results.
"""
