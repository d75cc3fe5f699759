"""Direct launches of compiled kernels (s2sgrad/triton/fastlaunch.py): a compiled kernel is reused
only for the launch key it was obtained under, with every parameter in order.  Without a GPU the
JIT function and the compiled kernel are stand-ins that record what was called; with one, real
kernels are launched both ways and their results compared."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from s2sgrad.triton import fastlaunch  # noqa: E402


class FakeCompiled:
    def __init__(self, log, spec):
        self.log, self.spec = log, spec

    def __getitem__(self, grid):
        grid[2]  # as Triton's CompiledKernel runner reads it: (4,) raised IndexError on an H200
        def runner(*args):
            self.log.append(("direct", self.spec, tuple(grid[:1]), args))
        return runner


class FakeJIT:
    """Records the launches Triton's own path would make, and returns a 'compiled kernel'."""

    def __init__(self):
        self.log = []
        self.compiles = 0

        def kern(x_ptr, N, s_arg, M, BLOCK, ACC):
            pass
        self.fn = kern

    def __getitem__(self, grid):
        def run(*args, **consts):
            self.compiles += 1
            self.log.append(("jit", tuple(grid), args, consts))
            return FakeCompiled(self.log, self.compiles)
        return run


def _launch(k, x, N, grid=(4,), M=7, **consts):
    consts = consts or {"BLOCK": 128, "ACC": "fp32"}
    fastlaunch.launch(k, grid, (x, N, 0.5, M), consts)
    return k.log[-1]


def test_same_key_launches_directly_with_every_parameter_in_order():
    k, x = FakeJIT(), torch.zeros(64)
    assert _launch(k, x, 32)[0] == "jit"
    kind, spec, grid, args = _launch(k, x, 32)
    assert kind == "direct" and spec == 1 and grid == (4,)
    assert args == (x, 32, 0.5, 7, 128, "fp32")  # constexprs last, in the signature's order
    y = torch.ones(64)  # another tensor, same dtype and alignment: the same compiled kernel
    assert _launch(k, y, 48)[:2] == ("direct", 1)
    assert k.compiles == 1


@pytest.mark.parametrize("change", ["int_one", "not_div16", "wide_int", "misaligned", "dtype", "const", "grid",
                                    "num_warps"])
def test_any_specialisation_change_goes_through_triton(change):
    k, x = FakeJIT(), torch.zeros(64)
    _launch(k, x, 32)
    kw = {}
    N, grid = 32, (4,)
    if change == "int_one":
        N = 1  # Triton makes an int equal to 1 a constant
    elif change == "not_div16":
        N = 33
    elif change == "wide_int":
        N = 2 ** 33
    elif change == "misaligned":
        x = x[1:]  # 4 bytes past a 16-byte boundary
    elif change == "dtype":
        x = x.double()
    elif change == "const":
        kw = {"BLOCK": 256, "ACC": "fp32"}
    elif change == "grid":
        grid = (8,)
    elif change == "num_warps":
        kw = {"BLOCK": 128, "ACC": "fp32", "num_warps": 8}
    assert _launch(k, x, N, grid=grid, **kw)[0] == "jit"
    assert k.compiles == 2
    assert _launch(k, x, N, grid=grid, **kw)[:2] == ("direct", 2)  # and that key is kept in turn
    assert _launch(k, torch.zeros(64), 32)[:2] == ("direct", 1)  # the first key still has its own


def test_launch_options_are_not_passed_as_parameters():
    k, x = FakeJIT(), torch.zeros(64)
    consts = {"BLOCK": 128, "ACC": "fp32", "num_warps": 8}
    _launch(k, x, 32, **consts)
    assert _launch(k, x, 32, **consts)[3] == (x, 32, 0.5, 7, 128, "fp32")


def test_missing_parameter_and_switch_keep_triton_path(monkeypatch):
    k, x = FakeJIT(), torch.zeros(64)
    fastlaunch.launch(k, (4,), (x, 32, 0.5, 7), {"BLOCK": 128})  # ACC not given: no direct launch
    fastlaunch.launch(k, (4,), (x, 32, 0.5, 7), {"BLOCK": 128})
    assert [e[0] for e in k.log] == ["jit", "jit"]

    k3 = FakeJIT()
    monkeypatch.setitem(fastlaunch.ENABLED, "on", False)
    _launch(k3, x, 32)
    assert _launch(k3, x, 32)[0] == "jit"


def test_interpreted_kernels_return_nothing_and_keep_triton_path():
    """Under TRITON_INTERPRET a launch returns None: every launch is Triton's (the rest of the
    interpreter suite runs through runtime.launch and checks the numbers)."""
    class Interp(FakeJIT):
        def __getitem__(self, grid):
            def run(*args, **consts):
                self.log.append(("jit", tuple(grid), args, consts))
            return run
    k, x = Interp(), torch.zeros(64)
    _launch(k, x, 32)
    assert _launch(k, x, 32)[0] == "jit"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU: real compiled kernels")
def test_direct_launches_match_triton_on_the_gpu():
    import triton
    import triton.language as tl

    @triton.jit
    def axpy(x_ptr, y_ptr, out_ptr, a, N, BLOCK: tl.constexpr):
        offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        m = offs < N
        tl.store(out_ptr + offs, a * tl.load(x_ptr + offs, mask=m) + tl.load(y_ptr + offs, mask=m), mask=m)

    rng = np.random.default_rng(3)
    for N in (1, 16, 17, 1000, 1024, 1, 17):  # sizes that change Triton's specialisation, revisited
        for offset in (0, 1):  # an aligned and a misaligned view
            x = torch.from_numpy(rng.standard_normal(N + 1)).cuda()[offset:offset + N]
            y = torch.from_numpy(rng.standard_normal(N + 1)).cuda()[offset:offset + N]
            for _ in range(2):  # the second launch is direct
                out = torch.empty(N, dtype=torch.float64, device="cuda")
                fastlaunch.launch(axpy, ((N + 127) // 128,), (x, y, out, 2.5, N), {"BLOCK": 128})
                np.testing.assert_allclose(out.cpu().numpy(), 2.5 * x.cpu().numpy() + y.cpu().numpy(), rtol=1e-6)
    assert len(axpy._s2sgrad_direct.runners) >= 6
