"""Every theory reference value against an independent computation (closed forms, plain Python).

The reference modules build torch layers and run autograd; here the same numbers come from
textbook formulas and hand arithmetic, and the committed golden files must equal a rebuild.
"""

from __future__ import annotations

import importlib
import json
import math
import pkgutil
import re
from types import ModuleType

import pytest

from graders.golden import load_golden
from graders.golden_compare import REL_TOL, golden_differences
from graders.paths import golden_dir
from graders.spec import load_spec

ASSIGNMENTS = [
    "hw2-rnn",
    "hw5-rnn",
    "hw5-attention-quiz",
    "hw5-transformers-ut",
    "bonus-llm-captioning",
]


def reference_modules(assignment: str) -> list[ModuleType]:
    """Every module of the assignment's reference package that writes golden files, found by
    itself: a new question is a new module and is rebuilt here without editing this test."""
    pkg = importlib.import_module("reference_solutions." + assignment.replace("-", "_"))
    found = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        if hasattr(module, "golden_documents"):
            found.append(module)
    return found


def values(entry: dict) -> set[float]:
    return {a["value"] for a in entry["accepted"]}


def test_hw2_q2_parameter_counts_all_conventions() -> None:
    g = load_golden("hw2-rnn")
    i, h = 128, 64

    def textbook(gates: int) -> int:
        return gates * (h * i + h * h + h)

    def pytorch(gates: int) -> int:
        return gates * (h * i + h * h + 2 * h)

    assert values(g.get("q2:rnn")) == {pytorch(1), textbook(1)} == {12416, 12352}
    assert values(g.get("q2:gru")) == {pytorch(3), textbook(3)} == {37248, 37056}
    assert values(g.get("q2:lstm")) == {pytorch(4), textbook(4)} == {49664, 49408}
    assert values(g.get("q2:bilstm")) == {2 * pytorch(4), 2 * textbook(4)}
    gru = {a["convention"]: a["value"] for a in g.get("q2:gru")["accepted"]}
    assert any("reset_after=True" in k and v == pytorch(3) for k, v in gru.items())


def test_hw2_q4_clipping_and_autograd_verification() -> None:
    g = load_golden("hw2-rnn")
    clip = g.get("q4:clipping")
    v = clip["gradient"]
    norm = math.sqrt(sum(x * x for x in v))
    assert norm == 10 and clip["threshold"] == 5
    assert values(g.get("q4:clip.factor")) == {0.5}
    assert clip["clipped_by_norm"] == pytest.approx([x * 5 / norm for x in v])
    assert values(g.get("q4:clip.norm_after")) == {5}
    by_value = [max(-5.0, min(5.0, x)) for x in v]
    assert clip["clipped_by_value"] == by_value
    cos = sum(a * b for a, b in zip(by_value, v, strict=True)) / (
        math.sqrt(sum(a * a for a in by_value)) * norm
    )
    assert clip["cosine_by_value"] == pytest.approx(cos) and cos < 0.999  # direction changed
    ver = g.get("q4:verification")
    assert ver["formula_a_agrees_with_autograd"] and ver["formula_b_agrees_with_autograd"]
    assert ver["tolerance"] == 1e-12


def test_hw5_rnn_q2c_forward_pass_by_hand() -> None:
    g = load_golden("hw5-rnn")
    giv = g.get("q2c:givens")

    def mv(m: list[list[float]], x: list[float]) -> list[float]:
        return [sum(a * b for a, b in zip(row, x, strict=True)) for row in m]

    a = [
        p + q + b
        for p, q, b in zip(
            mv(giv["W_xh"], giv["x"]), mv(giv["W_hh"], giv["h_prev"]), giv["b_h"], strict=True
        )
    ]
    assert a == pytest.approx([0.58, -1.19])  # 0.5*0.8+0.2*0.5-0.02+0.1, -0.8-0.45+0.16-0.1
    h = [math.tanh(x) for x in a]
    y = [p + b for p, b in zip(mv(giv["W_hy"], h), giv["b_y"], strict=True)]
    e = [math.exp(x) for x in y]
    p = [x / sum(e) for x in e]
    assert g.get("q2c:h")["value"] == pytest.approx(h, abs=1e-12)
    assert g.get("q2c:y")["value"] == pytest.approx(y, abs=1e-12)
    assert g.get("q2c:softmax")["value"] == pytest.approx(p, abs=1e-12)


def test_attention_quiz_q3_scores_and_output() -> None:
    g = load_golden("hw5-attention-quiz")
    q = [3, -1, -1]
    keys = [[1, 2, 3], [2, 2, 1], [0, 1, -1], [0, 2, -1]]
    vals = [[2, 0, 1], [1, 4, 3], [0, -1, 4], [1, 0, -1]]
    scores = [sum(a * b for a, b in zip(q, k, strict=True)) for k in keys]
    assert scores == [-2, 3, 0, -1]
    for i, s in enumerate(scores, start=1):
        assert values(g.get(f"q3:s{i}")) == {s}
    assert g.get("q3:output")["value"] == vals[scores.index(max(scores))] == [1, 4, 3]
    ver = g.get("q2:verification")  # dJ/do, dJ/dh, dJ/dW_hh agree with autograd to < 1e-12
    assert ver == {"dJ_do": True, "dJ_dh": True, "dJ_dW_hh": True, "tolerance": 1e-12}


