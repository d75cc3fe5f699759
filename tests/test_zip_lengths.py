"""A loop zipping a container known when compiling with a sequence whose length is known at run time
only (passes/flatten_stmts.py): `for T, obs in zip(temps, observations)` with temps a list of
numbers and observations a list of arrays, `zip(firms, k_sh, l_sh)` with arrays the function
computed.  The loop is unrolled for the container's length, checked when it runs (a shorter
sequence would stop Python's loop early: an error says so, never a different result).  Before, each
was refused ("the range of a loop over a container must be known when compiling")."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import ArgumentError
from s2sgrad.testing import check_grads

rng = np.random.default_rng(5)
OBS = [rng.standard_normal(3) for _ in range(3)]


def fit(params, temps, observations):
    total = 0.0
    for T, obs in zip(temps, observations):
        total += np.sum((np.exp(params["a"] - params["b"] / T) - obs) ** 2)
    return total / len(temps)


def three_way(ws, z):
    k_sh, l_sh = np.exp(z) / np.sum(np.exp(z)), np.tanh(z)
    goods = np.array([np.sum(w) * k * l for w, k, l in zip(ws, k_sh, l_sh)])
    return np.sum(goods ** 2)


def test_against_finite_differences():
    p = {"a": rng.standard_normal(3) * 0.1, "b": np.abs(rng.standard_normal(3))}
    check_grads(differentiate(fit), (p, [1.5, 2.0, 2.5], OBS))
    check_grads(differentiate(fit), (p, [1.5, 2.0, 2.5, 3.0], OBS))  # longer: zip stops at 3, as Python does
    ws = [rng.standard_normal(2) for _ in range(3)]
    check_grads(differentiate(three_way, wrt=("ws", "z")), (ws, rng.standard_normal(3)))


def test_a_shorter_run_time_sequence_is_an_error_not_another_result():
    p = {"a": np.zeros(3), "b": np.ones(3)}
    fit(p, [1.5, 2.0], OBS)  # Python: two passes
    with pytest.raises(ArgumentError,
                       match="test_zip_lengths.py:20: s2sgrad unrolled this loop for the 3 items .* .temps., which is shorter"):
        differentiate(fit).grad(p, [1.5, 2.0], OBS)
