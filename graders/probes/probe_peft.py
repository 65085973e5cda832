# Extra probe `peft`: what the Q1 (PEFT) notebook built and trained, observed in its kernel.
# For every Hugging Face causal LM in the namespace (wrapped by peft or not): its config dims,
# its peft config, trainable parameters grouped (adapter / embeddings / head / each decoder
# layer), a fingerprint of a few base tensors (to see that frozen weights did not change), and
# for soft prompts whether the prompt rows are still copies of vocabulary rows (never trained).
# Also: labels of the training data (prompt masked?), the results dict, the comparison table.
# params: {"results_variable": str, "comparison_variable": str, "dataset_variables": [str],
#          "max_models": int}
def _dlgrade_probe_peft(namespace, params):
    import hashlib
    import re

    try:
        import torch
        import transformers
    except Exception as exc:
        return {"probe_error": f"torch/transformers not importable: {exc!r}"[:300]}
    try:
        import peft
    except Exception:
        peft = None

    def short(value, n=200):
        return str(value)[:n]

    def plain(value):
        return _dlgrade_plain(value, 0, 5, 2000, 2000, True)  # noqa: F821 (defined by collect.py)

    candidates = _dlgrade_candidates  # noqa: F821 (defined by collect.py, which this joins)

    # ---- models -----------------------------------------------------------------------------
    found = {}
    for name, value in candidates(namespace):
        if peft is not None and isinstance(value, peft.PeftModel):
            hf = value.get_base_model()
            found.setdefault(id(hf), [value, hf, name])
            if found[id(hf)][0] is hf:  # the bare model was seen first: keep the wrapper
                found[id(hf)] = [value, hf, name]
        elif isinstance(value, transformers.PreTrainedModel):
            found.setdefault(id(value), [value, value, name])

    def dims_of(config):
        heads = getattr(config, "num_attention_heads", 0) or 0
        hidden = getattr(config, "hidden_size", 0) or 0
        return {
            "model_type": short(getattr(config, "model_type", "")),
            "hidden_size": hidden,
            "intermediate_size": getattr(config, "intermediate_size", 0),
            "num_hidden_layers": getattr(config, "num_hidden_layers", 0),
            "num_attention_heads": heads,
            "num_key_value_heads": getattr(config, "num_key_value_heads", None) or heads,
            "head_dim": getattr(config, "head_dim", None) or (hidden // heads if heads else 0),
            "vocab_size": getattr(config, "vocab_size", 0),
            "tie_word_embeddings": bool(getattr(config, "tie_word_embeddings", True)),
            "attention_bias": bool(getattr(config, "attention_bias", False)),
            "mlp_bias": bool(getattr(config, "mlp_bias", False)),
        }

    def peft_fields(wrapper):
        try:
            cfg = wrapper.peft_config[wrapper.active_adapter]
        except Exception:
            return None
        out = {}
        for key in (
            "peft_type",
            "r",
            "lora_alpha",
            "target_modules",
            "use_dora",
            "use_rslora",
            "layers_to_transform",
            "modules_to_save",
            "num_virtual_tokens",
            "num_transformer_submodules",
            "token_dim",
            "num_layers",
            "num_attention_heads",
            "encoder_hidden_size",
            "encoder_reparameterization_type",
            "encoder_num_layers",
            "prefix_projection",
            "prompt_tuning_init",
        ):
            if not hasattr(cfg, key):
                continue
            value = getattr(cfg, key)
            if hasattr(value, "value"):  # enums
                value = value.value
            if isinstance(value, set | frozenset):
                value = sorted(str(v) for v in value)
            out[key] = plain(value)
        return out

    def fingerprint(tensor):
        flat = tensor.detach().reshape(-1)
        step = max(1, flat.numel() // 4096)
        sample = flat[::step][:4096].to(torch.bfloat16).to(torch.float32).cpu()
        return hashlib.sha1(sample.numpy().tobytes()).hexdigest()[:16]

    layer_re = re.compile(r"(?:^|\.)layers\.(\d+)\.")
    models = []
    for wrapper, hf, name in list(found.values())[: int(params.get("max_models", 20))]:
        try:
            if any(type(m).__module__.startswith("peft") for m in hf.modules()) and wrapper is hf:
                continue  # a model injected in place by get_peft_model: its wrapper is reported
            is_peft = wrapper is not hf
            hf_ids = {id(p) for p in hf.parameters()}
            groups = {"adapter": 0, "embed": 0, "lm_head": 0, "final_norm": 0, "other": 0}
            layers = {}
            trainable_names = []
            base = {}
            for pname, p in hf.named_parameters():
                adapter = "lora_" in pname
                if p.requires_grad and len(trainable_names) < 100:
                    trainable_names.append(short(pname))
                if adapter:
                    groups["adapter"] += p.numel() if p.requires_grad else 0
                    continue
                canon = pname.replace(".base_layer", "")
                base[canon] = p
                match = layer_re.search(canon)
                if match:
                    cell = layers.setdefault(int(match.group(1)), [0, 0])
                    cell[0] += p.numel() if p.requires_grad else 0
                    cell[1] += p.numel()
                elif p.requires_grad:
                    key = (
                        "embed"
                        if "embed_tokens" in canon
                        else "lm_head"
                        if canon.startswith("lm_head")
                        else "final_norm"
                        if canon.endswith("norm.weight")
                        else "other"
                    )
                    groups[key] += p.numel()
            for pname, p in wrapper.named_parameters():
                if id(p) not in hf_ids and p.requires_grad:  # prompt encoder / prefix parameters
                    groups["adapter"] += p.numel()
                    if len(trainable_names) < 100:
                        trainable_names.append(short(pname))
            n_layers = getattr(hf.config, "num_hidden_layers", 0) or 0
            picks = ["model.embed_tokens.weight", "model.norm.weight"]
            for i in sorted({0, n_layers // 2, max(n_layers - 1, 0)}):
                picks += [
                    f"model.layers.{i}.self_attn.q_proj.weight",
                    f"model.layers.{i}.mlp.down_proj.weight",
                ]
            prints = {}
            for key in picks:
                if key in base and base[key].device.type != "meta":
                    prints[key] = {
                        "hash": fingerprint(base[key]),
                        "requires_grad": bool(base[key].requires_grad),
                    }
            record = {
                "name": short(name),
                "cls": short(type(wrapper).__name__),
                "base_cls": short(type(hf).__name__),
                "is_peft": is_peft,
                "dims": dims_of(hf.config),
                "peft": peft_fields(wrapper) if is_peft else None,
                "n_params": int(sum(p.numel() for p in wrapper.parameters())),
                "n_trainable": int(sum(p.numel() for p in wrapper.parameters() if p.requires_grad)),
                "groups": {k: int(v) for k, v in groups.items()},
                "layers": {str(k): v for k, v in sorted(layers.items())},
                "trainable_names": trainable_names,
                "n_lora_modules": sum(1 for m in hf.modules() if hasattr(m, "lora_A")),
                "fingerprints": prints,
                "prompt_rows_in_vocab": None,
            }
            kind = (record["peft"] or {}).get("peft_type")
            if kind == "PROMPT_TUNING":
                encoder = wrapper.prompt_encoder[wrapper.active_adapter]
                # cosine, not distance: some embeddings scale rows in forward (Gemma: sqrt(hidden))
                with torch.no_grad():
                    rows = torch.nn.functional.normalize(
                        encoder.embedding.weight.detach().float(), dim=1
                    )
                    vocab = hf.get_input_embeddings().weight.detach().float().to(rows.device)
                    best = torch.zeros(rows.shape[0], device=rows.device)
                    for start in range(0, vocab.shape[0], 65536):
                        chunk = torch.nn.functional.normalize(vocab[start : start + 65536], dim=1)
                        best = torch.maximum(best, (rows @ chunk.T).max(dim=1).values)
                record["prompt_rows_in_vocab"] = float((best > 1 - 1e-4).float().mean())
            models.append(record)
        except Exception as exc:
            models.append({"name": short(name), "probe_error": repr(exc)[:300]})

    # ---- training data: are the labels masked on the prompt? --------------------------------
    dataset = None
    wanted = list(params.get("dataset_variables", []))
    order = sorted(
        candidates(namespace),
        key=lambda nv: (nv[0] not in wanted, "train" not in nv[0].lower(), nv[0]),
    )
    for name, value in order:
        if isinstance(value, str | bytes | dict | torch.Tensor):
            continue
        if not (hasattr(value, "__getitem__") and hasattr(value, "__len__")):
            continue
        try:
            if len(value) == 0:
                continue
            first = value[0]
        except Exception:
            continue
        if not (hasattr(first, "keys") and "input_ids" in first and "labels" in first):
            continue
        examples = []
        for i in range(min(len(value), 32)):
            try:
                item = value[i]
                ids = plain(item["input_ids"])
                labels = plain(item["labels"])
                mask = plain(item["attention_mask"]) if "attention_mask" in item else None
            except Exception:
                break
            if not isinstance(ids, list) or not isinstance(labels, list):
                break
            if ids and isinstance(ids[0], list):  # a pre-batched row: take its first example
                ids, labels = ids[0], labels[0]
                mask = mask[0] if isinstance(mask, list) and mask else None
            real = sum(1 for m in mask if m) if isinstance(mask, list) else len(ids)
            prefix = 0
            while prefix < len(labels) and labels[prefix] == -100:
                prefix += 1
            learned = [k for k, v in enumerate(labels) if v != -100]
            examples.append(
                {
                    "n_tokens": int(real),
                    "masked_prefix": int(prefix),
                    "n_learned": len(learned),
                    "labels_match_ids": all(
                        k < len(ids) and labels[k] == ids[k] for k in learned[:512]
                    ),
                }
            )
        dataset = {"name": short(name), "n_items": int(len(value)), "examples": examples}
        break

    results_name = params.get("results_variable", "q1_results")
    table_name = params.get("comparison_variable", "comparison")
    return {
        "versions": {
            "peft": short(getattr(peft, "__version__", "missing")),
            "transformers": short(transformers.__version__),
        },
        "models": models,
        "dataset": dataset,
        "results": plain(namespace.get(results_name)),
        "comparison": plain(namespace.get(table_name)),
    }
