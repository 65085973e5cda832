"""Time the Q1 (PEFT) smoke reference build and print its figures.

Prints the wall time of each stage (counts of the published configs on the meta device, counts of
the tiny configs, smoke training of every method), the time per training step of each method,
and the exact trainable counts of Gemma-2-2B and Llama-3.2-3B. Target: the whole smoke build
under 5 minutes on a 2-core CPU. Run from the repository root:

    PYTHONPATH=. .venv/bin/python benchmarks/peft_reference_time.py
"""

from __future__ import annotations

import time
from importlib.metadata import version

from reference_solutions.bonus_llm_captioning import q1_models, q1_peft


def main() -> None:
    total = time.perf_counter()
    start = time.perf_counter()
    published = q1_peft.published_counts()
    print(f"published configs on meta: {time.perf_counter() - start:.1f}s (peft {version('peft')})")
    for name, entry in published.items():
        print(f"  {name}: {entry['total_params']:,} parameters ({entry['source']})")
        for method, c in entry["methods"].items():
            print(f"    {method:22s} {c['trainable']:>14,} trainable")
    start = time.perf_counter()
    for values in q1_models.TINY.values():
        q1_peft.count_methods(q1_models.make_config(values, vocab_size=600), "cpu")
    print(f"tiny configs counted: {time.perf_counter() - start:.1f}s")
    for model_type in ("gemma2", "llama"):
        start = time.perf_counter()
        methods = (
            q1_peft.METHODS
            if model_type == "gemma2"
            else tuple(m for m in q1_peft.METHODS if m.name in q1_peft.GRADED_DEFAULT.values())
        )
        run = q1_peft.smoke_training(model_type, methods)
        print(f"smoke training {run['model']}: {time.perf_counter() - start:.1f}s")
        for method, r in run["methods"].items():
            print(
                f"    {method:22s} {r['time_per_step_s'] * 1000:7.1f} ms/step  "
                f"loss {r['train_loss'][0]:.3f} -> {r['train_loss'][-1]:.3f}  "
                f"val {r['val_loss_before']:.3f} -> {r['val_loss_after']:.3f}"
            )
    print(f"total: {time.perf_counter() - total:.1f}s (target < 300s)")


if __name__ == "__main__":
    main()
