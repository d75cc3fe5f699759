#!/usr/bin/env bash
# The GPU check of issue 13, prepared to run as-is on a device machine (an H200 with Python 3.12,
# torch, triton, jax, pytest, but no libcst), within ~10 minutes:
#   1. bench/gpu_bench.py: the GPU rows (two-layer nets, elementwise 1e6/1e7/1e8, softmax
#      cross-entropy 4096x50257, RNN), s2sgrad plain and with CUDA-graph capture
#      (options.cuda_graphs), against torch eager, torch.compile and jax.jit, written into
#      bench/RESULTS.md with the device's name;
#   2. the Triton tests on the device (numpy and CUDA tensors in; real compiles, no interpreter);
#   3. the rest of the suite, in what time is left.
#
#   bash bench/gpu.sh            on the device: run `device.run` with carry [".whl"]; $OUT, when set,
#                                receives RESULTS.md and the logs. One deadline covers the whole run
#                                (GPU_DEADLINE, 540 s); each phase gets what is left of it, capped by
#                                GPU_BENCH_S (330) and GPU_TESTS_S (120); GPU_ROWS narrows the rows,
#                                GPU_TESTS the tests, GPU_SUITE=0 skips phase 3, GPU_SWEEP=0 the sweeps (short: a few). Run it with timeout_s
#                                560 (a session has 15 device minutes, the machine's start included).
#                                On 2026-11-28 (second session) the whole default run took 336 s: the
#                                benchmark with its sweeps ~190 s, the Triton tests 34 s and the rest
#                                of the suite 110 s on 12 xdist workers; the machine started in ~35 s.
#                                On 2026-11-29 all rows with their sweeps and the Triton tests took 287 s
#                                (GPU_SUITE=0); the cross-entropy row alone with a 15-setting sweep ran
#                                past GPU_BENCH_S=120, and the rest of the suite took 182 s (3681 tests).
#   bash bench/gpu.sh --dry-run  here, without a GPU: checks the wheel, the imports, the script's
#                                arguments and every row's gradient (tiny sizes, Triton's interpreter)
#
# libcst travels as a wheel in .whl/ (ignored by git: .git/info/exclude), fetched with
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#     --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 -d .whl libcst==1.9.0
# and a numpy for the case where s2sgrad fails under the machine's (it did not: numpy 2.5.2 ran)
#   ... -d .whl/fallback numpy==2.4.6
# and pytest-xdist with execnet (pure Python) so that the tests use the machine's 16 cores:
#   python3 -m pip download --no-deps --only-binary=:all: -d .whl pytest-xdist execnet
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
    # into the interpreter's own environment (not a --target folder): the tests' subprocesses
    # (a script's traceback, the installed package, the numba cache) must find it too
    if ! "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir "$wheel"; then
        "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site "$wheel" || exit 2
        export PYTHONPATH="/tmp/site${PYTHONPATH:+:$PYTHONPATH}"
    fi
fi
# pytest-xdist (and execnet) travel as wheels too, when there: the tests then run on 12 processes
if ! "$PY" -c "import xdist" 2>/dev/null; then
    xw=$(ls .whl/pytest_xdist-*.whl .whl/execnet-*.whl 2>/dev/null)
    [ -n "$xw" ] && "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir $xw 2>/dev/null \
        || echo "pytest-xdist not installed: the tests run on one process"
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1
# the Triton tests (test_triton_graphs.py has the real CUDA-graph captures, skipped without a GPU)
TESTS="tests/test_triton.py tests/test_triton_rows.py tests/test_triton_xent.py tests/test_triton_loops.py
       tests/test_triton_plan.py tests/test_triton_graphs.py tests/test_triton_product_first.py tests/test_triton_bench.py
       tests/test_triton_fastlaunch.py tests/test_triton_flat_iters.py tests/test_triton_dtypes.py
       tests/test_triton_rebinding.py tests/test_triton_aligned_rows.py tests/test_triton_persistent_rows.py
       tests/test_triton_split_rows.py"

if [ $DRY = 1 ]; then
    [ -n "$wheel" ] || echo "note: no .whl/libcst-*-cp312-*.whl here: the device run would stop (libcst missing there)"
    "$PY" -c "import s2sgrad, torch, triton, numpy; print('imports ok: torch', torch.__version__, 'triton', triton.__version__)" || exit 1
    "$PY" -m pytest -q --collect-only $TESTS | tail -1 || exit 1
    exec "$PY" bench/gpu_bench.py --dry-run
