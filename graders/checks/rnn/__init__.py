"""Checks of the simple-RNN-vs-LSTM experiments (hw5-rnn Q6), judged from the student's figures.

Experiment A (accuracy per sequence length, `accuracy.py`), B (per-timestep gradient norms, log
axis, decay, `gradients.py`) and C (hidden/cell-state norms, `states.py`) are read from the
matplotlib facts (`reading.py`); the models (`models.py`) from the module facts. Values are
compared with the reference bands of golden file `q6` (several seeds). A failed check says what
was expected and carries a `figure` (`figure_spec.py`, kind `curves_over_band`): the student's
curves drawn over the reference band, for the report.
"""
