"""Property tests: broadcasting between random shapes, and small random programs, against finite
differences."""
import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.testing import check_grads  # noqa: E402


@st.composite
def broadcastable_pair(draw):
    """Two shapes that broadcast together (some axes 1 or missing on either side)."""
    rank = draw(st.integers(0, 3))
    full = [draw(st.integers(1, 4)) for _ in range(rank)]
    a = [d if draw(st.booleans()) else 1 for d in full]
    b = [d if draw(st.booleans()) else 1 for d in full]
    a = a[draw(st.integers(0, rank)):] if rank else a
    b = b[draw(st.integers(0, rank)):] if rank else b
    return tuple(a), tuple(b)


def mixed(x, b):
    return np.sum(np.tanh(x + b) * x * b + np.exp(-(x - b) ** 2))


def reduce_mixed(x, b):
    y = x * b
    return np.sum(np.mean(y, axis=-1, keepdims=True) * b) + np.max(x - b)


@settings(max_examples=40, deadline=None)
@given(broadcastable_pair(), st.integers(0, 2 ** 31 - 1))
def test_broadcasting_gradients(shapes, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shapes[0]) if shapes[0] else float(rng.standard_normal())
    b = rng.standard_normal(shapes[1]) if shapes[1] else float(rng.standard_normal())
    check_grads(differentiate(mixed, wrt=("x", "b")), (x, b), rtol=1e-5, atol=1e-7)
    g = differentiate(mixed, wrt=("x", "b")).grad(x, b)
    assert np.shape(g[0]) == np.shape(x) and np.shape(g[1]) == np.shape(b)


@settings(max_examples=30, deadline=None)
@given(broadcastable_pair().filter(lambda s: len(s[0]) >= 1 and len(np.broadcast_shapes(*s)) >= 1),
       st.integers(0, 2 ** 31 - 1))
def test_broadcasting_through_reductions(shapes, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shapes[0])
    b = rng.standard_normal(shapes[1]) if shapes[1] else float(rng.standard_normal())
    check_grads(differentiate(reduce_mixed, wrt=("x", "b")), (x, b), rtol=1e-5, atol=1e-7)


UNARY = ["np.tanh({})", "np.sin({})", "np.exp(-{} * {})", "({}) ** 2", "np.maximum({}, 0.1)", "0.5 * {}"]
BINARY = ["{} + {}", "{} * {}", "{} - {}"]


@st.composite
def program(draw):
    """A small random straight-line program over x (as source text)."""
    names = ["x"]
    lines = []
    for i in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            a = draw(st.sampled_from(names))
            expr = draw(st.sampled_from(UNARY)).format(a, a)
        else:
            a, b = draw(st.sampled_from(names)), draw(st.sampled_from(names))
            expr = draw(st.sampled_from(BINARY)).format(a, b)
        target = draw(st.sampled_from(names + [f"v{i}"]))
        lines.append(f"    {target} = {expr}")
        if target not in names:
            names.append(target)
    lines.append(f"    return np.sum({names[-1]} * x)")
    return "def prog(x):\n" + "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None)
@given(program(), st.integers(0, 2 ** 31 - 1))
def test_random_programs(tmp_path_factory, src, seed):
    import importlib.util
    path = tmp_path_factory.mktemp("progs") / f"prog_{abs(hash(src))}.py"
    path.write_text("import numpy as np\n\n" + src)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    x = np.random.default_rng(seed).standard_normal(4) * 0.5
    check_grads(differentiate(mod.prog), (x,), rtol=1e-5, atol=1e-7)
