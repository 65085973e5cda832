"""Static facts from a notebook's code, read with Python's `ast` (no cell is executed).

Finds the PEFT config constructors and their literal arguments (`LoraConfig`,
`PromptTuningConfig`, `PrefixTuningConfig`, `PromptEncoderConfig`), `get_peft_model` calls,
the model ids passed to `from_pretrained`, model config constructors (`Gemma2Config(...)`),
loops that set `requires_grad`, log-scale plotting calls, the loss's `ignore_index` and label
masking with -100. A name bound earlier to a literal (`R = 8`) is resolved; anything else is
listed as unresolved, never guessed.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from graders.saved.models import GradLoop, PeftConfigFact, SavedPeftModel, StaticFacts

PEFT_CONFIGS = {
    "LoraConfig": "LORA",
    "PromptTuningConfig": "PROMPT_TUNING",
    "PrefixTuningConfig": "PREFIX_TUNING",
    "PromptEncoderConfig": "P_TUNING",
}
MODEL_CONFIGS = ("Gemma2Config", "LlamaConfig", "GemmaConfig", "AutoConfig")
LOG_CALLS = ("semilogy", "loglog", "semilogx")
# library ways of learning the answer only (labels -100 on the prompt)
MASKING_CALLS = ("DataCollatorForCompletionOnlyLM", "train_on_responses_only")
MASKING_FLAGS = ("completion_only_loss", "assistant_only_loss")
_MAGIC = re.compile(r"^\s*[%!]")


def _name(node: ast.AST) -> str:
    """The called name: `LoraConfig` for `LoraConfig(...)` and `peft.LoraConfig(...)`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _text(node: ast.AST) -> str:
    try:
        return ast.unparse(node)[:300]
    except Exception:  # pragma: no cover - unparse of a parsed tree does not fail
        return ""


