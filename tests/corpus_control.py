"""Control-flow functions: every construct alone and nested, with inputs that take every branch."""
import numpy as np

rng = np.random.default_rng(7)
x5 = rng.standard_normal(5)
X = rng.standard_normal((4, 3))


def while_if_vector(a):
    """The tutorial's control-flow example (a vector output: gradients take a seed)."""
    b = a * 2
    while np.linalg.norm(b) < 1000:
        b = b * 2
    if np.sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


def while_if(a):
    return np.sum(while_if_vector(a))


def sin_loop(x, n):
    y = x
    for i in range(n):
        y = np.sin(y) + x
    return np.sum(y)


def elif_chain(x):
    s = np.sum(x)
    if s > 1:
        y = x ** 2
    elif s > -1:
        y = np.sin(x) * s
    else:
        y = -x * 3
    return np.sum(y)


def nested_loops(x, n):
    acc = 0.0
    for i in range(n):
        for j in range(i, n):
            acc = acc + np.sum(np.tanh(x * (i + 1)) * j)
    return acc


def range_step(x):
    y = x
    for i in range(1, 7, 2):
        y = y * np.cos(y) + i
    return np.sum(y)


def loop_break(x):
    y = x
    for i in range(100):
        y = y * 1.1 + np.exp(-y)
        if np.sum(y) > 20:
            break
    return np.sum(y ** 2)


def loop_continue(x):
    total = 0.0
    for i in range(6):
        if i % 2 == 0:
            continue
        total = total + np.sum(np.sin(x * i))
    return total


def while_break(x):
    y = x
    k = 0
    while True:
        y = np.tanh(y) + x
        k = k + 1
        if k >= 4:
            break
    return np.sum(y)


def early_return(x):
    for i in range(10):
        x = x * 1.5
        if np.sum(x ** 2) > 30:
            return np.sum(x ** 3)
    return np.sum(x)


def multi_return(x):
    s = np.sum(x)
    if s > 0:
        return s ** 2
    return np.sum(np.exp(x))


def for_rows(W):
    h = np.zeros(3)
    for row in W:
        h = np.tanh(h + row)
    return np.sum(h ** 2)


def rnn(W, x_seq, h0):
    h = h0
    for t, x_t in enumerate(x_seq):
        h = np.tanh(W @ h + x_t)
    return np.sum(h)


def zip_loop(a, b):
    s = 0.0
    for u, v in zip(a, b):
        s = s + u * v ** 2
    return s


def setitem_loop(x):
    n = x.shape[0]
    y = np.zeros(n)
    y[0] = x[0]
    for i in range(1, n):
        y[i] = y[i - 1] * 0.5 + x[i] ** 2
    return np.sum(y ** 2)


def setitem_accumulate(x):
    y = np.zeros(x.shape[0])
    for i in range(x.shape[0]):
        y[i] += np.exp(x[i])
        y[i] += x[i]
    return np.sum(y * y)


def branch_in_loop(x):
    y = x
    for i in range(6):
        if np.sum(y) > 0:
            y = y * 0.7 - 0.5
        else:
            y = np.exp(y) * 1.2
    return np.sum(y)


def while_data(x):
    y = x
    n = 0
    while np.max(np.abs(y)) < 50 and n < 20:
        y = y * 1.7 + np.sin(y)
        n += 1
    return np.sum(y)


def loop_local_temps(p, T0):
    T = T0
    for step in range(5):
        q = p[0] * (T - 20.0)
        T = T - 0.1 * q + p[1] * np.sqrt(T)
    return T


def overwrite_in_loop(x):
    y = x
    for i in range(4):
        z = np.exp(y)
        y = z * 0.5
    return np.sum(y)


CORPUS = [
    (while_if, (x5,), ("a",)),
    (while_if, (-np.abs(x5),), ("a",)),
    (sin_loop, (x5, 7), ("x",)),
    (elif_chain, (np.abs(x5),), ("x",)),
    (elif_chain, (x5 * 0.01,), ("x",)),
    (elif_chain, (-np.abs(x5),), ("x",)),
    (nested_loops, (x5, 4), ("x",)),
    (range_step, (x5 * 0.3,), ("x",)),
    (loop_break, (x5 * 0.1,), ("x",)),
    (loop_continue, (x5,), ("x",)),
    (while_break, (x5,), ("x",)),
    (early_return, (x5,), ("x",)),
    (early_return, (x5 * 0.01,), ("x",)),
    (multi_return, (np.abs(x5),), ("x",)),
    (multi_return, (-np.abs(x5),), ("x",)),
    (for_rows, (X,), ("W",)),
    (rnn, (rng.standard_normal((3, 3)) * 0.5, X, np.zeros(3)), ("W", "x_seq", "h0")),
    (zip_loop, (x5, x5[::-1].copy()), ("a", "b")),
    (setitem_loop, (x5,), ("x",)),
    (setitem_accumulate, (x5,), ("x",)),
    (branch_in_loop, (x5,), ("x",)),
    (while_data, (x5,), ("x",)),
    (loop_local_temps, (np.array([0.3, 0.2]), 60.0), ("p", "T0")),
    (overwrite_in_loop, (x5 * 0.1,), ("x",)),
]
