"""Q1 data: Persian SlimOrca-style conversations -> chat template -> ids with the prompt masked.

A conversation is SlimOrca's list of turns `{"from": "system"|"human"|"gpt", "value": ...}`.
It is rendered with the model's chat template; the labels are -100 on everything up to and
including the assistant header, so only the answer (and its end-of-turn token) is learned.

`smoke`: a handful of Persian instruction/answer pairs written here and a byte-level BPE
tokenizer trained on them with `tokenizers` (Gemma-2 or Llama-3 special tokens and template).
`full`: the Persian SlimOrca translation through Hugging Face `datasets` (a hub id or a local
path in DLGRADE_SLIMORCA_FA) and the model's own tokenizer.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

IGNORE_INDEX = -100
SYSTEM_FA = "شما یک دستیار مفید هستید که به زبان فارسی پاسخ کوتاه و درست می‌دهید."

# (instruction, answer): short Persian pairs written for the smoke profile.
PAIRS_FA: list[tuple[str, str]] = [
    ("پایتخت ایران کجاست؟", "پایتخت ایران تهران است."),
    ("دو به علاوهٔ سه چند می‌شود؟", "دو به علاوهٔ سه می‌شود پنج."),
    ("رنگ آسمان در روز آفتابی چیست؟", "آسمان در روز آفتابی آبی است."),
    ("یک میوهٔ زرد نام ببر.", "موز یک میوهٔ زرد است."),
    ("آب در چند درجه می‌جوشد؟", "آب در صد درجهٔ سانتی‌گراد می‌جوشد."),
    ("بزرگ‌ترین سیارهٔ منظومهٔ شمسی کدام است؟", "بزرگ‌ترین سیاره مشتری است."),
    ("متضاد کلمهٔ «بزرگ» چیست؟", "متضاد بزرگ، کوچک است."),
    ("هفته چند روز دارد؟", "هفته هفت روز دارد."),
    ("سال چند ماه دارد؟", "سال دوازده ماه دارد."),
    ("گربه چه صدایی می‌دهد؟", "گربه میو میو می‌کند."),
    ("خورشید از کدام سمت طلوع می‌کند؟", "خورشید از شرق طلوع می‌کند."),
    ("جمع کلمهٔ «کتاب» چیست؟", "جمع کتاب، کتاب‌ها است."),
    ("یخ از چه ساخته شده است؟", "یخ آب یخ‌زده است."),
    ("شاعر شاهنامه کیست؟", "شاهنامه را فردوسی سروده است."),
    ("سه ضرب در چهار چند می‌شود؟", "سه ضرب در چهار می‌شود دوازده."),
    ("زنبور عسل چه می‌سازد؟", "زنبور عسل، عسل می‌سازد."),
    ("رنگ برگ درختان در بهار چیست؟", "برگ درختان در بهار سبز است."),
    ("ماه به دور چه می‌چرخد؟", "ماه به دور زمین می‌چرخد."),
    ("یک حیوان اهلی نام ببر.", "سگ یک حیوان اهلی است."),
    ("ده منهای چهار چند می‌شود؟", "ده منهای چهار می‌شود شش."),
    ("بلندترین کوه ایران کدام است؟", "بلندترین کوه ایران دماوند است."),
    ("ماهی کجا زندگی می‌کند؟", "ماهی در آب زندگی می‌کند."),
    ("متضاد کلمهٔ «روز» چیست؟", "متضاد روز، شب است."),
    ("زمستان چه فصلی است؟", "زمستان فصل سرما و برف است."),
]
N_VALIDATION = 4
TEST_PROMPTS_FA = [
    "پایتخت ایران کجاست؟",
    "هفته چند روز دارد؟",
    "یک جملهٔ کوتاه دربارهٔ بهار بنویس.",
]

GEMMA_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}"
    "{% if m['role'] == 'assistant' %}{% set role = 'model' %}{% else %}{% set role = m['role'] %}{% endif %}"
    "<start_of_turn>{{ role }}\n{{ m['content'] | trim }}<end_of_turn>\n{% endfor %}"
    "{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)
LLAMA_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}"
    "<|start_header_id|>{{ m['role'] }}<|end_header_id|>\n\n{{ m['content'] | trim }}<|eot_id|>{% endfor %}"
    "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"
)
SPECIALS = {
    "gemma2": {
        "pad": "<pad>",
        "bos": "<bos>",
        "eos": "<end_of_turn>",
        "extra": ["<eos>", "<start_of_turn>"],
        "template": GEMMA_TEMPLATE,
        "system_role": False,  # Gemma's template has no system turn: it is folded into the user's
    },
    "llama": {
        "pad": "<|finetune_right_pad_id|>",
        "bos": "<|begin_of_text|>",
        "eos": "<|eot_id|>",
        "extra": ["<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>"],
        "template": LLAMA_TEMPLATE,
        "system_role": True,
    },
}


def slimorca_conversations(pairs: Sequence[tuple[str, str]]) -> list[list[dict[str, str]]]:
    """Pairs in SlimOrca's turn format (system, human, gpt)."""
    return [
        [
            {"from": "system", "value": SYSTEM_FA},
            {"from": "human", "value": q},
            {"from": "gpt", "value": a},
        ]
        for q, a in pairs
    ]


