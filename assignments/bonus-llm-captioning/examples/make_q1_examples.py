"""Build and execute the example student notebooks for the bonus assignment's Q1 (PEFT).

Smoke-sized stand-ins for a student's Gemma-2 fine-tuning notebook: a tokenizer trained on a
few Persian SlimOrca-style conversations, a tiny Gemma-2 (6 layers, hidden 64) briefly
pretrained in place of `from_pretrained`, then prompt tuning, (rs)LoRA and the
first-two/last-two-layers baseline, each trained for a few steps on one CPU thread.

* ``HW7_Ahmadi_810199101``  - correct (rsLoRA with r=4: a valid setting other than the
  reference's r=8, so the counts are checked against the student's own config).
* ``HW7_Bagheri_810199102`` - labels not masked on the prompt; LoRA with the base model not
  frozen (every parameter set trainable after `get_peft_model`).
* ``HW7_Karimi_810199103``  - prompt tuning whose optimizer holds the base model's parameters,
  so no virtual token is ever trained; the freeze baseline unfreezes layers 0, 1, 3, 4 of 6.

The notebooks keep to the grading contract: models stay in variables, `train_dataset` holds
examples with `input_ids` and `labels`, `q1_results` the per-method histories and answers,
`comparison` the resource table. Regenerate from the repository root with

    .venv/bin/python assignments/bonus-llm-captioning/examples/make_q1_examples.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
from nbclient import NotebookClient

EXAMPLES_DIR = Path(__file__).resolve().parent
NOTEBOOK_NAME = "q1_peft.ipynb"

TITLE = """# تمرین امتیازی — پرسش ۱: تنظیم دقیق مدل زبانی برای گفتگو به فارسی
**Bonus — Q1: Persian instruction fine-tuning with PEFT (smoke-sized example)**

- دانشجو (student): {name} — {number}

> نسخهٔ کوچک برای آزمون خودکار: به‌جای Gemma-2-2B یک Gemma-2 کوچک (۶ لایه، پهنای ۶۴) و به‌جای
> دادگان SlimOrca فارسی چند گفتگوی کوتاه در همان قالب (system / human / gpt) به کار رفته است.
"""

SETUP = """import copy
import time

import matplotlib.pyplot as plt
import torch
from peft import LoraConfig, PromptTuningConfig, get_peft_model
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import Gemma2Config, Gemma2ForCausalLM, PreTrainedTokenizerFast

torch.set_num_threads(1)  # tiny model: one thread is fastest on a shared CPU
torch.manual_seed(0)"""

DATA = """SYSTEM = "شما یک دستیار مفید هستید که به زبان فارسی پاسخ کوتاه و درست می‌دهید."
PAIRS = [
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
    ("شاعر شاهنامه کیست؟", "شاهنامه را فردوسی سروده است."),
    ("ماه به دور چه می‌چرخد؟", "ماه به دور زمین می‌چرخد."),
    ("بلندترین کوه ایران کدام است؟", "بلندترین کوه ایران دماوند است."),
    ("ماهی کجا زندگی می‌کند؟", "ماهی در آب زندگی می‌کند."),
    ("متضاد کلمهٔ «روز» چیست؟", "متضاد روز، شب است."),
]
# SlimOrca's format: a list of turns {"from": system | human | gpt, "value": ...}
conversations = [
    [{"from": "system", "value": SYSTEM}, {"from": "human", "value": q}, {"from": "gpt", "value": a}]
    for q, a in PAIRS
]
test_prompts = ["پایتخت ایران کجاست؟", "هفته چند روز دارد؟", "یک جملهٔ کوتاه دربارهٔ ماه بنویس."]
print(conversations[0])"""

TOKENIZER = """# Gemma's chat template has no system turn: the system text goes into the user's turn.
TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}"
    "{% if m['role'] == 'assistant' %}{% set role = 'model' %}{% else %}{% set role = m['role'] %}{% endif %}"
    "<start_of_turn>{{ role }}\\n{{ m['content'] | trim }}<end_of_turn>\\n{% endfor %}"
    "{% if add_generation_prompt %}<start_of_turn>model\\n{% endif %}"
)
raw = Tokenizer(models.BPE())
raw.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
raw.decoder = decoders.ByteLevel()
raw.train_from_iterator(
    [t["value"] for c in conversations for t in c] + test_prompts,
    trainers.BpeTrainer(vocab_size=600, special_tokens=["<pad>", "<bos>", "<end_of_turn>", "<eos>", "<start_of_turn>"],
                        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False),
)
tokenizer = PreTrainedTokenizerFast(tokenizer_object=raw, pad_token="<pad>", bos_token="<bos>",
                                    eos_token="<end_of_turn>", additional_special_tokens=["<eos>", "<start_of_turn>"],
                                    chat_template=TEMPLATE)
tokenizer.save_pretrained("tokenizer")

