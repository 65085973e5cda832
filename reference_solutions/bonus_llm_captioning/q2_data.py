"""Q2 data preparation: images with several captions each, cleaning, a word tokenizer, padding, a split by image.

`smoke`: generated 32x32 images of one coloured shape (circle, square, triangle; red, green,
blue, yellow; small or big; left or right) with five templated captions each, written with
capitals and punctuation so that cleaning matters. `full`: Flickr8k from a local folder
(`Images/` + `captions.txt`, the Kaggle layout) or from Hugging Face `datasets`.

This module imports only numpy, Pillow, torch and matplotlib: the example notebooks embed its
source, as a student's notebook would hold the same code.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

SPECIALS = ["<pad>", "<start>", "<end>", "<unk>"]  # ids 0, 1, 2, 3
PAD, START, END, UNK = range(4)

SHAPES = ["circle", "square", "triangle"]
COLOURS = {
    "red": (220, 40, 40),
    "green": (40, 190, 60),
    "blue": (50, 80, 230),
    "yellow": (230, 210, 40),
}
SIZES = {"small": 6, "big": 11}
SIDES = ["left", "right"]
TEMPLATES = [
    "A {size} {colour} {shape} on the {side}.",
    "There is a {size} {colour} {shape} on the {side} side.",
    "A {colour} {shape}, {size}, on the {side}!",
    "The {size} {shape} on the {side} is {colour}.",
    "A {size} {shape} in {colour} on the {side} of the picture.",
]


def draw_shape(
    shape: str, colour: str, size: str, side: str, rng: random.Random, px: int = 32
) -> Image.Image:
    """One image: a noisy dark background and one filled shape."""
    bg = np.clip(np.random.default_rng(rng.randrange(2**31)).normal(40, 12, (px, px, 3)), 0, 255)
    img = Image.fromarray(bg.astype(np.uint8))
    draw = ImageDraw.Draw(img)
    r = SIZES[size] + rng.randint(-1, 1)
    cx = (px // 4 if side == "left" else 3 * px // 4) + rng.randint(-2, 2)
    cy = px // 2 + rng.randint(-4, 4)
    fill = tuple(int(np.clip(c + rng.randint(-20, 20), 0, 255)) for c in COLOURS[colour])
    box = [cx - r, cy - r, cx + r, cy + r]
    if shape == "circle":
        draw.ellipse(box, fill=fill)
    elif shape == "square":
        draw.rectangle(box, fill=fill)
    else:
        draw.polygon([(cx, cy - r), (cx - r, cy + r), (cx + r, cy + r)], fill=fill)
    return img


def make_shapes_dataset(
    n_images: int = 400, seed: int = 0
) -> tuple[dict[str, Image.Image], list[tuple[str, str]]]:
    """Images by id and (image_id, raw caption) rows, five captions per image."""
    rng = random.Random(seed)
    images: dict[str, Image.Image] = {}
    rows: list[tuple[str, str]] = []
    for i in range(n_images):
        attrs = {
            "shape": rng.choice(SHAPES),
            "colour": rng.choice(list(COLOURS)),
            "size": rng.choice(list(SIZES)),
            "side": rng.choice(SIDES),
        }
        image_id = f"img{i:04d}.png"
        images[image_id] = draw_shape(
            attrs["shape"], attrs["colour"], attrs["size"], attrs["side"], rng
        )
        rows += [(image_id, t.format(**attrs)) for t in TEMPLATES]
    return images, rows


def load_flickr8k(root: str | None = None) -> tuple[dict[str, Path], list[tuple[str, str]]]:
    """Flickr8k (full profile): image paths by id and (image_id, caption) rows.

    From a local folder with `Images/` and `captions.txt` ("image,caption" lines, the Kaggle
    layout), or, without `root`, from Hugging Face `datasets` ("jxie/flickr8k": an image and
    caption_0..caption_4 per row), saved to a local cache folder as JPEG files."""
    if root is not None:
        folder = Path(root)
        rows = []
        for line in (folder / "captions.txt").read_text(encoding="utf-8").splitlines()[1:]:
            image_id, _, caption = line.partition(",")
            if caption:
                rows.append((image_id, caption))
        ids = sorted({i for i, _ in rows})
        return {i: folder / "Images" / i for i in ids}, rows
    from datasets import load_dataset  # full profile only

    cache = Path.home() / ".cache" / "dlgrade-flickr8k"
    cache.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    rows = []
    for split in ("train", "validation", "test"):
        for k, item in enumerate(load_dataset("jxie/flickr8k", split=split)):
            image_id = f"{split}_{k:05d}.jpg"
            path = cache / image_id
            if not path.exists():
                item["image"].convert("RGB").save(path)
            paths[image_id] = path
            rows += [(image_id, item[f"caption_{j}"]) for j in range(5) if item.get(f"caption_{j}")]
    return paths, rows


def clean_caption(text: str) -> list[str]:
    """Lower-case, drop punctuation, digits and stray symbols; split into words."""
    return re.sub(r"[^a-z ]+", " ", text.lower()).split()


def build_vocab(captions: list[list[str]], min_freq: int = 1) -> dict[str, int]:
    """Word -> id; the four special tokens first (<pad>=0, <start>=1, <end>=2, <unk>=3)."""
    counts = Counter(w for c in captions for w in c)
    words = sorted(w for w, n in counts.items() if n >= min_freq)
    return {w: i for i, w in enumerate(SPECIALS + words)}


def save_vocab(vocab: dict[str, int], path: str | Path) -> None:
    Path(path).write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")


def load_vocab(path: str | Path) -> dict[str, int]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def encode(words: list[str], vocab: dict[str, int], max_len: int) -> list[int]:
    """<start> words <end>, cut to `max_len` and padded with <pad> to exactly `max_len` ids."""
    ids = [START] + [vocab.get(w, UNK) for w in words][: max_len - 2] + [END]
    return ids + [PAD] * (max_len - len(ids))


def decode(ids: list[int], inverse: dict[int, str]) -> str:
    """Words up to <end>, special tokens dropped."""
    words = []
    for i in ids:
        if i == END:
            break
        if i not in (PAD, START):
            words.append(inverse.get(int(i), "<unk>"))
    return " ".join(words)


def split_by_image(
    image_ids: list[str], seed: int = 0, fractions: tuple[float, float] = (0.8, 0.1)
) -> dict[str, list[str]]:
    """80/10/10 split of the *images* (every caption of an image goes with it)."""
    ids = sorted(set(image_ids))
    random.Random(seed).shuffle(ids)
    n_train = round(fractions[0] * len(ids))
    n_val = round(fractions[1] * len(ids))
    return {
        "train": ids[:n_train],
        "val": ids[n_train : n_train + n_val],
        "test": ids[n_train + n_val :],
    }


IMAGENET_MEAN = (0.485, 0.456, 0.406)  # full profile: the pretrained CNNs' input statistics
IMAGENET_STD = (0.229, 0.224, 0.225)


def image_tensor(
    img: Image.Image, px: int = 32, mean: float | tuple = 0.5, std: float | tuple = 0.25
) -> np.ndarray:
    """Resize to px x px, scale to [0, 1], normalise (per channel with tuples); channels first."""
    arr = np.asarray(img.convert("RGB").resize((px, px)), dtype=np.float32) / 255.0
    mean_arr, std_arr = np.asarray(mean, dtype=np.float32), np.asarray(std, dtype=np.float32)
    return ((arr - mean_arr) / std_arr).transpose(2, 0, 1)


def plot_caption_lengths(lengths: list[int], ax) -> None:
    ax.scatter(range(len(lengths)), lengths, s=4, alpha=0.5)
    ax.set_title("Caption length (words) / طول کپشن‌ها")
    ax.set_xlabel("caption index")
    ax.set_ylabel("length (words)")


def plot_top_words(captions: list[list[str]], ax, k: int = 20) -> list[tuple[str, int]]:
    top = Counter(w for c in captions for w in c).most_common(k)
    ax.bar([w for w, _ in top], [n for _, n in top])
    ax.set_title(f"Top {k} words / {k} کلمهٔ پرتکرار")
    ax.set_ylabel("frequency")
    ax.tick_params(axis="x", rotation=60)
    return top
