# ruff: noqa: F821  (the _dlgrade_* helpers are defined in collect.py, whose source this joins)
# Extra probe `predictions`: the evaluation labels and predictions a notebook kept, fingerprints of
# its train/test label arrays, the Linear layer widths of its models, and the accuracy lines the
# handed-in notebook printed (its saved outputs, i.e. what the student reported).
# params: {"y_true": [names], "y_pred": [names], "train_labels": [names], "test_labels": [names],
#          "max_items": int}; a name may be dotted ("train_set.targets").
def _dlgrade_probe_predictions(namespace, params):
    import glob
    import hashlib
    import json
    import re

    limit = int(params.get("max_items", 20000))

    def resolve(name):
        head, *rest = str(name).split(".")
        if head not in namespace:
            return None
        value = namespace[head]
        for attr in rest:
            value = getattr(value, attr, None)
            if value is None:
                return None
        return value

    def ints(value):
        try:
            if hasattr(value, "detach"):
                value = value.detach().cpu()
            if hasattr(value, "tolist"):
                value = value.tolist()
            out = [int(v) for v in list(value)]
        except Exception:
            return None
        return out

    def first(names):
        for name in names:
            value = ints(resolve(name)) if resolve(name) is not None else None
            if value is not None and value:
                return name, value
        return None, None

    def fingerprint(values):
        return {
            "n": len(values),
            "sha": hashlib.sha256(",".join(map(str, values)).encode()).hexdigest()[:16],
        }

    out = {}
    name_t, y_true = first(params.get("y_true", []))
    name_p, y_pred = first(params.get("y_pred", []))
    if y_true is not None:
        out["y_true"] = {"name": name_t, "values": y_true[:limit], **fingerprint(y_true)}
    if y_pred is not None:
        out["y_pred"] = {"name": name_p, "values": y_pred[:limit], **fingerprint(y_pred)}
    splits = {}
    for split in ("train_labels", "test_labels"):
        name, values = first(params.get(split, []))
        if values is not None:
            splits[split] = {"name": name, **fingerprint(values)}
    out["splits"] = splits

    layers = {}
    try:
        import torch.nn as nn

        for name, value in list(namespace.items()):
            if name.startswith("_") or not isinstance(value, nn.Module) or len(layers) >= 20:
                continue
            # widths from the weights' own shapes (not in_features, which a notebook can
            # overwrite), modules and counts from the module tree itself (collect.py helpers)
            dims = []
            for _, m in _dlgrade_true_modules(value):
                weight = _dlgrade_own(m, "_parameters").get("weight")
                if isinstance(m, nn.Linear) and weight is not None:
                    out_f, in_f = _dlgrade_shape(weight)[:2]
                    dims.append([in_f, out_f])
            if dims:
                layers[name[:100]] = {
                    "linear": dims[:50],
                    "n_params": int(sum(_dlgrade_numel(p) for _, p in _dlgrade_true_params(value))),
                }
    except Exception:
        pass
    out["linear_layers"] = layers

    reported = []
    pattern = re.compile(r"acc|دقت", re.IGNORECASE)
    for path in sorted(glob.glob("*.ipynb"))[:5]:
        try:
            with open(path, encoding="utf-8") as f:
                nb = json.load(f)
        except Exception:
            continue
        for cell in nb.get("cells", []):
            for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
                text = output.get("text") or output.get("data", {}).get("text/plain") or ""
                text = "".join(text) if isinstance(text, list) else str(text)
                for line in text.splitlines():
                    if pattern.search(line) and len(reported) < 200:
                        reported.append(line[:300])
    out["reported_lines"] = reported
    return out
