#!/usr/bin/env bash
# Issue 17's GPU check in one short run (1-2 minutes on a 16-core machine with an H200;
# at most 205 s: the parts' timeouts).
#
#     OUT=/tmp/out bash benchmarks/gpu_check.sh [NAB folder]
#
# Run from the repository root with python3 holding numpy, numba, pandas,
# scikit-learn, scipy, hypothesis, pytest and cupy (nothing is installed).
# The NAB data: the argument, else shared/data/nab inside the repository,
# else ../shared/data/nab. Everything goes to $OUT/log (and the terminal).
# Parts: (0) the machine; (a) the CuPy tests; (b) every NAB series x
# detector through CuPy vs the numba loop; (c) benchmarks/bench_batch.py
# with the GPU columns (1,000 x 1,000, 1,000 x 100,000, one 10,000,000-point
# series in exact mode). Each part has its own timeout, so one hang does not
# eat the rest; without CuPy or a GPU the CuPy parts say so and skip.
set -o pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/pate-gpu-check}
mkdir -p "$OUT"
LOG=$OUT/log
: > "$LOG"
export PYTHONUNBUFFERED=1 PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
PY=${PYTHON:-python3}
status=0

log() { echo "$@" | tee -a "$LOG"; }
part() {  # part NAME SECONDS COMMAND...
    local name=$1 seconds=$2
    shift 2
    log ""
    log "=== $name (timeout ${seconds}s): $*"
    local start=$SECONDS rc
    timeout -k 5 "$seconds" "$@" 2>&1 | tee -a "$LOG"
    rc=$?
    log "=== $name: exit $rc after $((SECONDS - start)) s"
    [ "$rc" -eq 0 ] || status=1
}

NAB=${1:-}
for candidate in "$NAB" shared/data/nab ../shared/data/nab; do
    if [ -n "$candidate" ] && [ -f "$candidate/index.csv" ]; then NAB=$candidate; break; fi
done
if [ -f "$NAB/index.csv" ]; then
    NAB=$(cd "$NAB" && pwd)
    export PATE_SHARED=$(dirname "$(dirname "$NAB")")  # the tests read $PATE_SHARED/data/nab
else
    NAB=""
fi

log "=== machine: $(date -u), $(nproc) cores, git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | tee -a "$LOG" || true
GPU=$("$PY" - 2>&1 <<'EOF' | tee -a "$LOG" | tail -1
import numpy, numba
print(f"python ok: numpy {numpy.__version__}, numba {numba.__version__}")
try:
    import cupy
    n = cupy.cuda.runtime.getDeviceCount()
    name = cupy.cuda.runtime.getDeviceProperties(0)["name"].decode() if n else "none"
    print(f"cupy {cupy.__version__}, {n} device(s): {name}")
    print("GPU" if n else "NOGPU")
except Exception as exc:
    print(f"cupy unusable: {type(exc).__name__}: {exc}")
    print("NOGPU")
EOF
)
log "NAB data: ${NAB:-not found (the NAB parts skip)}"
[ "$GPU" = "GPU" ] || log "!!! CuPy or a GPU is absent: the CuPy tests skip, the NAB check and the bench run without the GPU columns"

# (a) the CuPy tests: all of the two engine files (their CuPy tests run
# where CuPy and a GPU are present) and the backend-parametrized oracle
# tests restricted to cupy (-rs lists every skip with its reason).
part "tests: CuPy" 75 "$PY" -m pytest -q -x -p no:cacheprovider -rs --disable-warnings \
    tests/test_engine_xp.py tests/test_batch.py tests/test_pate_oracle.py -k "cupy or not test_pate_oracle"

# (b) every NAB series x detector, packed batch through CuPy vs the numba loop
if [ -n "$NAB" ]; then
    part "NAB agreement" 40 "$PY" benchmarks/gpu_nab_agreement.py "$NAB"
else
    log "=== NAB agreement: SKIPPED (no NAB data)"
fi

# (c) the batch benchmark with the GPU columns, then (its own part, so that a
# failure of the big batch does not hide it) the 1e7-point exact single series
part "bench_batch" 60 "$PY" benchmarks/bench_batch.py --fast --sizes 1000x1000,1000x100000 --repeat 3
part "bench_batch single" 30 "$PY" benchmarks/bench_batch.py --fast --series 10 --length 1000 \
    --single 10000000 --repeat 3

log ""
log "=== gpu_check done: exit $status, $SECONDS s in all"
exit $status
