"""Data the grader owns: the test split's references and labels, rebuilt or read on the grader's side.

A check that recomputes a metric must not believe the ground truth a notebook hands it (a
fabricated row whose prediction equals its own "reference" scores BLEU 1.0). This module gives
the checks what the grader itself knows, from the golden file's profile:

- smoke: the generated data sets rebuilt from their seeds with the reference generators
  (`reference_solutions.<pkg>.q2_data.make_shapes_dataset`, `practical_mlp.smoke_data`),
  imported read-only and lazily (the generators are pure: numpy, Pillow, torch);
- full: the files under the assignment's declared data mount (`data.data_dir`, passed to the
  checks as `Facts.data_root`): Flickr8k's `captions.txt` (Kaggle layout) and CIFAR-10's
  `cifar-10-batches-py/test_batch` (the grader's own copy of the official file).

Every function returns the data or a `Missing` with a bilingual reason; a check that cannot
know the ground truth sends the item to a TA instead of believing the notebook.
"""

from __future__ import annotations

import csv
import os
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from graders.golden import Golden
from graders.paths import import_reference


@dataclass(frozen=True)
class Missing:
    """Why the grader's ground truth is not available (shown to the TA)."""

    message_fa: str
    message_en: str


def profile_of(golden: Golden, document: str) -> str:
    return str(golden.provenance(document).get("profile", "smoke"))


def clean_words(text: str) -> str:
    """The cleaning of the reference build: lower case, letters and spaces only, one space apart."""
    import re

    return " ".join(re.sub(r"[^a-z ]+", " ", str(text).lower()).split())


# ---------------------------------------------------------------------------------- captioning


@lru_cache(maxsize=4)
def _shapes_references(n_images: int, seed: int) -> dict[str, tuple[str, ...]]:
    data = import_reference("bonus_llm_captioning.q2_data")
    _, rows = data.make_shapes_dataset(n_images, seed=seed)
    refs: dict[str, list[str]] = {}
    for image_id, caption in rows:
        refs.setdefault(image_id, []).append(clean_words(caption))
    return {k: tuple(v) for k, v in refs.items()}


@lru_cache(maxsize=2)
def _flickr_references(path: str, mtime: float) -> dict[str, tuple[str, ...]]:
    refs: dict[str, list[str]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)  # "image,caption"
        for row in reader:
            if len(row) >= 2 and row[0]:
                refs.setdefault(row[0], []).append(clean_words(",".join(row[1:])))
    return {k: tuple(v) for k, v in refs.items()}


def _find(root: str | None, names: tuple[str, ...]) -> Path | None:
    if not root:
        return None
    for name in names:
        path = Path(root) / name
        if path.is_file():
            return path
    return None


def caption_references(
    golden: Golden, data_root: str | None, document: str = "q2_captioning"
) -> dict[str, tuple[str, ...]] | Missing:
    """Image id -> the cleaned reference captions of every image of the data set."""
    if profile_of(golden, document) == "smoke":
        try:
            config = golden.get(f"{document}:config")
            n_images = int(config["n_images"])
        except (KeyError, TypeError, ValueError):
            return Missing(
                "پیکربندی دادهٔ مرجع در فایل مرجع نیست.",
                f"the golden file {document} has no data configuration (config.n_images).",
            )
        seed = int(golden.provenance(document).get("seed", 0))
        try:
            return _shapes_references(n_images, seed)
        except ImportError as exc:
            return Missing(
                "سازندهٔ دادهٔ مرجع در دسترس نیست؛ دستیار آموزشی بررسی می‌کند.",
                f"the reference data generator cannot be imported ({exc}); a TA checks.",
            )
    path = _find(data_root, ("captions.txt", "flickr8k/captions.txt", "Flickr8k/captions.txt"))
    if path is None:
        return Missing(
            "فایل کپشن‌های Flickr8k (captions.txt) در پوشهٔ دادهٔ اعلام‌شده نیست؛ BLEU با مرجع‌های خود نوت‌بوک محاسبه نمی‌شود و دستیار آموزشی بررسی می‌کند.",
            f"Flickr8k's captions.txt is not under the declared data folder ({data_root}); "
            "BLEU is not computed against the notebook's own references, a TA checks.",
        )
    return _flickr_references(str(path), path.stat().st_mtime)


# ---------------------------------------------------------------------------------- labels


@dataclass(frozen=True)
class Labels:
    test: tuple[int, ...]
    train: tuple[int, ...] = ()
    source: str = ""


@lru_cache(maxsize=2)
def _smoke_mlp_labels() -> Labels:
    mlp = import_reference("hw5_transformers_ut.practical_mlp")
    data = mlp.smoke_data(mlp.SMOKE)
    return Labels(
        tuple(int(v) for v in data["test"][1].tolist()),
        tuple(int(v) for v in data["train"][1].tolist()),
        "generated smoke data (practical_mlp.smoke_data)",
    )


def _cifar_batch(path: Path) -> list[int]:
    with open(path, "rb") as handle:  # the grader's own copy of the official CIFAR-10 file
        batch: dict[Any, Any] = pickle.load(handle, encoding="bytes")  # noqa: S301
    return [int(v) for v in batch.get(b"labels", batch.get("labels", []))]


@lru_cache(maxsize=2)
def _cifar_labels(folder: str) -> Labels:
    root = Path(folder)
    train: list[int] = []
    for k in range(1, 6):
        if (root / f"data_batch_{k}").is_file():
            train += _cifar_batch(root / f"data_batch_{k}")
    return Labels(tuple(_cifar_batch(root / "test_batch")), tuple(train), str(root))


def classification_labels(
    golden: Golden, data_root: str | None, document: str = "p2_mlp"
) -> Labels | Missing:
    """The test (and train) labels of the classification data set, in the data set's order."""
    if profile_of(golden, document) == "smoke":
        try:
            labels = _smoke_mlp_labels()
        except ImportError as exc:
            return Missing(
                "سازندهٔ دادهٔ مرجع در دسترس نیست؛ دستیار آموزشی بررسی می‌کند.",
                f"the reference data generator cannot be imported ({exc}); a TA checks.",
            )
        try:
            expected = int(golden.get(f"{document}:n_test"))
        except (KeyError, TypeError, ValueError):
            expected = len(labels.test)
        if expected != len(labels.test):
            return Missing(
                "دادهٔ مرجع بازساخته با فایل مرجع نمی‌خواند؛ دستیار آموزشی بررسی می‌کند.",
                f"the rebuilt smoke data has {len(labels.test)} test labels, the golden file {expected}.",
            )
        return labels
    roots = [data_root, os.environ.get("DLGRADE_CIFAR_ROOT")]
    for base in filter(None, roots):
        for sub in ("cifar-10-batches-py", "cifar10/cifar-10-batches-py", "."):
            folder = Path(base) / sub
            if (folder / "test_batch").is_file():
                return _cifar_labels(str(folder.resolve()))
    return Missing(
        "برچسب‌های آزمون CIFAR-10 (cifar-10-batches-py/test_batch) در پوشهٔ دادهٔ اعلام‌شده نیست؛ دستیار آموزشی بررسی می‌کند.",
        f"CIFAR-10's test labels (cifar-10-batches-py/test_batch) are not under the declared data folder ({data_root}); a TA checks.",
    )
