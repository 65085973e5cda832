#!/usr/bin/env bash
# GPU check of dlgrade (issue 22): on a GPU machine where only torch (CUDA), transformers and
# peft are preinstalled, build every smoke reference with --device cuda and grade one example
# notebook with --device cuda (in bubblewrap where it runs, else --no-sandbox); print what ran,
# where and how long. Sized for 10 minutes (each step has its own timeout). Nothing here writes
# the committed golden files: references go to $OUT/golden/<assignment>/.
#
#   bash benchmarks/gpu_check.sh                      # from the checkout, on the GPU machine
#   DLGRADE_WHEELS=wheels bash benchmarks/gpu_check.sh   # offline: install dlgrade's other deps from wheels
#   bash benchmarks/gpu_check.sh wheels DIR           # on a networked machine: download those wheels
#
# Settings: DLGRADE_CHECK_DEVICE (cuda), DLGRADE_CHECK_VENV (a venv with dlgrade already
# installed; default: .venv-gpu, made with --system-site-packages so the preinstalled torch is
# kept), DLGRADE_CHECK_ASSIGNMENTS (default: every assignment with a reference package),
# DLGRADE_CHECK_BUDGET (570 s: later steps are skipped, and said so), OUT (reports/gpu-check).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "wheels" ]; then  # every dependency but torch / transformers / peft, as wheels
  dir=${2:?usage: gpu_check.sh wheels DIR}
  python3 - <<'EOF' > /tmp/dlgrade-reqs.txt
import tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
print("\n".join(d for d in deps if not d.startswith(("torch", "transformers", "peft"))))
print("setuptools>=68\npyyaml>=6.0")
EOF
  python3 -m pip download -q -d "$dir" -r /tmp/dlgrade-reqs.txt && echo "wheels in $dir" && exit 0
  exit 1
fi

DEVICE=${DLGRADE_CHECK_DEVICE:-cuda}
OUT=${OUT:-reports/gpu-check}
VENV=${DLGRADE_CHECK_VENV:-.venv-gpu}
mkdir -p "$OUT"
SUMMARY="$OUT/summary.txt"
: > "$SUMMARY"
T0=$(date +%s)

row() { printf '%-44s %-8s %7ss  %s\n' "$1" "$2" "$3" "$4" | tee -a "$SUMMARY"; }

BUDGET=${DLGRADE_CHECK_BUDGET:-570}  # seconds for everything: steps past it are skipped

step() {  # step NAME TIMEOUT_S COMMAND...: run, log to $OUT/NAME.log, one summary row
  local name=$1 limit=$2 start rc status left
  shift 2
  start=$(date +%s)
  left=$(( BUDGET - (start - T0) ))
  if [ "$left" -lt 20 ]; then
    row "$name" skipped 0 "the ${BUDGET}s budget is spent"
    return 3
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  timeout "$limit" "$@" > "$OUT/$name.log" 2>&1
  rc=$?
  case $rc in 0) status=ok ;; 124) status=timeout ;; *) status="exit $rc" ;; esac
  row "$name" "$status" "$(( $(date +%s) - start ))" "$(tail -n 1 "$OUT/$name.log" | cut -c1-90)"
  return $rc
}

# --- 1. environment: keep the preinstalled torch, add dlgrade and its other dependencies
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv --system-site-packages "$VENV" || { echo "cannot create $VENV" >&2; exit 1; }
fi
PY="$VENV/bin/python"
if ! "$PY" -c 'import graders, nbclient, weasyprint, sacrebleu' 2>/dev/null; then
  if [ -n "${DLGRADE_WHEELS:-}" ]; then  # offline: the build backend first, then no isolation
    OFFLINE=(--no-index --find-links "$DLGRADE_WHEELS" --no-build-isolation)
    "$PY" -m pip install -q --no-index --find-links "$DLGRADE_WHEELS" "setuptools>=68" pyyaml
  else
    OFFLINE=()
  fi
  step install 240 "$PY" -m pip install -q "${OFFLINE[@]}" -e . || { cat "$OUT/install.log"; exit 1; }
fi
DLGRADE="$VENV/bin/dlgrade"

