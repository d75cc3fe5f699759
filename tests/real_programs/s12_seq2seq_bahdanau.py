"""Encoder-decoder with additive (Bahdanau) attention: a GRU cell class used for the encoder and the
decoder, attention scores v . tanh(W_h h_enc + W_s s_dec), context vectors from a softmax over
source positions, teacher forcing, token cross-entropy averaged over target steps."""
import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softmax(z):
    z = z - np.max(z)
    e = np.exp(z)
    return e / e.sum()


class GRUCell:
    def __init__(self, Wx, Wh, b):
        self.Wx, self.Wh, self.b = Wx, Wh, b   # gates stacked as [z | r | n]

    @property
    def hidden(self):
        return self.Wh.shape[0]

    def __call__(self, x, h):
        H = self.hidden
        gx = x @ self.Wx + self.b
        gh = h @ self.Wh
        z = sigmoid(gx[:H] + gh[:H])
        r = sigmoid(gx[H:2 * H] + gh[H:2 * H])
        n = np.tanh(gx[2 * H:] + r * gh[2 * H:])
        return (1 - z) * n + z * h


def seq2seq_loss(p, src, tgt_in, tgt_out):
    enc = GRUCell(p["enc_Wx"], p["enc_Wh"], p["enc_b"])
    dec = GRUCell(p["dec_Wx"], p["dec_Wh"], p["dec_b"])
    h = np.zeros(enc.hidden)
    enc_states = []
    for tok in src:
        h = enc(p["emb"][tok], h)
        enc_states.append(h)
    H_enc = np.stack(enc_states)                  # (S, H)
    keys = H_enc @ p["W_h"]
    s = h
    total = 0.0
    for tok_in, tok_out in zip(tgt_in, tgt_out):
        scores = np.tanh(keys + s @ p["W_s"]) @ p["v"]
        alpha = softmax(scores)
        context = alpha @ H_enc
        x = np.concatenate([p["emb"][tok_in], context])
        s = dec(x, s)
        logits = np.concatenate([s, context]) @ p["W_out"]
        logits = logits - logits.max()
        total = total - (logits[tok_out] - np.log(np.sum(np.exp(logits))))
    return total / len(tgt_out)


rng = np.random.default_rng(12)
V, E, H, A = 10, 5, 6, 4
p = {"emb": 0.5 * rng.standard_normal((V, E)),
     "enc_Wx": 0.3 * rng.standard_normal((E, 3 * H)), "enc_Wh": 0.3 * rng.standard_normal((H, 3 * H)),
     "enc_b": np.zeros(3 * H),
     "dec_Wx": 0.3 * rng.standard_normal((E + H, 3 * H)), "dec_Wh": 0.3 * rng.standard_normal((H, 3 * H)),
     "dec_b": np.zeros(3 * H),
     "W_h": 0.3 * rng.standard_normal((H, A)), "W_s": 0.3 * rng.standard_normal((H, A)),
     "v": 0.3 * rng.standard_normal(A), "W_out": 0.3 * rng.standard_normal((2 * H, V))}
src = [3, 1, 4, 1, 5]
tgt = [0, 5, 1, 4, 1, 3]
f = seq2seq_loss
KW = dict(wrt="p")
ARGS = (p, src, tgt[:-1], tgt[1:])
