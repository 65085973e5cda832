#!/usr/bin/env bash
# ./dlgrade.sh demo | test [pytest args] | <any dlgrade command>
# Sets everything up on first use (scripts/bootstrap.sh), then runs the command.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
cmd=${1:-demo}
if [ "$cmd" = test ]; then
  shift
  exec .venv/bin/tox run "$@"
fi
exec .venv/bin/dlgrade "$@"
