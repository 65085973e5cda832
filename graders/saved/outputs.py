"""Saved-output facts: what the submitted notebook printed and displayed when the student ran it.

Parses the text streams, `execute_result`s and `display_data` of every code cell (nothing is
executed): PEFT's `print_trainable_parameters()` line, loss logs of `transformers.Trainer`
(its dict lines and its HTML progress table) and of hand-written loops, printed BLEU and
accuracy, tables (pandas HTML, a DataFrame's text, printed records) and images (kept for the
report). Every fact carries `source="saved"`: the student could have edited it.
"""

from __future__ import annotations

import ast
import contextlib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from graders.saved.models import (
    CellText,
    LossLog,
    Metric,
    SavedFacts,
    SavedImage,
    SavedTable,
    TrainableLine,
)

MAX_NOTEBOOK_BYTES = 200_000_000
MAX_IMAGE_CHARS = 3_000_000
TRAINABLE = re.compile(
    r"trainable params:\s*([\d,_]+)\s*\|\|\s*all params:\s*([\d,_]+)\s*\|\|\s*trainable%:\s*([-+\d.eE]+)"
)
NUMBER = r"([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
HAND_LOSS = re.compile(
    rf"\b(?:step|epoch|iter(?:ation)?|it)\b\s*[:=#]?\s*(\d+)(?:\s*/\s*\d+)?\b.*?\b(?:train(?:ing)?[_ ]?)?loss\b\s*[:=]?\s*{NUMBER}",
    re.IGNORECASE,
)
VAL_LOSS = re.compile(rf"\b(?:val(?:id(?:ation)?)?|eval)[_ ]?loss\b\s*[:=]?\s*{NUMBER}", re.I)
BLEU = re.compile(rf"\bbleu[-_ ]?([1-4])?\b\s*(?:score)?\s*[:=]\s*{NUMBER}\s*(%)?", re.I)
ACCURACY = re.compile(rf"\b(?:acc|accuracy)\b\s*[:=]\s*{NUMBER}\s*(%)?", re.I)
TRAINER_KEYS = {"loss", "eval_loss", "learning_rate", "grad_norm", "epoch"}


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


def _int(text: str) -> int:
    return int(text.replace(",", "").replace("_", ""))


class _Tables(HTMLParser):
    """Rows of cells of every `<table>` in an HTML output (pandas' `to_html`, Trainer's table)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            if self._row:
                self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str, cell: int) -> list[SavedTable]:
    parser = _Tables()
    with contextlib.suppress(Exception):  # malformed HTML from a student: keep what was read
        parser.feed(html[:2_000_000])
    out = []
    for rows in parser.tables:
        if len(rows) < 2:
            continue
        header, body = rows[0], rows[1:]
        if body and len(body[0]) == len(header) + 1:  # pandas: an index column with an empty th
            header = ["", *header]
        out.append(SavedTable(cell=cell, kind="html", columns=header[:100], rows=body[:1000]))
    return out


def _literal(line: str) -> Any:
    line = line.strip()
    if not line or line[0] not in "{[" or len(line) > 20_000:
        return None
    try:
        return ast.literal_eval(line)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def text_table(text: str, cell: int) -> SavedTable | None:
    """A DataFrame's text: a header line, then rows of an index and one value per column."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2 or len(lines) > 1001:
        return None
    header = lines[0].split()
    rows = [ln.split() for ln in lines[1:]]
    if len(header) < 2 or any(len(r) != len(header) + 1 for r in rows):
        return None
    return SavedTable(cell=cell, kind="text", columns=["", *header], rows=rows)


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _trainer_table(table: SavedTable) -> LossLog | None:
    cols = [c.lower() for c in table.columns]
    if "training loss" not in cols:
        return None
    i_train = cols.index("training loss")
    i_step = cols.index("step") if "step" in cols else cols.index("epoch") if "epoch" in cols else 0
    i_val = cols.index("validation loss") if "validation loss" in cols else None
    steps, train, val = [], [], []
    for row in table.rows:
        t = _float(str(row[i_train])) if i_train < len(row) else None
        if t is None:
            continue
        steps.append(_float(str(row[i_step])) or float(len(steps)))
        train.append(t)
        if i_val is not None and i_val < len(row) and (v := _float(str(row[i_val]))) is not None:
            val.append(v)
    return LossLog(cell=table.cell, kind="trainer-table", steps=steps, train=train, val=val)


