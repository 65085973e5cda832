"""Hidden checks: merged from `hidden/*.yaml` by the loader, stripped and summarised for students."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from mini_gru import make_home

from graders.checks import registry
from graders.checks.registry import CheckParams, get_check, register
from graders.errors import SpecError
from graders.hidden import (
    filter_values,
    golden_refs,
    hidden_summary,
    merge_hidden,
    strip_hidden,
)
from graders.spec import load_spec

RAW = {
    "id": "x",
    "questions": [
        {
            "id": "Q1",
            "parts": [
                {"id": "a", "points": 4, "checks": [{"id": "p1", "check": "c", "params": {}}]},
                {"id": "b", "points": 2, "checks": []},
            ],
        }
    ],
}


def hidden_file(*checks: dict, question: str = "Q1", part: str = "a") -> tuple[str, dict]:
    doc = {"questions": [{"id": question, "parts": [{"id": part, "checks": list(checks)}]}]}
    return ("hidden/extra.yaml", doc)


def test_merge_appends_hidden_checks_and_leaves_the_input_alone() -> None:
    merged = merge_hidden(
        RAW,
        [
            hidden_file({"id": "h1", "check": "c", "weight": 3}),
            hidden_file({"id": "h2", "check": "c"}, part="b"),
        ],
    )
    a, b = merged["questions"][0]["parts"]
    assert [(c["id"], c.get("hidden", False)) for c in a["checks"]] == [("p1", False), ("h1", True)]
    assert [c["id"] for c in b["checks"]] == ["h2"] and b["checks"][0]["hidden"] is True
    assert len(RAW["questions"][0]["parts"][0]["checks"]) == 1
    assert strip_hidden(merged) == RAW
    assert hidden_summary(merged)["questions"] == {
        "Q1": {"a": {"checks": 1, "weight": 3.0}, "b": {"checks": 1, "weight": 1.0}}
    }


@pytest.mark.parametrize(
    ("hidden", "field", "problem"),
    [
        (
            hidden_file({"id": "h", "check": "c"}, question="Q9"),
            "questions[0].id",
            "no question 'Q9'",
        ),
        (
            hidden_file({"id": "h", "check": "c"}, part="z"),
            "questions[0].parts[0].id",
            "no part 'z'",
        ),
        (
            hidden_file({"id": "p1", "check": "c"}),
            "questions[0].parts[0].checks[0].id",
            "duplicate check id 'p1'",
        ),
        (("hidden/extra.yaml", {"checks": []}), "checks", "holds only `questions`"),
    ],
)
def test_merge_errors_name_the_hidden_file_and_field(
    hidden: tuple, field: str, problem: str
) -> None:
    with pytest.raises(SpecError) as err:
        merge_hidden(RAW, [hidden])
    msg = str(err.value)
    assert "hidden/extra.yaml" in msg and f"field '{field}'" in msg and problem in msg


@pytest.mark.parametrize(
    ("params", "documents", "expected"),
    [
        ({"golden": "q1:L1.weights"}, {"q1"}, {"q1": {"L1.weights"}}),
        ({"golden": "q1:L1.weights", "slot": "Q1.a"}, {"q1", "q6"}, {"q1": {"L1.weights"}}),
        ({"bands": ["q6:rnn", "q6:lstm"]}, {"q6"}, {"q6": {"rnn", "lstm"}}),
        ({"golden": "q6_curves"}, {"q6_curves"}, {"q6_curves": {""}}),
        ({"golden": "other:key"}, {"q1"}, {}),
        ({"kinds": ["RNN", "LSTM"]}, {"q1"}, {}),
    ],
)
def test_golden_refs(params: dict, documents: set[str], expected: dict) -> None:
    raw = {
        "questions": [
            {"id": "Q", "parts": [{"id": "a", "checks": [{"id": "c", "params": params}]}]}
        ]
    }
    assert golden_refs(raw, documents) == expected


def test_filter_values_keeps_referenced_keys_and_their_children() -> None:
    values = {"L1": 1, "L1.weights": 2, "L1.weightsX": 3, "L2.weights": 4, "whatif.a": 5}
    assert filter_values(values, {"L1.weights"}) == {"L1.weights": 2}
    assert filter_values(values, {"L1"}) == {"L1": 1, "L1.weights": 2, "L1.weightsX": 3}
    assert filter_values(values, {"whatif"}) == {"whatif.a": 5}
    assert filter_values(values, {""}) == values


def test_loader_merges_hidden_yaml_and_hidden_check_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLGRADE_HOME", str(make_home(tmp_path)))
    spec = load_spec("mini-gru")
    hidden = {(q.id, p.id, c.id) for q, p, c in spec.iter_checks() if c.hidden}
    assert hidden == {("T1", "a", "gru-flops"), ("P1", "a", "trained-enough")}
    assert get_check("mini_gru_loss_drop").needs_execution  # registered by hidden/*.py
    assert load_spec("mini-gru") == spec  # loading twice imports the hidden code once


def test_hidden_check_with_unknown_function_is_a_spec_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = make_home(tmp_path)
    extra = home / "assignments" / "mini-gru" / "hidden" / "zz.yaml"
    extra.write_text(
        yaml.safe_dump(hidden_file({"id": "h", "check": "no_such_check"}, question="T1")[1])
    )
    monkeypatch.setenv("DLGRADE_HOME", str(home))
    with pytest.raises(SpecError) as err:
        load_spec("mini-gru")
    assert "(+ hidden/*.yaml)" in str(err.value) and "unknown check 'no_such_check'" in str(
        err.value
    )


def test_registering_the_same_function_again_is_allowed_another_is_not() -> None:
    class P(CheckParams):
        pass

    def twin(facts, golden, params):  # noqa: ARG001
        return None

    def other(facts, golden, params):  # noqa: ARG001
        return None

    try:
        register("test_hidden_twin", P)(twin)
        register("test_hidden_twin", P)(twin)  # a re-imported module registers itself again
        with pytest.raises(ValueError, match="registered twice"):
            register("test_hidden_twin", P)(other)
    finally:
        registry._REGISTRY.pop("test_hidden_twin", None)
