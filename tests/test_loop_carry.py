"""Containers carried through loops that run at run time (passes/loop_carry.py): a parameter dict
updated by gradient steps for a run-time number of steps, a state tuple, a dataclass state, a
dict written by key in a while loop.  Before, each was refused ("'p' is bound to another container
inside this loop, and the next pass reads it before binding it", "a write into the dict 'd' inside
a loop that runs at run time").  Checked against central differences, forward mode (the
dot-product test), second derivatives and known numbers; a container that changes its structure
between passes stays refused at the line that changes it."""
from dataclasses import dataclass

import numpy as np
import pytest

from s2sgrad import differentiate, hvp, jvp
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

P = {"a": np.array([1.0, 2.0]), "b": np.array([0.5, -0.3])}
X = np.array([0.3, 0.7])


def relaxed(p, x, n):
    for i in range(n):  # n known when it runs: the body is compiled once
        p = {k: v * 0.9 + 0.1 * np.tanh(v * x) for k, v in p.items()}
    return np.sum(p["a"] * p["b"])


def swapped(a, b, n):
    s = (a, b)
    for i in range(n):
        s = (s[1] * 0.5, s[0] + np.sin(s[1]))  # read both before either is bound: a parallel assignment
    return np.sum(s[0] * s[1] ** 2)


@dataclass(frozen=True)
class State:
    pos: np.ndarray
    vel: np.ndarray
    label: str = "body"


def step(s, k, dt):
    return State(s.pos + dt * s.vel, s.vel - dt * k * s.pos, s.label)


def simulated(pos, vel, k, ys):
    s = State(pos, vel)
    for y in ys:  # an array argument: a loop that runs at run time
        s = step(s, k * y, 0.1)
    return np.sum(s.pos ** 2) + 0.5 * np.sum(s.vel ** 2)


def converged(p, x, tol=1e-8):
    stats = {"h": x * 1.0, "loss": 0.0, "best": np.inf}
    while True:
        h = np.tanh(stats["h"] * p["a"] + p["b"])
        loss = np.sum((h - stats["h"]) ** 2)
        stats["h"] = h
        stats["loss"] = stats["loss"] + loss
        if loss < tol:
            break
    return np.sum(stats["h"]) + stats["loss"]


def nested(p, x, n, m):
    q = dict(p)
    for i in range(n):
        for j in range(m):
            q["a"] = q["a"] * 0.9 + 0.05 * q["b"] * x
        q = {"a": q["a"], "b": np.tanh(q["b"] + q["a"])}
    return np.sum(q["a"] ** 2 + q["b"])


def stopped(p, x, n):
    s = (p["a"], p["b"])
    for i in range(n):
        s = (s[0] + 0.1 * s[1], s[1] * 0.8)
        if np.sum(s[0]) > 3.5:
            break  # the binding before the break is the one the loop leaves
    return np.sum(s[0] * x) + np.sum(s[1])


CASES = [(relaxed, (P, X, 4)), (swapped, (P["a"], P["b"], 3)),
         (simulated, (np.array([1.0, 0.5]), np.array([0.0, 0.2]), 1.5, np.array([1.0, 0.9, 1.1, 1.2]))),
         (converged, (P, X)), (nested, (P, X, 3, 2)), (stopped, (P, X, 8))]


@pytest.mark.parametrize("f, args", CASES)
def test_gradients_match_finite_differences(f, args):
    check_grads(f, args)


@pytest.mark.parametrize("f, args", CASES)
def test_forward_mode_agrees_with_reverse(f, args):
    rng = np.random.default_rng(5)

    def direction(v):
        if isinstance(v, dict):
            return {k: direction(x) for k, x in v.items()}
        if isinstance(v, np.ndarray) and v.dtype.kind == "f":
            return rng.standard_normal(v.shape)
        return 0.0 if isinstance(v, float) else None
    ts = tuple(direction(a) for a in args)
    _, dot = jvp(f, args, ts)
    floating = [i for i, a in enumerate(args) if isinstance(a, (dict, float)) or
                isinstance(a, np.ndarray) and a.dtype.kind == "f"]
    names = f.__code__.co_varnames[:f.__code__.co_argcount]
    g = differentiate(f, wrt=tuple(names[i] for i in floating)).grad(*args)
    g = g if isinstance(g, tuple) else (g,)

    def inner(a, b):
        if isinstance(a, dict):
            return sum(inner(a[k], b[k]) for k in a)
        return float(np.sum(a * b))
    want = sum(inner(gi, ts[i]) for gi, i in zip(g, floating))
    assert dot == pytest.approx(want, rel=1e-9, abs=1e-12)


def test_known_numbers():
    # s = (b/2, a + sin b) once: d/da sum(s0 * s1^2) = s0 * 2 s1 = b (a + sin b)
    a, b = np.array([0.7]), np.array([0.4])
    g = differentiate(swapped).grad(a, b, 1)
    np.testing.assert_allclose(g, b * (a + np.sin(b)))
    # a linear recurrence p <- 0.9 p: d/dp0 of sum(p_a * p_b) after n steps is 0.81^n * p_b
    lin = {"a": np.array([1.0, 2.0]), "b": np.array([3.0, -1.0])}

    def decayed(p, n):
        for i in range(n):
            p = {k: v * 0.9 for k, v in p.items()}
        return np.sum(p["a"] * p["b"])
    g = differentiate(decayed).grad(lin, 5)
    np.testing.assert_allclose(g["a"], 0.81 ** 5 * lin["b"])


def test_second_derivatives():
    def energy(a, n):
        s = (a, a * 0.0)
        for i in range(n):
            s = (s[0] * 0.9 + 0.1 * s[1], s[1] + s[0] ** 2)
        return np.sum(s[1] ** 2)
    a, v = np.array([0.3, -0.2]), np.array([1.0, 0.5])
    got = hvp(energy, (a, 3), v)
    eps = 1e-5
    g = differentiate(energy).grad
    want = (g(a + eps * v, 3) - g(a - eps * v, 3)) / (2 * eps)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9)


def grown(p, n):
    for i in range(n):
        p = {"a": p["a"] * 2.0}  # loses 'b'
    return np.sum(p["a"])


def relabelled(pos, vel, ys):
    s = State(pos, vel)
    for y in ys:
        s = State(s.pos * y, s.vel, "moved")
    return np.sum(s.pos)


def new_key(p, n):
    d = dict(p)
    for i in range(n):
        d["c"] = d["a"] * 2.0
    return np.sum(d["a"])


@pytest.mark.parametrize("f, args, words", [
    (grown, (P, 3), "'p' is carried through this loop as a dict of 2 entries, and bound here to a dict of 1"),
    (relabelled, (P["a"], P["b"], np.array([1.0, 2.0])), "the constant 'body' before it but changes here"),
    (new_key, (P, 2), "a write into 'd' at 'c', which it does not have"),
])
def test_a_container_that_changes_its_structure_is_refused_at_the_line(f, args, words):
    with pytest.raises(S2SGradError) as e:
        differentiate(f).grad(*args)
    assert words in str(e.value) and "test_loop_carry.py:" in str(e.value)


@pytest.mark.parametrize("f, args", [CASES[1], CASES[2]])
def test_the_numba_backend_agrees(f, args):
    pytest.importorskip("numba")
    np.testing.assert_allclose(differentiate(f, backend="numba").grad(*args), differentiate(f).grad(*args),
                               rtol=1e-12, atol=1e-14)
