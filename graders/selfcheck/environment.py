"""The self-check's word on the grading environment, printed before any check runs.

Which packages the TA's kernel has (the assignment's declared list with its version bounds;
the installed versions too when `--grading-env` names a built kernel environment), and the
notebook's imports the list lacks: those would stop the TA's run (`environment-missing`).
Without a built environment, a module that a listed package needs (`tokenizers` for
`transformers`, as this machine's installed metadata says) is "not promised", not missing.
Persian first, English beside it. See `graders.environment.imports` for what counts as
provided and for "not promised" (a module installed only as another package's dependency).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from graders.environment.imports import ImportCheck, ImportScan, check_imports, scan_notebook
from graders.environment.installed import (
    installed_modules,
    installed_versions,
    required_by,
    site_packages,
)
from graders.errors import SpecError

if TYPE_CHECKING:
    from graders.selfcheck.grading import SelfCheck

TITLE = "محیط نمره‌دهی / grading environment"


def package_items(requirements: Iterable[Requirement], versions: dict[str, str]) -> list[str]:
    """`numpy>=1.26,<3 (2.1.3)`: each declared package, its bounds and, when a built
    environment was read, the installed version (or "not installed")."""
    parts = []
    for req in requirements:
        lower_first = sorted(req.specifier, key=lambda s: (not s.operator.startswith(">"), str(s)))
        extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
        text = req.name + extras + ",".join(str(s) for s in lower_first)
        if versions:
            text += f" ({versions.get(canonicalize_name(req.name), 'نصب نیست / not installed')})"
        parts.append(text)
    return parts


def package_text(requirements: Iterable[Requirement], versions: dict[str, str]) -> str:
    return ", ".join(package_items(requirements, versions))


def flag_lines(
    check: ImportCheck, scan: ImportScan, needed_by: dict[str, set[str]] | None = None
) -> list[str]:
    """The notebook's imports the grading environment lacks or does not promise.

    `needed_by`: distribution -> the listed packages that need it (`required_by`)."""
    needed_by = needed_by or {}
    lines = []
    for module in check.missing:
        if module in scan.guarded:
            lines.append(
                f"«{module}» در محیط نمره‌دهی نیست؛ نوت‌بوک خطای ImportError آن را می‌گیرد و "
                "اجرا بدون آن ادامه می‌یابد. / "
                f"import {module}: not in the grading environment; the notebook catches its "
                "ImportError, so the run goes on without it."
            )
            continue
        lines.append(
            f"«{module}» در محیط نمره‌دهی نیست: اجرای دستیار با این import متوقف می‌شود "
            "(environment-missing)؛ از آن استفاده نکنید یا از دستیار بخواهید به فهرست بیفزاید. / "
            f"import {module}: not in the grading environment; the TA's run stops there "
            "(environment-missing): do without it, or ask the TA to add it to the list."
        )
    for module, dist in sorted(check.unpromised.items()):
        parents = ", ".join(sorted(needed_by.get(dist, ())))
        why_fa = f"چون {parents} به بستهٔ {dist} نیاز دارد" if parents else f"(بستهٔ {dist})"
        verb = "needs" if len(needed_by.get(dist, ())) == 1 else "need"
        why_en = f"because {parents} {verb} {dist}" if parents else f"(as {dist})"
        lines.append(
            f"«{module}» {why_fa} نصب است ولی خودش در فهرست نیست؛ تضمینی نیست که بماند. / "
            f"import {module}: installed {why_en}, but not in the list itself: not promised, "
            "it may be gone after a rebuild (ask the TA to add it)."
        )
    if scan.unparsed:
        cells = ", ".join(map(str, scan.unparsed))
        lines.append(
            f"import‌های سلول(های) کد {cells} خوانده نشد (خطای نحوی). / "
            f"the imports of code cell(s) {cells} could not be read (a syntax error)."
        )
    return lines


def _wrap(items: list[str], width: int = 100) -> list[str]:
    """Items joined by commas on lines of at most `width`, never breaking an item."""
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + len(item) + 2 <= width:
            lines[-1] += f", {item}"
        else:
            if lines:
                lines[-1] += ","
            lines.append(f"  {item}")
    return lines


def environment_lines(
    requirements: list[Requirement] | None,
    notebook: Path | None,
    folder: Path,
    grading_env: Path | None = None,
) -> tuple[list[str], list[str]]:
    """(lines, flags): what the self-check prints about the grading environment before the
    checks run, and the flagged imports among them (repeated in the closing summary).

    `requirements` is None when the assignment's list could not be read."""
    if requirements is None:
        return [
            "فهرست بسته‌های محیط نمره‌دهی برای این تمرین در دسترس نیست. / "
            "the grading environment's package list is not available for this assignment."
        ], []
    versions: dict[str, str] = {}
    modules: dict[str, str] | None = None
    names = [r.name for r in requirements]
    lines = []
    if grading_env is not None:
        sp = site_packages(grading_env)
        if sp is None:
            lines.append(
                f"در {grading_env} محیط مجازی یا site-packages پیدا نشد؛ فقط فهرست اعلام‌شده. / "
                f"no virtualenv or site-packages at {grading_env}: the declared list only."
            )
        else:
            versions, modules = installed_versions(sp), installed_modules(sp)
            needed_by = required_by(names, sp)
    if modules is None:  # no built environment: what the listed packages need, as installed here
        needed_by = required_by(names, None)
        modules = installed_modules(None, only=set(needed_by))
    lines.append(
        "بسته‌هایی که نوت‌بوک می‌تواند import کند (به‌جز کتابخانهٔ استاندارد پایتون و فایل‌های "
        ".py خود ارسال) / packages your notebook may import (besides the standard library and "
        "the submission's own .py files):"
    )
    lines += _wrap(package_items(requirements, versions))
    if notebook is None:
        return lines, []
    try:
        scan = scan_notebook(nbformat.read(notebook, as_version=4))
    except Exception as exc:  # the run reports an unreadable notebook itself
        return [*lines, f"import‌ها خوانده نشد / imports not read: {type(exc).__name__}"], []
    files = [p.relative_to(folder) for p in folder.rglob("*.py")] if folder.is_dir() else []
    written = [f"{m}.py" for m in scan.written]
    check = check_imports(scan.modules, requirements, [*files, *written], modules)
    flags = flag_lines(check, scan, needed_by)
    if not flags:
        return [
            *lines,
            f"همهٔ import‌های نوت‌بوک {notebook.name} در محیط نمره‌دهی هست. / "
            f"every import of {notebook.name} is in the grading environment.",
        ], []
    return lines + flags, flags


def selfcheck_environment(sc: SelfCheck, grading_env: Path | None) -> tuple[list[str], list[str]]:
    """`environment_lines` of one self-check's assignment and notebook."""
    from graders.environment.declared import declared_for

    try:
        requirements: list[Requirement] | None = declared_for(sc.spec)
    except SpecError:
        requirements = None
    sub = sc.submission
    return environment_lines(requirements, sub.notebook, sub.folder, grading_env)
