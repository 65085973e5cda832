"""Gather an assignment's golden documents from all modules of its reference package.

Each module of `reference_solutions.<pkg>` that defines
`golden_documents(profile: str, device: str) -> dict[str, dict]` contributes its files; a new
question is a new module, with nothing else to edit. Two modules may not write the same file.

A module may also define `prerequisites(profile: str) -> list[tuple[str, str]]` (what is
missing, in Persian and English: a token, a data set, a package) and `ESTIMATED_SECONDS =
{"smoke": s, "full": s}` (printed as progress). Every selected module's prerequisites are
checked before the first one runs, so a build never fails after an hour for a missing variable.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from graders.errors import DlgradeError


def reference_modules(package: str, only: list[str] | None = None) -> list[ModuleType]:
    """The package's modules that produce golden files, by name; `only` selects some of them."""
    pkg = importlib.import_module(package)
    names = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__))
    modules = {n: importlib.import_module(f"{package}.{n}") for n in names}
    producing = {n: m for n, m in modules.items() if hasattr(m, "golden_documents")}
    if only:
        unknown = [n for n in only if n not in producing]
        if unknown:
            raise DlgradeError(
                f"no reference module {', '.join(unknown)} in {package} "
                f"(have: {', '.join(producing)})",
                f"ماژول مرجع {'، '.join(unknown)} در {package} نیست "
                f"(ماژول‌های موجود: {', '.join(producing)})",
            )
        return [producing[n] for n in producing if n in only]
    return list(producing.values())


def module_name(module: ModuleType) -> str:
    return module.__name__.rsplit(".", 1)[-1]


def missing_prerequisites(modules: list[ModuleType], profile: str) -> list[tuple[str, str]]:
    """Everything the selected modules lack for `profile`, as (Persian, English) lines."""
    out: list[tuple[str, str]] = []
    for module in modules:
        check = getattr(module, "prerequisites", None)
        if check is not None:
            out += [
                (f"{module_name(module)}: {fa}", f"{module_name(module)}: {en}")
                for fa, en in check(profile)
            ]
    return out


def check_prerequisites(modules: list[ModuleType], profile: str) -> None:
    """Raise one bilingual error listing every missing prerequisite (nothing has run yet)."""
    missing = missing_prerequisites(modules, profile)
    if missing:
        raise DlgradeError(
            "cannot build the references yet; nothing was run:\n"
            + "\n".join(f"  - {en}" for _, en in missing),
            "ساخت مقادیر مرجع ممکن نیست؛ هنوز چیزی اجرا نشده است:\n"
            + "\n".join(f"  - {fa}" for fa, _ in missing),
        )


def iter_documents(
    package: str, profile: str, device: str, only: list[str] | None = None
) -> Iterator[tuple[ModuleType, dict[str, dict[str, Any]]]]:
    """(module, its documents) one module at a time, after checking every prerequisite."""
    modules = reference_modules(package, only)
    check_prerequisites(modules, profile)
    seen: set[str] = set()
    for module in modules:
        documents = module.golden_documents(profile=profile, device=device)
        twice = seen & set(documents)
        if twice:
            raise ValueError(f"golden file {sorted(twice)[0]!r} produced twice in {package}")
        seen |= set(documents)
        yield module, documents


def collect_documents(package: str, profile: str, device: str) -> dict[str, dict[str, Any]]:
    documents: dict[str, dict[str, Any]] = {}
    for _module, docs in iter_documents(package, profile, device):
        documents.update(docs)
    return documents
