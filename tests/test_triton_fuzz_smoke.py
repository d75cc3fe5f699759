"""A short run of the Triton backend's differential fuzzer (tests/fuzz_triton.py) in the suite: 40
generated programs, values and gradients against the numpy backend.  The long runs (thousands of
programs, widths past one 1024-column block) are in docs/testing.md."""
import pytest

pytest.importorskip("torch")
pytest.importorskip("triton")

import fuzz_triton  # noqa: E402


def test_forty_programs_agree_with_the_numpy_backend():
    counts = fuzz_triton.run(40, seed=7, width=33)
    assert counts["wrong"] == 0 and counts["crash"] == 0, counts
    assert counts["ok"] >= 15, counts  # the run compares, not only refuses