echo "== where" | tee -a "$SUMMARY"
nvidia-smi -L 2>/dev/null | tee -a "$SUMMARY" || echo "nvidia-smi: not found" | tee -a "$SUMMARY"
"$PY" - <<'EOF' 2>&1 | tee -a "$SUMMARY"
import platform, torch, transformers, peft
ok = torch.cuda.is_available()
print(f"host {platform.node()}  python {platform.python_version()}  torch {torch.__version__} "
      f"(CUDA {torch.version.cuda})  transformers {transformers.__version__}  peft {peft.__version__}")
if ok:
    p = torch.cuda.get_device_properties(0)
    print(f"GPU 0: {p.name}, {p.total_memory / 2**30:.0f} GiB, capability {p.major}.{p.minor}, "
          f"native bf16 {torch.cuda.is_bf16_supported(including_emulation=False)}")
else:
    print("torch sees no CUDA device")
EOF

failed=0
# --- 2. first (the end-to-end check): one example notebook graded on the device, sandboxed where bubblewrap runs
echo "== grading one example notebook (--device $DEVICE)" | tee -a "$SUMMARY"
EXAMPLE=assignments/hw5-rnn/examples/HW5_Rezaei_401100001  # the fully correct example
[ -d "$EXAMPLE" ] || EXAMPLE=$(ls -d assignments/hw5-rnn/examples/*/ 2>/dev/null | head -n 1)
if "$PY" -c 'from graders.execute.sandbox import check_available; check_available()' 2>/dev/null; then
  SANDBOX=() ; where="bubblewrap"
else
  SANDBOX=(--no-sandbox) ; where="no sandbox (bubblewrap does not run here)"
fi
echo "example ${EXAMPLE:-none}; $where" | tee -a "$SUMMARY"
if [ -n "$EXAMPLE" ]; then
  step "grade hw5-rnn example" 300 "$DLGRADE" grade hw5-rnn "$EXAMPLE" --device "$DEVICE" \
    "${SANDBOX[@]}" --json --no-report --gradebook "$OUT/gradebook.db" --reports "$OUT" \
    || failed=$((failed + 1))
  "$PY" - "$OUT/grade hw5-rnn example.log" <<'EOF' 2>&1 | tee -a "$SUMMARY"
import json, os, re, sys
text = open(sys.argv[1], encoding="utf-8").read() if os.path.exists(sys.argv[1]) else ""
found = re.search(r'\{\s*"schema"', text)
start = found.start() if found else -1
if start < 0:
    print("no JSON results (see the log)")
else:
    data, _ = json.JSONDecoder().raw_decode(text[start:])
    for s in data["submissions"]:
        print(f"{s['submission']}: outcome {s['outcome']}, score {s['score']:g}/{s['max']:g}, "
              f"profile {s['signature'].get('profile')}, golden {s['signature'].get('golden_profile')}")
EOF
fi

# --- 3. every smoke reference, built on the device, written apart from the committed files
echo "== reference builds (--profile smoke --device $DEVICE)" | tee -a "$SUMMARY"
if [ -n "${DLGRADE_CHECK_ASSIGNMENTS:-}" ]; then
  read -r -a ASSIGNMENTS <<< "$DLGRADE_CHECK_ASSIGNMENTS"
else
  ASSIGNMENTS=()  # cheapest first: theory in seconds, then the trained smoke models
  for id in hw2-rnn hw5-attention-quiz hw5-transformers-ut hw5-rnn bonus-llm-captioning; do
    [ -d "reference_solutions/${id//-/_}" ] && ASSIGNMENTS+=("$id")
  done
  for spec in assignments/*/assignment.yaml; do  # any assignment added later
    id=$(basename "$(dirname "$spec")")
    [ -d "reference_solutions/${id//-/_}" ] && [[ " ${ASSIGNMENTS[*]} " != *" $id "* ]] && ASSIGNMENTS+=("$id")
  done
fi
for id in "${ASSIGNMENTS[@]}"; do
  step "build $id" 300 "$DLGRADE" reference build "$id" --profile smoke --device "$DEVICE" \
    --out "$OUT/golden/$id" || failed=$((failed + 1))
done

echo "== $(( $(date +%s) - T0 ))s in all, $failed failed step(s); logs in $OUT/" | tee -a "$SUMMARY"
exit $(( failed > 0 ))
