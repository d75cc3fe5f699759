"""VAE with a mixed latent: a categorical code relaxed with Gumbel-softmax (noise drawn with
np.random.rand) and a Gaussian code (reparameterized with np.random.randn); ELBO with the
categorical KL to a uniform prior and the closed-form KL between two diagonal Gaussians (a learned
prior)."""
import numpy as np


def softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def kl_diag_gauss(mu_q, logvar_q, mu_p, logvar_p):
    return 0.5 * np.sum(logvar_p - logvar_q + (np.exp(logvar_q) + (mu_q - mu_p) ** 2) / np.exp(logvar_p) - 1.0,
                        axis=-1)


def neg_elbo(params, X, tau=0.7, K=4, Z=2):
    enc = np.tanh(X @ params["W_enc"] + params["b_enc"])
    logits = enc @ params["W_cat"]
    mu, logvar = np.split(enc @ params["W_gauss"], 2, axis=1)
    u = np.random.rand(*logits.shape)
    gumbel = -np.log(-np.log(u + 1e-20) + 1e-20)
    y = softmax((logits + gumbel) / tau)
    z = mu + np.exp(0.5 * logvar) * np.random.randn(*mu.shape)
    h = np.tanh(np.hstack([y, z]) @ params["W_dec1"])
    x_logits = h @ params["W_dec2"]
    recon = np.sum(np.logaddexp(0.0, x_logits) - X * x_logits, axis=1)
    q = softmax(logits)
    kl_cat = np.sum(q * (np.log(q + 1e-20) + np.log(K)), axis=1)
    prior_mu = y @ params["prior_mu"]
    kl_g = kl_diag_gauss(mu, logvar, prior_mu, np.full_like(mu, params["prior_logvar"]))
    return np.mean(recon + kl_cat + kl_g)


rng = np.random.default_rng(514)
D, H, K, Z = 10, 12, 4, 2
params = {
    "W_enc": rng.standard_normal((D, H)) * 0.3, "b_enc": np.zeros(H),
    "W_cat": rng.standard_normal((H, K)) * 0.5, "W_gauss": rng.standard_normal((H, 2 * Z)) * 0.3,
    "W_dec1": rng.standard_normal((K + Z, H)) * 0.5, "W_dec2": rng.standard_normal((H, D)) * 0.5,
    "prior_mu": 0.3 * rng.standard_normal((K, Z)), "prior_logvar": -0.2,
}
X = (rng.random((16, D)) < 0.4).astype(float)

f = neg_elbo
SEEDED = True
ARGS = (params, X)
