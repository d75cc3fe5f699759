#!/usr/bin/env bash
# The GPU check of issue 13, prepared to run as-is on a device machine (an H200 with Python 3.12,
# torch, triton, jax, pytest, but no libcst), within ~10 minutes:
#   1. bench/gpu_bench.py: the GPU rows (two-layer nets, elementwise 1e6/1e7/1e8, softmax
#      cross-entropy 4096x50257, RNN), s2sgrad plain and with CUDA-graph capture
#      (options.cuda_graphs), against torch eager, torch.compile and jax.jit, written into
#      bench/RESULTS.md with the device's name;
#   2. the Triton tests on the device (numpy and CUDA tensors in; real compiles, no interpreter).
#
#   bash bench/gpu.sh            on the device: run `device.run` with carry [".whl"]; $OUT, when set,
#                                receives RESULTS.md and the logs
#   bash bench/gpu.sh --dry-run  here, without a GPU: checks the wheel, the imports, the script's
#                                arguments and every row's gradient (tiny sizes, Triton's interpreter)
#
# libcst travels as a wheel in .whl/ (ignored by git: .git/info/exclude), fetched with
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#     --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 -d .whl libcst==1.9.0
set -uo pipefail
cd "$(dirname "$0")/.."
DRY=0
[ "${1:-}" = "--dry-run" ] && DRY=1
OUT="${OUT:-/tmp/s2sgrad_gpu_out}"
mkdir -p "$OUT"
PY="${PYTHON:-python3}"
[ $DRY = 1 ] && [ -x .venv/bin/python ] && PY=.venv/bin/python

wheel=$(ls .whl/libcst-*-cp312-*.whl 2>/dev/null | head -1)
if ! "$PY" -c "import libcst" 2>/dev/null; then
    if [ -z "$wheel" ]; then
        echo "libcst is missing and there is no .whl/libcst-*-cp312-*.whl to install (see the header)" >&2
        exit 2
    fi
    "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "$wheel" || exit 2
    export PYTHONPATH="/tmp/site${PYTHONPATH:+:$PYTHONPATH}"
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1
# the Triton tests (test_triton_graphs.py has the real CUDA-graph captures, skipped without a GPU)
TESTS="tests/test_triton.py tests/test_triton_rows.py tests/test_triton_xent.py tests/test_triton_loops.py
       tests/test_triton_plan.py tests/test_triton_graphs.py"

if [ $DRY = 1 ]; then
    [ -n "$wheel" ] || echo "note: no .whl/libcst-*-cp312-*.whl here: the device run would stop (libcst missing there)"
    "$PY" -c "import s2sgrad, torch, triton, numpy; print('imports ok: torch', torch.__version__, 'triton', triton.__version__)" || exit 1
    "$PY" -m pytest -q --collect-only $TESTS | tail -1 || exit 1
    exec "$PY" bench/gpu_bench.py --dry-run
fi

nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm --format=csv | tee "$OUT/device.txt"
# 1. the benchmark first: it is what a GPU session is for (about 3-4 minutes, compiles included)
timeout 330 "$PY" bench/gpu_bench.py --out bench/RESULTS.md 2>&1 | tee "$OUT/bench.log"
bench_rc=${PIPESTATUS[0]}
cp bench/RESULTS.md "$OUT/RESULTS.md"
# 2. the Triton tests on the device, 8 workers (each kernel compiles for real the first time)
extra=""
"$PY" -c "import xdist" 2>/dev/null && extra="-n 8"
timeout 210 "$PY" -m pytest -q $extra -p no:cacheprovider $TESTS 2>&1 \
    | tee "$OUT/tests.log" | tail -40
tests_rc=${PIPESTATUS[0]}
echo "gpu_bench exit $bench_rc, tests exit $tests_rc (124: stopped at its time limit)"
[ $bench_rc = 0 ] && [ $tests_rc = 0 ]
