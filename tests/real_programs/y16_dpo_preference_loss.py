"""Direct Preference Optimization on a toy causal language model: for each (prompt, chosen,
rejected) triple, the policy's and the frozen reference model's sequence log-probabilities of the
completion tokens are computed with log_softmax and np.take_along_axis, masked to completion
positions; the DPO loss is -log sigmoid(beta * (policy margin - reference margin)), written with
np.logaddexp.  Differentiated w.r.t. the policy's parameter dict only."""
import numpy as np

BETA = 0.1
VOCAB, DIM, CTX = 11, 8, 3


def log_softmax(z):
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def lm_logits(p, tokens):
    """A bag-of-previous-CTX-tokens model: logits[t] predicts tokens[t + 1]."""
    E = p["emb"][tokens]                                   # (T, DIM)
    ctx = np.zeros_like(E)
    for k in range(CTX):
        ctx[k:] += E[: len(tokens) - k] * p["decay"][k]
    h = np.tanh(ctx @ p["W"] + p["b"])
    return h @ p["emb"].T                                  # tied output embedding


def seq_logprob(p, tokens, n_prompt):
    lp = log_softmax(lm_logits(p, tokens)[:-1])
    tok_lp = np.take_along_axis(lp, tokens[1:, None], axis=1)[:, 0]
    mask = np.arange(1, len(tokens)) >= n_prompt
    return np.sum(tok_lp * mask)


def dpo_loss(policy, reference, pairs):
    losses = []
    for prompt, chosen, rejected in pairs:
        seq_c = np.concatenate([prompt, chosen])
        seq_r = np.concatenate([prompt, rejected])
        pi = seq_logprob(policy, seq_c, len(prompt)) - seq_logprob(policy, seq_r, len(prompt))
        ref = seq_logprob(reference, seq_c, len(prompt)) - seq_logprob(reference, seq_r, len(prompt))
        losses.append(np.logaddexp(0.0, -BETA * (pi - ref)))
    return np.mean(losses)


rng = np.random.default_rng(16)
def init():
    return {"emb": 0.5 * rng.standard_normal((VOCAB, DIM)), "W": rng.standard_normal((DIM, DIM)) / np.sqrt(DIM),
            "b": np.zeros(DIM), "decay": np.array([1.0, 0.5, 0.25])}
reference = init()
policy = {k: v + 0.05 * rng.standard_normal(v.shape) for k, v in reference.items()}
pairs = [(rng.integers(0, VOCAB, 4), rng.integers(0, VOCAB, 5), rng.integers(0, VOCAB, 3)) for _ in range(3)]
f = dpo_loss
ARGS = (policy, reference, pairs)
