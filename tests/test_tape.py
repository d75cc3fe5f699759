"""The tape is minimal: only values the adjoint reads and the forward overwrites are recorded."""
import numpy as np

from corpus_control import sin_loop, while_if
from s2sgrad import differentiate
from s2sgrad.testing import record_counts


def test_sin_loop_pushes_one_value_per_iteration():
    f = differentiate(sin_loop)
    counts = record_counts(f, np.ones(4), 10_000)
    assert counts == {"saved_y": 10_000}


def test_doubling_loop_pushes_nothing():
    f = differentiate(while_if)
    counts = record_counts(f, np.array([0.3, -0.2, 0.1]))
    assert counts == {}
    src = f.grad_source
    assert "append" not in src and "saved" not in src
    assert "trips_" in src  # a trip count is all the reverse loop needs


def test_straight_line_code_records_nothing():
    @differentiate(wrt=("W1", "W2"))
    def loss(W1, W2, X, y):
        h = X @ W1
        h = np.maximum(h, 0)   # overwrites h, whose old value the adjoint of maximum reads
        return np.sum((h @ W2 - y) ** 2)
    rng = np.random.default_rng(0)
    args = (rng.standard_normal((5, 4)), rng.standard_normal((4, 2)), rng.standard_normal((3, 5)),
            rng.standard_normal((3, 2)))
    assert record_counts(loss, *args) == {}
    assert "h_before_" in loss.grad_source  # one plain variable keeps the old h: no list


def test_branch_in_loop_records_one_flag_per_iteration():
    def f(x):
        y = x
        for i in range(7):
            if np.sum(y) > 0:
                y = y * 0.5
            else:
                y = y * 3.0
        return np.sum(y)
    d = differentiate(f)
    counts = record_counts(d, np.array([1.0, -0.5]))
    assert list(counts.values()) == [7] and list(counts)[0].startswith("branches_")
