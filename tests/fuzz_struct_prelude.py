"""The classes and helpers every program of the structure fuzzer (tests/fuzz_struct.py) calls.

This file is not imported by the fuzzer: its text is the head of every generated module, so that
s2sgrad reads user classes (__call__, forward, @property, @staticmethod, inheritance, a dataclass)
and helpers (defaults, keyword-only arguments, functions passed as arguments, loops over lists of
tuples) defined beside the function it differentiates, as users write them.  The generator
(tests/fuzz_struct_gen.py) writes calls to exactly these names and signatures.
"""
from dataclasses import dataclass

import numpy as np


class Lin:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def __call__(self, h):
        return np.tanh(self.W @ h + self.b)


class Scaled(Lin):
    gain = 0.5

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

    def forward(self, h):
        return self.act(self.weight @ h + self.b) * self.gain


class Base:
    def __init__(self, W):
        self.W = W

    def __call__(self, h):
        return self.forward(h) + 0.1 * h


class Child(Base):
    def forward(self, h):
        return np.sin(self.W @ h)


class Stack:
    def __init__(self, l1, l2):
        self.l1 = l1
        self.l2 = l2

    def __call__(self, h):
        return self.l2(self.l1(h))


class Acc:
    """An object that changes, as an optimiser's state does: its methods set attributes (numbers and
    arrays) and branch on data."""

    def __init__(self, v):
        self.t = 0
        self.v = v * 1.0
        self.u = v * 0.5

    def push(self, h):
        self.t += 1
        self.v = 0.8 * self.v + np.tanh(h)
        return self.v * self.t

    def record(self, h):
        self.u = self.u * 0.5 + h
        if np.sum(h) > 0:
            self.v = self.v + self.u
        else:
            self.t = self.t + 2


class Moments:
    """An object holding a dict of its own, written by element (an optimiser's moments by name)."""

    def __init__(self, v):
        self.t = 0
        self.m = {"a": v * 1.0, "b": v * 0.5}

    def bump(self, k, h):
        self.t += 1
        self.m[k] = 0.9 * self.m[k] + np.tanh(h)
        return self.m[k] * self.t

    def total(self):
        out = 0.0
        for k, x in self.m.items():
            out = out + x
        return out

    def table(self):
        return self.m  # (its dict, returned: a second holder)


class Cell:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def step(self, x, h):
        hn = np.tanh(self.W @ h + x + self.b)
        return hn, hn * 0.5 + h * 0.5


@dataclass
class P:
    W: np.ndarray
    b: np.ndarray

    def apply(self, h):
        return np.tanh(self.W @ h) + self.b


def h_pair(p, c=0.5):
    return np.tanh(p) * c, np.sin(p)


def rk4(fun, y, dt=0.1):
    k1 = fun(y)
    k2 = fun(y + dt / 2 * k1)
    k3 = fun(y + dt / 2 * k2)
    k4 = fun(y + dt * k3)
    return y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


def euler(fun, y, dt=0.1, *, steps=2):
    for _ in range(steps):
        y = y + dt * fun(y)
    return y


def h_apply(fun, h, scale=1.0):
    return fun(h) * scale


def h_list_sum(hs):
    tot = 0.0
    for h in hs:
        tot = tot + np.sum(np.tanh(h))
    return tot


def h_layers(layers, h):
    for W, b in layers:
        h = np.tanh(W @ h + b)
    return h


class Multi:
    def __init__(self, Ws, c):
        self.Ws = Ws
        self.c = c

    def __call__(self, h):
        for W in self.Ws:
            h = np.tanh(W @ h) * self.c
        return h

    def forward(self, h, scale=1.0):
        return Multi.__call__(self, h) * scale + self.first(h)

    def first(self, h):
        return self.Ws[0] @ h * 0.1


def block(p, h, *, key="Q"):
    return np.tanh(p[key] @ h + p["b"])


def h_steps(layers, h):
    hs = []
    for i, (W, b) in enumerate(layers):
        h = np.tanh(W @ h + b) * (i + 1) * 0.5
        hs.append(h)
    return hs[-1] + np.sum(np.stack(hs), axis=0) * 0.1


def g_mod(t):
    return np.sin(t) * 0.5


def h_get(d, key="h"):
    return d[key] * 1.0


def h_rec(h, c=0.5):
    out = {"h": np.tanh(h), "ab": (h * c, np.sum(h))}
    return out


def h_push(hs, h):
    hs.append(h * 1.0)


relu = lambda z: np.maximum(z, 0.0)  # noqa: E731 (module-level lambdas bound to names)
softplus = lambda z: np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0.0)  # noqa: E731
sq_norm = lambda z: np.sum(z ** 2)  # noqa: E731


def h_nest(h, c=0.5):
    return np.tanh(h) * c, (np.sin(h), np.sum(h * h))


def h_stats(h):
    return h * 2.0, (np.mean(h), np.std(h) + 0.1)


def h_record(cache, name, h):
    cache[name] = h


def h_zero_first(a):
    a[0] = 0.0
