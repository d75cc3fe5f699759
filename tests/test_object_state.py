"""Objects that change: `opt.t += 1`, `self.v = mu * self.v + g`, `self.m[k] = ...`, a method called
for what it changes (`opt.step(g)`), on objects the function makes (frontend/methods.attribute_write,
element_write; passes/container_writes._attribute; passes/objects._inline puts a method's changes
back into the caller's variable).

Every accepted program is checked against central differences in float64 and against running it in
Python; every program where Python would show the change through a second name (an alias, a list
or object holding it, a name holding one of its containers) is refused at the user's line with the
rewrite to use -- never a gradient of a different program."""
import re

import numpy as np
import pytest

from s2sgrad import UnsupportedSyntaxError, differentiate
from finite_differences import central

RNG = np.random.default_rng(7)
X = RNG.standard_normal((6, 3))
Y = RNG.standard_normal(6)
W0 = RNG.standard_normal(3)


def exact(fn, *args):
    """Value and gradient (wrt the first argument) equal Python's value and central differences."""
    value, grad = differentiate(fn).value_and_grad(*args)
    assert np.isclose(value, fn(*args), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad, central(fn, *args), rtol=1e-6, atol=1e-8)
    return value, grad


def refused(fn, *args, match, line, file="test_object_state.py"):
    with pytest.raises(UnsupportedSyntaxError) as info:
        differentiate(fn).grad(*args)
    msg = str(info.value)
    assert re.search(match, msg), msg
    assert line in msg, msg  # (the source line quoted under the message)
    assert re.search(re.escape(file) + r":\d+:\d+:", msg), msg
    return msg


class Momentum:
    def __init__(self, lr, mu=0.9):
        self.lr = lr
        self.mu = mu
        self.t = 0
        self.v = 0.0

    def step(self, w, g):
        self.t += 1
        self.v = self.mu * self.v + g
        return w - self.lr / self.t * self.v

    def advance(self):
        self.t = self.t + 1

    def decay(self, g):
        self.advance()
        self.v = g * self.t

    def me(self):
        self.t += 1
        return self


def momentum_training(w, X, Y, steps=4):
    opt = Momentum(0.1)
    for _ in range(steps):  # (a loop at run time: the object's attributes are its variables)
        g = X.T @ (X @ w - Y) / len(Y)
        w = opt.step(w, g)
    return np.sum((X @ w - Y) ** 2) + opt.t * np.sum(opt.v ** 2)


def test_a_method_changing_its_object_in_a_loop_at_run_time():
    value, _ = exact(momentum_training, W0, X, Y)
    src = differentiate(momentum_training).compiled_for(W0, X, Y).value_and_grad_source
    assert "for _ in range(steps):" in src  # not unrolled: opt's attributes carried through the loop
    assert "opt_t = " in src and "opt_v = " in src


def changes_in_branches_and_statements(w, X, Y):
    opt = Momentum(0.1)
    g = X.T @ (X @ w - Y)
    if np.sum(g) > 0:
        opt.v = g * 2
    else:
        opt.v = g * 3
    opt.t += 1
    opt.decay(g * w)  # a method called for its effect (it calls another that changes the object)
    opt.advance()
    w = opt.step(w, g)
    return np.sum(w ** 2) * opt.t


def test_attribute_writes_in_branches_and_methods_called_for_their_effect():
    exact(changes_in_branches_and_statements, W0, X, Y)
    exact(changes_in_branches_and_statements, -W0, X, Y)  # (the other branch)


def new_attribute(w):
    opt = Momentum(0.1)
    opt.extra = w * 2  # an attribute its __init__ never set
    opt.lr = opt.lr * opt.extra
    return np.sum(opt.extra ** 2 + opt.lr)


def test_an_attribute_set_after_construction():
    exact(new_attribute, W0)


class Adam:
    def __init__(self, params, lr=0.05):
        self.lr, self.t = lr, 0
        self.m = {k: np.zeros_like(v) for k, v in params.items()}

    def step(self, params, grads):
        self.t += 1
        for k in params:
            self.m[k] = 0.9 * self.m[k] + 0.1 * grads[k]
        return {k: params[k] - self.lr * self.m[k] / (1 - 0.9 ** self.t) for k in params}


