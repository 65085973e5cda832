# Injected before the student's first cell. Records every matplotlib figure when it is shown,
# saved, or still open at the end of a cell. State lives in a private module, not in globals.
import sys as _sys
import types as _types

_state = _types.ModuleType("_dlgrade_state")
_state.figures = {}
_state.counter = [0]
_sys.modules["_dlgrade_state"] = _state


def _dlgrade_snapshot(fig, source):
    try:
        key = getattr(fig, "_dlgrade_key", None)
        if key is None:
            _state.counter[0] += 1
            key = f"fig{_state.counter[0]}"
            fig._dlgrade_key = key
        axes = []
        for ax in fig.get_axes():
            lines = []
            for ln in ax.get_lines()[:200]:
                x, y = ln.get_xdata(), ln.get_ydata()
                lines.append(
                    {
                        "label": str(ln.get_label())[:200],
                        "x": [float(v) for v in list(x)[:5000]],
                        "y": [float(v) for v in list(y)[:5000]],
                    }
                )
            legend = ax.get_legend()
            axes.append(
                {
                    "title": ax.get_title()[:300],
                    "xlabel": ax.get_xlabel()[:300],
                    "ylabel": ax.get_ylabel()[:300],
                    "xscale": ax.get_xscale(),
                    "yscale": ax.get_yscale(),
                    "lines": lines,
                    "legend": [t.get_text()[:200] for t in legend.get_texts()] if legend else [],
                    "n_images": len(ax.get_images()),
                }
            )
        suptitle = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else ""
        _state.figures[key] = {"key": key, "source": source, "suptitle": suptitle, "axes": axes}
    except Exception:  # a broken figure must not break the student's run
        pass


def _dlgrade_install():
    import matplotlib
    import matplotlib.figure
    import matplotlib.pyplot as plt

    original_show = plt.show
    original_savefig = matplotlib.figure.Figure.savefig

    def show(*args, **kwargs):
        for num in plt.get_fignums():
            _dlgrade_snapshot(plt.figure(num), "show")
        return original_show(*args, **kwargs)

    def savefig(self, *args, **kwargs):
        _dlgrade_snapshot(self, "savefig")
        return original_savefig(self, *args, **kwargs)

    plt.show = show
    matplotlib.figure.Figure.savefig = savefig

    def post_execute():
        for num in plt.get_fignums():
            _dlgrade_snapshot(plt.figure(num), "cell-end")

    get_ipython().events.register("post_execute", post_execute)  # noqa: F821


_dlgrade_install()
del _dlgrade_install, _types
