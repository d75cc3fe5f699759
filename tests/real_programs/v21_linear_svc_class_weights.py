"""A scikit-learn-flavoured linear SVM (squared hinge, L2) written as a class: C and class_weight
held by the object, a @property for the regularisation strength, a decision_function method, sample
weights from a dict keyed by class label picked with np.where under `if self.class_weight`;
the bound method `svc.objective` is differentiated w.r.t. (w, b)."""
import numpy as np


class LinearSVC:
    def __init__(self, C=1.0, class_weight=None):
        self.C = C
        self.class_weight = class_weight

    @property
    def alpha(self):
        return 1.0 / self.C

    def decision_function(self, w, b, X):
        return X @ w + b

    def sample_weights(self, y):
        if self.class_weight:
            return np.where(y > 0, self.class_weight[1], self.class_weight[-1])
        return np.ones_like(y)

    def objective(self, w, b, X, y):
        margins = y * self.decision_function(w, b, X)
        hinge = np.maximum(0.0, 1.0 - margins) ** 2
        return 0.5 * self.alpha * w @ w + np.sum(self.sample_weights(y) * hinge)


rng = np.random.default_rng(721)
X = np.concatenate([rng.standard_normal((30, 4)) + 1.0, rng.standard_normal((10, 4)) - 1.0])
y = np.concatenate([np.ones(30), -np.ones(10)])
svc = LinearSVC(C=0.5, class_weight={1: 1.0, -1: 3.0})
f = svc.objective
KW = dict(wrt=("w", "b"))
ARGS = (np.array([0.3, 0.2, -0.1, 0.4]), 0.05, X, y)
