"""Rebuild a fast subset of a practical reference under chosen numeric conditions.

Used by `tests/test_reference_drift.py`, which runs it in subprocesses as another machine would
(`MKL_CBWR=COMPATIBLE`, 1 or 2 threads, seeds in another order) and asserts that every value
lands inside the committed band. Each subset is one seed of one reference at its smoke settings,
so the rebuilt value is one of the values the band was built from, up to machine noise:

    python -m reference_solutions.drift mlp --seeds 3 0 --threads 1

prints one JSON object: `{"golden": <golden key prefix>, "values": {seed: {key: value}}}`.
`--threads N` pins torch to N threads even where the reference asks for another count (the
PEFT and captioning smoke builds ask for one), as a notebook on another machine would run.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

import torch

Subset = Callable[[int], dict[str, float]]


def mlp(seed: int) -> dict[str, float]:
    """hw5-transformers-ut p2_mlp: accuracy and macro F1 of one seed."""
    from reference_solutions.hw5_transformers_ut import practical_mlp as m

    run = m.train_and_evaluate(m.smoke_data(m.SMOKE), m.SMOKE, seed, "cpu")
    return {"accuracy": run["accuracy"], "macro_f1": run["macro_f1"]}


def captioning(seed: int) -> dict[str, float]:
    """bonus-llm-captioning q2_captioning: the CNN-RNN's NLTK BLEU-1..4 of one seed."""
    from reference_solutions.bonus_llm_captioning import q2_captioning as q2

    bleu = q2.run_seed(q2.SMOKE, seed, "cpu", kinds=("cnn_rnn",))["models"]["cnn_rnn"]["bleu"]
    return {f"cnn_rnn.band.bleu{n}": bleu["corpus_bleu"][f"bleu{n}"] for n in range(1, 5)}


PEFT_METHOD = "lora_attention"


def peft(seed: int) -> dict[str, float]:
    """bonus-llm-captioning q1_peft_training: the tiny Llama's LoRA final loss of one seed."""
    from reference_solutions.bonus_llm_captioning import q1_bands, q1_peft

    method = next(m for m in q1_peft.METHODS if m.name == PEFT_METHOD)
    run = q1_peft.smoke_training("llama", (method,), seeds=(seed,))
    loss = q1_bands.final_loss(run["methods"][PEFT_METHOD]["train_loss"])
    return {f"final_loss_bands.llama-tiny.{PEFT_METHOD}": loss}


SUBSETS: dict[str, tuple[str, Subset]] = {
    "mlp": ("hw5-transformers-ut:p2_mlp", mlp),
    "captioning": ("bonus-llm-captioning:q2_captioning", captioning),
    "peft": ("bonus-llm-captioning:q1_peft_training", peft),
}


def pin_threads(n: int) -> None:
    """Use n torch threads from now on, whatever the reference code asks for later."""
    torch.set_num_threads(n)
    torch.set_num_threads = lambda _n: None  # type: ignore[assignment]


def rebuild(name: str, seeds: list[int], threads: int | None = None) -> dict[str, Any]:
    golden, subset = SUBSETS[name]
    if threads:
        pin_threads(threads)
    return {
        "golden": golden,
        "threads": torch.get_num_threads(),
        "values": {str(s): subset(s) for s in seeds},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("subset", choices=sorted(SUBSETS))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    print(json.dumps(rebuild(args.subset, args.seeds, args.threads)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
