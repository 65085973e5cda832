"""BLEU-1..4 two ways, labelled: NLTK-style corpus BLEU (0-1) and sacrebleu (0-100, with signature).

Pure functions shared by the captioning reference solution and the captioning checks, so that a
student's BLEU and the reference band are computed by the same code. No checks are registered
here.

`corpus_bleu` reproduces `nltk.translate.bleu_score.corpus_bleu` without smoothing (what the
captioning papers' course projects report): clipped n-gram counts against all references of an
image, a caption shorter than n counts one n-gram in the denominator, the brevity penalty uses
the closest reference length (the shorter on ties), and any BLEU-n with no matching n-gram is 0.
The tests compare it with NLTK itself.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

SPECIAL_TOKENS = frozenset(
    {"<pad>", "<start>", "<bos>", "<sos>", "<end>", "<eos>", "<unk>", "[pad]", "[start]", "[end]"}
)
_PUNCT = re.compile(r"[^\w\s<>\[\]]", flags=re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-case, drop punctuation and special tokens, split on white space."""
    words = _PUNCT.sub(" ", str(text).lower()).split()
    return [w for w in words if w not in SPECIAL_TOKENS]


def _ngrams(words: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def _closest_ref_length(refs: Sequence[Sequence[str]], hyp_len: int) -> int:
    return min((len(r) for r in refs), key=lambda r: (abs(r - hyp_len), r))


def corpus_bleu(
    references: Sequence[Sequence[Sequence[str]]],
    hypotheses: Sequence[Sequence[str]],
    max_n: int = 4,
) -> float:
    """NLTK-style corpus BLEU-`max_n` (uniform weights, no smoothing), in [0, 1]."""
    if len(references) != len(hypotheses):
        raise ValueError("one list of references per hypothesis is needed")
    if not hypotheses:
        return 0.0
    numerators = [0] * (max_n + 1)
    denominators = [0] * (max_n + 1)
    hyp_len = ref_len = 0
    for refs, hyp in zip(references, hypotheses, strict=True):
        for n in range(1, max_n + 1):
            counts = _ngrams(hyp, n)
            best: Counter[tuple[str, ...]] = Counter()
            for ref in refs:
                best |= _ngrams(ref, n)
            numerators[n] += sum(min(c, best[g]) for g, c in counts.items())
            denominators[n] += max(1, sum(counts.values()))
        hyp_len += len(hyp)
        ref_len += _closest_ref_length(refs, len(hyp)) if refs else 0
    if numerators[1] == 0 or any(numerators[n] == 0 for n in range(1, max_n + 1)):
        return 0.0
    log_p = sum(math.log(numerators[n] / denominators[n]) for n in range(1, max_n + 1)) / max_n
    bp = 1.0 if hyp_len > ref_len else math.exp(1 - ref_len / hyp_len) if hyp_len else 0.0
    return bp * math.exp(log_p)


def bleu_1_to_4(references: Sequence[Sequence[str]], hypotheses: Sequence[str]) -> dict[str, float]:
    """NLTK-style corpus BLEU-1..4 (0-1) of raw caption strings, normalised by `tokens`."""
    refs = [[tokens(r) for r in rs] for rs in references]
    hyps = [tokens(h) for h in hypotheses]
    return {f"bleu{n}": corpus_bleu(refs, hyps, n) for n in range(1, 5)}


def sacrebleu_1_to_4(
    references: Sequence[Sequence[str]], hypotheses: Sequence[str]
) -> dict[str, Any]:
    """sacrebleu BLEU-1..4 (0-100, default `exp` smoothing) of the normalised captions, with the
    signature of each score. Missing references (images with fewer captions) are padded with the
    image's first caption, as sacrebleu needs the same number of reference streams."""
    from sacrebleu.metrics import BLEU

    hyps = [" ".join(tokens(h)) for h in hypotheses]
    cleaned = [[" ".join(tokens(r)) for r in rs] or [""] for rs in references]
    n_refs = max((len(rs) for rs in cleaned), default=1)
    streams = [[rs[i] if i < len(rs) else rs[0] for rs in cleaned] for i in range(n_refs)]
    out: dict[str, Any] = {}
    for n in range(1, 5):
        metric = BLEU(max_ngram_order=n)
        out[f"bleu{n}"] = metric.corpus_score(hyps, streams).score
        out[f"signature{n}"] = str(metric.get_signature())
    return out
