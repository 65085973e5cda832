# Extra probe `captioning` (bonus-llm-captioning Q2): observes the student's captioning work in
# their kernel and returns JSON facts; the checks in graders/checks/captioning/ decide.
# What it reads (names configurable in params): the vocabulary file (or variable), `splits`
# (image ids per split), `encoded_captions` (padded id matrix), loss objects, every nn.Module
# with `encoder` and `decoder` attributes (called as model(images, captions) on `sample_batch`,
# in eval mode, to test attention weights and the causal mask), `predictions` (per model a
# table of image_id / prediction / references), `bleu_scores` (what the notebook reports) and
# `load_image(image_id)` for thumbnails.
def _dlgrade_probe_captioning(namespace, params):
    import base64
    import glob
    import io
    import json
    import os

    out = {}
    cap_rows = int(params.get("max_rows", 1000))
    specials = {
        "<pad>": ["<pad>", "[pad]", "<PAD>", "[PAD]"],
        "<start>": ["<start>", "<bos>", "<sos>", "[start]", "<START>", "<BOS>", "<SOS>"],
        "<end>": ["<end>", "<eos>", "[end]", "<END>", "<EOS>"],
        "<unk>": ["<unk>", "[unk]", "<UNK>", "[UNK]"],
    }

    def short(value, n=300):
        return str(value)[:n]

    def to_list(value, limit=20000):
        if hasattr(value, "tolist"):
            value = value.tolist()
        if isinstance(value, dict):
            value = list(value)
        if isinstance(value, set):
            value = sorted(value, key=str)
        return list(value)[:limit] if isinstance(value, list | tuple) else None

    # --- vocabulary: a file first (the assignment asks to save it), else a variable
    vocab, source = None, None
    for pattern in params.get("vocab_globs", ["*vocab*.json", "*tokenizer*.json", "*vocab*.txt"]):
        for path in sorted(glob.glob(os.path.join(".", "**", pattern), recursive=True))[:5]:
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read(5_000_000)
                if path.endswith(".json"):
                    loaded = json.loads(text)
                    for key in ("word2idx", "stoi", "word_to_id", "vocab", "word2id"):
                        if isinstance(loaded, dict) and isinstance(loaded.get(key), dict | list):
                            loaded = loaded[key]
                            break
                    if isinstance(loaded, list):
                        loaded = {str(w): i for i, w in enumerate(loaded)}
                else:
                    loaded = {w.strip(): i for i, w in enumerate(text.splitlines()) if w.strip()}
                if isinstance(loaded, dict) and loaded:
                    vocab, source = loaded, path[2:]
                    break
            except Exception:
                continue
        if vocab is not None:
            break
    if vocab is None:
        for name in params.get("vocab_variables", ["vocab", "word2idx", "word_to_id", "stoi"]):
            value = namespace.get(name)
            if isinstance(value, dict) and value:
                vocab, source = value, f"variable {name}"
                break
    inverse = {}
    if vocab is not None:
        found = {}
        for canon, aliases in specials.items():
            hit = next((a for a in aliases if a in vocab), None)
            found[canon] = {"token": hit, "id": vocab.get(hit) if hit else None}
        for w, i in vocab.items():
            try:
                inverse[int(i)] = str(w)
            except (TypeError, ValueError):
                continue
        out["vocab"] = {
            "source": short(source),
            "from_file": not str(source).startswith("variable"),
            "size": len(vocab),
            "special": found,
            "head": [short(w, 40) for w in list(vocab)[:30]],
        }
    pad_id = (out.get("vocab", {}).get("special", {}).get("<pad>") or {}).get("id")
    pad_id = pad_id if isinstance(pad_id, int) else 0

    # --- the split, by image ids
    splits = namespace.get(params.get("splits_variable", "splits"))
    if isinstance(splits, dict):
        sets, sizes = {}, {}
        for key, ids in list(splits.items())[:5]:
            ids = to_list(ids, 200000) or []
            sizes[short(key, 20)] = len(ids)
            sets[short(key, 20)] = {short(i, 200) for i in ids}
        names = list(sets)
        overlap, examples = {}, []
        for a in range(len(names)):
            for b in range(a + 1, len(names)):
                common = sets[names[a]] & sets[names[b]]
                overlap[f"{names[a]}&{names[b]}"] = len(common)
                examples += sorted(common)[:3]
        out["splits"] = {
            "sizes": sizes,
            "unique": {k: len(v) for k, v in sets.items()},
            "overlap": overlap,
            "overlap_examples": examples[:6],
        }
        test_key = next((k for k in sets if k.lower() in ("test", "testing", "test_ids")), None)
        if test_key is not None:  # the grader checks that the predictions cover these
            out["splits"]["test_ids"] = sorted(sets[test_key])[: max(cap_rows, 1000)]

    # --- padded captions
    for name in params.get("captions_variables", ["encoded_captions"]):
        value = namespace.get(name)
        rows = to_list(value, 200000) if value is not None else None
        if rows:
            lengths = {}
            has_pad = False
            for r in rows:
                r = to_list(r, 10000)
                if r is None:
                    continue
                lengths[len(r)] = lengths.get(len(r), 0) + 1
                has_pad = has_pad or pad_id in r
            out["captions"] = {
                "variable": name,
                "n_rows": len(rows),
                "lengths": dict(sorted(lengths.items())[:20]),
                "has_pad": has_pad,
            }
            break

    try:
        import torch
        import torch.nn as nn
    except Exception:
        return out

    # --- loss objects
    losses = []
    for name, value in list(namespace.items()):
        if name.startswith("_"):
            continue
        items = [(name, value)]
        if isinstance(value, dict):
            items += [(f"{name}[{k!r}]", v) for k, v in list(value.items())[:20]]
        for label, obj in items:
            if isinstance(obj, nn.CrossEntropyLoss | nn.NLLLoss) and len(losses) < 20:
                losses.append(
                    {
                        "name": short(label, 100),
                        "cls": type(obj).__name__,
                        "ignore_index": int(obj.ignore_index),
                    }
                )
    out["losses"] = losses
    out["pad_id"] = pad_id

    # --- a batch to call the models with
    batch = namespace.get(params.get("batch_variable", "sample_batch"))
    if batch is None:
        for name in params.get("loader_variables", ["test_loader", "val_loader", "train_loader"]):
            loader = namespace.get(name)
            if loader is not None and hasattr(loader, "__iter__"):
                try:
                    batch = next(iter(loader))
                    break
                except Exception:
                    continue
    images = captions = None
    if isinstance(batch, dict):
        images, captions = batch.get("images"), batch.get("captions")
    elif isinstance(batch, list | tuple) and len(batch) >= 2:
        images, captions = batch[0], batch[1]
    if not (torch.is_tensor(images) and torch.is_tensor(captions)):
        images = captions = None
    else:
        images, captions = images[:4], captions[:4].long()
        out["batch"] = {"images_shape": list(images.shape), "captions_shape": list(captions.shape)}

    transformer_kinds = {
        "TransformerDecoder",
        "TransformerDecoderLayer",
        "MultiheadAttention",
        "Transformer",
    }
    rnn_kinds = {"LSTM", "LSTMCell", "GRU", "GRUCell", "RNN", "RNNCell"}

    def call(model, caps):
        result = model(images.to(device), caps.to(device))
        alphas = None
        if isinstance(result, list | tuple):
            alphas = result[1] if len(result) > 1 and torch.is_tensor(result[1]) else None
            result = result[0]
        return (
            result.detach().float().cpu(),
            None if alphas is None else alphas.detach().float().cpu(),
        )

    models, seen = [], set()
    for name, value in list(namespace.items()):
        if name.startswith("_") or not isinstance(value, nn.Module) or id(value) in seen:
            continue
        enc, dec = getattr(value, "encoder", None), getattr(value, "decoder", None)
        if not (isinstance(enc, nn.Module) and isinstance(dec, nn.Module)):
            continue
        seen.add(id(value))
        kinds = sorted({type(m).__name__ for m in value.modules()})[:100]
        enc_params = list(enc.named_parameters())
        fact = {
            "name": short(name, 100),
            "cls": type(value).__name__,
            "classes": [c.__name__ for c in type(value).__mro__][:10],
            "kinds": kinds,
            "encoder_params": int(sum(p.numel() for _, p in enc_params)),
            "encoder_trainable": int(sum(p.numel() for _, p in enc_params if p.requires_grad)),
            "encoder_trainable_names": [short(n, 100) for n, p in enc_params if p.requires_grad][
                :20
            ],
            "decoder_params": int(sum(p.numel() for p in dec.parameters())),
        }
        kind = (
            "transformer"
            if transformer_kinds & set(kinds)
            else "rnn"
            if rnn_kinds & set(kinds)
            else "unknown"
        )
        if images is not None and len(models) < 10:
            was_training = value.training
            try:
                params_list = list(value.parameters())
                device = params_list[0].device if params_list else torch.device("cpu")
                value.eval()
                with torch.no_grad():
                    logits, alphas = call(value, captions)
                    fact["logits_shape"] = list(logits.shape)
                    if alphas is not None and alphas.dim() == 3:
                        if kind == "rnn":
                            kind = "attention"
                        sums = alphas.sum(dim=-1)
                        fact["alphas"] = {
                            "shape": list(alphas.shape),
                            "sum_min": float(sums.min()),
                            "sum_max": float(sums.max()),
                            "min": float(alphas.min()),
                            "heatmap": [
                                [round(float(v), 4) for v in row[:64]] for row in alphas[0][:20]
                            ],
                            "row_labels": [
                                inverse.get(int(t), str(int(t))) for t in captions[0][:20]
                            ],
                        }
                    # causal: change the token at position k; outputs before k must not move
                    first = captions[0]
                    real = int((first != pad_id).sum())
                    k = max(1, min(real - 1, captions.shape[1] // 2))
                    vocab_size = int(logits.shape[-1])
                    changed = captions.clone()
                    old = changed[:, k]
                    changed[:, k] = 4 + (old - 4 + 1) % max(1, vocab_size - 4)
                    changed[:, k] = torch.where(
                        changed[:, k] == pad_id, (changed[:, k] + 1) % vocab_size, changed[:, k]
                    )
                    logits2, _ = call(value, changed)
                    if logits2.shape == logits.shape and logits.dim() == 3:
                        fact["causal"] = {
                            "position": k,
                            "max_change_before": float(
                                (logits2[:, :k] - logits[:, :k]).abs().max()
                            ),
                            "max_change_after": float((logits2[:, k:] - logits[:, k:]).abs().max()),
                        }
            except Exception as exc:
                fact["forward_error"] = short(repr(exc), 500)
            finally:
                value.train(was_training)
        fact["kind"] = kind
        models.append(fact)
    out["models"] = models

    # --- predictions and reported BLEU
    table = namespace.get(params.get("predictions_variable", "predictions"))
    preds = {}
    if isinstance(table, dict):
        for key, rows in list(table.items())[:6]:
            if hasattr(rows, "to_dict"):
                rows = rows.to_dict("records")
            clean = []
            for r in to_list(rows, cap_rows) or []:
                if not isinstance(r, dict):
                    continue
                refs = r.get("references") or []
                refs = [refs] if isinstance(refs, str) else to_list(refs, 10) or []
                clean.append(
                    {
                        "image_id": short(r.get("image_id", ""), 200),
                        "prediction": short(r.get("prediction", ""), 300),
                        "references": [short(x, 300) for x in refs],
                    }
                )
            preds[short(key, 40)] = clean
    out["predictions"] = preds
    reported = namespace.get(params.get("bleu_variable", "bleu_scores"))
    if isinstance(reported, dict):
        rep = {}
        for key, scores in list(reported.items())[:6]:
            if isinstance(scores, dict):
                rep[short(key, 40)] = {}
                for k, v in list(scores.items())[:8]:
                    try:
                        rep[short(key, 40)][short(k, 20)] = float(v)
                    except (TypeError, ValueError):
                        continue
        out["bleu_reported"] = rep

    # --- thumbnails of a few test images, for the report
    loader = namespace.get(params.get("image_function", "load_image"))
    thumbs = {}
    if callable(loader) and preds:
        try:
            import numpy as np
            from PIL import Image

            first_rows = next(iter(preds.values()))[: int(params.get("n_images", 4))]
            for r in first_rows:
                img = loader(r["image_id"])
                if torch.is_tensor(img):
                    img = img.detach().cpu().numpy()
                if isinstance(img, np.ndarray):
                    arr = (
                        img.transpose(1, 2, 0) if img.ndim == 3 and img.shape[0] in (1, 3) else img
                    )
                    arr = (arr - arr.min()) / max(float(arr.max() - arr.min()), 1e-8) * 255
                    img = Image.fromarray(arr.astype("uint8"))
                img = img.convert("RGB")
                scale = 96 / max(img.size)
                img = img.resize(
                    (max(1, int(img.size[0] * scale)), max(1, int(img.size[1] * scale))),
                    Image.NEAREST,
                )
                buf = io.BytesIO()
                img.save(buf, format="PNG")
                if buf.tell() < 60000:
                    thumbs[r["image_id"]] = base64.b64encode(buf.getvalue()).decode("ascii")
        except Exception as exc:
            out["thumbnail_error"] = short(repr(exc), 300)
    out["thumbnails"] = thumbs
    return out
