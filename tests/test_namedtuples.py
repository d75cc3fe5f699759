"""Named tuples of constants (passes/namedtuples.py): `arm.m1` of a module-level `Arm(...)` read
directly, passed to a helper, as a helper's default (`arm=ARM`), or passed as an argument.  A named
tuple cannot change, so a field is its value.  Before, each was refused ("'ARM.m1' is a property
or slot", "attribute '.m1' of something that is not an object argument")."""
from collections import namedtuple

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads

Arm = namedtuple("Arm", ["m1", "l1", "name"])
ARM = Arm(m1=1.0, l1=0.5, name="two-link")
X = np.array([1.0, 2.0, -0.5])


def helper(x, arm=ARM):
    return arm.m1 * x ** 2 + arm.l1


def by_default(x):
    return np.sum(helper(x))


def read_directly(x):
    return np.sum(ARM.m1 * x + ARM.l1 * x ** 3) + len(ARM.name)


def passed_to_a_helper(x):
    return np.sum(helper(x, ARM)) + ARM[1]


def as_an_argument(x, arm):
    m1, l1, _ = arm
    return np.sum(arm.m1 * x ** 3 + l1 * x)


@pytest.mark.parametrize("fn", [by_default, read_directly, passed_to_a_helper])
def test_fields_of_a_module_level_named_tuple(fn):
    check_grads(differentiate(fn), (X,))


def test_a_named_tuple_argument_is_specialised_on_its_values():
    d = differentiate(as_an_argument)
    assert np.allclose(d.grad(X, ARM), 3 * X ** 2 + 0.5, rtol=1e-12)
    other = Arm(m1=2.0, l1=-1.0, name="x")
    assert np.allclose(d.grad(X, other), 6 * X ** 2 - 1.0, rtol=1e-12)
    assert np.allclose(d.grad(X, ARM), 3 * X ** 2 + 0.5, rtol=1e-12)


class_fields = namedtuple("Tyre", ["B", "C"])


def tyre_force(t, slip):
    return np.sum(t.B * np.sin(t.C * np.arctan(slip))) + t[0] ** 2


def test_a_named_tuple_of_numbers_differentiated_by_field():
    # (once converted to an array as a tuple of numbers is, then refused at t.B: now a container)
    value, (gt, gslip) = differentiate(tyre_force, wrt=(0, 1)).value_and_grad(class_fields(1.5, 0.8), X)
    assert type(gt) is class_fields and value == pytest.approx(tyre_force(class_fields(1.5, 0.8), X))
    check_grads(differentiate(tyre_force, wrt=(0, 1)), (class_fields(1.5, 0.8), X))
    g = differentiate(tyre_force).grad(class_fields(2.0, 0.3), X)  # (another value: the same code)
    h = 1e-6
    fd = (tyre_force(class_fields(2.0, 0.3 + h), X) - tyre_force(class_fields(2.0, 0.3 - h), X)) / (2 * h)
    assert g.C == pytest.approx(fd, rel=1e-7)


Cfg = namedtuple("Cfg", ["axis", "scale", "squared"])


def configured(x, cfg):
    y = np.sum(x * cfg.scale, axis=cfg.axis)  # (an int field where a rule needs a constant)
    return np.sum(y ** 2 if cfg.squared else y)


def test_a_named_tuples_ints_and_bools_are_compiled_in_by_value():
    M = np.arange(6.0).reshape(2, 3) / 5
    d = differentiate(configured)
    for cfg in (Cfg(0, 2.0, True), Cfg(1, 2.0, True), Cfg(1, 0.5, False), Cfg(0, 2.0, True)):
        check_grads(d, (M, cfg))


Tyre = namedtuple("Tyre", ["B", "C", "D"])


def axle_forces(tyres, slip):
    front, rear = tyres  # (a tuple of named tuples: each one's fields by name)
    return sum(t.D * np.sin(t.C * np.arctan(t.B * s)) for t, s in ((front, slip), (rear, 0.5 * slip)))


def test_a_tuple_of_named_tuples_differentiated():
    tyres = (Tyre(9.0, 1.8, 0.95), Tyre(11.0, 1.7, 0.9))
    value, g = differentiate(axle_forces).value_and_grad(tyres, 0.05)
    assert value == pytest.approx(axle_forces(tyres, 0.05)) and type(g[0]) is Tyre
    h = 1e-6
    for i, field in ((0, "B"), (1, "C")):
        up = list(tyres)
        up[i] = tyres[i]._replace(**{field: getattr(tyres[i], field) + h})
        dn = list(tyres)
        dn[i] = tyres[i]._replace(**{field: getattr(tyres[i], field) - h})
        fd = (axle_forces(tuple(up), 0.05) - axle_forces(tuple(dn), 0.05)) / (2 * h)
        assert getattr(g[i], field) == pytest.approx(fd, rel=1e-6)