def test_transformers_mlp_layer_by_layer() -> None:
    g = load_golden("hw5-transformers-ut")
    widths = [3072, 4096, 2048, 1024, 512, 256, 64, 10]
    per_layer = [a * b + b for a, b in zip(widths, widths[1:], strict=False)]
    assert per_layer[0] == 12_587_008 and per_layer[-1] == 650
    for i, n in enumerate(per_layer, start=1):
        assert values(g.get(f"q2mlp:fc{i}")) == {n}
    assert values(g.get("q2mlp:total")) == {sum(per_layer)} == {23_749_066}


def test_label_keys() -> None:
    quiz = load_golden("hw5-attention-quiz")
    assert sorted(quiz.get("q1:a")["correct"]) == ["gender", "sentiment"]
    assert quiz.get("q1:b")["accepted"] == ["unidirectional"]
    assert quiz.get("q1:c")["accepted"] == ["conditional"]
    tr = load_golden("hw5-transformers-ut")
    assert [
        tr.get(f"concepts:{k}")["value"] for k in ("lstm", "stacks", "multihead", "positional")
    ] == [
        False,
        True,
        False,
        True,
    ]
    rnn = load_golden("hw5-rnn")
    assert [rnn.get(f"q4:{k}")["accepted"] for k in ("imdb", "nowcasting", "action")] == [
        ["deep"],
        ["convlstm"],
        ["skip"],
    ]
    hw2 = load_golden("hw2-rnn")
    assert hw2.get("q3:sentiment")["accepted"] == ["many-to-one"]
    assert "seq2seq" in hw2.get("q3:translation")["accepted"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_rubric_points_match_spec(assignment: str) -> None:
    """A part graded only by a rubric is worth exactly the rubric's points."""
    spec = load_spec(assignment)
    golden = load_golden(assignment)
    n = 0
    for q in spec.questions:
        for p in q.parts:
            if p.checks and all(c.check == "rubric_review" for c in p.checks):
                assert len(p.checks) == 1
                entry = golden.get(p.checks[0].params["golden"])
                assert entry["points"] == pytest.approx(p.points), f"{q.id}.{p.id}"
                assert entry["reference_fa"] and all(item["keywords"] for item in entry["rubric"])
                n += 1
    assert n > 0


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_golden_matches_a_rebuild(assignment: str) -> None:
    """Modules that compute (not train) are rebuilt whole: integers exact, floats within the
    module's stated tolerance (rel 1e-9 / abs 1e-12 for float64 analytic values). Modules that
    train declare TRAINS and are rebuilt as a subset inside their bands (test_reference_drift)."""
    rebuilt = 0
    for module in reference_modules(assignment):
        if getattr(module, "TRAINS", False):
            continue
        rel_tol = getattr(module, "GOLDEN_REL_TOL", REL_TOL)
        for file, vals in module.golden_documents(profile="smoke", device="cpu").items():
            committed = json.loads((golden_dir(assignment) / f"{file}.json").read_text("utf-8"))
            diffs = golden_differences(committed["values"], json.loads(json.dumps(vals)), rel_tol)
            assert not diffs, (assignment, file, diffs[:5])
            assert committed["provenance"]["profile"] == "smoke"
            rebuilt += 1
    assert rebuilt >= 1


def test_every_golden_file_has_a_module() -> None:
    """No committed golden file escapes the rebuild: each is produced by a discovered module."""
    for assignment in ASSIGNMENTS:
        produced: set[str] = set()
        for module in reference_modules(assignment):
            names = getattr(module, "GOLDEN_FILES", None)
            if names is None:
                names = module.golden_documents(profile="smoke", device="cpu").keys()
            produced |= set(names)
        committed = {p.stem for p in golden_dir(assignment).glob("*.json")}
        assert committed == produced, assignment


def test_no_machine_noise_in_golden_text() -> None:
    """Rubric text a student reads never carries a raw floating-point error (e.g. 2.2e-16)."""
    noise = re.compile(r"\d\.\de-1[3-9]")
    for assignment in ASSIGNMENTS:
        for path in golden_dir(assignment).glob("*.json"):
            text = json.dumps(json.loads(path.read_text("utf-8"))["values"], ensure_ascii=False)
            assert not noise.search(text), (path, noise.search(text))


def test_validate_passes_for_all_five() -> None:
    from graders.commands.validate import main

    assert main(assignments=ASSIGNMENTS) == []