class _Literal:
    """Literal values, with names bound to literals earlier in the notebook."""

    def __init__(self) -> None:
        self.env: dict[str, Any] = {}

    def value(self, node: ast.AST) -> tuple[bool, Any]:
        if isinstance(node, ast.Name) and node.id in self.env:
            return True, self.env[node.id]
        try:
            return True, ast.literal_eval(node)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return False, None

    def bind(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                ok, v = self.value(stmt.value)
                if ok:
                    self.env[target.id] = v
                else:
                    self.env.pop(target.id, None)


def _kwargs(call: ast.Call, lit: _Literal) -> tuple[dict[str, Any], list[str]]:
    values, unresolved = {}, []
    for kw in call.keywords:
        if kw.arg is None:
            unresolved.append(f"**{_text(kw.value)}")
            continue
        ok, v = lit.value(kw.value)
        if ok:
            values[kw.arg] = v
        else:
            unresolved.append(kw.arg)
    return values, unresolved


def _assigned_to(tree: ast.AST) -> dict[int, str]:
    """id(call) -> the variable it is assigned to (`x = Call(...)`)."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            target = node.targets[0]
            if isinstance(target, ast.Name):
                out[id(node.value)] = target.id
    return out


def _sets_requires_grad(body: list[ast.stmt]) -> tuple[bool | None, str, bool]:
    """(value set, the object it is set on, set inside an `if`) for a loop body."""
    for stmt in body:
        for node in ast.walk(stmt):
            value = None
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Attribute) and t.attr == "requires_grad":
                        ok = isinstance(node.value, ast.Constant)
                        value = bool(node.value.value) if ok else None
                        obj = _text(t.value)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "requires_grad_"
            ):
                arg = node.args[0] if node.args else ast.Constant(True)
                value = bool(arg.value) if isinstance(arg, ast.Constant) else None
                obj = _text(node.func.value)
            if value is not None:
                return value, obj, isinstance(stmt, ast.If)
    return None, "", False


def _params_owner(it: ast.AST) -> str | None:
    """`M` for `M.parameters()` / `M.named_parameters()`."""
    if (
        isinstance(it, ast.Call)
        and isinstance(it.func, ast.Attribute)
        and it.func.attr in ("parameters", "named_parameters")
    ):
        return _text(it.func.value)
    return None


def _loop_var(target: ast.AST) -> str:
    return target.id if isinstance(target, ast.Name) else _text(target)


def _grad_loops(tree: ast.AST, cell: int) -> list[GradLoop]:
    loops: list[GradLoop] = []
    inner_seen: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.For) and id(node) not in inner_seen:
            value, _, conditional = _sets_requires_grad(node.body)
            if value is None:
                continue
            owner = _params_owner(node.iter)
            if owner is not None:  # for p in M.parameters(): p.requires_grad = v
                loops.append(
                    GradLoop(
                        cell=cell,
                        line=node.lineno,
                        value=value,
                        model_var=owner,
                        whole_model=not conditional,
                    )
                )
                continue
            # for layer in EXPR: (for p in layer.parameters(): ... | layer.requires_grad_(v))
            var = _loop_var(node.target)
            index = False
            for sub in ast.walk(node):
                if isinstance(sub, ast.For) and sub is not node:
                    inner_seen.add(id(sub))
                    inner = _params_owner(sub.iter) or ""
                    if re.search(rf"\[\s*{re.escape(var)}\s*\]", inner):
                        index = True
            loops.append(
                GradLoop(
                    cell=cell,
                    line=node.lineno,
                    value=value,
                    layers_text=_text(node.iter),
                    index_loop=index,
                )
            )
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            if isinstance(call.func, ast.Attribute) and call.func.attr == "requires_grad_":
                arg = call.args[0] if call.args else ast.Constant(True)
                if isinstance(arg, ast.Constant):
                    loops.append(
                        GradLoop(
                            cell=cell,
                            line=node.lineno,
                            value=bool(arg.value),
                            model_var=_text(call.func.value),
                            whole_model=True,
                        )
                    )
    return loops


def _is_minus_100(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and node.operand.value == 100
    ) or (isinstance(node, ast.Constant) and node.value == -100)


def _cell_source(source: str) -> str:
    """Cell source with IPython magics and shell escapes turned into comments."""
    return "\n".join(("# " + ln) if _MAGIC.match(ln) else ln for ln in source.splitlines())


def static_facts(cells: list[str]) -> StaticFacts:
    """Static facts of the notebook's code cells (sources in order)."""
    lit = _Literal()
    acc: dict[str, list[Any]] = {
        k: []
        for k in (
            "peft_configs",
            "peft_models",
            "pretrained",
            "model_configs",
            "grad_loops",
            "log_scale_calls",
            "ignore_index",
            "label_masking",
            "syntax_errors",
            "bindings",
        )
    }
    printers: dict[int, list[str]] = {}
    for cell, source in enumerate(cells):
        try:
            tree = ast.parse(_cell_source(source))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            acc["syntax_errors"].append(cell)
            continue
        targets = _assigned_to(tree)
        acc["bindings"].extend(
            (t.id, cell, node.lineno)
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            for t in node.targets
            if isinstance(t, ast.Name)
        )
        for stmt in tree.body:
            _walk_statement(stmt, cell, lit, targets, acc, printers)
            lit.bind(stmt)
        acc["grad_loops"].extend(_grad_loops(tree, cell))
    return StaticFacts(print_trainable=printers, **acc)


def _walk_statement(
    stmt: ast.stmt,
    cell: int,
    lit: _Literal,
    targets: dict[int, str],
    acc: dict[str, list[Any]],
    printers: dict[int, list[str]],
) -> None:
    for node in ast.walk(stmt):
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mult)
            and any(
                isinstance(s, ast.List) and any(_is_minus_100(e) for e in s.elts)
                for s in (node.left, node.right)
            )
        ):
            acc["label_masking"].append(_text(node))
        if (
            isinstance(node, ast.Assign)
            and _is_minus_100(node.value)
            and any(
                isinstance(t, ast.Subscript) and "label" in _text(t).lower() for t in node.targets
            )
        ):
            acc["label_masking"].append(_text(node))
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in MASKING_CALLS or any(
            kw.arg in MASKING_FLAGS
            and isinstance(kw.value, ast.Constant)
            and kw.value.value is True
            for kw in node.keywords
        ):
            acc["label_masking"].append(_text(node))
        if name in PEFT_CONFIGS:
            kwargs, unresolved = _kwargs(node, lit)
            acc["peft_configs"].append(
                PeftConfigFact(
                    var=targets.get(id(node), ""),
                    cls=name,
                    peft_type=PEFT_CONFIGS[name],
                    kwargs=kwargs,
                    unresolved=unresolved,
                    cell=cell,
                    line=node.lineno,
                )
            )
        elif name == "get_peft_model" and len(node.args) >= 2:
            acc["peft_models"].append(
                SavedPeftModel(
                    var=targets.get(id(node), ""),
                    base=_text(node.args[0]),
                    config_var=_text(node.args[1]),
                    cell=cell,
                    line=node.lineno,
                )
            )
        elif name == "from_pretrained" and node.args:
            owner = _text(node.func.value) if isinstance(node.func, ast.Attribute) else ""
            ok, v = lit.value(node.args[0])
            if ok and isinstance(v, str) and not re.search(r"Tokenizer|Processor", owner):
                acc["pretrained"].append(v)
        elif name in MODEL_CONFIGS:
            kwargs, _ = _kwargs(node, lit)
            acc["model_configs"].append({"cls": name, **kwargs})
        elif name in ("set_yscale", "yscale"):
            ok, v = lit.value(node.args[0]) if node.args else (False, None)
            if ok and v in ("log", "symlog"):
                acc["log_scale_calls"].append(_text(node))
        elif name in LOG_CALLS:
            acc["log_scale_calls"].append(_text(node))
        elif name in ("CrossEntropyLoss", "cross_entropy", "NLLLoss", "nll_loss"):
            for kw in node.keywords:
                if kw.arg == "ignore_index":
                    ok, v = lit.value(kw.value)
                    acc["ignore_index"].append(v if ok else _text(kw.value))
        elif name == "print_trainable_parameters" and isinstance(node.func, ast.Attribute):
            printers.setdefault(cell, []).append(_text(node.func.value))


