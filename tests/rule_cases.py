"""One small function per rule-table row, with inputs in the rule's domain (positive for log/sqrt,
inside (-1, 1) for arcsin/arccos).  test_rules.py checks every differentiable row appears here."""
import numpy as np

rng = np.random.default_rng(3)
X = rng.standard_normal((3, 4))
Y = rng.standard_normal((3, 4))
POS = rng.uniform(0.5, 2.0, (3, 4))
UNIT = rng.uniform(-0.8, 0.8, (3, 4))
V = rng.standard_normal(4)
M = rng.standard_normal((4, 2))


def r_add(x, y): return np.sum(np.sin(x + y))
def r_sub(x, y): return np.sum(np.sin(x - y))
def r_neg(x): return np.sum(np.sin(-x))
def r_pos(x): return np.sum(np.sin(+x))
def r_mul(x, y): return np.sum(np.sin(x * y))
def r_truediv(x, y): return np.sum(np.sin(x / y))
def r_pow(x, y): return np.sum(x ** y)
def r_np_power(x, y): return np.sum(np.power(x, y))
def r_mod(x, y): return np.sum(np.sin(x % y))
def r_float(x): return float(x[0, 0]) * 3.0 + np.sum(x)
def r_astype(x): return np.sum(np.sin(x.astype(np.float64)))
def r_asarray(x): return np.sum(np.sin(np.asarray(x)))
def r_copy_method(x): return np.sum(np.sin(x.copy()))
def r_np_copy(x): return np.sum(np.sin(np.copy(x)))
def r_list_as_array(v):  # (L = list(v) written by element: passes/list_arrays.rows_as_array)
    L = list(v * 2.0)
    L[1] = L[0] * v[2]
    return np.sum(np.sin(np.array(L)))


def r_exp(x): return np.sum(np.exp(x))
def r_log(x): return np.sum(np.log(x))
def r_sqrt(x): return np.sum(np.sqrt(x))
def r_sin(x): return np.sum(np.sin(x))
def r_cos(x): return np.sum(np.cos(x))
def r_tan(x): return np.sum(np.tan(x))
def r_tanh(x): return np.sum(np.tanh(x))
def r_abs(x): return np.sum(np.abs(x))
def r_builtin_abs(x): return abs(x[0, 0]) + np.sum(x)
def r_square(x): return np.sum(np.square(x))
def r_log1p(x): return np.sum(np.log1p(x))
def r_expm1(x): return np.sum(np.expm1(x))
def r_log2(x): return np.sum(np.log2(x))
def r_log10(x): return np.sum(np.log10(x))
def r_sinh(x): return np.sum(np.sinh(x))
def r_cosh(x): return np.sum(np.cosh(x))
def r_arctan(x): return np.sum(np.arctan(x))
def r_arcsin(x): return np.sum(np.arcsin(x))
def r_arccos(x): return np.sum(np.arccos(x))
def r_reciprocal(x): return np.sum(np.reciprocal(x))
def r_maximum(x, y): return np.sum(np.maximum(x, y))
def r_minimum(x, y): return np.sum(np.minimum(x, y))
def r_builtin_max(x, y): return max(x[0, 0], y[0, 0]) + np.sum(x * y)
def r_builtin_min(x, y): return min(x[0, 0], y[0, 0]) + np.sum(x * y)
def r_logaddexp(x, y): return np.sum(np.logaddexp(x, y))
def r_arctan2(x, y): return np.sum(np.arctan2(x, y))
def r_where(x, y): return np.sum(np.where(x > 0, x * y, np.sin(y)))
def r_clip(x): return np.sum(np.clip(x, -0.5, 0.7) ** 2)
def r_clip_method(x): return np.sum(x.clip(-0.5, 0.7) ** 2)
def r_sum(x): return np.sum(np.sum(x, axis=0) ** 2) + np.sum(x)
def r_sum_method(x): return np.sum(x.sum(axis=1, keepdims=True) * x)
def r_mean(x): return np.sum(np.mean(x, axis=1) ** 2) + np.mean(x)
def r_mean_method(x): return np.sum(x.mean(axis=(0, 1), keepdims=True) * x)
def r_max(x): return np.sum(np.max(x, axis=0) ** 2) + np.max(x)
def r_amax(x): return np.sum(np.amax(x, axis=1) ** 2)
def r_max_method(x): return np.sum(x.max(axis=-1, keepdims=True) * x)
def r_min(x): return np.sum(np.min(x, axis=0) ** 2) + np.min(x)
def r_amin(x): return np.sum(np.amin(x, axis=1) ** 2)
def r_min_method(x): return np.sum(x.min(axis=1) ** 3)
def r_norm(x): return np.linalg.norm(x) + np.sum(np.linalg.norm(x, axis=0) ** 3)
def r_matmul(x, m): return np.sum(np.tanh(x @ m))
def r_np_matmul(x, m): return np.sum(np.tanh(np.matmul(x, m)))
def r_dot(x, m): return np.sum(np.tanh(np.dot(x, m)))
def r_dot_method(x, m): return np.sum(np.tanh(x.dot(m)))
def r_matvec(x, v): return np.sum(np.tanh(x @ v))
def r_vecmat(v, m): return np.sum(np.tanh(v @ m))
def r_vecvec(v, w): return np.tanh(v @ w)
def r_outer(v, w): return np.sum(np.tanh(np.outer(v, w)))
def r_reshape(x): return np.sum(np.sin(x.reshape(4, 3)) * np.arange(12.0).reshape(4, 3))
def r_np_reshape(x): return np.sum(np.sin(np.reshape(x, (2, 6))) * np.arange(12.0).reshape(2, 6))
def r_ravel(x): return np.sum(np.sin(x.ravel()) * np.arange(12.0))
def r_np_ravel(x): return np.sum(np.sin(np.ravel(x)) * np.arange(12.0))
def r_flatten(x): return np.sum(np.sin(x.flatten()) * np.arange(12.0))
def r_T(x, m): return np.sum(np.tanh(x.T @ m.T))
def r_transpose(x): return np.sum(np.transpose(x) * np.arange(12.0).reshape(4, 3))
def r_transpose_axes(x): return np.sum(np.transpose(x[:, :, None], (2, 0, 1)) ** 3)
def r_transpose_method(x): return np.sum(x.transpose() * np.arange(12.0).reshape(4, 3))
def r_expand_dims(x): return np.sum(np.expand_dims(x, 1) * np.arange(3.0).reshape(1, 1, 3, 1))
def r_squeeze(x): return np.sum(np.sin(np.squeeze(x[:, None, :])) ** 2)
def r_squeeze_method(x): return np.sum(np.sin(x[None].squeeze()) ** 2)
def r_broadcast_to(v): return np.sum(np.broadcast_to(v, (3, 4)) * np.arange(12.0).reshape(3, 4))
def r_getitem(x): return np.sum(x[1] ** 2) + np.sum(x[:, 2:] ** 3) + x[0, 0] * x[2, 3]
def r_stack(x, y): return np.sum(np.stack([x, y * 2], axis=1) ** 2 * np.arange(4.0))
def r_concatenate(x, y): return np.sum(np.concatenate([x, y], axis=1) ** 3)

