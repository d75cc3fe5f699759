"""Compile time grows about linearly with the length of a function (issue 9 F: it was quadratic,
93 s for 1600 statements).  Measured as a ratio of CPU times of the same kind of program at two
lengths, so the machine's speed and load mostly cancel: linear is 4x for 4x the statements,
quadratic 16x; the bound leaves room for noise.  The absolute numbers are in bench/RESULTS.md
(bench/compile_time.py)."""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench"))
import compile_time  # noqa: E402

from s2sgrad import differentiate  # noqa: E402


def _cpu(n):
    fn = compile_time._load(compile_time.straight_line(n), f"lin{n}")
    best = float("inf")
    for _ in range(3):  # (the best of three: a busy second core made two runs' ratio reach 8.0 once)
        f = differentiate(fn, wrt=("x", "w"))
        t = time.process_time()
        f.compiled_for(np.full(3, 0.3), 0.3)
        best = min(best, time.process_time() - t)
    return best


def test_compile_time_is_near_linear_in_statements():
    small, large = _cpu(100), _cpu(400)
    assert large / small < 8.0, f"100 statements {small:.3f} s, 400 statements {large:.3f} s"
