# Extra probe `adapters`: every PEFT-wrapped torch module in the namespace, whatever its base
# (the `peft` probe details Hugging Face causal LMs): its adapter configs as plain JSON and the
# names of its trainable parameters.
# params: {"max_names": int}
def _dlgrade_probe_adapters(namespace, params):
    import sys

    limit = int(params.get("max_names", 500))
    if "peft" not in sys.modules:
        return {"models": []}

    def jsonable(value, depth=0):
        if depth > 3:
            return None
        if isinstance(value, bool | int | float | str) or value is None:
            return value if not isinstance(value, str) else value[:500]
        if isinstance(value, set | frozenset | list | tuple):
            return [jsonable(v, depth + 1) for v in sorted(value, key=str)[:200]]
        if isinstance(value, dict):
            return {str(k)[:100]: jsonable(v, depth + 1) for k, v in list(value.items())[:100]}
        return str(value)[:200]

    models = []
    seen = set()
    for name, value in _dlgrade_candidates(namespace):  # noqa: F821 (defined by collect.py)
        if id(value) in seen or not type(value).__module__.startswith("peft"):
            continue  # the wrapped base model carries the same peft_config: report it once
        config = getattr(value, "peft_config", None)
        if not isinstance(config, dict) or not hasattr(value, "named_parameters"):
            continue
        seen.add(id(value))
        if len(models) >= 20:
            break
        try:
            configs = {}
            for adapter, cfg in list(config.items())[:10]:
                raw = cfg.to_dict() if hasattr(cfg, "to_dict") else vars(cfg)
                configs[str(adapter)[:100]] = jsonable(raw)
            named = list(value.named_parameters())
            trainable = [n for n, p in named if p.requires_grad]
            models.append(
                {
                    "name": name[:200],
                    "cls": type(value).__name__[:200],
                    "configs": configs,
                    "n_params": int(sum(p.numel() for _, p in named)),
                    "n_trainable": int(sum(p.numel() for _, p in named if p.requires_grad)),
                    "trainable": [n[:300] for n in trainable[:limit]],
                    "trainable_truncated": len(trainable) > limit,
                }
            )
        except Exception as exc:  # a half-built model must not hide the others
            models.append({"name": name[:200], "probe_error": repr(exc)[:300]})
    return {"models": models}
