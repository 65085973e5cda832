# Run after the student's last cell, inside the kernel, by the instrumentation's `finish`, in a
# private namespace whose builtins were copied before any student code ran. It returns the facts
# (a JSON-able dict); `finish` encodes them with an encoder captured at the same time and writes
# them to a file the worker names after the student's cells ran. Output is untrusted anyway: the
# grader validates every field and size.
MAX_PARAMS = 500
MAX_CHILDREN = 300


def _dlgrade_tensor_base(t):
    """torch's C tensor type, from the tensor's own type (a patched `torch.Tensor` method or
    a subclass overriding `numel`, `shape` or `requires_grad` cannot change what it reports)."""
    for cls in type(t).__mro__:
        if cls.__name__ == "TensorBase" and cls.__module__ == "torch._C":
            return cls
    return None


def _dlgrade_shape(t):
    base = _dlgrade_tensor_base(t)
    return [int(d) for d in (base.size(t) if base is not None else t.shape)]


def _dlgrade_numel(t):
    n = 1
    for d in _dlgrade_shape(t):
        n *= d
    return n


def _dlgrade_requires_grad(t):
    base = _dlgrade_tensor_base(t)
    return bool(base.requires_grad.__get__(t) if base is not None else t.requires_grad)


def _dlgrade_own(module, key):
    try:
        return object.__getattribute__(module, "__dict__").get(key) or {}
    except Exception:
        return {}


def _dlgrade_true_modules(module, prefix="", seen=None):
    """(name, module) of the tree, read from `_modules` itself: a patched `nn.Module.modules`
    or an overridden `named_modules` does not hide or invent layers."""
    seen = set() if seen is None else seen
    if id(module) in seen or len(seen) > 20000:
        return []
    seen.add(id(module))
    out = [(prefix, module)]
    for key, sub in list(_dlgrade_own(module, "_modules").items()):
        if sub is not None:
            out += _dlgrade_true_modules(sub, f"{prefix}.{key}" if prefix else key, seen)
    return out


def _dlgrade_true_params(module):
    """(name, tensor) of every distinct parameter, read from each module's `_parameters`."""
    out, seen = [], set()
    for mod_name, mod in _dlgrade_true_modules(module):
        for key, p in list(_dlgrade_own(mod, "_parameters").items()):
            if p is not None and id(p) not in seen:
                seen.add(id(p))
                out.append((f"{mod_name}.{key}" if mod_name else key, p))
    return out


def _dlgrade_module_fact(name, value):
    kinds = {}
    tree = _dlgrade_true_modules(value)
    for _, sub in tree:
        kinds[type(sub).__name__] = kinds.get(type(sub).__name__, 0) + 1
    params = _dlgrade_true_params(value)
    children = []
    for sub_name, sub in tree[1 : MAX_CHILDREN + 1]:
        sub_params = _dlgrade_true_params(sub)
        children.append(
            {
                "name": sub_name[:200],
                "cls": type(sub).__name__[:200],
                "n_params": int(sum(_dlgrade_numel(p) for _, p in sub_params)),
                "n_trainable": int(
                    sum(_dlgrade_numel(p) for _, p in sub_params if _dlgrade_requires_grad(p))
                ),
            }
        )
    try:  # what the (possibly patched) public API claims, to tell the TA when it disagrees
        claimed = int(sum(p.numel() for p in value.parameters()))
    except Exception:
        claimed = -1
    n_params = int(sum(_dlgrade_numel(p) for _, p in params))
    return {
        "name": name[:200],
        "cls": type(value).__name__[:200],
        "n_params": n_params,
        "n_trainable": int(sum(_dlgrade_numel(p) for _, p in params if _dlgrade_requires_grad(p))),
        "claimed_n_params": claimed,
        "submodules": dict(list(kinds.items())[:200]),
        "children": children,
        "params": [
            {
                "name": n[:200],
                "shape": _dlgrade_shape(p)[:16],
                "requires_grad": _dlgrade_requires_grad(p),
            }
            for n, p in params[:MAX_PARAMS]
        ],
        "params_truncated": len(params) > MAX_PARAMS,
    }


def _dlgrade_candidates(namespace):
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


def _dlgrade_plain(value, depth=0, max_depth=4, max_text=1000, max_items=5000, frames=False):
    # JSON-able copy of a value (arrays via tolist, bounded depth, text and list lengths);
    # frames: a pandas DataFrame as {columns, index, data}
    if depth > max_depth:
        return None
    if isinstance(value, bool | int | float | str) or value is None:
        return value if not isinstance(value, str) else value[:max_text]

    def inner(v):
        return _dlgrade_plain(v, depth + 1, max_depth, max_text, max_items, frames)

    if frames and hasattr(value, "to_dict") and hasattr(value, "columns"):
        try:
            return {
                "columns": [str(c)[:200] for c in list(value.columns)[:50]],
                "index": [inner(i) for i in list(value.index)[:50]],
                "data": inner(value.values.tolist()),
            }
        except Exception:
            return None
    if hasattr(value, "tolist"):
        try:
            return inner(value.tolist())
        except Exception:
            return None
    if isinstance(value, dict):
        return {str(k)[:100]: inner(v) for k, v in list(value.items())[:100]}
    if isinstance(value, list | tuple):
        return [inner(v) for v in list(value)[:max_items]]
    return None


# __DLGRADE_EXTRA_PROBES__ (the sources of the assignment's extra probes are inserted here)


def _dlgrade_collect(namespace, variable_names, probes, state, snapshot):
    import sys

    facts = {"modules": [], "figures": [], "variables": {}, "extras": {}}
    nn = None
    if "torch" in sys.modules:  # no torch imported: no modules to find (and no import cost)
        try:
            import torch.nn as nn
        except Exception:
            nn = None
    if nn is not None:
        seen = set()
        for name, value in _dlgrade_candidates(namespace):
            if (
                isinstance(value, nn.Module)
                and id(value) not in seen
                and len(facts["modules"]) < 200
            ):
                seen.add(id(value))
                try:
                    facts["modules"].append(_dlgrade_module_fact(name, value))
                except Exception:
                    continue
    if "matplotlib.pyplot" in sys.modules:
        try:
            plt = sys.modules["matplotlib.pyplot"]
            for num in plt.get_fignums():
                snapshot(plt.figure(num), "final")
        except Exception:
            pass
    facts["figures"] = [f for f in state.figures.values() if isinstance(f, dict)][:200]
    for var in variable_names:
        if var in namespace:
            facts["variables"][var] = _dlgrade_plain(namespace[var])
    scope = globals()
    for name, params in probes.items():
        try:
            facts["extras"][name] = scope["_dlgrade_probe_" + name](namespace, params)
        except Exception as exc:  # one broken probe must not hide the others' facts
            facts["extras"][name] = {"probe_error": repr(exc)[:500]}
    return facts
