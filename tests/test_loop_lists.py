"""Lists made anew in each pass of a loop (ad/lists.loop_lists): a list comprehension inside a
loop, a helper building a list inlined in one, a list of states rebuilt per pass -- refused before
("the list 'items' is created inside a loop"; the fifth survey's image-source room).  Each pass's
list is recorded with the pass's other values; its reverse starts from an empty adjoint and its own
length.  Checked against finite differences (and forward mode, through check_grads)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def feats(x, k):
    out = []
    for j in range(k):
        out.append(np.sin(x * (j + 1)))
    return np.stack(out)


def recurrent(x, n):
    total = 0.0
    for i in range(n):
        F = feats(x * i, 3)
        hs = [x]
        for t in range(3):
            hs.append(np.tanh(hs[-1] + F[t]))
        acc = 0.0
        for h in hs:
            acc = acc + np.sum(h * x)
        total = total + acc + np.sum(hs[-2] ** 2)
    return total


def comprehension_in_while(x, n):
    total = 0.0
    i = 0
    while i < n:
        parts = [x[j] * i for j in range(3)]
        total = total + np.sum(np.concatenate([np.atleast_1d(p) for p in parts]) ** 2)
        i += 1
    return total


def stacked_per_step(W, xs):
    loss = 0.0
    for x in xs:
        rows = [np.tanh(W @ x * k) for k in (1.0, 2.0)]
        loss = loss + np.sum(np.stack(rows) ** 2)
    return loss


RNG = np.random.default_rng(9)


def test_lists_of_one_pass():
    x = RNG.uniform(0.1, 1.0, 3)
    check_grads(recurrent, (x, 4), wrt=0)
    check_grads(comprehension_in_while, (x, 4), wrt=0)
    check_grads(stacked_per_step, (RNG.standard_normal((2, 3)), RNG.standard_normal((5, 3))), wrt=0)


def test_checkpointing_such_a_loop_recomputes_its_lists_anew():
    # (refused before: a list made anew in each pass is made anew when a segment is recomputed)
    x = np.array([0.3, -0.2, 0.5])
    value, grad = differentiate(recurrent, wrt=0, checkpoint=True).value_and_grad(x, 6)
    want_value, want_grad = differentiate(recurrent, wrt=0).value_and_grad(x, 6)
    assert value == want_value
    np.testing.assert_allclose(grad, want_grad, rtol=1e-13, atol=1e-13)
    with pytest.raises(S2SGradError, match="checkpointing the loop"):  # a list made before the loop
        differentiate(appends_across_passes, wrt=0, checkpoint=True).grad(x, 4)


def appends_across_passes(x, n):
    hs = [x]
    for i in range(n):
        hs.append(np.tanh(hs[-1] * 1.1))
    return np.sum(np.stack(hs))


def simulate_with_a_comprehension(x, n):
    w = np.stack([x * k for k in range(3)])  # a loop appending to a list: recorded, not checkpointed
    for t in range(n):
        x = x + 0.1 * np.tanh(w @ x)[: x.size]
    return np.sum(x ** 2)


def test_checkpointing_skips_a_comprehension_and_checkpoints_the_loop():
    # (a list comprehension anywhere refused checkpoint=True before)
    x = RNG.standard_normal(3)
    d = differentiate(simulate_with_a_comprehension, wrt=0, checkpoint=True)
    np.testing.assert_allclose(d.grad(x, 20), differentiate(simulate_with_a_comprehension, wrt=0).grad(x, 20),
                               rtol=1e-12)
    assert "# checkpointed (line" in d.grad_source
