"""Refusals of the seventh survey (tests/real_programs/v*) that now run, each checked against finite
differences and forward mode against reverse (check_grads):
- v31: a factory's function passed straight to a helper (`euler(make_rhs(a), y0, h)`), refused as
  'a function used as a value' though `rhs = make_rhs(a)` first ran (frontend/closures.function_value);
- v35: `if i < len(weights) - 1: h = h * masks[i]` in a loop over a container: the test was not
  folded (`len(weights) - 1` stayed a call), so the branch that never runs indexed masks out of
  range (passes/container_values.folded_int);
- v19: `s, a, r = (batch[k] for k in keys)`, a generator expression unpacked at once;
- v14: np.pad's width from a loop over a tuple (`for n in sizes: np.pad(x, n // 2)`), known when
  it runs: its adjoint reads the width then (runtime_grads.pad_grad)."""
import numpy as np
import pytest

from s2sgrad.testing import check_grads

RNG = np.random.default_rng(17)


def make_rhs(a):
    def rhs(t, y):
        return -a * y + np.sin(t)
    return rhs


def euler(fun, y, h, n=3):
    t = 0.0
    for _ in range(n):
        y = y + h * fun(t, y)
        t = t + h
    return y


def factory_passed(a, y0):
    return np.sum(euler(make_rhs(a), y0, 0.1) ** 2)


def guarded_index(weights, masks):
    h = np.ones(3)
    for i, W in enumerate(weights):
        h = np.tanh(h @ W)
        if i < len(weights) - 1:
            h = h * masks[i]
    return np.sum(h)


def unpacked_generator(batch):
    s, a, r = (batch[k] for k in ("s", "a", "r"))
    return np.sum(s * a - r ** 2)


