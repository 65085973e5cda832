"""`dlgrade env build|show`: the kernel environment student notebooks run in (issue 17).

`build [ASSIGNMENT]` creates (or reuses) the virtualenv of an assignment's declared list, or of
the course default without an assignment; `show ASSIGNMENT` prints the declared packages and,
when built, the installed versions.
"""

from __future__ import annotations

import argparse
import shlex
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a subcommand runs: `dlgrade --help` stays cheap
    from graders.environment.build import BuildReport, KernelEnv


def resolve(assignment: str | None, profile: str) -> tuple[str, KernelEnv]:
    """(label, environment) of an assignment, or of the course default."""
    from graders.environment.build import env_for, kernel_env
    from graders.environment.declared import course_default, declared
    from graders.spec import load_spec

    if assignment is None:
        return "course default", kernel_env(declared(None, course_default(), profile))
    spec = load_spec(assignment)
    return spec.id, env_for(spec, profile)


def build_main(
    *,
    assignment: str | None = None,
    profile: str = "smoke",
    force: bool = False,
    pip_args: str | None = None,
) -> list[BuildReport]:
    """Build one assignment's environment, or (no assignment) every assignment's, each distinct
    list once (the bundled assignments share the course default)."""
    from graders.environment.build import build
    from graders.paths import assignments_dir

    ids = (
        [assignment]
        if assignment
        else sorted(p.parent.name for p in assignments_dir().glob("*/assignment.yaml"))
    )
    envs: dict[str, KernelEnv] = {}
    for one in ids or [None]:
        _, env = resolve(one, profile)
        envs.setdefault(env.key, env)
    args = shlex.split(pip_args) if pip_args is not None else None
    return [build(env, pip_args=args, force=force) for env in envs.values()]


def show_lines(*, assignment: str, profile: str = "smoke") -> list[str]:
    """The lines `dlgrade env show` prints."""
    from packaging.utils import canonicalize_name

    from graders.environment.declared import import_names

    label, env = resolve(assignment, profile)
    installed = env.installed()
    built = env.ready()
    lines = [
        f"محیط اجرای نوت‌بوک‌های {label} / kernel environment of {label} ({profile})",
        f"کلید / key: {env.key}",
        f"مسیر / path: {env.path}",
        "وضعیت / status: "
        + ("ساخته شده / built" if built else f"ساخته نشده / not built: dlgrade env build {label}"),
        "",
        "بسته‌های مجاز / packages a notebook may import:",
    ]
    width = max((len(str(r)) for r in env.requirements), default=10)
    for req in env.requirements:
        version = installed.get(canonicalize_name(req.name), "—")
        mods = ", ".join(import_names(req))
        lines.append(f"  {str(req):<{width}}  {version:<14} import {mods}")
    if built:
        manifest = env.manifest()
        lines += [
            "",
            f"پایتون / Python: {manifest.get('python', '?')}",
            f"زمان ساخت / build time: {manifest.get('built_s', '?')} s",
        ]
    return lines


def print_built(reports: list[BuildReport], args: argparse.Namespace) -> int:
    """What `dlgrade env build` prints: each environment built or reused, its time and size."""
    from graders.environment.build import size_mb

    for report in reports:
        verb = "ساخته شد / built" if report.built else "از قبل موجود / reused"
        print(
            f"{verb}: {report.env.path} ({report.seconds:.1f} s, {size_mb(report.env.path):.0f} MB)"
        )
    return 0


def print_lines(lines: list[str], args: argparse.Namespace) -> int:
    """What `dlgrade env show` prints."""
    print("\n".join(lines))
    return 0
