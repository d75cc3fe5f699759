"""Noise-conditional denoising score matching (NCSN) on 2-D data: a ScoreNet class with __call__,
a @staticmethod activation and a @property, geometric noise levels, per-example sigma drawn with
np.random.randint and noise from np.random.normal; wrt the network object."""
import numpy as np

SIGMAS = np.geomspace(1.0, 0.05, 8)


class ScoreNet:
    def __init__(self, rng, hidden=24):
        self.W1 = rng.standard_normal((3, hidden)) / np.sqrt(3)
        self.b1 = np.zeros(hidden)
        self.W2 = rng.standard_normal((hidden, hidden)) / np.sqrt(hidden)
        self.b2 = np.zeros(hidden)
        self.W3 = rng.standard_normal((hidden, 2)) / np.sqrt(hidden)

    @staticmethod
    def act(x):
        return np.log1p(np.exp(x))

    @property
    def weights(self):
        return [self.W1, self.W2, self.W3]

    def __call__(self, x, sigma):
        h = np.concatenate([x, np.log(sigma)], axis=1)
        h = self.act(h @ self.W1 + self.b1)
        h = self.act(h @ self.W2 + self.b2)
        return (h @ self.W3) / sigma


def dsm_loss(net, x, weight_decay=1e-4):
    idx = np.random.randint(len(SIGMAS), size=len(x))
    sigma = SIGMAS[idx][:, None]
    z = np.random.normal(size=x.shape)
    score = net(x + sigma * z, sigma)
    loss = 0.5 * np.mean(np.sum((sigma * score + z) ** 2, axis=1))
    return loss + weight_decay * sum(np.sum(w ** 2) for w in net.weights)


rng = np.random.default_rng(625)
centers = np.array([[-1.0, 0.0], [1.0, 0.5], [0.0, -1.2]])
x = centers[rng.integers(0, 3, 96)] + 0.15 * rng.standard_normal((96, 2))
net = ScoreNet(rng)

f = dsm_loss
ARGS = (net, x)
SEEDED = True