def padded(x, sizes=(4, 8)):
    total = 0.0
    for n in sizes:
        total += np.sum(np.pad(x, n // 2, mode="reflect") ** 2 * np.arange(len(x) + 2 * (n // 2)))
        total += np.sum(np.pad(x, (1, n), constant_values=0.5) ** 3)
    return total


def test_factory_passed_to_a_helper():
    check_grads(factory_passed, (0.7, RNG.standard_normal(3)), wrt=(0, 1))


def test_branch_false_when_compiling():
    weights = [RNG.standard_normal((3, 3)) for _ in range(3)]
    masks = [RNG.standard_normal(3), RNG.standard_normal(3)]
    check_grads(guarded_index, (weights, masks), wrt=(0, 1))


def test_generator_unpacked():
    batch = {k: RNG.standard_normal(4) for k in ("s", "a", "r")}
    check_grads(unpacked_generator, (batch,), wrt=0)


@pytest.mark.parametrize("sizes", [(4, 8), (2,)])
def test_pad_width_known_when_it_runs(sizes):
    check_grads(padded, (RNG.standard_normal(9), sizes), wrt=0)


# v36: season = list(y[:m] - level), read and written by element (passes/list_arrays.rows_as_array)
def seasonal(params, y, m=4):
    alpha, gamma = 1.0 / (1.0 + np.exp(-params))
    level = y[:m].mean()
    season = list(y[:m] - level)
    sse = 0.0
    for t in range(len(y)):
        s = season[t % m]
        sse += (y[t] - level - s) ** 2
        new_level = alpha * (y[t] - s) + (1 - alpha) * level
        season[t % m] = gamma * (y[t] - new_level) + (1 - gamma) * s
        level = new_level
    return sse / len(y) + np.sum(np.array(season) ** 2) + sum(v for v in season) * 0.1 + len(season)


def counts(x):
    c = list(np.arange(3))  # an int list: a float written into it stays a float in Python
    c[0] = x[0] * 0.5
    return c[0] * x[1] + c[2]


def test_a_list_of_an_arrays_items_written_by_element():
    check_grads(seasonal, (np.array([0.3, -0.4]), RNG.standard_normal(12)), wrt=(0, 1))


def test_a_list_of_an_int_arrays_items_is_refused_when_it_runs():
    from s2sgrad import differentiate
    from s2sgrad.errors import S2SGradError
    with pytest.raises(S2SGradError, match="an array of int64, then written by element"):
        differentiate(counts).grad(RNG.standard_normal(2))


def rows_written(x):
    rows = list(x)
    rows[0] = 0.0  # a list holds the number; an array would broadcast it into the row
    return np.sum(rows[1]) + len(rows)


def test_rows_of_a_list_written_into_are_refused_when_it_runs():
    from s2sgrad import differentiate
    from s2sgrad.errors import S2SGradError
    with pytest.raises(S2SGradError, match="of an array of 2 dimensions: the list holds views of its rows"):
        differentiate(rows_written).grad(RNG.standard_normal((3, 2)))


# u36: a helper returning a tuple from inside `while True` (passes/jumps.single_exit: a name per
# element, no tuple bound on one path through the loop only)
def _landing(v0, drag, dt=0.05):
    pos, vel = np.array([0.0, 1.0]), v0
    while True:
        vel = vel + dt * (np.array([0.0, -9.81]) - drag * np.linalg.norm(vel) * vel)
        nxt = pos + dt * vel
        if nxt[1] < 0.0:
            frac = pos[1] / (pos[1] - nxt[1])
            return pos[0] + frac * (nxt[0] - pos[0]), frac
        pos = nxt


def _first_big(xs):
    for i in range(len(xs)):
        if xs[i] > 0.5:
            return xs[i] * 2.0, i
    return xs[-1], -1


def returned_from_loops(v0, drag, xs):
    x, frac = _landing(v0, drag)
    big, where = _first_big(xs)
    return x * frac + big * (where + 2)


def test_a_tuple_returned_from_inside_a_loop():
    check_grads(returned_from_loops, (np.array([6.0, 4.0]), 0.05, np.array([0.1, 0.7, 0.9])), wrt=(0, 1, 2))
    check_grads(returned_from_loops, (np.array([6.0, 4.0]), 0.05, np.array([0.1, 0.2, 0.3])), wrt=(0, 1, 2))


# t29: per-batch losses in a dict keyed by the enumerate counter of a loop over a generator: the
# counter is the position its range gives (frontend/generators._position), a function of the loop's
# counter, so the loop unrolls for the key (passes/flatten_stmts._from_counter), the batch size
# made static (a parameter read where a value is needed)
def _batches(X, size):
    for start in range(0, len(X), size):
        yield X[start:start + size]


def keyed_by_batch(w, X, size=4):
    losses = {}
    for i, xb in enumerate(_batches(X, size)):
        losses[f"batch_{i}"] = np.mean(np.tanh(xb @ w) ** 2) * (i + 1)
    return sum(losses.values()) / len(losses)


@pytest.mark.parametrize("size", [4, 3])
def test_a_dict_keyed_by_a_generators_counter(size):
    check_grads(keyed_by_batch, (RNG.standard_normal(3), RNG.standard_normal((10, 3)), size), wrt=(0, 1))


def _cubic(x):
    return np.sum(np.sin(x) * x ** 2)


def _vector(x):
    return np.tanh(x) * x[0]


def test_jacobians_of_float32_are_float32():
    # (they were float64, the numbers right; JAX gives float32)
    import s2sgrad
    x = np.linspace(0.1, 1.0, 3)
    for make, fn in ((s2sgrad.hessian, _cubic), (lambda f: s2sgrad.jacfwd(s2sgrad.grad(f)), _cubic),
                     (s2sgrad.jacfwd, _vector), (s2sgrad.jacrev, _vector)):
        J32, J64 = make(fn)(x.astype(np.float32)), make(fn)(x)
        assert J32.dtype == np.float32 and J64.dtype == np.float64
        np.testing.assert_allclose(J32, J64, rtol=1e-5, atol=1e-6)


# an __init__ building attributes with comprehensions and loops, the object made in the function
# (the survey's v01 and u38 got past this to their state changes, which stay refused)
class _Stack:
    def __init__(self, sizes, scale):
        self.Ws = [np.eye(n) * scale for n in sizes]
        self.gains = [1.0 + 0.1 * i for i in range(len(sizes))]
        total = 0
        for n in sizes:
            total += n
        self.total = total

    def __call__(self, x):
        for W, g in zip(self.Ws, self.gains):
            x = np.tanh(W @ x) * g
        return np.sum(x) / self.total


def made_with_loops(x, scale):
    return _Stack((3, 3), scale)(x)


def test_an_init_with_comprehensions_and_loops():
    check_grads(made_with_loops, (RNG.standard_normal(3), 0.7), wrt=(0, 1))
