"""Triton backend: opt-in CUDA-graph capture of the whole step (graphs.py, options.cuda_graphs).

Without a CUDA device the option is refused with an error saying so.  The planning -- static
buffers with the arguments' layouts, copy-in, one capture per key (a new Python number or layout
captures again), fresh outputs, label flags read after every replay -- is checked on the CPU with
graphs.RerunCapture standing in for torch.cuda.CUDAGraph (its replay reruns the captured host
program into the captured outputs).  A real capture has not run here: bench/gpu.sh's graph row
is the GPU check."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import S2SGradError, differentiate  # noqa: E402
from s2sgrad.triton import graphs, runtime  # noqa: E402
from s2sgrad.triton.gather import LabelIndexError  # noqa: E402
from triton_cases import CASES, softmax_xent  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


class CountingRerun(graphs.RerunCapture):
    captures = 0

    def capture(self, fn):
        CountingRerun.captures += 1
        return super().capture(fn)


@pytest.fixture
def graphs_on(monkeypatch):
    monkeypatch.setattr(runtime.OPTIONS, "cuda_graphs", True)
    monkeypatch.setitem(graphs.CAPTURE, "cls", CountingRerun)
    CountingRerun.captures = 0


def _steps(f):
    return [v for k, v in f._triton._cache.items() if k[0] == "graph"]


def _scaled(x, a):
    return np.sum(np.tanh(x) * a + 0.1 * x * x)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the refusal without a CUDA device")
def test_without_cuda_the_option_is_refused_clearly(monkeypatch):
    monkeypatch.setattr(runtime.OPTIONS, "cuda_graphs", True)
    f = differentiate(_scaled, wrt="x", backend="triton")
    with pytest.raises(S2SGradError, match="CUDA graphs need a CUDA device.*cuda_graphs = False"):
        f.value_and_grad(np.ones(5), 2.0)


def test_a_signature_is_captured_once_and_replayed_with_new_values(graphs_on):
    fn, wrt, args = CASES["two_layer"]
    f = differentiate(fn, wrt=wrt, backend="triton")
    ref = differentiate(fn, wrt=wrt)
    results, alive = [], []
    for k in range(3):
        data = [np.asarray(a, np.float64) * (1 + 0.5 * k) for a in args]
        alive.append(data)  # (new memory each call: a recycled address would bind a graph to it)
        v, g = f.value_and_grad(*[torch.from_numpy(a) for a in data])
        v0, g0 = ref.value_and_grad(*data)
        np.testing.assert_allclose(float(v), v0, rtol=1e-12)
        for a, b in zip(g, g0):
            np.testing.assert_allclose(a.numpy(), b, rtol=1e-12, atol=1e-12 * np.abs(b).max())
        results.append([a.clone() for a in g])
        # outputs are fresh tensors: none of them is the graph's static output
        step = _steps(f)[0]
        assert all(a.data_ptr() != s.data_ptr() for a, s in zip(g, step.grads))
    assert CountingRerun.captures == 1 and len(_steps(f)) == 1
    assert not torch.equal(results[0][0], results[1][0])  # the replays saw the new values


def test_static_buffers_keep_the_arguments_layouts(graphs_on):
    fn, wrt, args = CASES["two_layer"]
    f = differentiate(fn, wrt=wrt, backend="triton")
    targs = [torch.from_numpy(np.asarray(a, np.float64)) for a in args]
    targs[2] = torch.from_numpy(np.ascontiguousarray(np.asarray(args[2], np.float64).T)).T  # column-major X
    v, g = f.value_and_grad(*targs)
    v0, _ = differentiate(fn, wrt=wrt).value_and_grad(*[t.numpy() for t in targs])
    np.testing.assert_allclose(float(v), v0, rtol=1e-12)
    step = _steps(f)[0]
    assert [s.stride() for s in step.static] == [t.stride() for t in targs]
    assert all(s.data_ptr() != t.data_ptr() for s, t in zip(step.static, targs))  # copies, not the caller's


def test_the_tensors_of_the_call_before_are_read_where_they_lie(graphs_on):
    """A second call with the same tensors captures a graph bound to them (no copy in); in-place
    updates between calls are seen; other tensors go through the static buffers again; a third
    binding is never captured (MAX_CAPTURES)."""
    fn, wrt, args = CASES["two_layer"]
    f = differentiate(fn, wrt=wrt, backend="triton")
    ref = differentiate(fn, wrt=wrt)
    # (on the plan's device: CPU tensors on a GPU machine are the call's own copies, never bound)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    params = [torch.from_numpy(np.array(a, np.float64)).to(device) for a in args]

    def check(tensors):
        v, g = f.value_and_grad(*tensors)
        v0, g0 = ref.value_and_grad(*[t.cpu().numpy().copy() for t in tensors])
        np.testing.assert_allclose(float(v), v0, rtol=1e-12)
        for a, b in zip(g, g0):
            np.testing.assert_allclose(a.cpu().numpy(), b, rtol=1e-12, atol=1e-12 * np.abs(b).max())
        return g
    check(params)
    assert CountingRerun.captures == 1
    g = check(params)  # the same tensors again: bound
    step = _steps(f)[0]
    assert CountingRerun.captures == 2 and step.bound is not None
    assert step.bound.args[:len(params)] == params  # reads the caller's tensors themselves
    for _ in range(3):  # a training loop: the parameters updated in place, the bound graph replayed
        params[0] -= 0.1 * g[0]
        params[1] -= 0.1 * g[1]
        g = check(params)
    assert CountingRerun.captures == 2
    others = [p.clone() * 1.5 for p in params]
    check(others)  # not the last call's tensors: copies into the static buffers
    assert CountingRerun.captures == 2
    check(others)  # now they are: bound in turn (the earlier binding let go)
    assert CountingRerun.captures == 3 and step.bound.args[0] is others[0]
    check(params)
    check(params)  # a fourth graph would be one too many: static copies from here on
    assert CountingRerun.captures == 3 and step.bound.args[0] is others[0]


def test_numpy_arguments_are_never_bound(graphs_on):
    f = differentiate(_scaled, wrt="x", backend="triton")
    x = np.linspace(-1, 1, 50)
    for _ in range(3):  # (on a CPU the tensors share x's memory: same address every call)
        np.testing.assert_allclose(f.grad(x, 0.5), differentiate(_scaled, wrt="x").grad(x, 0.5), rtol=1e-12)
    assert CountingRerun.captures == 1 and _steps(f)[0].bound is None


def test_a_new_python_number_captures_a_new_graph(graphs_on):
    f = differentiate(_scaled, wrt="x", backend="triton")
    x = np.linspace(-1, 1, 50)
    for a in (0.5, 0.5, 2.0):
        v, g = f.value_and_grad(x, a)  # numpy in, numpy out
        v0, g0 = differentiate(_scaled, wrt="x").value_and_grad(x, a)
        assert isinstance(g, np.ndarray)
        np.testing.assert_allclose(v, v0, rtol=1e-12)
        np.testing.assert_allclose(g, g0, rtol=1e-12)
    assert CountingRerun.captures == 2 and len(_steps(f)) == 2


def test_a_label_out_of_range_is_raised_after_the_replay(graphs_on):
    rng = np.random.default_rng(0)
    logits, labels = rng.standard_normal((6, 9)), rng.integers(0, 9, 6)
    f = differentiate(softmax_xent, backend="triton")
    ref = differentiate(softmax_xent)
    v, g = f.value_and_grad(logits, labels)
    np.testing.assert_allclose(v, ref.value_and_grad(logits, labels)[0], rtol=1e-12)
    bad = labels.copy()
    bad[3] = 9  # numpy: IndexError; the graph computed 0 for that row and set its flag
    with pytest.raises(LabelIndexError, match="out of bounds"):
        f.value_and_grad(logits, bad)
    v, g = f.value_and_grad(logits, labels)  # the same graph, good labels again
    v0, g0 = ref.value_and_grad(logits, labels)
    np.testing.assert_allclose(v, v0, rtol=1e-12)
    np.testing.assert_allclose(g, g0, rtol=1e-12, atol=1e-15)
    assert CountingRerun.captures == 1


def test_an_array_seed_is_a_static_buffer(graphs_on):
    def scaled_rows(x):
        return np.tanh(x) * 2.0

    f = differentiate(scaled_rows, backend="triton")
    x = np.linspace(-1, 1, 12).reshape(3, 4)
    for s in (np.ones((3, 4)), np.arange(12.0).reshape(3, 4)):
        g = f.grad(x, seed=s)
        np.testing.assert_allclose(g, differentiate(scaled_rows).grad(x, seed=s), rtol=1e-12)
    assert CountingRerun.captures == 1


def test_an_argument_that_cannot_be_held_fixed_is_refused(graphs_on):
    with pytest.raises(S2SGradError, match="cannot be held fixed in a captured graph"):
        graphs.graph_key((), [torch.ones(2), [1, 2]], None)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="a real torch.cuda.CUDAGraph needs a CUDA device")
def test_on_a_gpu_a_real_capture_gives_numpys_values(monkeypatch):
    monkeypatch.setattr(runtime.OPTIONS, "cuda_graphs", True)
    fn, wrt, args = CASES["two_layer"]
    f = differentiate(fn, wrt=wrt, backend="triton")
    ref = differentiate(fn, wrt=wrt)
    for k in range(3):
        data = [np.asarray(a, np.float64) * (1 + 0.5 * k) for a in args]
        v, g = f.value_and_grad(*[torch.from_numpy(a).cuda() for a in data])
        v0, g0 = ref.value_and_grad(*data)
        np.testing.assert_allclose(float(v), v0, rtol=1e-12)
        for a, b in zip(g, g0):
            np.testing.assert_allclose(a.cpu().numpy(), b, rtol=1e-12, atol=1e-12 * np.abs(b).max())
    assert len(_steps(f)) == 1
    # the same CUDA tensors call after call, updated in place: the graph bound to them
    params = [torch.from_numpy(np.array(a, np.float64)).cuda() for a in args]
    for k in range(4):
        v, g = f.value_and_grad(*params)
        v0, g0 = ref.value_and_grad(*[p.cpu().numpy() for p in params])
        np.testing.assert_allclose(float(v), v0, rtol=1e-12)
        for a, b in zip(g, g0):
            np.testing.assert_allclose(a.cpu().numpy(), b, rtol=1e-12, atol=1e-12 * np.abs(b).max())
        params[0] -= 0.1 * g[0]
    assert _steps(f)[0].bound is not None and _steps(f)[0].bound.args[0] is params[0]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="a real torch.cuda.CUDAGraph needs a CUDA device")
def test_on_a_gpu_control_flow_on_device_values_is_refused(monkeypatch):
    monkeypatch.setattr(runtime.OPTIONS, "cuda_graphs", True)

    def grow(a):
        b = a * 2
        while np.linalg.norm(b) < 1000:
            b = b * 2
        return np.sum(b)

    f = differentiate(grow, backend="triton")
    with pytest.raises(graphs.CudaGraphError, match="could not be captured"):
        f.value_and_grad(torch.ones(4, dtype=torch.float64, device="cuda"))


def test_a_broadcast_view_argument_is_refused(graphs_on):
    f = differentiate(_scaled, wrt="x", backend="triton")
    # (on a CUDA device: CPU tensors are copied to it, and a copy is no broadcast view)
    x = torch.ones(1, dtype=torch.float64, device="cuda" if torch.cuda.is_available() else "cpu").expand(6)
    with pytest.raises(S2SGradError, match="broadcast view"):
        f.value_and_grad(x, 2.0)
