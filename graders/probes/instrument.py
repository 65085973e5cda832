# Injected before the student's first cell. Records every matplotlib figure when it is shown,
# saved, or still open at the end of a cell, and captures -- before any student code runs --
# the functions the collector needs to hand its facts to the worker: a JSON encoder, os.open
# and os.write, and a copy of the builtins. The collector runs with those, in its own
# namespace, and writes to a file whose name the worker chooses after the student's cells
# ran, so monkeypatching json.dumps, print, sys.stdout or builtins, or defining names the
# probes use, does not change what the worker reads. The worker runs this file in a private
# namespace holding a copy of the builtins: nothing is left in the user namespace.


def _dlgrade_install():
    import builtins
    import contextlib
    import json
    import os
    import sys
    import types

    state = types.ModuleType("_dlgrade_state")
    state.figures = {}
    state.counter = [0]
    encoder = json.JSONEncoder(ensure_ascii=True, allow_nan=True, default=lambda o: None)
    encode = encoder.encode
    os_open, os_write, os_close = os.open, os.write, os.close
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    pristine_builtins = dict(builtins.__dict__)

    def bars(ax, to_hex):
        """Bar charts as series: one per BarContainer, x read from the nearest tick's label when
        it is a number (grouped bars at 0 +/- w/2 under the labels "50", "100", ...)."""
        out = []
        ticks = []
        for pos, lbl in zip(ax.get_xticks(), ax.get_xticklabels(), strict=False):
            with contextlib.suppress(ValueError):
                ticks.append((float(pos), float(lbl.get_text().replace("\u2212", "-"))))
        for container in getattr(ax, "containers", [])[:50]:
            patches = [p for p in container if hasattr(p, "get_height")][:5000]
            if not patches or not hasattr(container, "datavalues"):
                continue
            xs = []
            for p in patches:
                centre = p.get_x() + p.get_width() / 2
                near = min(ticks, key=lambda t: abs(t[0] - centre), default=None)
                close = near is not None and abs(near[0] - centre) <= p.get_width()
                xs.append(near[1] if close else centre)
            try:
                color = to_hex(patches[0].get_facecolor(), keep_alpha=False)
            except Exception:
                color = ""
            out.append(
                {
                    "label": str(container.get_label())[:200],
                    "x": [float(v) for v in xs],
                    "y": [float(p.get_height()) for p in patches],
                    "color": color,
                    "linestyle": "bar",
                }
            )
        return out

    def snapshot(fig, source):
        try:
            from matplotlib.colors import to_hex

            key = getattr(fig, "_dlgrade_key", None)
            if key is None:
                state.counter[0] += 1
                key = f"fig{state.counter[0]}"
                fig._dlgrade_key = key
            axes = []
            for ax in fig.get_axes():
                lines = []
                for ln in ax.get_lines()[:200]:
                    x, y = ln.get_xdata(), ln.get_ydata()
                    try:  # colour and style tell groups apart without a legend
                        color = to_hex(ln.get_color(), keep_alpha=False)
                    except Exception:
                        color = ""
                    lines.append(
                        {
                            "label": str(ln.get_label())[:200],
                            "x": [float(v) for v in list(x)[:5000]],
                            "y": [float(v) for v in list(y)[:5000]],
                            "color": color,
                            "linestyle": str(ln.get_linestyle())[:20],
                        }
                    )
                lines += bars(ax, to_hex)
                legend = ax.get_legend()
                titles = [ax.get_title(loc) for loc in ("center", "left", "right")]
                axes.append(
                    {
                        "title": " ".join(t for t in titles if t)[:300],
                        "xlabel": ax.get_xlabel()[:300],
                        "ylabel": ax.get_ylabel()[:300],
                        "xscale": ax.get_xscale(),
                        "yscale": ax.get_yscale(),
                        "lines": lines,
                        "legend": [t.get_text()[:200] for t in legend.get_texts()]
                        if legend
                        else [],
                        "n_images": len(ax.get_images()),
                    }
                )
            suptitle = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else ""
            fig_legend = [t.get_text()[:200] for lg in fig.legends[:5] for t in lg.get_texts()]
            state.figures[key] = {
                "key": key,
                "source": source,
                "suptitle": suptitle,
                "legend": fig_legend[:200],
                "axes": axes,
            }
        except Exception:  # a broken figure must not break the student's run
            pass

    def finish(namespace, collector_source, variables, probes, facts_path):
        """Run the collector in a clean namespace; write its facts to `facts_path`."""
        scope = {"__builtins__": pristine_builtins, "__name__": "_dlgrade_collector"}
        exec(compile(collector_source, "<dlgrade-collector>", "exec"), scope)
        facts = scope["_dlgrade_collect"](namespace, variables, probes, state, snapshot)
        data = encode(facts).encode("ascii")
        fd = os_open(facts_path, flags, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os_write(fd, view) :]
        finally:
            os_close(fd)

    state.snapshot = snapshot
    state.finish = finish
    sys.modules["_dlgrade_state"] = state

    def patch(plt):
        """Wrap pyplot.show and Figure.savefig; record open figures after each cell."""
        import matplotlib.figure
        from IPython import get_ipython

        original_show = plt.show
        original_savefig = matplotlib.figure.Figure.savefig

        def show(*args, **kwargs):
            for num in plt.get_fignums():
                snapshot(plt.figure(num), "show")
            return original_show(*args, **kwargs)

        def savefig(self, *args, **kwargs):
            snapshot(self, "savefig")
            return original_savefig(self, *args, **kwargs)

        plt.show = show
        matplotlib.figure.Figure.savefig = savefig

        def post_execute():
            for num in plt.get_fignums():
                snapshot(plt.figure(num), "cell-end")

        get_ipython().events.register("post_execute", post_execute)

    if "matplotlib.pyplot" in sys.modules:
        patch(sys.modules["matplotlib.pyplot"])
        return

    # matplotlib is patched when the notebook first imports pyplot (importing it here would
    # cost every run seconds): a finder wraps the loader of `matplotlib.pyplot` once.
    import importlib.abc
    import importlib.machinery

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "matplotlib.pyplot":
                return None
            sys.meta_path.remove(self)
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return spec
            loader_exec = spec.loader.exec_module

            def exec_module(module):
                loader_exec(module)
                with contextlib.suppress(Exception):  # recording must never break the import
                    patch(module)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, Finder())


_dlgrade_install()
del _dlgrade_install
