"""A hidden check function of mini-gru: its code is the TA's, never in the student package."""

from graders.checks.registry import CheckParams, register
from graders.checks.result import CheckResult


class LossDropParams(CheckParams):
    factor: float


@register("mini_gru_loss_drop", LossDropParams, needs_execution=True)
def mini_gru_loss_drop(facts, golden, p):
    """The plotted loss fell by at least `factor` from its first to its last point."""
    for fig in facts.probe.figures if facts.probe else []:
        for ax in fig.axes:
            for line in ax.lines:
                if len(line.y) > 1 and line.y[-1] > 0 and line.y[0] / line.y[-1] >= p.factor:
                    return CheckResult.passed("خطا کم شد.", "the loss fell enough.")
    return CheckResult.failed("خطا به اندازهٔ کافی کم نشد.", "the loss did not fall enough.")
