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
            dims = [
                [m.in_features, m.out_features] for m in value.modules() if isinstance(m, nn.Linear)
            ]
            if dims:
                layers[name[:100]] = {
                    "linear": dims[:50],
                    "n_params": int(sum(p.numel() for p in value.parameters())),
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
