"""Objects of user classes as arguments (PyTorch-style layers) and made in the function: calls,
methods, inherited methods, properties and attributes resolved on the object's class as Python
would (passes/objects.py), gradients checked against finite differences (check_grads, leaf by
leaf), the gradient of an object a dict of its attributes' gradients."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import UnknownFunctionError, UnsupportedSyntaxError
from s2sgrad.testing import LAST_FORWARD_CHECK, check_grads

rng = np.random.default_rng(11)


class Lin:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def __call__(self, x):
        return x @ self.W + self.b


class Scaled(Lin):
    """Inherits __call__; a property and a static method of its own."""
    gain = 0.5  # a class attribute, read as a constant

    def __init__(self, W, b, alpha):
        self.W = W
        self.b = b
        self.alpha = alpha

    @property
    def weight(self):
        return self.W * self.alpha

    @staticmethod
    def act(h):
        return np.tanh(h)

    def forward(self, x):
        return self.act(x @ self.weight + self.b) * self.gain


class MLP:
    def __init__(self, l1, l2):
        self.l1, self.l2 = l1, l2

    def __call__(self, x):
        return self.l2(np.tanh(self.l1(x)))


def loss(layer, x):
    return np.sum(layer(x) ** 2)


def stack(layers, x):
    h = x
    for l in layers:
        h = np.tanh(l(h))
    return np.sum(h ** 2)


def by_method(layer, x):
    return np.sum(layer.forward(x) ** 2) + np.sum(layer.weight) + layer.alpha * np.sum(layer.W)


def nested(model, x):
    return np.sum(model(x) ** 2)


def in_dict(params, x):
    return np.sum(params["enc"](x) * params["scale"])


def lin(n, m, cls=Lin, *extra):
    return cls(rng.standard_normal((n, m)), rng.standard_normal(m), *extra)


X = rng.standard_normal((4, 3))


def test_object_argument_and_its_gradient():
    L = lin(3, 2)
    assert check_grads(loss, (L, X), wrt="layer") < 1e-5
    g = differentiate(loss, wrt="layer").grad(L, X)
    assert set(g) == {"W", "b"}  # a dict keyed by attribute name
    y = X @ L.W + L.b
    assert np.allclose(g["W"], X.T @ (2 * y)) and np.allclose(g["b"], np.sum(2 * y, axis=0))
    step = L.W - 0.1 * g["W"]
    assert step.shape == L.W.shape


def test_list_of_layers_of_two_classes():
    layers = [lin(3, 3), lin(3, 2, Scaled, 0.7)]
    check_grads(stack, (layers, X), wrt="layers")
    check_grads(stack, (layers, X), wrt="x")
    g = differentiate(stack, wrt="layers").grad(layers, X)
    assert isinstance(g, list) and set(g[1]) == {"W", "b", "alpha"}


def test_methods_properties_static_and_inherited():
    S = lin(3, 2, Scaled, 1.3)
    check_grads(by_method, (S, X), wrt="layer")
    v = differentiate(by_method).value_and_grad(S, X)[0]
    assert v == pytest.approx(by_method(S, X), rel=1e-13)
    assert check_grads(loss, (S, X), wrt="layer") < 1e-5  # Lin.__call__, inherited


def test_objects_inside_objects_and_dicts():
    M = MLP(lin(3, 5), lin(5, 2))
    check_grads(nested, (M, X), wrt="model")
    g = differentiate(nested, wrt="model").grad(M, X)
    assert set(g) == {"l1", "l2"} and g["l1"]["W"].shape == (3, 5)
    check_grads(in_dict, ({"enc": lin(3, 2), "scale": 2.0}, X), wrt="params")


def test_attribute_shapes_and_class_are_in_the_signature():
    f = differentiate(loss, wrt="layer")
    f.grad(lin(3, 2), X)
    f.grad(lin(3, 4), X)  # a new attribute shape: recompiled, not reused
    g = f.grad(lin(3, 4, Scaled, 2.0), X)
    assert set(g) == {"W", "b", "alpha"} and len(f._cache) == 3
    L = lin(3, 2)
    f.grad(L, X)
    L.W = rng.standard_normal((3, 6))
    L.b = rng.standard_normal(6)
    assert f.grad(L, X)["W"].shape == (3, 6)


def test_generated_code_reads_attributes_and_inlines_the_call():
    src = differentiate(stack, wrt="layers").compiled_for([lin(3, 3), lin(3, 2)], X).value_and_grad_source
    assert "layers_0_W = layers[0].W" in src or "layers[0].W" in src
    assert "obj_method" not in src and "__call__" not in src


class NotCallable:
    def __init__(self, W):
        self.W = W


class WithClassmethod:
    def __init__(self, W):
        self.W = W

    @classmethod
    def make(cls, x):
        return x


def called(obj, x):
    return np.sum(obj(x))


def missing(obj, x):
    return np.sum(obj.transform(x))


def via_classmethod(obj, x):
    return np.sum(obj.make(x))


@pytest.mark.parametrize("fn,obj,message,line", [
    (called, NotCallable(np.ones(3)), "its class defines no __call__ method", "return np.sum(obj(x))"),
    (missing, NotCallable(np.ones(3)), "'NotCallable' has no method 'transform'", "obj.transform(x)"),
    (via_classmethod, WithClassmethod(np.ones(3)), "'WithClassmethod' has no method 'make'", "obj.make(x)"),
    (missing, np.ones(3), "array method '.transform()' has no differentiation rule", "obj.transform(x)"),
])
def test_refusals_at_the_users_line(fn, obj, message, line):
    with pytest.raises((UnsupportedSyntaxError, UnknownFunctionError)) as e:
        differentiate(fn, wrt="x").grad(obj, np.ones(3))
    assert message in str(e.value) and line in str(e.value) and "test_objects.py:" in str(e.value)


SCALE = 2.0


class Global:
    def __init__(self, W):
        self.W = W

    def __call__(self, x):
        return x @ self.W * SCALE


def test_a_global_read_by_a_method_is_guarded():
    global SCALE
    f = differentiate(loss, wrt="layer")
    G = Global(rng.standard_normal((3, 2)))
    g1 = f.grad(G, X)["W"]
    SCALE = 3.0
    try:
        g2 = f.grad(G, X)["W"]
    finally:
        SCALE = 2.0
    assert np.allclose(g2, g1 * 9 / 4)


def test_seed_and_forward_mode_of_object_arguments():
    L = lin(3, 2)

    def out(layer, x):
        return layer(x)
    check_grads(out, (L, X), wrt="layer")  # a non-scalar output, through a random seed
    check_grads(loss, (L, X), wrt=("layer", "x"))
    assert LAST_FORWARD_CHECK["result"] == "agrees"  # jvp with a dict tangent for the object
    tW, tb = rng.standard_normal((3, 2)), rng.standard_normal(2)
    value, tangent = s2sgrad.jvp(loss, (L, X), ({"W": tW, "b": tb}, None))
    y = X @ L.W + L.b
    assert value == pytest.approx(np.sum(y ** 2), rel=1e-13)
    assert tangent == pytest.approx(np.sum(2 * y * (X @ tW + tb)), rel=1e-12)


GLOBAL_LAYER = Lin(np.ones((3, 2)), np.zeros(2))


def reads_global_object(x):
    return np.sum(GLOBAL_LAYER(x))


class TwoStep:
    def __init__(self, W):
        self.W = W

    def __call__(self, x):
        h = x @ self.W
        return h * 2


def method_in_while(layer, x):
    h = x
    while np.sum(layer(h)) > 100.0:
        h = h * 0.5
    return np.sum(h)


def test_global_object_and_while_condition_refused():
    # (an object read from a global is read like an argument that is not differentiated now:
    # tests/test_global_objects.py)
    np.testing.assert_allclose(differentiate(reads_global_object).grad(X), GLOBAL_LAYER.W.sum(axis=1) * np.ones_like(X))
    with pytest.raises(UnsupportedSyntaxError, match="a method call in a while condition") as e:
        differentiate(method_in_while, wrt="x").grad(TwoStep(np.ones((3, 2))), X)
    assert "while np.sum(layer(h)) > 100.0:" in str(e.value)


def test_a_one_line_method_in_a_while_condition_is_inlined_there():
    L = lin(3, 2)
    x = X * 10 + 5
    assert check_grads(method_in_while, (L, x), wrt=("layer", "x")) < 1e-5
    src = differentiate(method_in_while, wrt="x").compiled_for(L, x).value_and_grad_source
    assert "while np.sum(h @ W + b) > 100.0:" in src


class Cell:
    def __init__(self, Wh, Wx, n):
        self.Wh, self.Wx, self.n = Wh, Wx, n

    def step(self, x, h):
        for i in range(self.n):
            h = np.tanh(h @ self.Wh + x @ self.Wx)
        return h, h * 2


def unrolled_cell(cell, x, h):
    h1, h2 = cell.step(x, h)
    res = cell.step(x, h1)
    h1 = h1 * 3  # res keeps what step returned, whatever h1 becomes
    return np.sum(h1 * h2) + np.sum(res[0] * res[1])


def test_a_method_returning_a_tuple():
    c = Cell(rng.standard_normal((4, 4)) * 0.5, rng.standard_normal((3, 4)), 2)
    args = (c, X, rng.standard_normal((4, 4)))
    assert check_grads(unrolled_cell, args, wrt=("cell", "x", "h")) < 1e-5
    assert differentiate(unrolled_cell).value_and_grad(*args)[0] == pytest.approx(unrolled_cell(*args), rel=1e-13)


class Model:
    def __init__(self):
        self.l1 = lin(3, 5)
        self.l2 = lin(5, 2)

    def loss(self, x):
        return np.sum(self.l2(np.tanh(self.l1(x))) ** 2)


def test_bound_method_with_layers_inside_and_check_grads_of_a_bound_method():
    m = Model()
    assert check_grads(m.loss, (X,)) < 1e-5  # wrt self: every array of both layers
    assert check_grads(differentiate(m.loss), (X,)) < 1e-5
    g = differentiate(m.loss).grad(X)
    assert set(g) == {"l1", "l2"} and set(g["l2"]) == {"W", "b"}


class Caches(Lin):
    def __call__(self, x):
        self.cache = x
        return x @ self.W


class WritesInPlace(Lin):
    def __call__(self, x):
        W = self.W
        W += 1.0
        return x @ W


@pytest.mark.parametrize("cls,message,line", [
    (Caches, "this method of 'Caches' changes its object (self.cache = x at ", "an argument of the differentiated"),
    (WritesInPlace, "updates the array", "W += 1.0"),
])
def test_methods_changing_the_object_are_refused(cls, message, line):
    with pytest.raises(UnsupportedSyntaxError) as e:
        differentiate(loss).grad(lin(3, 2, cls), X)
    assert message in str(e.value) and line in str(e.value) and "test_objects.py:" in str(e.value)


class Slotted:
    __slots__ = ("W",)

    def __init__(self, W):
        self.W = W

    def __call__(self, x):
        return x @ self.W


def reads_attribute(layer, x):
    return np.sum(x @ layer.W)


@pytest.mark.parametrize("fn,message", [(called, "an object with __slots__ has no __dict__"),
                                        (reads_attribute, "an object with __slots__ has no __dict__")])
def test_objects_with_slots_are_refused_saying_why(fn, message):
    with pytest.raises(UnsupportedSyntaxError, match=message):
        differentiate(fn, wrt="x").grad(Slotted(np.ones((3, 2))), X)


def test_the_compiled_object_key_equals_the_walk_and_sees_every_change():
    from s2sgrad.boundary import _OBJECT_KEYS, structure_key, tree_key

    def walk(a):  # the key without the compiled function
        _OBJECT_KEYS.pop(type(a), None)
        return tree_key(a)
    S = lin(3, 2, Scaled, 0.5)
    S.name, S.fn = "enc", np.tanh  # a string (kept, by value) and a function (not kept)
    first = walk(S)
    assert tree_key(S) == first and type(S) in _OBJECT_KEYS
    changes = [("W", np.ones((3, 5))), ("W", np.ones((3, 2), dtype=np.float32)), ("alpha", 2),
               ("name", "dec"), ("fn", np.ones(2)), ("extra", 1.0)]
    for attr, value in changes:
        T = lin(3, 2, Scaled, 0.5)
        T.W, T.name, T.fn = S.W, "enc", np.tanh
        tree_key(S)  # compiled for S's attributes
        setattr(T, attr, value)
        got = tree_key(T)
        assert got == walk(T) and got != first, attr
    assert structure_key("enc") != structure_key("dec")
