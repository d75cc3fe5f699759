"""Functional-programming style: functools.reduce over a list of 2x2 transfer matrices (optics
ABCD), map() with a module function, operator.mul to combine per-element transmissions, and
operator.itemgetter to pick matrix entries; fits lens powers to a target system matrix."""
import functools
import operator

import numpy as np


def thin_lens(power):
    return np.array([[1.0, 0.0], [-power, 1.0]])


def gap(d):
    return np.array([[1.0, d], [0.0, 1.0]])


def system_matrix(powers, gaps):
    elems = []
    for p, d in zip(powers, gaps):
        elems.append(thin_lens(p))
        elems.append(gap(d))
    return functools.reduce(lambda M, E: E @ M, elems, np.eye(2))


def loss(powers, gaps, target, absorb):
    M = system_matrix(powers, gaps)
    transmission = functools.reduce(operator.mul, map(np.exp, [-a * p ** 2 for a, p in zip(absorb, powers)]), 1.0)
    B = operator.itemgetter((0, 1))(M)
    C = M[1, 0]
    return np.sum((M - target) ** 2) + 0.1 * (1.0 - transmission) + 0.01 * (B ** 2 + C ** 2)


powers = np.array([0.5, -0.3, 0.8])
gaps = np.array([1.0, 0.7, 1.5])
target = np.array([[0.2, 1.9], [-0.6, 0.8]])
absorb = [0.05, 0.1, 0.02]

f = loss
ARGS = (powers, gaps, target, absorb)
KW = {"wrt": ("powers", "gaps")}
