import numpy as np

def sigmoid(x):
    return 1 / (1 + np.exp(-x))

def vae_loss(params, x):
    # encoder
    h = np.tanh(x @ params["enc_W"] + params["enc_b"])
    mu = h @ params["mu_W"] + params["mu_b"]
    logvar = h @ params["lv_W"] + params["lv_b"]
    # reparameterization trick
    eps = np.random.randn(*mu.shape)
    z = mu + np.exp(0.5 * logvar) * eps
    # decoder
    h_dec = np.tanh(z @ params["dec_W"] + params["dec_b"])
    x_recon = sigmoid(h_dec @ params["out_W"] + params["out_b"])
    bce = -np.sum(x * np.log(x_recon + 1e-8) + (1 - x) * np.log(1 - x_recon + 1e-8))
    kl = -0.5 * np.sum(1 + logvar - mu ** 2 - np.exp(logvar))
    return (bce + kl) / x.shape[0]

rng = np.random.default_rng(11)
D, H, Z = 12, 8, 2
params = {
    "enc_W": rng.standard_normal((D, H)) * 0.3, "enc_b": np.zeros(H) + 0.01,
    "mu_W": rng.standard_normal((H, Z)) * 0.3, "mu_b": np.zeros(Z) + 0.01,
    "lv_W": rng.standard_normal((H, Z)) * 0.3, "lv_b": np.zeros(Z) + 0.01,
    "dec_W": rng.standard_normal((Z, H)) * 0.3, "dec_b": np.zeros(H) + 0.01,
    "out_W": rng.standard_normal((H, D)) * 0.3, "out_b": np.zeros(D) + 0.01,
}
x = (rng.random((6, D)) > 0.5).astype(np.float64)
f = vae_loss
SEEDED = True
ARGS = (params, x)