def r_float64(x): return np.sum(np.sin(np.float64(x)))
def r_float32(x): return np.sum(np.sin(np.float32(x)) * x)
def r_bool_and(x, y): return np.sum(y * (x[0, 0] and y[1, 1] * 2.0)) + np.sum(x * x)
def r_bool_or(x, y): return np.sum(y * (x[0, 0] or y[1, 1])) + np.sum((0.0 * x[1, 1] or y[2, 2]) * x)
def r_array(x, y): return np.sum(np.sin(np.array([x[0], 2.0 * y[1], x[2]])) * Y) + np.sum(np.array([[x[0, 0], 1.0], [y[0, 1], x[1, 1]]]) ** 3)
def r_tuple(x): return np.sum(np.sin(np.array(tuple(x))) * Y) + np.sum(tuple(x[0]))
def r_full(x): return np.sum(np.sin(np.full((3, 2), x[0, 0]))) + np.sum(np.sin(np.full((2, 3, 4), x)) * X)
def r_full_like(x, y): return np.sum(np.sin(np.full_like(y, x[0, 0])) * y)
def r_linspace(x): return np.sum(np.sin(np.linspace(x[0, 0], x[1, 1], 7)) * np.arange(7.0)) + np.sum(np.linspace(x[0], x[1], 5, endpoint=False) ** 3)
def r_arange(x): return np.sum(np.sin(np.arange(x[0, 0], 4.0, x[1, 1] ** 2 + 0.5))) + np.sum(np.arange(x[2, 2], 3.0) ** 2)
def r_triu(x): return np.sum(np.sin(np.triu(x)) * Y) + np.sum(np.triu(x[0], 1) ** 2)
def r_tril(x): return np.sum(np.sin(np.tril(x, -1)) * Y)
def r_normal(x): return np.sum(np.sin(np.random.normal(x, 0.0)))  # scale 0: the draw is the mean
def r_uniform(x): return np.sum(x * np.random.uniform(1.0, 1.0, (3, 4)))  # low == high: the draw is 1