def to_messages(turns: Sequence[dict[str, str]], system_role: bool) -> list[dict[str, str]]:
    """SlimOrca turns -> chat-template messages; without a system role the system text is
    prepended to the first user turn (what Gemma's own template requires)."""
    roles = {"system": "system", "human": "user", "gpt": "assistant"}
    messages = [{"role": roles[t["from"]], "content": t["value"]} for t in turns if t.get("value")]
    if not system_role and messages and messages[0]["role"] == "system":
        system = messages.pop(0)["content"]
        if messages and messages[0]["role"] == "user":
            messages[0] = {"role": "user", "content": f"{system}\n\n{messages[0]['content']}"}
    return messages


def train_tokenizer(model_type: str, texts: Sequence[str], vocab_size: int = 600) -> Any:
    """A byte-level BPE tokenizer trained here (no download) with the model family's special
    tokens and chat template, wrapped as a transformers fast tokenizer."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    spec = SPECIALS[model_type]
    specials = [spec["pad"], spec["bos"], spec["eos"], *spec["extra"]]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(list(texts), trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token=spec["pad"],
        bos_token=spec["bos"],
        eos_token=spec["eos"],
        additional_special_tokens=spec["extra"],
        chat_template=spec["template"],
    )


def encode(tokenizer: Any, messages: list[dict[str, str]], max_length: int = 256) -> dict:
    """input_ids of the whole conversation; labels -100 on the prompt (system, user turn and
    assistant header), so the loss is taken on the answer tokens only."""
    prompt = tokenizer.apply_chat_template(
        messages[:-1], tokenize=False, add_generation_prompt=True
    )
    full = tokenizer.apply_chat_template(messages, tokenize=False)
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    full_ids = tokenizer(full, add_special_tokens=False)["input_ids"]
    if full_ids[: len(prompt_ids)] != prompt_ids:  # a merge across the boundary: encode apart
        full_ids = (
            prompt_ids + tokenizer(full[len(prompt) :], add_special_tokens=False)["input_ids"]
        )
    full_ids = full_ids[:max_length]
    labels = [IGNORE_INDEX] * min(len(prompt_ids), len(full_ids)) + full_ids[len(prompt_ids) :]
    return {"input_ids": full_ids, "labels": labels}


def collate(batch: Sequence[dict], pad_id: int) -> dict:
    """Right-pad to the longest example; padding is masked in labels and attention."""
    import torch

    n = max(len(b["input_ids"]) for b in batch)
    ids = torch.full((len(batch), n), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), n), IGNORE_INDEX, dtype=torch.long)
    mask = torch.zeros((len(batch), n), dtype=torch.long)
    for i, b in enumerate(batch):
        k = len(b["input_ids"])
        ids[i, :k] = torch.tensor(b["input_ids"])
        labels[i, :k] = torch.tensor(b["labels"])
        mask[i, :k] = 1
    return {"input_ids": ids, "labels": labels, "attention_mask": mask}


def smoke_data(model_type: str) -> tuple[Any, list[dict], list[dict]]:
    """Tokenizer trained on the written pairs, then (train, validation) encoded examples."""
    convs = slimorca_conversations(PAIRS_FA)
    system_role = SPECIALS[model_type]["system_role"]
    texts = [t["value"] for c in convs for t in c] + TEST_PROMPTS_FA
    tokenizer = train_tokenizer(model_type, texts)
    encoded = [encode(tokenizer, to_messages(c, system_role)) for c in convs]
    return tokenizer, encoded[:-N_VALIDATION], encoded[-N_VALIDATION:]


def full_data(tokenizer: Any, model_type: str, n_train: int = 2000, n_val: int = 200) -> tuple:
    """The Persian SlimOrca translation: DLGRADE_SLIMORCA_FA names a hub dataset or a local
    path (json/jsonl/parquet/saved dataset) with a `conversations` column in SlimOrca's format."""
    import datasets  # only the full profile needs it

    source = os.environ.get("DLGRADE_SLIMORCA_FA")
    if not source:
        raise RuntimeError(
            "set DLGRADE_SLIMORCA_FA to the Persian SlimOrca dataset (hub id or local path)"
        )
    if os.path.isdir(source):
        ds = datasets.load_from_disk(source)
    elif os.path.isfile(source):
        kind = "parquet" if source.endswith(".parquet") else "json"
        ds = datasets.load_dataset(kind, data_files=source)["train"]
    else:
        ds = datasets.load_dataset(source, split="train")
    if isinstance(ds, datasets.DatasetDict):
        ds = ds["train"]
    ds = ds.shuffle(seed=0).select(range(min(len(ds), n_train + n_val)))
    system_role = SPECIALS.get(model_type, {"system_role": True})["system_role"]
    encoded = with_answers(
        [
            encode(tokenizer, to_messages(row["conversations"], system_role), max_length=512)
            for row in ds
        ]
    )
    return encoded[:n_train], encoded[n_train:]


def with_answers(examples: list[dict]) -> list[dict]:
    """Only examples that keep at least one answer token after truncation: one whose prompt
    fills `max_length` has every label -100, and a batch of such examples has a NaN loss."""
    return [e for e in examples if any(label != IGNORE_INDEX for label in e["labels"][1:])]
