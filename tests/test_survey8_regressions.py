"""What the eighth survey of real programs (x01-x30, written in domains the corpus lacked) found,
besides refusals of constructs s2sgrad does not have yet.

- x18: a branch guarded by `reach.get("lateral") is not None`, over a list of dicts with different
  keys, was compiled for the dicts without the key and refused ("key 'lateral' is not in this
  dict"); a test of constants alone now picks its branch when compiling (passes/flatten_stmts.py,
  constant_tests.truth), as Python would run it.
- x21: `[hs[k] for k in kids]` then `hs[n] = ...` was refused as if the new list shared hs: the list
  holds hs's elements, and a write by key replaces an entry of hs, never an element (updates in place
  of an element stay refused: tests/test_soundness_alias.py).
- x06, x14: lists made in each pass of a loop with `break`, or in a branch inside a loop, were
  refused, saying which and what to write instead; they are followed since the tenth survey."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads
from test_lists_per_pass import two_branches  # (x14's shape: a helper's sum of a generator in both branches)

LATERALS = {"creek": 1.5}


def routed(reaches, x):
    y = x
    for reach in reaches:
        y = reach["K"] * y
        if reach.get("lateral") is not None:
            y = y + LATERALS[reach["lateral"]] * reach["K"]
        if "gain" in reach and reach["gain"] > 0:
            y = y * reach["gain"]
    return y


def test_a_branch_on_a_key_a_dict_lacks_is_not_compiled():
    reaches = [{"K": 2.0}, {"K": 3.0, "lateral": "creek"}, {"K": 0.5, "gain": 1.25}]
    value, (g_reaches, g_x) = differentiate(routed, wrt=(0, 1)).value_and_grad(reaches, 3.0)
    assert value == routed(reaches, 3.0)
    assert g_x == 2.0 * 3.0 * 0.5 * 1.25
    # y = ((K0 x) K1 + 1.5 K1) K2 gain: d/dK1 = (K0 x + 1.5) K2 gain
    assert g_reaches[1]["K"] == pytest.approx((2.0 * 3.0 + 1.5) * 0.5 * 1.25, rel=1e-12)
    assert g_reaches[2]["gain"] == pytest.approx((2.0 * 3.0 + 1.5) * 3.0 * 0.5, rel=1e-12)


def elements_then_written(w):
    hs = {}
    hs[0] = np.tanh(w)
    hs[1] = np.tanh(2 * w)
    parts = [hs[k] for k in (0, 1)]
    hs[2] = sum(parts) * w
    hs[0] = hs[2] + 1.0
    return np.sum(hs[2] * parts[0] + hs[0] * parts[1])


def list_elements_then_written(w):
    hs = [np.tanh(w), np.tanh(2 * w)]
    parts = []
    for k in range(2):
        parts.append(hs[k])
    hs[0] = parts[1] * w
    return np.sum(hs[0] * parts[0])


@pytest.mark.parametrize("fn", [elements_then_written, list_elements_then_written])
def test_a_list_of_a_containers_elements_does_not_share_the_container(fn):
    check_grads(fn, (np.array([0.1, -0.2, 0.7]),))


def rows_with_break(x, n):
    for _ in range(n):
        rows = []
        for k in range(3):
            rows.append(x * k)
        dx = 0.1 * np.sum(np.array(rows))
        x = x - dx
        if abs(dx) < 1e-12:
            break
    return x


def test_lists_per_pass_in_a_loop_with_break_or_in_a_branch_are_followed():
    # (refused at the eighth survey; followed since: tests/test_lists_per_pass.py)
    check_grads(rows_with_break, (0.5, 3), wrt=["x"])
    check_grads(two_branches, (0.4, np.array([0.3, 0.5]), np.array([0, 1])), wrt=["w"])


# x08: a loop (or a comprehension) over a generator expression, refused before: the generator's own
# loops with the loop's body at its item, so each item is made just before the pass that reads it,
# as Python's generator makes it (a first version made every item first: a review found the body
# changing what the generator reads, draws on both sides, and an error of a later item all wrong).
TABLE = {"a": (1.0, 2.0), "b": (0.5, 3.0)}


def over_a_generator(x, names):
    out = 0.0
    for p, q in (TABLE[n] for n in names):
        out = out + np.sum(np.sin(p * x) * q)
    return out + sum(np.sum(v) for v in [y * x for y in (w * 2.0 for w in (1.0, 2.0))])


def generator_reads_what_the_loop_binds(x):
    for v in (x * s for s in range(3)):
        x = x + v
    return np.sum(x)


def both_draw(x):
    rng = np.random.default_rng(0)
    out = 0.0
    for v in (rng.normal() for _ in range(3)):
        out = out + np.sum(x) * v * rng.normal()
    return out


def stops_early(x, names):
    out = 0.0
    for p, q in (TABLE[n] for n in names):  # (names[2] is no key: Python never makes that item)
        out = out + np.sum(p * x)
        if q > 2.5:
            break
    return out


def bump(state):
    state["k"] = state["k"] + 1.0
    return state["k"]


def body_changes_what_it_reads(x):
    state = {"k": 1.0}
    xs = [x[0], x[1], x[2]]
    s = 0.0
    for y in (v * state["k"] for v in x):
        s = s + y * bump(state)
    for y in (xs[i] * 2.0 for i in range(3)):
        xs[2] = xs[2] + y
        s = s + y
    return s + sum(np.sum(z) for z in [w for w in (x * state["k"] for _ in range(2))])


def test_a_loop_over_a_generator_expression():
    x = np.array([0.2, 0.4, 0.7])
    check_grads(over_a_generator, (x, ["a", "b", "a"]), wrt="x")
    check_grads(generator_reads_what_the_loop_binds, (x,))
    check_grads(stops_early, (x, ["a", "b", "zz"]), wrt="x")
    check_grads(body_changes_what_it_reads, (x,))
    assert differentiate(body_changes_what_it_reads).value_and_grad(x)[0] == body_changes_what_it_reads(x)
    assert differentiate(both_draw).value_and_grad(x)[0] == both_draw(x)


# x02: a @classmethod constructor called on the class (`Cell.from_log(d)`) was refused as a function
# without a rule; it is inlined with its first parameter standing for the class (cls(...)
# constructs it, cls.other(...) calls the class's own).
import math  # noqa: E402
from dataclasses import dataclass  # noqa: E402


@dataclass(frozen=True)
class Cell:
    r0: float
    r1: float

    @classmethod
    def from_log(cls, logp):
        return cls(math.exp(logp["r0"]), r1=math.exp(logp["r1"]))

    @classmethod
    def scaled(cls, c, s):
        return cls.from_log({"r0": math.log(c.r0) + s, "r1": math.log(c.r1)})

    def power(self, i):
        return i * i * (self.r0 + self.r1)


class Layer:
    def __init__(self, W):
        self.W = W

    @classmethod
    def identity_like(cls, W):
        return cls(np.eye(W.shape[0]) + 0.0 * W)

    def __call__(self, x):
        return np.tanh(self.W @ x)


def made_by_classmethods(logp, x):
    c = Cell.from_log(logp)
    d = Cell.scaled(c, 0.5)
    layer = Layer(x[:, None] * x[None, :])
    ident = Layer.identity_like(layer.W)
    return c.power(2.0) * d.r0 + np.sum(layer(x)) + np.sum(ident(x))


def test_classmethod_constructors():
    check_grads(made_by_classmethods, ({"r0": 0.1, "r1": 0.2}, np.array([0.3, -0.2])), wrt=(0, 1))


# x16: next() of a generator expression (the loop it stands for: the first item whose conditions
# hold, later items never evaluated; StopIteration or the default when none does) and `in` over a
# list of constants decided when compiling.
NESTS = {"auto": ["car", "carpool"], "transit": ["bus"]}
LAM = {"auto": 0.5, "transit": 0.8}


def first_matches(x, ys):
    out = 0.0
    for mode in ["car", "bus"]:
        nest = next(n for n, alts in NESTS.items() if mode in alts)
        out = out + x * LAM[nest]
    big = next((y for y in ys if y > 1.0), 0.0)
    return out + big * x + next(y * y for y in ys if y < 0.0)


def test_next_of_a_generator_expression():
    ys = np.array([0.5, -2.0, 3.0, -1.0])
    check_grads(first_matches, (1.5, ys), wrt=(0, 1))
    assert differentiate(first_matches, wrt="ys").grad(1.5, ys)[1] == -4.0  # (y * y of -2.0, the first)
    with pytest.raises(StopIteration):
        differentiate(first_matches).grad(1.5, np.array([0.5, 2.0]))


# x04: functools.partial binding a function a factory made (`f = partial(rhs, meal=meal, p=p)`):
# the local function was read as a value; it is passed on and inlined where rhs calls it.
import functools  # noqa: E402


def make_meal(a):
    def meal(t):
        return a * np.sin(t)
    return meal


def rhs(x, t, meal, p):
    return -p * x + meal(t)


def stepped(x, p):
    meal = make_meal(2.0)
    h = functools.partial(rhs, meal=meal, p=p)
    for k in range(3):
        x = x + 0.1 * h(x, k * 1.0)
    return x


def test_partial_of_a_function_bound_to_a_local_function():
    check_grads(stepped, (1.0, 0.5), wrt=(0, 1))


def target_named_like_the_generators_variable(x, xs):
    t = 0.0
    for x in (x * 2.0 for x in xs):  # (the generator's x is its own: the loop's x is the function's)
        t = t + x
    for a, b in ((a, a * 2.0) for a in (xs[0], xs[1])):
        t = t + a * b
    return np.sum(t) + np.sum(x)


def test_a_loop_target_named_like_the_generators_variable():
    args = (np.array([1.3]), np.array([[0.5], [1.5]]))
    assert differentiate(target_named_like_the_generators_variable, wrt=(0, 1)).value_and_grad(*args)[0] == \
        target_named_like_the_generators_variable(*args)
    check_grads(target_named_like_the_generators_variable, args, wrt=(0, 1))
