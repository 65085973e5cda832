"""Assignment specs: the bundled ones load; malformed ones name the file, field and problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graders.errors import SpecError
from graders.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]


def base_spec() -> dict:
    return yaml.safe_load(
        (ROOT / "assignments" / "hw5-rnn" / "assignment.yaml").read_text(encoding="utf-8")
    )


def write(tmp_path: Path, data: dict | str) -> Path:
    path = tmp_path / "assignment.yaml"
    path.write_text(
        data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True),
        encoding="utf-8",
    )
    return path


def test_bundled_spec_loads() -> None:
    spec = load_spec("hw5-rnn")
    assert spec.id == "hw5-rnn"
    ids = [q.id for q in spec.questions]
    assert ids[0] == "Q1" and "Q6" in ids, ids
    assert spec.questions[0].points == 15


def test_unknown_check_names_field(tmp_path: Path) -> None:
    data = base_spec()
    data["questions"][0]["parts"][1]["checks"][2]["check"] = "numeric_anwser"
    with pytest.raises(SpecError) as err:
        load_spec(write(tmp_path, data))
    msg = str(err.value)
    assert "assignment.yaml" in msg
    assert "questions[0].parts[1].checks[2].check" in msg
    assert "unknown check 'numeric_anwser'" in msg
    assert "numeric_answer" in msg  # lists the known checks
    assert "فیلد" in err.value.message_fa


def test_bad_check_params_names_param(tmp_path: Path) -> None:
    data = base_spec()
    data["questions"][0]["parts"][0]["checks"][0]["params"] = {"golden": "q1:L1.output_shape"}
    with pytest.raises(SpecError) as err:
        load_spec(write(tmp_path, data))
    assert "questions[0].parts[0].checks[0].params.slot" in str(err.value)
    assert "Field required" in str(err.value)


def test_negative_points(tmp_path: Path) -> None:
    data = base_spec()
    data["questions"][1]["parts"][0]["points"] = -3
    with pytest.raises(SpecError) as err:
        load_spec(write(tmp_path, data))
    assert "questions[1].parts[0].points" in str(err.value)
    assert "greater than or equal to 0" in str(err.value)


def test_invalid_yaml_gives_line(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as err:
        load_spec(write(tmp_path, "id: x\nquestions: [\n  - {id: Q1\n"))
    assert "invalid YAML at line" in str(err.value)


def test_unknown_assignment_lists_known() -> None:
    with pytest.raises(LookupError) as err:
        load_spec("hw9-nothing")
    assert "hw5-rnn" in str(err.value)