def to_messages(turns):
    roles = {"system": "system", "human": "user", "gpt": "assistant"}
    msgs = [{"role": roles[t["from"]], "content": t["value"]} for t in turns]
    if msgs[0]["role"] == "system":
        system = msgs.pop(0)["content"]
        msgs[0] = {"role": "user", "content": system + "\\n\\n" + msgs[0]["content"]}
    return msgs"""

ENCODE_MASKED = """def encode(turns):
    msgs = to_messages(turns)
    prompt = tokenizer.apply_chat_template(msgs[:-1], tokenize=False, add_generation_prompt=True)
    full = tokenizer.apply_chat_template(msgs, tokenize=False)
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    ids = tokenizer(full, add_special_tokens=False)["input_ids"]
    labels = [-100] * len(prompt_ids) + ids[len(prompt_ids):]   # learn the answer only
    return {"input_ids": ids, "labels": labels}"""

ENCODE_UNMASKED = """def encode(turns):
    msgs = to_messages(turns)
    full = tokenizer.apply_chat_template(msgs, tokenize=False)
    ids = tokenizer(full, add_special_tokens=False)["input_ids"]
    return {"input_ids": ids, "labels": list(ids)}"""

SPLIT = """examples = [encode(c) for c in conversations]
train_dataset, val_dataset = examples[:-3], examples[-3:]

def collate(batch):
    n = max(len(b["input_ids"]) for b in batch)
    ids = torch.full((len(batch), n), tokenizer.pad_token_id)
    labels = torch.full((len(batch), n), -100)
    mask = torch.zeros((len(batch), n), dtype=torch.long)
    for i, b in enumerate(batch):
        k = len(b["input_ids"])
        ids[i, :k], labels[i, :k], mask[i, :k] = torch.tensor(b["input_ids"]), torch.tensor(b["labels"]), 1
    return {"input_ids": ids, "labels": labels, "attention_mask": mask}
print(len(train_dataset), len(val_dataset), sum(t == -100 for t in train_dataset[0]["labels"]))"""

MODEL = """config = Gemma2Config(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=6,
                      num_attention_heads=4, num_key_value_heads=2, head_dim=16, max_position_embeddings=256,
                      sliding_window=64, pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
                      eos_token_id=tokenizer.eos_token_id)
# stand-in for from_pretrained: the tiny model first reads the Persian sentences as plain text
torch.manual_seed(0)
pretrained = Gemma2ForCausalLM(config)
texts = [tokenizer(q + " " + a, add_special_tokens=False)["input_ids"] for q, a in PAIRS]
opt = torch.optim.AdamW(pretrained.parameters(), lr=3e-3)
g = torch.Generator().manual_seed(0)
for _ in range(150):
    idx = torch.randint(len(texts), (8,), generator=g).tolist()
    loss = pretrained(**collate([{"input_ids": texts[i], "labels": texts[i]} for i in idx])).loss
    loss.backward()
    opt.step()
    opt.zero_grad()
STATE = copy.deepcopy(pretrained.state_dict())

def load_base():
    model = Gemma2ForCausalLM(config)
    model.load_state_dict(STATE)
    return model

base_model = load_base()   # kept untouched: the answers "before", and the reference weights
print(base_model)"""

HELPERS = """def answer(model, prompts):
    model.eval()
    out = []
    for p in prompts:
        msgs = to_messages([{"from": "system", "value": SYSTEM}, {"from": "human", "value": p}])
        text = tokenizer.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
        batch = tokenizer(text, add_special_tokens=False, return_tensors="pt")
        with torch.no_grad():
            ids = model.generate(**batch, max_new_tokens=12, do_sample=False,
                                 pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id)
        out.append(tokenizer.decode(ids[0, batch["input_ids"].shape[1]:], skip_special_tokens=True))
    return out

def val_loss(model):
    model.eval()
    with torch.no_grad():
        return float(model(**collate(val_dataset)).loss)

def train(model, params, steps=40, lr=1e-2):
    params = list(params)
    opt = torch.optim.AdamW(params, lr=lr)
    g = torch.Generator().manual_seed(0)
    history = {"train_loss": [], "val_loss": [val_loss(model)]}
    start = time.perf_counter()
    for step in range(steps):
        model.train()
        idx = torch.randint(len(train_dataset), (8,), generator=g).tolist()
        loss = model(**collate([train_dataset[i] for i in idx])).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
        history["train_loss"].append(float(loss.detach()))
        if (step + 1) % 10 == 0:
            history["val_loss"].append(val_loss(model))
    history["time_per_step_s"] = (time.perf_counter() - start) / steps
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    weights = sum(p.numel() * p.element_size() for p in model.parameters())
    history["peak_memory_mb"] = (weights + 3 * 4 * trainable) / 2**20   # weights + grads + AdamW (CPU estimate)
    history["trainable_params"] = trainable
    return history

before = answer(base_model, test_prompts)
for p, a in zip(test_prompts, before, strict=True):
    print(p, "->", a)"""

PROMPT_OK = """pt_config = PromptTuningConfig(task_type="CAUSAL_LM", num_virtual_tokens=20, prompt_tuning_init="TEXT",
                               prompt_tuning_init_text="به فارسی پاسخ کوتاه بده", tokenizer_name_or_path="tokenizer")