def adam_unrolled(w, X, Y, steps=3):
    params = {"w": w}
    opt = Adam(params)
    for _ in range(steps):
        params = opt.step(params, {"w": X.T @ (X @ params["w"] - Y)})
    return np.sum(params["w"] ** 2)


class AdamState:
    """The same optimiser with its moments as numbers and arrays (what an object that changes holds)."""

    def __init__(self, lr=0.05):
        self.lr, self.t, self.m = lr, 0, 0.0

    def step(self, w, g):
        self.t += 1
        self.m = 0.9 * self.m + 0.1 * g
        return w - self.lr * self.m / (1 - 0.9 ** self.t)


def adam_state(w, X, Y, steps=3):
    opt = AdamState()
    for _ in range(steps):
        w = opt.step(w, X.T @ (X @ w - Y))
    return np.sum(w ** 2) + np.sum(opt.m)


def test_the_optimiser_with_arrays_as_its_state():
    exact(adam_state, W0, X, Y)


class Counter:
    def __init__(self, x):
        self.t = 0.0
        self.v = x

    def bump(self):
        self.t += 1
        return 1.0

    def get(self):
        return self.v


def method_in_print_and_assert(w):
    c = Counter(w * 2)
    print(c.bump())  # (a method run inside print: its change kept, as Python does)
    print(c.get())
    assert c.bump() > 0
    return np.sum(c.get() ** 2) * c.t


def test_methods_called_in_print_and_assert():
    value, _ = exact(method_in_print_and_assert, W0)
    assert value == method_in_print_and_assert(W0)


def value_calls_a_method_changing_the_object(w):
    c = Counter(w)
    c.t = c.bump() * 5  # Python evaluates c.bump() first: t is 5.0, not 1.0
    return np.sum(w) * c.t


def read_and_changed_in_one_statement(w):
    c = Counter(w)
    return np.sum(w) * sum([c.bump(), c.bump()], c.t)  # (Python: start read last, 1 + 2 + 2)


def read_twice_around_a_change(w):
    c = Counter(w)
    return np.sum(c.get() * c.bump() + c.v)


def updated_by_its_own_method(w):
    c = Counter(w)
    c.t += c.bump()
    return np.sum(w) * c.t


@pytest.mark.parametrize("fn", [read_and_changed_in_one_statement, read_twice_around_a_change,
                                updated_by_its_own_method])
def test_a_statement_reading_an_object_a_method_in_it_changes_is_refused(fn):
    # (what the other reads see depends on Python's order of evaluation: sum's start was read first,
    # and a second c.v read the object as it was before the call: wrong values before this check)
    refused(fn, W0, match="the statement reads 'c' again", line="c.")


def test_the_value_of_an_attribute_write_is_evaluated_first():
    exact(value_calls_a_method_changing_the_object, W0)


# ---------------------------------------------------------------- refused: Python would show the change twice
def alias_then_method(w):
    opt = Momentum(0.1)
    o2 = opt
    w = opt.step(w, w)
    return np.sum(w) + np.sum(o2.v)


def listed_then_method(w):
    opt = Momentum(0.1)
    held = [opt]
    w = opt.step(w, w)
    return np.sum(w) + len(held)


def alias_then_write(w):
    opt = Momentum(0.1)
    o2 = opt
    opt.t = 5
    return np.sum(w) * o2.t


def container_held_then_element_written(w):
    opt = Adam({"w": w})
    m = opt.m
    opt.m["w"] = 3 * w
    return np.sum(m["w"])  # Python: 3 * w (m is opt.m)


def optimiser_holding_a_dict(w, X, Y):
    return adam_unrolled(w, X, Y)


def returns_itself(w):
    opt = Momentum(0.1)
    o2 = opt.me()
    return np.sum(w) * o2.t


def argument_changed(w, opt):
    return np.sum(opt.step(w, w))


def array_attribute_updated_in_place(w):
    opt = Momentum(0.1)
    opt.v = w  # (the argument's array: += would change the caller's w)
    opt.v += 1.0
    return np.sum(w)


def array_element_written(w):
    opt = Momentum(0.1)
    opt.v = w * 1.0
    opt.v[0] = 2.0
    return np.sum(opt.v)


def element_updated_in_place(w):
    opt = Adam({"w": w})
    opt.m["w"] += w
    return np.sum(opt.m["w"])


