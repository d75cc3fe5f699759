"""Hypernetwork for a family of regression tasks (sine waves of different amplitude and phase):
a linear hypernetwork maps a task embedding to the flat parameter vector of a small target MLP;
the flat vector is cut into weight matrices using a module-level list of shapes, sizes by
math.prod, offsets by itertools.accumulate, and reshape; the target network runs on each task's
points (tasks as a list of dicts from a list comprehension), the mean squared error is averaged
over tasks, differentiated w.r.t. the hypernetwork's parameters and the task embeddings."""
import itertools
import math

import numpy as np

TARGET_SHAPES = [(1, 12), (12,), (12, 1), (1,)]


def unflatten(flat):
    sizes = [math.prod(s) for s in TARGET_SHAPES]
    ends = list(itertools.accumulate(sizes))
    starts = [0] + ends[:-1]
    return [flat[a:b].reshape(s) for a, b, s in zip(starts, ends, TARGET_SHAPES)]


def target_net(weights, x):
    W1, b1, W2, b2 = weights
    return np.tanh(x @ W1 + b1) @ W2 + b2


def meta_loss(hyper, task_emb, tasks):
    losses = []
    for z, task in zip(task_emb, tasks):
        flat = hyper["A"] @ z + hyper["c"]
        pred = target_net(unflatten(flat), task["x"])
        losses.append(np.mean((pred - task["y"]) ** 2))
    return np.mean(losses)


rng = np.random.default_rng(2323)
n_params = sum(math.prod(s) for s in TARGET_SHAPES)
tasks = [{"x": x[:, None], "y": (a * np.sin(x + ph))[:, None]}
         for a, ph, x in [(rng.uniform(0.5, 2), rng.uniform(0, np.pi), rng.uniform(-3, 3, 20)) for _ in range(5)]]
hyper = {"A": 0.1 * rng.standard_normal((n_params, 4)), "c": 0.3 * rng.standard_normal(n_params)}
task_emb = 0.5 * rng.standard_normal((5, 4))
f = meta_loss
ARGS = (hyper, task_emb, tasks)
KW = dict(wrt=("hyper", "task_emb"))
