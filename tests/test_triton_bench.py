"""bench/gpu.sh and bench/gpu_bench.py, the prepared GPU run of issue 13: what can be checked
without a GPU (the shell script parses, the dry run computes every row's gradient and agrees with
torch eager, the table's ratios and bandwidths are computed from the medians)."""
import os
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")


def test_gpu_script_parses_and_names_its_wheel():
    subprocess.run(["bash", "-n", os.path.join(BENCH, "gpu.sh")], check=True)
    text = open(os.path.join(BENCH, "gpu.sh")).read()
    assert "pip install" in text and "libcst" in text and "gpu_bench.py --out bench/RESULTS.md" in text


@pytest.mark.skipif(torch.cuda.is_available(), reason="with a GPU, bench/gpu.sh's real run is the check (and "
                    "Triton 3.6's interpreter, on the device machine, fails under numpy >= 2.4)")
def test_dry_run_checks_the_rows_gradients_against_torch():
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run([sys.executable, os.path.join(BENCH, "gpu_bench.py"), "--dry-run", "--only", "ew1e3,ce"],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "| softmax cross-entropy 4x3000 f32 |" in proc.stdout and "differs" not in proc.stdout


def test_table_ratio_and_bandwidth():
    sys.path.insert(0, BENCH)
    try:
        import gpu_bench
    finally:
        sys.path.remove(BENCH)
    times = {"s2sgrad (triton)": 0.5e-3, "torch eager": 2e-3, "torch.compile": 1e-3, "jax.jit": 0.25e-3}
    res = [("ew", "elementwise", times, {"s2sgrad (triton)": 2.0}, ["jax.jit: note"], 8 * 10 ** 8)]
    lines = gpu_bench.table(res, "NVIDIA H200")
    row = next(line for line in lines if line.startswith("| elementwise"))
    assert "| 2.00× |" in row  # 0.5 ms against the best peer's 0.25 ms
    assert "1.60 TB/s" in row  # 8e8 bytes in 0.5 ms
    assert "Device: NVIDIA H200" in lines[2] and any("jax.jit: note" in line for line in lines)


def test_results_are_written_after_every_row(tmp_path, monkeypatch):
    """A run stopped at its time limit keeps the rows it measured (the device time is scarce)."""
    sys.path.insert(0, BENCH)
    try:
        import gpu_bench
    finally:
        sys.path.remove(BENCH)
    out = tmp_path / "RESULTS.md"
    out.write_text("# results\n\n## Other section\n\nkept\n")
    monkeypatch.setattr(gpu_bench.torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(gpu_bench.torch.cuda, "get_device_name", lambda i: "FAKE GPU")
    monkeypatch.setattr(gpu_bench, "prepare", lambda: {"CUDA context": 0.25, "cuBLAS": "failed: OSError"})
    monkeypatch.setattr(gpu_bench, "check_direct_launches", lambda: "direct launches on (checked against Triton's path)")
    monkeypatch.setattr(gpu_bench, "HEADER_NOTES", [])
    seen = []

    def fake_measure(row, dry):
        seen.append(out.read_text())
        if row[0] == "b":
            raise KeyboardInterrupt  # the time limit, in the middle of the second row
        return row[0], row[1], {"s2sgrad (triton)": 1e-3, "torch eager": 2e-3}, {}, [], None
    monkeypatch.setattr(gpu_bench, "measure_row", fake_measure)
    monkeypatch.setattr(gpu_bench, "rows", lambda dry: [("a", "row A", None, None, 0, [], None),
                                                        ("b", "row B", None, None, 0, [], None)])
    with pytest.raises(KeyboardInterrupt):
        gpu_bench.main(["--out", str(out)])
    text = out.read_text()
    assert "## Other section\n\nkept" in text and "| row A | 1.000 ms | — | 2.000 ms |" in text  # (no graph time)
    assert "Device: FAKE GPU" in text and "(partial: 1 rows still to measure" in text
    assert "before the rows (not in any first call): CUDA context 250.000 ms, cuBLAS failed: OSError." in text
    assert "Direct launches on (checked against Triton's path)." in text  # (only the first letter raised)


@pytest.mark.skipif(torch.cuda.is_available(), reason="on a GPU the bench's real sweep runs")
def test_the_sweeps_run_every_setting_and_restore_the_defaults(capsys):
    """gpu_bench.sweep (the flat and rows settings the GPU run times after a row) on tiny inputs in
    the interpreter: every setting runs and is reported, a setting that fails is said and skipped,
    and the runtime's defaults are back afterwards -- the dry run does not reach this code."""
    import numpy as np
    sys.path.insert(0, BENCH)
    try:
        import gpu_bench
    finally:
        sys.path.remove(BENCH)
    from s2sgrad.triton import runtime
    rng = np.random.default_rng(0)
    targs = [torch.from_numpy(rng.standard_normal((6, 40))), torch.from_numpy(rng.integers(0, 40, 6))]
    before = dict(runtime.ROWS)
    configs = gpu_bench.ROWS_CONFIGS + [dict(tile=1024, num_warps=None, persistent="bad")]
    lines = gpu_bench.sweep(gpu_bench.softmax_xent, 0, targs, 8 * 240, 1, 0.0, "ROWS", configs)
    assert runtime.ROWS == before
    assert len(lines) == len(configs) and "failed" in lines[0] and "'persistent': 'bad'" in lines[0]
    assert all("TB/s" in line for line in lines[1:]), lines
    assert any("persistent 2" in line for line in lines)
    flat = gpu_bench.sweep(gpu_bench.W.elementwise, 0, [torch.linspace(-1, 1, 300)], 2400, 1, 0.0, "FLAT",
                           gpu_bench.FLAT_CONFIGS)
    assert len(flat) == len(gpu_bench.FLAT_CONFIGS) and runtime.FLAT["iters"] == 8
