"""GAN discriminator with spectral normalisation (Miyato et al.): SNLinear layer objects (weights,
bias and a persistent power-iteration vector u) whose __call__ runs a few power iterations on the
fly, divides W by the estimated largest singular value, and applies the layer; a LeakyReLU; the
hinge loss on real and generated mini-batches drawn by a generator function of (start, stop)
slices; an exact spectral norm (np.linalg.norm(W, 2)) regulariser on the last layer.
Differentiated w.r.t. the list of layers."""
import numpy as np


class SNLinear:
    def __init__(self, W, b, u, n_power=2):
        self.W = W
        self.b = b
        self.u = u
        self.n_power = n_power

    def sigma(self):
        u = self.u
        v = None
        for _ in range(self.n_power):
            v = self.W.T @ u
            v = v / np.linalg.norm(v)
            u = self.W @ v
            u = u / np.linalg.norm(u)
        return u @ self.W @ v

    def __call__(self, x):
        return x @ (self.W / self.sigma()).T + self.b


def leaky_relu(x, slope=0.2):
    return np.maximum(x, slope * x)


def batches(n, size):
    for start in range(0, n, size):
        yield start, min(start + size, n)


def discriminator(layers, x):
    h = x
    for i, layer in enumerate(layers):
        h = layer(h)
        if i < len(layers) - 1:
            h = leaky_relu(h)
    return h[:, 0]


def hinge_loss(layers, real, fake, batch=8):
    total = 0.0
    for a, b in batches(len(real), batch):
        d_real = discriminator(layers, real[a:b])
        d_fake = discriminator(layers, fake[a:b])
        total += np.mean(np.maximum(0.0, 1.0 - d_real)) + np.mean(np.maximum(0.0, 1.0 + d_fake))
    reg = np.linalg.norm(layers[-1].W, 2) ** 2
    return total + 0.01 * reg


rng = np.random.default_rng(30)
sizes = [(12, 4), (12, 12), (1, 12)]
layers = [SNLinear(rng.standard_normal(s) / np.sqrt(s[1]), 0.1 * rng.standard_normal(s[0]),
                   rng.standard_normal(s[0])) for s in sizes]
real = rng.standard_normal((20, 4)) + np.array([1.0, 0.0, -1.0, 0.5])
fake = rng.standard_normal((20, 4))
f = hinge_loss
ARGS = (layers, real, fake)
