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