fi

# One deadline for the whole run (seconds from now; GPU_DEADLINE overrides): each phase gets what
# is left of it, so the call ends inside the device tool's limit with every log under $OUT.
T0=$SECONDS
DEADLINE=${GPU_DEADLINE:-540}
left() { echo $(( DEADLINE - (SECONDS - T0) )); }
cap() { local l; l=$(left); [ "$l" -lt "$1" ] && echo "$l" || echo "$1"; }

nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm --format=csv | tee "$OUT/device.txt"
"$PY" -c "import numpy, torch, triton; print('numpy', numpy.__version__, 'torch', torch.__version__, 'triton', triton.__version__)" | tee -a "$OUT/device.txt"
# s2sgrad must import and differentiate under the machine's numpy; if it cannot, a numpy carried in
# .whl/fallback/ is tried (and the log says so) rather than losing the run
smoke='import sys; sys.path.insert(0, "bench"); import numpy as np, s2sgrad, workloads; f = s2sgrad.differentiate(workloads.elementwise); t = s2sgrad.differentiate(workloads.elementwise, backend="triton"); print("smoke", f.value_and_grad(np.ones(3))[0], t.value_and_grad(np.ones(3))[0])'
if ! "$PY" -c "$smoke" 2>&1 | tee -a "$OUT/device.txt"; then
    fb=$(ls .whl/fallback/numpy-*-cp312-*.whl 2>/dev/null | head -1)
    echo "s2sgrad failed under this numpy; installing $fb" | tee -a "$OUT/device.txt"
    [ -n "$fb" ] && "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "$fb"
    export PYTHONPATH="/tmp/site:$PYTHONPATH"
    "$PY" -c "$smoke" 2>&1 | tee -a "$OUT/device.txt" || exit 3
fi
# 1. the benchmark first: it is what a GPU session is for (GPU_ROWS: a comma list of row keys)
only=""
[ -n "${GPU_ROWS:-}" ] && only="--only $GPU_ROWS"
sweep="--flat-sweep"
[ "${GPU_SWEEP:-1}" = 0 ] && sweep=""   # GPU_SWEEP=0: the rows alone, at the defaults
[ "${GPU_SWEEP:-1}" = short ] && sweep="--short-sweep"   # the cross-entropy's short sweep only
timeout "$(cap ${GPU_BENCH_S:-330})" "$PY" bench/gpu_bench.py --out bench/RESULTS.md --profile $sweep $only 2>&1 | tee "$OUT/bench.log"
bench_rc=${PIPESTATUS[0]}
cp bench/RESULTS.md "$OUT/RESULTS.md"
# 2. the Triton tests on the device (each kernel compiles for real the first time); GPU_TESTS narrows
extra=""
"$PY" -c "import xdist" 2>/dev/null && extra="-n 12"
timeout "$(cap ${GPU_TESTS_S:-120})" "$PY" -m pytest -q -rfE $extra -p no:cacheprovider ${GPU_TESTS:-$TESTS} 2>&1 \
    | tee "$OUT/tests.log" | tail -40
tests_rc=${PIPESTATUS[0]}
# 3. the rest of the suite on this machine, in what time is left (it does not touch the GPU, but runs
#    under this machine's Python 3.12 and numpy)
suite_rc=skipped
if [ "$(left)" -gt 40 ] && [ -z "${GPU_TESTS:-}" ] && [ "${GPU_SUITE:-1}" = 1 ]; then
    ignore=""
    for t in $TESTS; do ignore="$ignore --ignore $t"; done
    timeout "$(left)" "$PY" -m pytest -q -rfE $extra -p no:cacheprovider $ignore tests 2>&1 \
        | tee "$OUT/suite.log" | tail -25
    suite_rc=${PIPESTATUS[0]}
fi
echo "gpu_bench exit $bench_rc, Triton tests exit $tests_rc, rest of the suite $suite_rc (124: stopped at its time limit); $((SECONDS - T0)) s"
[ $bench_rc = 0 ] && [ $tests_rc = 0 ]