pt_model = get_peft_model(load_base(), pt_config)
pt_model.print_trainable_parameters()
pt_history = train(pt_model, pt_model.parameters(), lr=1e-1)"""

PROMPT_WRONG_OPTIMIZER = """pt_config = PromptTuningConfig(task_type="CAUSAL_LM", num_virtual_tokens=20, prompt_tuning_init="TEXT",
                               prompt_tuning_init_text="به فارسی پاسخ کوتاه بده", tokenizer_name_or_path="tokenizer")
pt_base = load_base()
pt_model = get_peft_model(pt_base, pt_config)
pt_model.print_trainable_parameters()
pt_history = train(pt_model, pt_base.parameters(), lr=1e-1)"""

LORA_OK = """lora_config = LoraConfig(task_type="CAUSAL_LM", r=4, lora_alpha=8, lora_dropout=0.0, use_rslora=True,
                         target_modules=["q_proj", "k_proj", "v_proj", "o_proj"])
lora_model = get_peft_model(load_base(), lora_config)
lora_model.print_trainable_parameters()
lora_history = train(lora_model, lora_model.parameters(), lr=1e-2)"""

LORA_UNFROZEN = """lora_config = LoraConfig(task_type="CAUSAL_LM", r=4, lora_alpha=8, lora_dropout=0.0,
                         target_modules=["q_proj", "k_proj", "v_proj", "o_proj"])
lora_model = get_peft_model(load_base(), lora_config)
for p in lora_model.parameters():
    p.requires_grad = True          # "make sure everything trains"
lora_history = train(lora_model, lora_model.parameters(), lr=1e-2)"""

FREEZE = """freeze_model = load_base()
for p in freeze_model.parameters():
    p.requires_grad = False
layers = freeze_model.model.layers
for layer in {layers}:
    for p in layer.parameters():
        p.requires_grad = True
print([i for i, layer in enumerate(layers) if next(layer.parameters()).requires_grad])
freeze_history = train(freeze_model, [p for p in freeze_model.parameters() if p.requires_grad], lr=3e-3)"""

RESULTS = """q1_results = {"test_prompts": test_prompts}
for name, model, history in [("prompt_tuning", pt_model, pt_history), ("lora", lora_model, lora_history),
                             ("freeze_first2_last2", freeze_model, freeze_history)]:
    q1_results[name] = {**history, "generations_before": before, "generations_after": answer(model, test_prompts)}
    print(name, q1_results[name]["generations_after"])
comparison = [
    {"method": name, "trainable_params": r["trainable_params"], "time_per_step_s": round(r["time_per_step_s"], 4),
     "peak_memory_mb": round(r["peak_memory_mb"], 3)}
    for name, r in q1_results.items() if name != "test_prompts"
]
for row in comparison:
    print(row)
fig, ax = plt.subplots()
for name in ("prompt_tuning", "lora", "freeze_first2_last2"):
    ax.plot(q1_results[name]["train_loss"], label=name)
ax.set_xlabel("step")
ax.set_ylabel("training loss")
ax.legend()
plt.show()"""

VARIANTS = {
    "HW7_Ahmadi_810199101": (
        "احمد احمدی",
        ENCODE_MASKED,
        PROMPT_OK,
        LORA_OK,
        "list(layers[:2]) + list(layers[-2:])",
    ),
    "HW7_Bagheri_810199102": (
        "بهاره باقری",
        ENCODE_UNMASKED,
        PROMPT_OK,
        LORA_UNFROZEN,
        "list(layers[:2]) + list(layers[-2:])",
    ),
    "HW7_Karimi_810199103": (
        "کریم کریمی",
        ENCODE_MASKED,
        PROMPT_WRONG_OPTIMIZER,
        LORA_OK,
        "list(layers[:2]) + list(layers[-3:-1])",
    ),
}


def notebook(folder: str) -> nbformat.NotebookNode:
    name, encode, prompt, lora, layers = VARIANTS[folder]
    number = folder.rsplit("_", 1)[1]
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        md(TITLE.format(name=name, number=number)),
        code(SETUP),
        md("## ۱-۱. دادگان و مدل (data and model)"),
        code(DATA),
        code(TOKENIZER),
        code(encode),
        code(SPLIT),
        code(MODEL),
        code(HELPERS),
        md("## ۱-۲. Prompt Tuning"),
        code(prompt),
        md("## ۱-۳. LoRA"),
        code(lora),
        md("## ۱-۴. باز کردن دو لایهٔ اول و آخر (first two and last two layers)"),
        code(FREEZE.format(layers=layers)),
        md("## ۱-۵. مقایسه (comparison)"),
        code(RESULTS),
    ]
    return nb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true")
    args = parser.parse_args()
    for folder in VARIANTS:
        out = EXAMPLES_DIR / folder
        out.mkdir(exist_ok=True)
        nb = notebook(folder)
        if not args.no_execute:
            NotebookClient(
                nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(out)}}
            ).execute()
            for leftover in (out / "tokenizer").glob("*"):
                leftover.unlink()
            (out / "tokenizer").rmdir()
        nbformat.write(nb, out / NOTEBOOK_NAME)
        print("wrote", out / NOTEBOOK_NAME)


if __name__ == "__main__":
    main()