def parse_cell(cell: int, text: str, html: list[str]) -> dict[str, list[Any]]:
    """The facts of one code cell's saved outputs."""
    found: dict[str, list[Any]] = {"trainable": [], "losses": [], "metrics": [], "tables": []}
    records: list[dict[str, Any]] = []
    trainer: dict[str, list[float]] = {"steps": [], "train": [], "val": []}
    hand: dict[str, list[float]] = {"steps": [], "train": [], "val": []}
    for line in text.splitlines():
        if m := TRAINABLE.search(line):
            found["trainable"].append(
                TrainableLine(
                    cell=cell, trainable=_int(m[1]), total=_int(m[2]), percent=float(m[3])
                )
            )
            continue
        value = _literal(line)
        if isinstance(value, dict) and TRAINER_KEYS & set(map(str, value)):
            if "loss" in value and isinstance(value["loss"], int | float):
                trainer["train"].append(float(value["loss"]))
                trainer["steps"].append(
                    float(value.get("step", value.get("epoch", len(trainer["steps"]))))
                )
            if isinstance(value.get("eval_loss"), int | float):
                trainer["val"].append(float(value["eval_loss"]))
            continue
        if isinstance(value, dict):
            records.append(value)
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            records.extend(value)
            continue
        if m := HAND_LOSS.search(line):
            hand["steps"].append(float(m[1]))
            hand["train"].append(float(m[2]))
            if v := VAL_LOSS.search(line):
                hand["val"].append(float(v[1]))
        elif v := VAL_LOSS.search(line):
            hand["val"].append(float(v[1]))
        for m in BLEU.finditer(line):
            found["metrics"].append(
                Metric(
                    cell=cell,
                    name=f"bleu{m[1] or ''}",
                    value=float(m[2]),
                    percent=bool(m[3]),
                    label=line[: m.start()].strip()[:200],
                )
            )
        for m in ACCURACY.finditer(line):
            found["metrics"].append(
                Metric(
                    cell=cell,
                    name="accuracy",
                    value=float(m[1]),
                    percent=bool(m[2]),
                    label=line[: m.start()].strip()[:200],
                )
            )
    for kind, log in (("trainer", trainer), ("hand", hand)):
        if log["train"] or log["val"]:
            found["losses"].append(LossLog(cell=cell, kind=kind, **log))  # type: ignore[arg-type]
    if records:
        columns = list(dict.fromkeys(str(k) for r in records for k in r))[:100]
        rows = [[r.get(c) for c in columns] for r in records[:1000]]
        found["tables"].append(SavedTable(cell=cell, kind="records", columns=columns, rows=rows))
    for h in html:
        for table in html_tables(h, cell):
            log = _trainer_table(table)
            found["losses" if log else "tables"].append(log or table)
    return found


def saved_facts(nb: dict[str, Any]) -> SavedFacts:
    """Parse a notebook (nbformat 4 as a dict) into saved-output facts."""
    n_code = n_out = 0
    counts: list[int | None] = []
    acc: dict[str, list[Any]] = {"trainable": [], "losses": [], "metrics": [], "tables": []}
    images: list[SavedImage] = []
    texts: list[CellText] = []
    for cell in nb.get("cells") or []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        if not _text(cell.get("source")).strip():
            continue
        index = n_code
        n_code += 1
        count = cell.get("execution_count")
        counts.append(count if isinstance(count, int) else None)
        outputs = [o for o in cell.get("outputs") or [] if isinstance(o, dict)]
        n_out += bool(outputs)
        parts, html = [], []
        for o in outputs:
            kind = o.get("output_type")
            if kind == "stream":
                parts.append(_text(o.get("text")))
            elif kind in ("execute_result", "display_data"):
                data = o.get("data") if isinstance(o.get("data"), dict) else {}
                if "text/html" in data:
                    html.append(_text(data["text/html"]))
                for mime in ("image/png", "image/jpeg", "image/svg+xml"):
                    if mime in data and len(images) < 100:
                        images.append(
                            SavedImage(
                                cell=index, mime=mime, data=_text(data[mime])[:MAX_IMAGE_CHARS]
                            )
                        )
                        break
                else:
                    if "text/html" not in data:
                        plain = _text(data.get("text/plain"))
                        table = text_table(plain, index) if kind == "execute_result" else None
                        if table is not None:
                            acc["tables"].append(table)
                        parts.append(plain)
        text = "\n".join(parts)
        texts.append(CellText(cell=index, execution_count=counts[-1], text=text[:200_000]))
        for key, values in parse_cell(index, text, html).items():
            acc[key].extend(values)
    return SavedFacts(
        n_code_cells=n_code,
        n_with_outputs=n_out,
        execution_counts=counts,
        trainable=acc["trainable"][:200],
        losses=acc["losses"][:200],
        metrics=acc["metrics"][:2000],
        tables=acc["tables"][:200],
        images=images,
        texts=texts,
    )


def read_notebook(path: Path) -> dict[str, Any]:
    """A notebook as nbformat 4 (no validation beyond the format: outputs are read as they are)."""
    import nbformat

    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise ValueError(f"notebook larger than {MAX_NOTEBOOK_BYTES} bytes")
    return dict(nbformat.read(path, as_version=4))
