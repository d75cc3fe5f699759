"""Generated code compiles, is deterministic, and passes pyflakes (no undefined or unused names)."""
import re

import pytest

from corpus_control import CORPUS as CONTROL
from corpus_straight import CORPUS as STRAIGHT
from s2sgrad import differentiate

pyflakes_api = pytest.importorskip("pyflakes.api")


class _Collect:
    def __init__(self):
        self.messages = []

    def unexpectedError(self, filename, msg):
        self.messages.append(msg)

    def syntaxError(self, filename, msg, lineno, offset, text):
        self.messages.append(msg)

    def flake(self, message):
        self.messages.append(str(message))


def _lint(src):
    r = _Collect()
    pre = "import numpy as np\nfrom s2sgrad.runtime import stop_gradient, unbroadcast, matmul_grad_x, matmul_grad_y\n"
    pyflakes_api.check(pre + src, "generated.py", r)
    r.messages = [m for m in r.messages if "imported but unused" not in m]
    return r.messages


@pytest.mark.parametrize("fn,args,wrt", STRAIGHT + CONTROL, ids=lambda v: getattr(v, "__name__", ""))
def test_generated_source_is_clean_and_deterministic(fn, args, wrt):
    f = differentiate(fn, wrt=wrt)
    c1 = f.compiled_for(*args)
    g = differentiate(fn, wrt=wrt)
    c2 = g.compiled_for(*args)
    assert c1.value_and_grad_source == c2.value_and_grad_source
    assert c1.grad_source == c2.grad_source
    for src in (c1.value_and_grad_source, c1.grad_source):
        assert _lint(src) == [], src
        assert not re.search(r"\b_\w*\d", src), src  # no _t17-style temporaries


def test_generic_source_before_any_call():
    @differentiate
    def f(x, b):
        return (x + b).sum()
    src = f.grad_source
    assert "unbroadcast" in src  # no shapes known yet: checked at run time
    assert _lint(src) == []