@pytest.mark.parametrize("fn,args,match,line", [
    (alias_then_method, (W0,), r"'opt' is also used as a value \(line \d+: o2 = opt\)", "w = opt.step(w, w)"),
    (listed_then_method, (W0,), r"'opt' is also used as a value \(line \d+: held = \[opt\]\)",
     "w = opt.step(w, w)"),
    (alias_then_write, (W0,), "would also change 'o2'", "opt.t = 5"),
    (container_held_then_element_written, (W0,), r"a write into an element of the container '.m' of an object "
     r"\(line \d+: opt.m\[\"w\"\] = 3 \* w\), which another name or container may hold too \(line \d+: m = opt.m",
     'opt.m["w"] = 3 * w'),
    (returns_itself, (W0,), "changes its object .* and returns it", "o2 = opt.me()"),
    (argument_changed, (W0, Momentum(0.1)), "an argument of the differentiated function", "opt.step(w, w)"),
    (array_attribute_updated_in_place, (W0,), "updates the array the attribute 'v' holds in place",
     "opt.v += 1.0"),
    (array_element_written, (W0,), r"element of 'opt.v', which holds an array, .*v = opt.v.copy\(\)", "opt.v[0] = 2.0"),
    (element_updated_in_place, (W0,), r"opt.m\[\"w\"\] = opt.m\[\"w\"\] op v", 'opt.m["w"] += w'),
])
def test_changes_python_would_show_through_another_name_are_refused(fn, args, match, line):
    refused(fn, *args, match=match, line=line)


class Frozen:
    __slots__ = ("a",)

    def __init__(self, a):
        self.a = a


class WithSetter(Momentum):
    @property
    def rate(self):
        return self.lr

    @rate.setter
    def rate(self, value):
        self.lr = value


def slots_written(w):
    f = Frozen(1.0)
    f.a = 2.0
    return np.sum(w) * f.a


def setter_written(w):
    opt = WithSetter(0.1)
    opt.rate = 0.5
    return np.sum(w) * opt.lr


MODULE_OPT = Momentum(0.1)


def module_object_written(w):
    MODULE_OPT.t = 1
    return np.sum(w)


@pytest.mark.parametrize("fn,match,line", [
    (slots_written, r"defines __slots__ \(s2sgrad does not run it\)", "f.a = 2.0"),
    (setter_written, "which its class defines as a property", "opt.rate = 0.5"),
    (module_object_written, "a module-level or closure object", "MODULE_OPT.t = 1"),
])
def test_writes_that_run_class_code_or_change_module_objects_are_refused(fn, match, line):
    refused(fn, W0, match=match, line=line)


# ---------------------------------------------------------------- reads of an object's values stay as Python's
class Holder:
    def __init__(self, x):
        self.m = {"a": x}


def element_container_aliased(x):
    h = Holder(x)
    m = h.m
    m["a"] = 3 * x  # Python changes h.m["a"] too
    return np.sum(h.m["a"])


def element_container_updated(x):
    h = Holder(x)
    m = h.m
    m.update({"a": 3 * x})
    return np.sum(h.m["a"])


@pytest.mark.parametrize("fn", [element_container_aliased, element_container_updated])
def test_a_write_into_a_dict_an_object_holds_through_another_name_is_refused(fn):
    # (was a silent wrong gradient: 1 where Python's function has 3)
    refused(fn, W0, match="would also change an element of 'h'", line="m")


def scalar_read_then_method(w):
    opt = Momentum(0.1)
    lr, t0 = opt.lr, opt.t  # values read out: a method rebinding attributes leaves them as they were
    w = opt.step(w, w * w)
    return np.sum(w) * (lr + t0 + opt.t)


def test_values_read_before_a_method_keep_what_they_were():
    exact(scalar_read_then_method, W0)


@pytest.mark.parametrize("fn", [momentum_training, adam_state, changes_in_branches_and_statements])
def test_forward_mode_and_hessians_of_changing_objects(fn):
    import s2sgrad
    v = RNG.standard_normal(3)
    g = s2sgrad.grad(fn)(W0, X, Y)
    _, tangent = s2sgrad.jvp(fn, (W0, X, Y), (v, np.zeros_like(X), np.zeros_like(Y)))
    assert np.isclose(tangent, g @ v, rtol=1e-10)  # forward against reverse (the dot-product test)
    H = s2sgrad.hessian(fn)(W0, X, Y)
    eps = 1e-5
    fd = np.array([(s2sgrad.grad(fn)(W0 + eps * e, X, Y) - s2sgrad.grad(fn)(W0 - eps * e, X, Y)) / (2 * eps)
                   for e in np.eye(3)])
    np.testing.assert_allclose(H, fd, rtol=1e-5, atol=1e-6)


