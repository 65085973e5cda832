"""Captioning checks on data preparation: the vocabulary file with special tokens, one padded
length, a split by image with no leakage, the two plots.
"""

from __future__ import annotations

from graders.checks.captioning.parsing import _facts
from graders.checks.registry import CheckParams, NoParams, register
from graders.checks.result import CheckResult
from graders.facts import Facts
from graders.facts.captioning import CaptioningFacts
from graders.golden import Golden


@register("caption_vocab_file", NoParams, needs_execution=True, probe_facts=_facts)
def caption_vocab_file(
    facts: Facts, golden: Golden, p: NoParams, data: CaptioningFacts
) -> CheckResult:
    """A vocabulary saved to a file, holding <pad>, <start>, <end> and <unk> (or their aliases)."""
    v = data.vocab
    if v is None:
        return CheckResult.failed(
            "فایل واژه‌نامه (مثلاً vocab.json) در پوشهٔ کار پیدا نشد.",
            "no vocabulary file (e.g. vocab.json) was found in the working folder.",
        )
    missing = [k for k, s in v.special.items() if s.token is None] or (
        [] if v.special else ["<pad>", "<start>", "<end>", "<unk>"]
    )
    evidence = {
        "source": v.source,
        "size": v.size,
        "special": {k: s.token for k, s in v.special.items()},
    }
    score = (4 - len(missing)) / 4 * (1.0 if v.from_file else 0.5)
    if score >= 1:
        return CheckResult.passed(
            f"واژه‌نامه در فایل {v.source} با {v.size} واژه و هر چهار توکن ویژه ذخیره شده است.",
            f"the vocabulary ({v.size} words) is saved in {v.source} with all four special tokens.",
            **evidence,
        )
    fa, en = [], []
    if missing:
        fa.append(f"توکن‌های ویژهٔ {'، '.join(missing)} در واژه‌نامه نیستند")
        en.append(f"the special tokens {', '.join(missing)} are missing")
    if not v.from_file:
        fa.append("واژه‌نامه در فایل ذخیره نشده است (فقط متغیر)")
        en.append("the vocabulary is not saved to a file (only a variable)")
    return CheckResult(score, "؛ ".join(fa) + ".", "; ".join(en) + ".", evidence=evidence)


@register("caption_padding", NoParams, needs_execution=True, probe_facts=_facts)
def caption_padding(
    facts: Facts, golden: Golden, p: NoParams, data: CaptioningFacts
) -> CheckResult:
    """Every encoded caption has the same length, shorter ones filled with <pad>."""
    c = data.captions
    if c is None or not c.lengths:
        return CheckResult.failed(
            "ماتریس کپشن‌های کدشده (encoded_captions) پیدا نشد.",
            "no matrix of encoded captions (encoded_captions) was found.",
        )
    evidence = {"lengths": c.lengths, "has_pad": c.has_pad, "pad_id": data.pad_id}
    if len(c.lengths) == 1 and c.has_pad:
        length = next(iter(c.lengths))
        return CheckResult.passed(
            f"همهٔ کپشن‌ها با <pad> به طول {length} رسیده‌اند.",
            f"all captions are padded with <pad> to length {length}.",
            **evidence,
        )
    if len(c.lengths) > 1:
        return CheckResult.failed(
            f"کپشن‌ها طول یکسان ندارند (طول‌ها: {sorted(c.lengths)}).",
            f"captions have different lengths ({sorted(c.lengths)}); pad them to one length.",
            **evidence,
        )
    return CheckResult(
        0.5,
        "طول کپشن‌ها یکسان است اما توکن <pad> در آن‌ها دیده نمی‌شود.",
        "captions have one length but no <pad> token appears in them.",
        evidence=evidence,
    )


class SplitParams(CheckParams):
    fractions: tuple[float, float, float] = (0.8, 0.1, 0.1)
    tolerance: float = 0.03


@register("caption_split_by_image", SplitParams, needs_execution=True, probe_facts=_facts)
def caption_split_by_image(
    facts: Facts, golden: Golden, p: SplitParams, data: CaptioningFacts
) -> CheckResult:
    """Train/val/test hold disjoint sets of images, in about the asked proportions."""
    s = data.splits
    if s is None or len(s.unique) < 3:
        return CheckResult.failed(
            "متغیر splits با شناسهٔ تصاویر train/val/test پیدا نشد.",
            "no `splits` variable with the image ids of train/val/test was found.",
        )
    leaked = {k: n for k, n in s.overlap.items() if n}
    total = sum(s.unique.values()) or 1
    fractions = [round(n / total, 3) for n in list(s.unique.values())[:3]]
    evidence = {
        "unique_images": s.unique,
        "overlap": s.overlap,
        "overlap_examples": s.overlap_examples,
        "fractions": fractions,
        "expected": list(p.fractions),
    }
    if leaked:
        pairs = ", ".join(f"{k}: {n}" for k, n in leaked.items())
        return CheckResult.failed(
            f"تقسیم داده بر اساس تصویر نیست: تصاویر مشترک میان بخش‌ها ({pairs})، مثلاً {', '.join(s.overlap_examples[:2])}. کپشن‌های یک تصویر باید همه در یک بخش باشند، وگرنه ارزیابی روی تصاویر دیده‌شده انجام می‌شود.",
            f"the split is not by image: images shared between splits ({pairs}), e.g. {', '.join(s.overlap_examples[:2])}. All captions of an image must go to one split, or the test set holds images seen in training.",
            **evidence,
        )
    if all(abs(f - e) <= p.tolerance for f, e in zip(fractions, p.fractions, strict=False)):
        return CheckResult.passed(
            f"تقسیم بر اساس تصویر و بدون همپوشانی است (نسبت‌ها {fractions}).",
            f"the split is by image with no overlap (fractions {fractions}).",
            **evidence,
        )
    return CheckResult(
        0.5,
        f"تصاویر میان بخش‌ها مشترک نیستند، اما نسبت‌ها {fractions} با {list(p.fractions)} فاصله دارند.",
        f"no image is shared, but the fractions {fractions} are far from {list(p.fractions)}.",
        evidence=evidence,
    )


class FigureParams(CheckParams):
    keywords: list[str]
    what_fa: str
    what_en: str


@register("caption_figure", FigureParams, needs_execution=True)
def caption_figure(facts: Facts, golden: Golden, p: FigureParams) -> CheckResult:
    """A figure whose title or axis labels mention one of `keywords` (e.g. the caption-length scatter)."""
    if facts.probe is None:
        fa, en = facts.run_message()
        return CheckResult.missing(fa, en)
    for fig in facts.probe.figures:
        text = " ".join([fig.suptitle, *(ax.text() for ax in fig.axes)]).lower()
        if any(k.lower() in text for k in p.keywords):
            return CheckResult.passed(
                f"نمودار {p.what_fa} رسم شده است.",
                f"the {p.what_en} plot is present.",
                figure=fig.key,
            )
    return CheckResult.failed(
        f"نمودار {p.what_fa} پیدا نشد (عنوان یا برچسب محورها باید یکی از {p.keywords} را داشته باشد).",
        f"no {p.what_en} plot was found (its title or axis labels should mention one of {p.keywords}).",
    )
