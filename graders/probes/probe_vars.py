# Extra probe `vars`: chosen variables by name and/or by type, summarised (type, shape, dtype,
# length) with their value when small. params: {"names": [str], "types": [type names, e.g.
# "Tensor", "ndarray", "DataFrame", "Vocab"], "max_items": int}
def _dlgrade_probe_vars(namespace, params):
    import contextlib

    names = [str(n) for n in params.get("names", [])][:100]
    types = {str(t) for t in params.get("types", [])}
    limit = int(params.get("max_items", 50))

    def summary(value):
        out = {"type": type(value).__name__[:200], "module": type(value).__module__[:200]}
        shape = getattr(value, "shape", None)
        if shape is not None:
            with contextlib.suppress(TypeError, ValueError):
                out["shape"] = [int(d) for d in shape][:16]
        dtype = getattr(value, "dtype", None)
        if dtype is not None:
            out["dtype"] = str(dtype)[:100]
        with contextlib.suppress(Exception):
            out["len"] = int(len(value))
        plain = _dlgrade_plain(value)  # noqa: F821 (defined by collect.py)
        size = out.get("len", 1)
        numel = 1
        for d in out.get("shape", []):
            numel *= d
        if plain is not None and size <= 5000 and numel <= 5000:
            out["value"] = plain
        return out

    found = {}
    for name in names:
        if name in namespace:
            found[name] = summary(namespace[name])
    if types:
        for name, value in list(namespace.items()):
            if len(found) >= limit:
                break
            if name.startswith("_") or name in found:
                continue
            mro = {c.__name__ for c in type(value).__mro__}
            if mro & types:
                found[name] = summary(value)
    return {"variables": found, "missing": [n for n in names if n not in namespace]}