# ------------------------------------------------- nested loops at run time; attributes in one branch
def momentum_in_nested_loops(w, X, Y, epochs=2, batches=3):
    opt = Momentum(0.1)
    for e in range(epochs):
        for b in range(batches):
            g = 2 * X.T @ (X @ w - Y) / len(Y)
            w = opt.step(w, g)
    return np.sum((X @ w - Y) ** 2)


def counter_in_nested_loops(w, X, Y, epochs=2, batches=3):
    opt = Momentum(0.1)
    for e in range(epochs):
        for b in range(batches):
            opt.t += 1
            w = w - opt.lr / opt.t * (2 * X.T @ (X @ w - Y) / len(Y))
    return np.sum((X @ w - Y) ** 2) + opt.t


class ArrayMomentum:
    def __init__(self, w):
        self.v = np.zeros_like(w)

    def step(self, w, g):
        self.v += g
        return w - 0.1 * self.v


def array_momentum_in_nested_loops(w, X, Y):
    opt = ArrayMomentum(w)
    for e in range(2):
        for b in range(3):
            w = opt.step(w, 2 * X.T @ (X @ w - Y) / len(Y))
    return np.sum(w)


@pytest.mark.parametrize("fn", [momentum_in_nested_loops, counter_in_nested_loops])
def test_a_number_attribute_updated_in_nested_loops_at_run_time(fn):
    # (refused before as an array updated in place: the first flattening pass of the loop, thrown
    # away when the object became the loop's variables, left its check under a name no longer there)
    exact(fn, W0, X, Y)


def test_an_array_attribute_updated_in_place_in_nested_loops_stays_refused():
    refused(array_momentum_in_nested_loops, W0, X, Y, match=r"'\.v op= \.\.\.' updates the array", line="self.v +=")


def attribute_in_one_branch(w, c):
    opt = Momentum(0.1)
    if c > 0:
        opt.scale = 2.0
        w = w * opt.scale
    return np.sum(w * opt.lr)


def attribute_in_one_branch_read_after(w, c):
    opt = Momentum(0.1)
    if c > 0:
        opt.scale = 2.0
    return np.sum(w * opt.scale)


class Scaled(Momentum):
    scale = 1.0


def class_attribute_shadowed_in_one_branch(w, c):
    opt = Scaled(0.1)
    if c > 0:
        opt.scale = 2.0
    return np.sum(w * opt.scale)


def test_an_attribute_one_branch_sets():
    # kept where nothing reads it after the `if`; reading it there is refused (Python raises
    # AttributeError on the other path), and so is one a class attribute would stand in for
    for c in (1.0, -1.0):
        exact(attribute_in_one_branch, W0, c)
    refused(attribute_in_one_branch_read_after, W0, 1.0, match="has no attribute 'scale'",
            line="return np.sum(w * opt.scale)")
    refused(class_attribute_shadowed_in_one_branch, W0, 1.0, match="leaves it on a different container",
            line="return np.sum(w * opt.scale)")


class RunningMean:
    """Methods named like a dict's or list's (update, pop): the class's, called on self and on a
    variable holding the object -- not the dict method of that name."""

    def __init__(self, n):
        self.mean = np.zeros(n)
        self.count = 0

    def update(self, b):
        self.mean = 0.9 * self.mean + 0.1 * b
        self.count += 1

    def pop(self):
        self.count -= 1
        return self.mean * 2.0

    def __call__(self, b, train=True):
        if train:
            self.update(b)
        return b - self.mean


def running_mean(w):
    rm = RunningMean(3)
    out = 0.0
    for k in range(2):
        out = out + np.sum(rm(w * (k + 1)) ** 2)
    rm.update(np.sin(w))
    last = rm.pop()
    return out + np.sum(last * w) + rm.count


def test_methods_named_like_a_dicts_are_the_classes_own():
    exact(running_mean, W0)
