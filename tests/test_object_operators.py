"""Operators on objects of user classes (passes/object_operators.py): `v + w`, `dt * v` (the
reflected method), `-v`, `abs(v)`, `v @ w`, `a < b`, checked against finite differences and forward
mode; and the refusals where Python's choice of method is not knowable when compiling."""
import math

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


class Vec2:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        return Vec2(self.x + other.x, self.y + other.y)

    def __sub__(self, other):
        return Vec2(self.x - other.x, self.y - other.y)

    def __mul__(self, k):
        return Vec2(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __truediv__(self, k):
        return Vec2(self.x / k, self.y / k)

    def __neg__(self):
        return Vec2(-self.x, -self.y)

    def __matmul__(self, other):  # the dot product
        return self.x * other.x + self.y * other.y

    def __abs__(self):
        return math.sqrt(self.x ** 2 + self.y ** 2)

    def __lt__(self, other):
        return abs(self) < abs(other)


def vec_expression(a, b):
    u, w = Vec2(a, b), Vec2(b * b, 1.5)
    s = 2.0 * (u + w) - w / 4.0 + -u * a
    return abs(s) + (u @ w) ** 2 + (u - w).y


def test_binary_reflected_and_unary_operators_are_the_classs_methods():
    assert vec_expression(0.7, -1.3) == pytest.approx(differentiate(vec_expression, wrt=("a", "b")).value_and_grad(0.7, -1.3)[0], rel=1e-14)
    check_grads(vec_expression, (0.7, -1.3), wrt=("a", "b"))


def orbit(speed, dt=0.05):
    pos, vel = Vec2(1.0, 0.0), Vec2(0.0, speed)
    for _ in range(40):
        r = abs(pos)
        acc = -pos / r ** 3
        vel = vel + dt * acc
        pos = pos + dt * vel
    return pos @ pos


def test_a_leapfrog_of_vector_objects_in_a_loop():
    check_grads(orbit, (1.1,))
    h = 1e-6
    fd = (orbit(1.1 + h) - orbit(1.1 - h)) / (2 * h)
    assert differentiate(orbit).grad(1.1) == pytest.approx(fd, rel=1e-6)


def closer(a, b):
    u, w = Vec2(a, 1.0), Vec2(b, 2.0)
    return a * a if w < u else b * b   # w < u: w.__lt__(u)


def farther(a, b):
    u = Vec2(a, 1.0)
    return a * a if 3.0 > abs(u) else b * b


def test_a_comparison_runs_the_classs_method_and_chooses_the_branch():
    d = differentiate(closer, wrt=("a", "b"))
    assert d.grad(3.0, 0.5) == (6.0, 0.0)   # |w| = 2.06 < |u| = 3.16: a * a
    assert d.grad(0.5, 3.0) == (0.0, 6.0)
    assert differentiate(farther, wrt=("a", "b")).grad(1.0, 2.0) == (2.0, 0.0)


class Arr:
    def __init__(self, v):
        self.v = v

    def __mul__(self, other):
        return Arr(self.v * other.v)

    def __radd__(self, k):
        return Arr(self.v + k)

    def total(self):
        return np.sum(self.v)


def array_fields(x):
    a = Arr(x)
    b = 1.0 + a * Arr(np.sin(x))
    return b.total()


def test_fields_holding_arrays_and_a_reflected_method_with_a_number_on_the_left():
    x = np.array([0.3, -1.2, 2.0])
    g = differentiate(array_fields).grad(x)
    np.testing.assert_allclose(g, np.sin(x) + x * np.cos(x), rtol=1e-13)
    check_grads(array_fields, (x,))


class InPlace(Vec2):
    def __iadd__(self, other):
        self.x += other.x
        return self


def with_iadd(a):
    u = InPlace(a, 1.0)
    u = u + Vec2(a, a)
    return u.x


class Lazy:
    def __init__(self, x):
        self.x = x

    def __add__(self, other):
        if other is None:
            return NotImplemented
        return Lazy(self.x + other.x)


def lazy(a):
    return (Lazy(a) + Lazy(2.0)).x


class Mirror(Vec2):
    def __rmul__(self, k):
        return Vec2(self.x * k * 2, self.y)


def sub_reflected(a):
    return (Vec2(a, 1.0) * Mirror(2.0, a)).x


class Plain:
    def __init__(self, x):
        self.x = x


def no_method(a):
    return (Plain(a) - Plain(1.0)).x


@pytest.mark.parametrize("fn, words", [
    (with_iadd, "defines __iadd__"),
    (lazy, "may return NotImplemented"),
    (sub_reflected, "overrides __rmul__"),
    (no_method, "defines no __sub__"),
])
def test_refused_where_python_would_choose_another_method_or_none(fn, words):
    with pytest.raises(S2SGradError, match=words) as info:
        differentiate(fn).grad(0.5)
    assert "test_object_operators.py" in str(info.value)


class Noisy(Vec2):
    def jitter(self, rng):
        return Vec2(self.x + 0.1 * rng.standard_normal(), self.y)


def noisy(a):
    rng = np.random.default_rng(3)
    u = Noisy(a, 1.0)
    return ((u.jitter(rng) + u) * 2.0 - u.jitter(rng)).x


def test_each_operand_runs_once_where_it_draws_random_numbers():
    check_grads(noisy, (0.4,))
    assert differentiate(noisy).value_and_grad(0.4)[0] == noisy(0.4)
    src = differentiate(noisy).grad_source
    assert src.count("= rng.standard_normal()") == 2, src
    assert "add_vec2_x" in src and "__add__" not in src


# ---------------------------------------------------------------- map() (frontend/folds.py)

def mapped(x, W):
    rows = list(map(lambda r: np.tanh(W @ r), x))
    total = sum(map(np.sum, rows))
    pairs = list(map(lambda a, b: a * b, rows, x[::-1]))
    return total + max(map(np.sum, pairs)) + sum(map(lambda v: v @ v, pairs))


def test_map_read_at_once_is_the_comprehension_it_stands_for():
    rng = np.random.default_rng(0)
    x, W = rng.standard_normal((3, 2)), rng.standard_normal((2, 2))
    check_grads(mapped, (x, W), wrt=("x", "W"))


def map_in_a_loop(x):
    total = 0.0
    for y in map(np.sin, x):
        total = total + y
    return total


def map_of_a_made_function(x):
    return sum(map(np.sin if x[0] > 0 else np.cos, x))


@pytest.mark.parametrize("fn, words", [(map_in_a_loop, "write list\\(map\\(f, xs\\)\\)"),
                                       (map_of_a_made_function, "bind it to a name first")])
def test_other_maps_are_refused_with_the_rewrite(fn, words):
    with pytest.raises(S2SGradError, match=words):
        differentiate(fn).grad(np.array([0.5, 1.0]))


# ---------------------------------------------------------------- a method called on its own result

class Scale:
    def __init__(self, w):
        self.w = w

    def __call__(self, x, flip):
        return np.tanh(self.w * x) * (-1.0 if flip else 1.0)


def twice(w, x):
    blk = Scale(w)
    return np.sum(blk(np.sin(blk(x, False)), True) ** 2)


def test_a_method_called_on_its_own_result_is_two_calls_not_recursion():
    x = np.linspace(-1, 1, 5)
    check_grads(twice, (0.7, x), wrt="w")


# ---------------------------------------------------------------- found by a review of this change

class P:
    def __init__(self, x):
        self.x = x

    def __radd__(self, k):
        return self.x * 2.0 + k


def array_left(a, v):
    return np.sum(v + P(a))            # numpy would call __radd__ per element of a 1-D v


def constant_array_left(a):
    return np.sum(np.array([2.0, 3.0]) + P(a))


def test_an_array_on_the_left_of_a_reflected_method_is_refused():
    assert differentiate(array_left).grad(0.5, 2.0) == 2.0          # a number: __radd__(v)
    with pytest.raises(S2SGradError, match=r"'\+' of an array of shape \(2,\) and a P object"):
        differentiate(array_left).grad(0.5, np.array([2.0, 3.0]))
    with pytest.raises(S2SGradError, match=r"'\+' of an array of shape \(2,\)"):  # (np.array(...) runs)
        differentiate(constant_array_left).grad(0.5)


class Offset:
    def __init__(self, x):
        self.x = x

    def __add__(self, o):
        return Offset(self.x + o.x)

    def __radd__(self, o):             # sum() starts from 0 + v: this runs with o = 0
        return Offset(self.x + o + 1.0)


def summed(a, b):
    return sum([Offset(a), Offset(b)]).x * a


class Base:
    def __init__(self, x):
        self.x = x

    def __lt__(self, o):
        return self.x < o.x

    def __gt__(self, o):
        return self.x > o.x + 1.0      # not the mirror of __lt__


class Derived(Base):
    pass


def compared(a, b):
    return a * a if Base(a) < Derived(b) else b * b   # Derived.__gt__ runs first, as in CPython


class Lam:
    def __init__(self, x):
        self.x = x
    __add__ = lambda self, o: Lam(self.x * o.x)  # noqa: E731


def lam(a, b):
    return (Lam(a) + Lam(b)).x


def negated(a):
    return (-Plain(a)).x


def test_sum_starts_from_zero_a_subclass_compares_first_and_a_lambda_method():
    assert differentiate(summed, wrt=("a", "b")).value_and_grad(0.5, 1.3) == (summed(0.5, 1.3), (3.3, 0.5))
    assert compared(2.0, 1.5) == 2.25 and differentiate(compared, wrt=("a", "b")).grad(2.0, 1.5) == (0.0, 3.0)
    assert differentiate(lam, wrt=("a", "b")).grad(0.5, 1.3) == (1.3, 0.5)
    with pytest.raises(S2SGradError, match="'-' of a Plain object: its class defines no __neg__"):
        differentiate(negated).grad(0.5)


def tuple_map(a):
    t = tuple(map(lambda v: v * a, [1.0, 2.0, 3.0]))
    return t[0] + t[2] * t[1] + max(map(lambda v: v * a, [1.0, -2.0]), key=abs)


def test_tuple_of_map_and_max_of_map_with_key():
    assert differentiate(tuple_map).value_and_grad(0.7) == pytest.approx((tuple_map(0.7), 1 + 12 * 0.7 - 2.0))
