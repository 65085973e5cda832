#!/usr/bin/env bash
# Install what dlgrade needs, idempotently: Debian packages (as root), a virtualenv, the package.
# Re-running is cheap: each step checks first. Set DLGRADE_TORCH to a pip requirement to choose
# torch (default: keep any torch already in the venv, else torch==2.13.0, the local CPU wheel).
set -euo pipefail
cd "$(dirname "$0")/.."

need_debs=()
command -v bwrap >/dev/null || need_debs+=(bubblewrap)
command -v pdftotext >/dev/null || need_debs+=(poppler-utils)
ldconfig -p | grep -q 'libpango-1.0' || need_debs+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q 'libharfbuzz-subset' || need_debs+=(libharfbuzz-subset0)
# the review app's tests: a private PostgreSQL server and a headless browser
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_debs+=(postgresql)
command -v chromium >/dev/null || need_debs+=(chromium)
command -v chromedriver >/dev/null || need_debs+=(chromium-driver)
if [ ${#need_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "dlgrade setup: installing Debian packages: ${need_debs[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_debs[@]}" >/dev/null
  else
    echo "dlgrade: لطفاً این بسته‌ها را نصب کنید / please install these packages: ${need_debs[*]}" >&2
    echo "  sudo apt-get install ${need_debs[*]}" >&2
  fi
fi

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "dlgrade: به پایتون ۳.۱۱ یا جدیدتر نیاز است / Python 3.11+ is required (set PYTHON=...)" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv

stamp=$( (cat pyproject.toml scripts/bootstrap.sh; echo "DLGRADE_TORCH=${DLGRADE_TORCH:-}") | sha256sum | cut -c1-16)
if [ "$(cat .venv/.dlgrade-stamp 2>/dev/null)" != "$stamp" ]; then
  pip_quiet() { .venv/bin/python -m pip install -q --disable-pip-version-check "$@" 2>&1 | grep -v 'is ignored: it is neither' || true; }
  if [ -n "${DLGRADE_TORCH:-}" ]; then
    pip_quiet "$DLGRADE_TORCH"
  elif ! .venv/bin/python -c 'import torch' 2>/dev/null; then
    pip_quiet torch==2.13.0
  fi
  pip_quiet -e '.[dev]'
  .venv/bin/python -c 'import torch, weasyprint, nbclient, graders' || { echo "dlgrade: installation failed" >&2; exit 1; }
  echo "$stamp" > .venv/.dlgrade-stamp
fi

# The kernel environment student notebooks run in: a virtualenv of its own (the declared
# packages, the grader's exact torch), under ~/.cache/dlgrade/kernel-envs or
# $DLGRADE_KERNEL_ENVS; built once, reused while the declared lists are unchanged (about a
# second to confirm).
.venv/bin/dlgrade env build >/dev/null || {
  echo "dlgrade: محیط اجرای نوت‌بوک ساخته نشد / the kernel environment could not be built" >&2
  exit 1
}
