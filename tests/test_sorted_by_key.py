"""sorted(seq, key=f, reverse=r) of a container known when compiling whose keys are known only when the
function runs (frontend/folds.sorted_by_key, passes/sort_by_key.py): values against Python (ties,
NaN keys, reverse given at run time), gradients against central differences, forward against
reverse; what cannot be sorted so is refused at the line."""
from dataclasses import dataclass

import numpy as np
import pytest

import s2sgrad
from s2sgrad import S2SGradError, differentiate
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(5)
PEAKS = [{"centre": 3.0, "w": 1.0}, {"centre": 1.0, "w": 2.0}, {"centre": 2.0, "w": 0.5}]
T = RNG.standard_normal(4)


def by_centre(peaks, t):
    ordered = sorted(peaks, key=lambda p: p["centre"])
    s = 0.0
    for k, p in enumerate(ordered):
        s = s + (k + 1) * p["w"] * np.sum(np.sin(t * p["centre"]))
    return s


def reversed_by_product(peaks, t):
    ordered = sorted(peaks, key=lambda p: p["centre"] * p["w"], reverse=True)
    return ordered[0]["centre"] * 10.0 + ordered[1]["w"] + np.sum(t)


def centre_of(p):
    return -p["centre"]


def by_named_function(peaks, t):
    first, second, third = sorted(peaks, key=centre_of)
    return first["w"] * 100.0 + second["w"] * 10.0 + third["w"] * np.sum(t ** 2)


def reverse_given(peaks, t, descending):
    ordered = sorted(peaks, key=lambda p: p["centre"], reverse=descending)
    return ordered[0]["w"] * 3.0 + ordered[2]["centre"] * np.sum(t)


def arrays_by_norm(xs, t):
    # tuples of arrays, sorted by a norm computed from them: the arrays move with their keys
    pairs = [(xs[0], t), (xs[1], 2.0 * t), (xs[2], t ** 2)]
    ranked = sorted(pairs, key=lambda pair: np.sum(pair[0] ** 2))
    return sum((j + 1.0) * np.sum(a * b) for j, (a, b) in enumerate(ranked))


@dataclass
class Peak:
    centre: float
    w: float

    def area(self, t):
        return self.w * np.sum(np.exp(-(t - self.centre) ** 2))


def objects_by_attribute(peaks, t):
    made = [Peak(p["centre"], p["w"]) for p in peaks]
    ordered = sorted(made, key=lambda p: p.centre)
    return ordered[0].area(t) * 2.0 + ordered[-1].area(t)


def sorted_in_a_while_loop(peaks, t, n):
    # the order differs from pass to pass: each pass's permutation is kept for its reverse
    s, k = 0.0, 0
    while k < n:
        ordered = sorted(peaks, key=lambda p: p["centre"] * (k - 1.5))
        s = s + ordered[0]["w"] * np.sum(np.sin(t * ordered[1]["centre"])) * (k + 1)
        k += 1
    return s


def sorted_in_a_for_loop(peaks, t):
    s = 0.0
    for k in range(3):
        ordered = sorted(peaks, key=lambda p: p["centre"] * (k - 1.5), reverse=k > 0)
        s = s + ordered[0]["w"] * np.sum(np.sin(t * ordered[1]["centre"])) * (k + 1)
    return s


XS = [RNG.standard_normal(4) * s for s in (2.0, 0.5, 1.0)]


@pytest.mark.parametrize("fn, args, wrt", [
    (by_centre, (PEAKS, T), ("peaks", "t")),
    (reversed_by_product, (PEAKS, T), ("peaks",)),
    (by_named_function, (PEAKS, T), ("peaks", "t")),
    (reverse_given, (PEAKS, T, True), ("peaks", "t")),
    (reverse_given, (PEAKS, T, False), ("peaks", "t")),
    (arrays_by_norm, (XS, T), ("xs", "t")),
    (objects_by_attribute, (PEAKS, T), ("peaks", "t")),
    (sorted_in_a_while_loop, (PEAKS, T, 3), ("peaks", "t")),
    (sorted_in_a_for_loop, (PEAKS, T), ("peaks", "t")),
])
def test_values_and_gradients(fn, args, wrt):
    value, _ = differentiate(fn, wrt=wrt[0]).value_and_grad(*args)
    assert value == fn(*args)
    check_grads(fn, args, wrt=wrt)


def test_the_order_follows_the_run():
    # the same compiled code, keys in another order: the items follow, as Python's sort moves them
    f = differentiate(by_centre, wrt="peaks")
    for centres in ([3.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 1.0]):
        peaks = [{"centre": c, "w": w} for c, w in zip(centres, (1.0, 2.0, 0.5))]
        value, grad = f.value_and_grad(peaks, T)
        assert value == by_centre(peaks, T)
    assert f.grad_source.count("sort_order(") == 1


def test_ties_keep_their_order_and_nan_keys_land_where_python_puts_them():
    for centres in ([1.0, 1.0, 1.0], [2.0, np.nan, 1.0], [np.nan, 1.0, 1.0]):
        peaks = [{"centre": c, "w": w} for c, w in zip(centres, (1.0, 2.0, 0.5))]
        for descending in (False, True):
            value, grad = differentiate(reverse_given, wrt="peaks").value_and_grad(peaks, T, descending)
            expected = reverse_given(peaks, T, descending)
            assert value == expected or (np.isnan(value) and np.isnan(expected))


