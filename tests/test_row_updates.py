"""`for row in A: row /= row.sum()` (survey program y28, a Baum-Welch step normalising the rows of
its count matrices): the row updated in place through the loop's name is the write into A it is,
`A[i] /= row.sum(); row = A[i]` (frontend/row_updates.py); a second loop reusing the name no longer
makes the alias fence think the first loop's rows are the second's (frontend/aliasing._dead_after).
Values against the plain function, gradients against central differences; the caller's array is
still never written into."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def normalised(x):
    A = np.outer(x, x) + 1.0
    B = np.outer(x, x ** 2) + 2.0
    for row in A:
        row /= row.sum()
    for row in B:
        if row[0] > 2.1:
            row *= 2.0
        row -= row.mean()
    last = row  # (Python's loop leaves row viewing B's last row)
    return np.sum(A * x) + np.sum(B * x) + np.sum(last ** 2)


def rows_of_a_list(x):
    rows = [x * 1.0, x * 2.0, x ** 2]
    for r in rows:
        r += 1.0
    return np.sum(np.stack(rows) * x)


def test_rows_updated_in_place_differentiate_as_numpy_runs_them():
    x = np.array([0.3, 0.5, 1.2])
    check_grads(normalised, (x,))
    check_grads(normalised, (np.array([0.1, -0.5, 2.2]),))
    assert differentiate(normalised).value_and_grad(x)[0] == normalised(x)


def test_arrays_of_a_list_updated_in_place_are_refused_at_the_users_line():
    # (each array of the list may be held by other names too: refused, as rows[i] += 1.0 is)
    with pytest.raises(S2SGradError, match="an update in place of an element of a list") as e:
        differentiate(rows_of_a_list).grad(np.array([0.3, 0.5, 1.2]))
    assert "r += 1.0" in str(e.value)


def of_the_callers(A):
    for row in A:
        row /= row.sum()
    return np.sum(A)


def test_rows_of_the_callers_array_are_still_refused():
    with pytest.raises(S2SGradError, match="would change the caller's array"):
        differentiate(of_the_callers).grad(np.ones((2, 3)))


def scalar_items(x):
    A = x * 2.0
    for v in A:
        v *= 3.0  # (Python: v is a number, rebound; A is unchanged)
    return np.sum(A)


def test_items_that_are_numbers_are_refused_when_it_runs():
    with pytest.raises(S2SGradError, match="the loop's items are numbers here") as e:
        differentiate(scalar_items).grad(np.array([0.3, 0.5]))
    assert "for v in A:" in str(e.value)
