import numpy as np

def init_params(sizes, rng):
    params = {}
    for i in range(len(sizes) - 1):
        params[f"W{i+1}"] = rng.standard_normal((sizes[i], sizes[i+1])) * np.sqrt(2.0 / sizes[i])
        params[f"b{i+1}"] = np.zeros(sizes[i+1])
    return params

def relu(x):
    return np.maximum(0, x)

def loss(params, X, y):
    h1 = relu(X @ params["W1"] + params["b1"])
    h2 = relu(h1 @ params["W2"] + params["b2"])
    logits = h2 @ params["W3"] + params["b3"]
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    N = X.shape[0]
    data_loss = -np.mean(log_probs[np.arange(N), y])
    reg = 1e-3 * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2) + np.sum(params["W3"] ** 2))
    return data_loss + reg

rng = np.random.default_rng(0)
X = rng.standard_normal((32, 8))
y = rng.integers(0, 4, size=32)
params = init_params([8, 16, 16, 4], rng)
for k in params:
    params[k] = params[k] + 0.01 * rng.standard_normal(params[k].shape)
f = loss
ARGS = (params, X, y)

if __name__ == "__main__":
    print(loss(params, X, y))
