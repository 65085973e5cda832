# Injected after the student's last cell. Prints the facts as JSON between markers.
# The marker's nonce is formatted in by the worker; the student's cells never saw it.
def _dlgrade_collect(namespace, variable_names):
    import sys

    facts = {"modules": [], "figures": [], "variables": {}}
    try:
        import torch.nn as nn
    except Exception:
        nn = None

    def candidates():
        for name, value in list(namespace.items()):
            if name.startswith("_"):
                continue
            yield name, value
            if isinstance(value, dict):
                for k, v in list(value.items())[:50]:
                    yield f"{name}[{k!r}]", v
            elif isinstance(value, list | tuple):
                for i, v in enumerate(list(value)[:50]):
                    yield f"{name}[{i}]", v

    if nn is not None:
        seen = set()
        for name, value in candidates():
            if (
                isinstance(value, nn.Module)
                and id(value) not in seen
                and len(facts["modules"]) < 200
            ):
                seen.add(id(value))
                kinds = {}
                for sub in value.modules():
                    kinds[type(sub).__name__] = kinds.get(type(sub).__name__, 0) + 1
                params = list(value.parameters())
                facts["modules"].append(
                    {
                        "name": name[:200],
                        "cls": type(value).__name__,
                        "n_params": int(sum(p.numel() for p in params)),
                        "n_trainable": int(sum(p.numel() for p in params if p.requires_grad)),
                        "submodules": dict(list(kinds.items())[:200]),
                    }
                )

    state = sys.modules.get("_dlgrade_state")
    try:
        import matplotlib.pyplot as plt

        if state is not None:
            for num in plt.get_fignums():
                _dlgrade_snapshot(plt.figure(num), "final")  # noqa: F821
    except Exception:
        pass
    if state is not None:
        facts["figures"] = [f for f in state.figures.values() if isinstance(f, dict)][:200]

    def plain(value, depth=0):
        if depth > 4:
            return None
        if isinstance(value, bool | int | float | str) or value is None:
            return value if not isinstance(value, str) else value[:1000]
        if hasattr(value, "tolist"):
            try:
                return plain(value.tolist(), depth + 1)
            except Exception:
                return None
        if isinstance(value, dict):
            return {str(k)[:100]: plain(v, depth + 1) for k, v in list(value.items())[:100]}
        if isinstance(value, list | tuple):
            return [plain(v, depth + 1) for v in list(value)[:5000]]
        return None

    for var in variable_names:
        if var in namespace:
            facts["variables"][var] = plain(namespace[var])
    return facts


# __DLGRADE_EXTRA_PROBES__ (the sources of the assignment's extra probes are inserted here)


def _dlgrade_emit(namespace, variable_names, probes, marker):
    import json

    facts = _dlgrade_collect(namespace, variable_names)
    facts["extras"] = {}
    for name, params in probes.items():
        try:
            facts["extras"][name] = namespace["_dlgrade_probe_" + name](namespace, params)
        except Exception as exc:  # one broken probe must not hide the others' facts
            facts["extras"][name] = {"probe_error": repr(exc)[:500]}
    print(marker)
    print(json.dumps(facts, default=lambda o: None))
    print(marker)


_dlgrade_emit(globals(), __DLGRADE_VARIABLES__, __DLGRADE_PROBES__, "__DLGRADE_MARKER__")  # noqa: F821
