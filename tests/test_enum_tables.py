"""Tables of functions (frontend/dispatch.py) keyed by Enum members, picked into a name first
(`act = ACTS[cfg.activation]; act(x)`), with lambdas written inside a dict literal over several
lines (frontend/source.get_source reads the whole file where the lambda's line alone does not
parse): the sixth survey's u35, refused before at each of the three.  Checked against finite
differences and forward mode against reverse (check_grads)."""
from dataclasses import dataclass
from enum import Enum

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


class Act(Enum):
    RELU = "relu"
    TANH = "tanh"
    SOFTPLUS = "softplus"


ACTS = {
    Act.RELU: lambda x: np.maximum(x, 0.0),
    Act.TANH: np.tanh,
    Act.SOFTPLUS: lambda x: np.log1p(np.exp(x)),
}

BY_NAME = {
    "sin": lambda z: np.sin(z) * 2.0,
    "cube": lambda z: z ** 3,
}


@dataclass
class Config:
    act: Act = Act.SOFTPLUS
    scale: float = 1.5


def from_config(x, cfg):
    act = ACTS[cfg.act]  # picked into a name, called later
    return np.sum(act(x * cfg.scale) ** 2)


def from_argument(x, mode):
    return np.sum(ACTS[mode](x))


def local_member(x):
    mode = Act.TANH
    f = ACTS[mode]
    return np.sum(f(x) * x)


def by_name_at_run_time(x, name):
    f = BY_NAME[name]
    y = f(x)
    return np.sum(y * x)


X = np.random.default_rng(4).standard_normal(5)


@pytest.mark.parametrize("act", list(Act))
def test_enum_member_of_a_config_object(act):
    check_grads(from_config, (X, Config(act)), wrt=0)


def test_enum_member_as_an_argument():
    for mode in Act:
        check_grads(from_argument, (X, mode), wrt=0)


def test_enum_member_bound_locally():
    check_grads(local_member, (X,), wrt=0)


@pytest.mark.parametrize("name", ["sin", "cube"])
def test_lambdas_of_a_dict_over_several_lines(name):
    check_grads(by_name_at_run_time, (X, name), wrt=0)


def member_as_a_value(x, cfg):
    return np.sum(x) if cfg.act == Act.RELU else np.sum(x ** 2)


def member_returned(x):
    m = Act.RELU
    if np.sum(x) > 0:
        m = Act.TANH
    return np.sum(ACTS[m](x))


def test_a_member_compared_when_compiling():
    check_grads(member_as_a_value, (X, Config(Act.RELU)), wrt=0)
    check_grads(member_as_a_value, (X, Config(Act.TANH)), wrt=0)


def test_a_member_known_only_at_run_time_is_refused():
    with pytest.raises(S2SGradError, match="Enum member"):
        differentiate(member_returned).grad(X)


def test_the_generated_code_names_the_member_it_was_made_for():
    c = differentiate(from_argument, wrt=0).compiled_for(X, Act.RELU)
    assert "mode: Act.RELU" in c.value_and_grad_source
    assert "type(mode).__name__ == 'Act' and mode.name == 'RELU'" in c.guard


LOSSES = {
    "double": lambda x: np.sum(2.0 * x ** 2),
    "triple": lambda x: np.sum(3.0 * x ** 2),
}
PAIR = [lambda x: np.sum(x ** 2), lambda x: np.sum(x ** 3)]


def test_each_lambda_of_a_literal_is_its_own():
    # (the second of a dict's lambdas was refused as an edited file: the source check compared the
    # first lambda's code; two lambdas on one line are told apart by the column of their bodies)
    np.testing.assert_allclose(differentiate(LOSSES["triple"]).grad(X), 6.0 * X)
    np.testing.assert_allclose(differentiate(LOSSES["double"]).grad(X), 4.0 * X)
    np.testing.assert_allclose(differentiate(PAIR[1]).grad(X), 3.0 * X ** 2)
    np.testing.assert_allclose(differentiate(PAIR[0]).grad(X), 2.0 * X)


BY_PAIR = {(1, 2): np.sin, (3, 4): np.cos}


def picked_by_a_tuple_key(x):
    act = BY_PAIR[(1, 2)]
    return np.sum(act(x))


def test_a_table_dispatch_does_not_read_is_not_picked():
    # (tuple keys: `act = BY_PAIR[(1, 2)]` was taken for a pick, then its call found no table)
    with pytest.raises(S2SGradError):
        differentiate(picked_by_a_tuple_key).grad(X)