def test_forward_matches_reverse():
    args = (PEAKS, T)
    dt = RNG.standard_normal(4)
    dpeaks = [{"centre": RNG.standard_normal(), "w": RNG.standard_normal()} for _ in PEAKS]
    _, tangent = s2sgrad.jvp(by_centre, args, (dpeaks, dt))
    _, (gp, gt) = differentiate(by_centre, wrt=("peaks", "t")).value_and_grad(*args)
    dot = sum(g[k] * d[k] for g, d in zip(gp, dpeaks) for k in ("centre", "w")) + np.dot(gt, dt)
    assert np.isclose(tangent, dot, rtol=1e-12)


def test_the_generated_code_reads_like_a_sort():
    f = differentiate(reversed_by_product, wrt="peaks")
    f.value_and_grad(PEAKS, T)
    src = f.grad_source
    assert "sorted_peaks_order = sort_order(sorted_peaks_keys, reverse=True)" in src
    assert "sorted_peaks_order[0] == 0" in src and "sorted_peaks_0_centre = peaks_0_centre" in src
    assert "np.stack" not in src and "pass" not in src  # (the items themselves; no chain left for unread places)


def names_differ(params, t):
    named = [("a", params[0]), ("b", params[1])]
    return np.sum(t) * len(sorted(named, key=lambda kv: np.sum(kv[1]))[0][0])


def shapes_differ(params, t):
    return np.sum(sorted(params, key=np.sum)[0]) + np.sum(t)


def ints_beside_floats(items, t):
    return sorted(items, key=lambda p: p["k"])[0]["k"] * np.sum(t)


def run_time_list(params, t):
    hs = []
    for p in params:
        hs.append(p * t[0])
    return np.sum(sorted(hs, key=np.sum)[0])


def key_computed_in_place(params, t):
    return np.sum(sorted(params, key=make_key())[0]) + np.sum(t)


def make_key():
    return np.sum


@pytest.mark.parametrize("fn, args, said", [
    (names_differ, ([np.ones(2), np.zeros(2)], T), "differ in a part known when compiling"),
    (run_time_list, ([np.ones(2), np.zeros(2)], T), "does not hold as a container when compiling"),
    (key_computed_in_place, ([np.ones(2), np.zeros(2)], T), "a function computed in place"),
])
def test_refused_with_what_to_write(fn, args, said):
    with pytest.raises(S2SGradError, match=said):
        differentiate(fn, wrt="t").value_and_grad(*args)


# ------------------------------------------------------------------ review 25: Python's values, exactly
def bools_ints_and_zero(items, t):
    o = sorted(items, key=lambda p: p["c"])
    # (stacking made the bools ints, the ints int64 that overflow, and 1 / 0.0 an inf with a warning)
    on = (o[0]["on"] + o[1]["on"]) * np.sum(t)
    big = float(o[0]["n"] ** 40) * 1e-19
    return on + big + o[0]["c"] + 1.0 / o[1]["w"]


def float32_items(xs, t):
    o = sorted(xs, key=lambda v: float(np.sum(v)))
    return float(np.sum(o[0] / 3)) + np.sum(o[1] * t[:3])


def shapes_made_here(x, t):
    o = sorted([x[:2] * 1.0, x[:3] * 1.0], key=np.sum)
    return np.sum(o[0]) * 2.0 + np.sum(o[1] * t[0])


ITEMS = [{"c": 2.0, "on": True, "n": 5, "w": 0.5}, {"c": 1.0, "on": True, "n": 3, "w": 2.0}]


@pytest.mark.parametrize("fn, args, wrt", [
    (bools_ints_and_zero, (ITEMS, T), "t"),
    (float32_items, ([np.float32([1.0, 2.0, 3.0]), np.array([0.5, 0.1, 0.2])], T), "t"),
    (shapes_made_here, (T, T), "x"),
    (shapes_differ, ([np.ones(2), np.ones(3)], T), "t"),
    (ints_beside_floats, ([{"k": 1}, {"k": 2.5}], T), "t"),
])
def test_the_items_are_pythons_own_values(fn, args, wrt):
    value, _ = differentiate(fn, wrt=wrt).value_and_grad(*args)
    expected = fn(*args)
    assert value == expected and type(value) is type(expected)
    check_grads(fn, args, wrt=wrt)


def a_zero_divisor_picked(items, t):
    o = sorted(items, key=lambda p: p["c"])
    return 1.0 / o[0]["w"] + np.sum(t)


def test_a_python_error_stays_pythons():
    items = [{"c": 2.0, "w": 1.0}, {"c": 1.0, "w": 0.0}]
    with pytest.raises(ZeroDivisionError):
        a_zero_divisor_picked(items, T)
    with pytest.raises(ZeroDivisionError):
        differentiate(a_zero_divisor_picked, wrt="t").value_and_grad(items, T)
    for bad in (1.0, None, np.True_):  # (Python's sorted takes an int for reverse, not these)
        with pytest.raises(TypeError):
            reverse_given(PEAKS, T, bad)
        with pytest.raises(TypeError):
            differentiate(reverse_given, wrt="t").value_and_grad(PEAKS, T, bad)