CASES = {
    "add": (r_add, (X, Y)), "sub": (r_sub, (X, Y)), "neg": (r_neg, (X,)), "pos": (r_pos, (X,)),
    "mul": (r_mul, (X, Y)), "truediv": (r_truediv, (X, POS)), "pow": (r_pow, (POS, Y)),
    "np.power": (r_np_power, (POS, Y)), "mod": (r_mod, (X, POS)), "float": (r_float, (X,)),
    ".astype": (r_astype, (X,)), "np.asarray": (r_asarray, (X,)), ".copy": (r_copy_method, (X,)),
    "np.copy": (r_np_copy, (X,)), "stop_gradient_identity": (r_asarray, (X,)),
    "list_as_array": (r_list_as_array, (V,)),
    "np.exp": (r_exp, (X,)), "np.log": (r_log, (POS,)), "np.sqrt": (r_sqrt, (POS,)),
    "np.sin": (r_sin, (X,)), "np.cos": (r_cos, (X,)), "np.tan": (r_tan, (UNIT,)),
    "np.tanh": (r_tanh, (X,)), "np.abs": (r_abs, (X,)), "abs": (r_builtin_abs, (X,)),
    "np.square": (r_square, (X,)), "np.log1p": (r_log1p, (POS,)), "np.expm1": (r_expm1, (X,)),
    "np.log2": (r_log2, (POS,)), "np.log10": (r_log10, (POS,)), "np.sinh": (r_sinh, (X,)),
    "np.cosh": (r_cosh, (X,)), "np.arctan": (r_arctan, (X,)), "np.arcsin": (r_arcsin, (UNIT,)),
    "np.arccos": (r_arccos, (UNIT,)), "np.reciprocal": (r_reciprocal, (POS,)),
    "np.maximum": (r_maximum, (X, Y)), "np.minimum": (r_minimum, (X, Y)),
    "max": (r_builtin_max, (X, Y)), "min": (r_builtin_min, (X, Y)),
    "np.logaddexp": (r_logaddexp, (X, Y)), "np.arctan2": (r_arctan2, (X, Y)),
    "np.where": (r_where, (X, Y)), "np.clip": (r_clip, (X,)), ".clip": (r_clip_method, (X,)),
    "np.sum": (r_sum, (X,)), ".sum": (r_sum_method, (X,)), "np.mean": (r_mean, (X,)),
    ".mean": (r_mean_method, (X,)), "np.max": (r_max, (X,)), "np.amax": (r_amax, (X,)),
    ".max": (r_max_method, (X,)), "np.min": (r_min, (X,)), "np.amin": (r_amin, (X,)),
    ".min": (r_min_method, (X,)), "np.linalg.norm": (r_norm, (X,)),
    "matmul": (r_matmul, (X, M)), "np.matmul": (r_np_matmul, (X, M)), "np.dot": (r_dot, (X, M)),
    ".dot": (r_dot_method, (X, M)), "matmul:2x1": (r_matvec, (X, V)), "matmul:1x2": (r_vecmat, (V, M)),
    "matmul:1x1": (r_vecvec, (V, V[::-1].copy())), "np.outer": (r_outer, (V, V[:3].copy())),
    ".reshape": (r_reshape, (X,)), "np.reshape": (r_np_reshape, (X,)), ".ravel": (r_ravel, (X,)),
    "np.ravel": (r_np_ravel, (X,)), ".flatten": (r_flatten, (X,)), "@T": (r_T, (X, rng.standard_normal((2, 3)))),
    "np.transpose": (r_transpose, (X,)), "np.transpose:axes": (r_transpose_axes, (X,)),
    ".transpose": (r_transpose_method, (X,)), "np.expand_dims": (r_expand_dims, (X,)),
    "np.squeeze": (r_squeeze, (X,)), ".squeeze": (r_squeeze_method, (X,)),
    "np.broadcast_to": (r_broadcast_to, (V,)), "getitem": (r_getitem, (X,)),
    "np.stack": (r_stack, (X, Y)), "np.concatenate": (r_concatenate, (X, Y)),
    "np.float64": (r_float64, (X,)), "np.float32": (r_float32, (X,), {"eps": 1e-2, "rtol": 1e-3}),
    "bool_and": (r_bool_and, (X, Y)), "bool_or": (r_bool_or, (X, Y)), "np.array": (r_array, (X, Y)),
    "tuple": (r_tuple, (X,)), "np.full": (r_full, (X,)), "np.full_like": (r_full_like, (X, Y)),
    "np.linspace": (r_linspace, (X,)), "np.arange": (r_arange, (POS,)), "np.triu": (r_triu, (X,)),
    "np.tril": (r_tril, (X,)), "np.random.normal": (r_normal, (X,)), "np.random.uniform": (r_uniform, (X,)),
}