def resolve_layers(text: str, n_layers: int, index_loop: bool = False) -> list[int] | None:
    """Which decoder layers `for layer in TEXT` visits, for a model of `n_layers` layers:
    slices and indices of the layer list, `list()`, `+`, starred lists, `range()`, literals.
    None when the expression is something else (then a TA decides)."""
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None
    everything = list(range(n_layers))

    def ev(n: ast.AST) -> list[int] | None:
        if isinstance(n, ast.Call) and _name(n.func) in ("list", "tuple") and len(n.args) == 1:
            return ev(n.args[0])
        if isinstance(n, ast.Call) and _name(n.func) == "chain":
            parts = [ev(a) for a in n.args]
            return None if any(p is None for p in parts) else [i for p in parts for i in p]  # type: ignore[union-attr]
        if isinstance(n, ast.Call) and _name(n.func) == "range":
            try:
                args = [ast.literal_eval(a) for a in n.args]
                return list(range(*args))
            except (ValueError, TypeError):
                return None
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
            a, b = ev(n.left), ev(n.right)
            return None if a is None or b is None else a + b
        if isinstance(n, ast.List | ast.Tuple):
            out: list[int] = []
            for e in n.elts:
                part = ev(e.value) if isinstance(e, ast.Starred) else ev(e)
                if part is None:
                    return None
                out.extend(part)
            return out
        if isinstance(n, ast.Subscript):
            base = ev(n.value) if index_loop else everything
            if base is None:
                base = everything
            s = n.slice
            try:
                if isinstance(s, ast.Slice):
                    bounds = [
                        None if x is None else ast.literal_eval(x)
                        for x in (s.lower, s.upper, s.step)
                    ]
                    return base[slice(*bounds)]
                return [base[ast.literal_eval(s)]]
            except (ValueError, TypeError, IndexError):
                return None
        if isinstance(n, ast.Constant) and isinstance(n.value, int) and index_loop:
            return [n.value % n_layers if n_layers else n.value]
        if isinstance(n, ast.UnaryOp) and index_loop:
            try:
                v = ast.literal_eval(n)
                return [v % n_layers] if isinstance(v, int) and n_layers else None
            except ValueError:
                return None
        if isinstance(n, ast.Attribute | ast.Name):  # the layer list itself
            return None if index_loop else everything
        return None

    found = ev(node)
    return (
        None if found is None else sorted({i % n_layers for i in found} if n_layers else set(found))
    )
