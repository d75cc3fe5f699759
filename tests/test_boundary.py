"""The call boundary (issue 9, F): signature keys, array_like arguments, seeds, edited sources,
foreign arrays, and the names generated code is registered under."""
import importlib.util
import linecache
import os
import re
import textwrap

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import ArgumentError, S2SGradError, StaleSourceError


def _module(tmp_path, name, src):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(src))
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod, path


# ------------------------------------------------------------------------------- signature keys
def _memmap(tmp_path, name, values):
    m = np.memmap(tmp_path / name, dtype=np.float64, mode="w+", shape=np.shape(values))
    m[...] = values
    return m


def test_memmap_signature_keeps_shapes(tmp_path):
    @differentiate
    def f(x, w):
        return np.sum(x + w)
    w = np.array([1.0, 2.0, 3.0])
    g3 = f.grad(_memmap(tmp_path, "a", [1.0, 2.0, 3.0]), w)
    np.testing.assert_array_equal(g3, [1.0, 1.0, 1.0])
    # x of shape (1,) broadcast against w: d/dx = 3 (code compiled for (3,) would give [1, 1, 1])
    g1 = f.grad(_memmap(tmp_path, "b", [5.0]), w)
    assert g1.shape == (1,) and g1[0] == 3.0
    assert type(g1) is np.ndarray


def test_memmap_2d_after_1d(tmp_path):
    @differentiate
    def f(x):
        return np.sum(np.sin(x) * np.arange(1.0, 1.0 + x.shape[-1]))
    g = f.grad(_memmap(tmp_path, "a", [0.5, 1.0]))
    np.testing.assert_allclose(g, np.cos([0.5, 1.0]) * [1.0, 2.0])
    x2 = np.array([[0.5, 1.0, 1.5], [0.1, 0.2, 0.3]])
    g2 = f.grad(_memmap(tmp_path, "b", x2))
    np.testing.assert_allclose(g2, np.cos(x2) * [1.0, 2.0, 3.0])


def test_list_argument_keyed_by_structure():
    @differentiate
    def f(x, ws):
        return np.sum(x * np.asarray(ws))
    np.testing.assert_allclose(f.grad(np.ones(3), [1.0, 2.0, 3.0]), [1.0, 2.0, 3.0])
    # x (1,) against a list of three: d/dx = 6 ; and a list of two: 3
    np.testing.assert_allclose(f.grad(np.ones(1), [1.0, 2.0, 3.0]), [6.0])
    np.testing.assert_allclose(f.grad(np.ones(1), [1.0, 2.0]), [3.0])


def test_list_of_arrays_keyed_by_their_shapes():
    @differentiate
    def f(x, parts):
        return np.sum(x * np.concatenate(parts))
    a = f.grad(np.ones(4), [np.ones(2), 2 * np.ones(2)])
    np.testing.assert_allclose(a, [1.0, 1.0, 2.0, 2.0])
    b = f.grad(np.ones(1), [np.ones(1), 2 * np.ones(3)])
    np.testing.assert_allclose(b, [7.0])


# --------------------------------------------------------------------------- array_like wrt args
def test_tuple_argument_gets_a_gradient_of_its_shape():
    @differentiate
    def f(x):
        return np.sum(np.sin(x))
    g = f.grad((1.0, 2.0))  # was the scalar 0.124 (= cos 1 + cos 2)
    assert isinstance(g, np.ndarray) and g.shape == (2,)
    np.testing.assert_allclose(g, np.cos([1.0, 2.0]))
    g = f.grad([[0.1, 0.2], [0.3, 0.4]])
    np.testing.assert_allclose(g, np.cos([[0.1, 0.2], [0.3, 0.4]]))
    v, g = f.value_and_grad([0.5, 1.5, 2.5])
    assert v == pytest.approx(np.sum(np.sin([0.5, 1.5, 2.5])))
    np.testing.assert_allclose(g, np.cos([0.5, 1.5, 2.5]))
    # a tuple of a different length is another signature
    np.testing.assert_allclose(f.grad((1.0, 2.0, 3.0)), np.cos([1.0, 2.0, 3.0]))


def test_tuple_unpacked_in_the_function():
    @differentiate
    def f(p):
        a, b = p
        return a * b + np.sin(a)
    np.testing.assert_allclose(f.grad((1.0, 2.0)), [2.0 + np.cos(1.0), 1.0])


def test_tuple_under_sequence_operators_is_refused():
    @differentiate
    def f(x):
        y = x
        return np.sum(np.sin(y + y))  # on a tuple: concatenation, not 2x
    with pytest.raises(ArgumentError, match=r"applies `\+` to it, which concatenates"):
        f.grad((1.0, 2.0))
    np.testing.assert_allclose(f.grad(np.array([1.0, 2.0])), 2 * np.cos([2.0, 4.0]))


def test_integer_tuple_for_wrt_is_refused():
    @differentiate
    def f(x):
        return np.sum(x * 2.0)
    with pytest.raises(S2SGradError, match="int64"):
        f.grad((1, 2))


# --------------------------------------------------------------------------------------- seeds
@differentiate
def sine(x):
    return np.sin(x)


@pytest.mark.parametrize("shape", [(2, 3), (4,), (1, 3), (3, 1)])
def test_seed_of_another_shape_is_an_error(shape):
    x = np.array([0.1, 0.2, 0.3])
    with pytest.raises(ArgumentError, match=re.escape(f"seed has shape {shape} but sine returns shape (3,)")):
        sine.grad(x, seed=np.ones(shape))
    with pytest.raises(ArgumentError):
        sine.value_and_grad(x, seed=np.ones(shape))
    value, pullback = sine.vjp(x)
    with pytest.raises(ArgumentError):
        pullback(np.ones(shape))


def test_seed_that_broadcasts_to_the_output():
    x = np.array([0.1, 0.2, 0.3])
    np.testing.assert_allclose(sine.grad(x, seed=2.0), 2.0 * np.cos(x))
    np.testing.assert_allclose(sine.grad(x, seed=np.array([1.0, 2.0, 3.0])), [1, 2, 3] * np.cos(x))
    np.testing.assert_allclose(sine.vjp(x)[1](0.5), 0.5 * np.cos(x))


def test_seed_for_a_scalar_output_must_be_scalar():
    @differentiate
    def f(x):
        return np.sum(x * x)
    with pytest.raises(ArgumentError, match=r"seed has shape \(3,\) but .*f returns shape \(\)"):
        f.grad(np.ones(3), seed=np.ones(3))
    np.testing.assert_allclose(f.grad(np.ones(3), seed=3.0), [6.0, 6.0, 6.0])


def test_seed_for_a_value_dependent_output_shape():
    @differentiate
    def f(x):
        return x[x > 0] * 2.0
    x = np.array([1.0, -1.0, 2.0])
    np.testing.assert_allclose(f.grad(x, seed=1.0), [2.0, 0.0, 2.0])
    np.testing.assert_allclose(f.grad(x, seed=np.array([1.0, 3.0])), [2.0, 0.0, 6.0])
    with pytest.raises(ArgumentError, match=r"seed has shape \(3,\) but .*f returns shape \(2,\)"):
        f.grad(x, seed=np.ones(3))


# ------------------------------------------------------------------------------ foreign arrays
def test_matrix_is_refused():
    @differentiate
    def f(x):
        return np.sum(x * x)
    with pytest.raises(ArgumentError, match="np.matrix"):
        f.grad(np.matrix([[1.0, 2.0], [3.0, 4.0]]))


def test_masked_array_is_refused():
    @differentiate
    def f(x):
        return np.sum(x * x)
    with pytest.raises(ArgumentError, match="masked array"):
        f.grad(np.ma.masked_array([1.0, 2.0], mask=[False, True]))


def test_other_ndarray_subclass_is_refused():
    class Tagged(np.ndarray):
        pass

    @differentiate
    def f(x):
        return np.sum(x * x)
    with pytest.raises(ArgumentError, match="ndarray subclass"):
        f.grad(np.ones(2).view(Tagged))


def test_torch_tensor_on_the_numpy_backend_is_refused():
    torch = pytest.importorskip("torch")

    @differentiate
    def f(x, y):
        return np.sum(x * y)
    with pytest.raises(ArgumentError, match="torch tensor"):
        f.grad(torch.ones(3), np.ones(3))
    with pytest.raises(ArgumentError, match="argument 'y' is a torch tensor"):
        f.grad(np.ones(3), torch.ones(3))


# -------------------------------------------------------------------------------- edited source
SRC = """\
import numpy as np


def f(x):
    return np.sum(np.sin(x))
"""


def _edit(path, text):
    path.write_text(text)
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # a visibly newer file


def test_edited_source_is_refused(tmp_path):
    mod, path = _module(tmp_path, "edited_a", SRC)
    np.testing.assert_allclose(differentiate(mod.f).grad(np.array([0.5])), np.cos([0.5]))
    _edit(path, SRC.replace("np.sin(x)", "np.cos(x)"))  # same lines, another function
    with pytest.raises(StaleSourceError, match="edited_a.py has changed since Python imported it.*[Rr]eload"):
        differentiate(mod.f)
    spec = importlib.util.spec_from_file_location("edited_a", path)  # what a reload does
    spec.loader.exec_module(mod)
    np.testing.assert_allclose(differentiate(mod.f).grad(np.array([0.5])), -np.sin([0.5]))


def test_operator_only_edit_is_refused(tmp_path):
    mod, path = _module(tmp_path, "edited_b", "import numpy as np\n\ndef f(x, y):\n    return np.sum(x * y)\n")
    _edit(path, "import numpy as np\n\ndef f(x, y):\n    return np.sum(x + y)\n")
    with pytest.raises(StaleSourceError):
        differentiate(mod.f)


def test_lines_inserted_above_are_refused(tmp_path):
    mod, path = _module(tmp_path, "edited_c", SRC)
    _edit(path, SRC.replace("\n\ndef f", "\nSCALE = 2.0\n\n\ndef f"))
    with pytest.raises(StaleSourceError):
        differentiate(mod.f)


def test_edited_helper_is_refused(tmp_path):
    src = "import numpy as np\n\ndef helper(x):\n    return np.sin(x)\n\n\ndef f(x):\n    return np.sum(helper(x))\n"
    mod, path = _module(tmp_path, "edited_d", src)
    _edit(path, src.replace("np.sin(x)", "np.tan(x)"))
    with pytest.raises(StaleSourceError, match="helper"):
        differentiate(mod.f)


def test_unedited_functions_of_every_kind_are_accepted(tmp_path):
    src = '''
    from __future__ import annotations
    import functools
    import numpy as np

    SCALE = 3.0


    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*a):
            return fn(*a)
        return wrapper


    def make(k):
        def closure(x: np.ndarray) -> float:
            return np.sum(np.sin(x) * k)
        return closure


    class Model:
        def loss(self, x):
            return np.sum(x * x * SCALE)

        @staticmethod
        def static(x):
            for i in range(2):
                if i > 0:
                    x = x * 2.0
            return np.sum(x)


    @deco
    def wrapped(x):
        """A docstring."""
        return np.sum(np.exp(x))
    '''
    mod, _ = _module(tmp_path, "kinds", src)
    x = np.array([0.1, 0.2])
    np.testing.assert_allclose(differentiate(mod.make(2.0)).grad(x), 2.0 * np.cos(x))
    np.testing.assert_allclose(differentiate(mod.Model.static).grad(x), [2.0, 2.0])
    np.testing.assert_allclose(differentiate(mod.wrapped).grad(x), np.exp(x))


# ------------------------------------------------------------------------- generated file names
def test_generated_code_registered_under_unique_stable_names(tmp_path):
    a, _ = _module(tmp_path, "mod_one", "import numpy as np\n\ndef f(x):\n    return np.sum(np.sin(x))\n")
    b, _ = _module(tmp_path, "mod_two", "import numpy as np\n\ndef f(x):\n    return np.sum(np.exp(x))\n")
    x = np.ones(3)
    ca, cb = differentiate(a.f).compiled_for(x), differentiate(b.f).compiled_for(x)
    files = {fn.__code__.co_filename for c in (ca, cb) for fn in (c.value_and_grad, c.grad, c.seeded)}
    assert len(files) == 6  # two functions x three variants, none overwriting another
    fa = ca.value_and_grad.__code__.co_filename
    assert fa.startswith("<s2sgrad mod_one.f f_value_and_grad ") and fa.endswith(">")
    assert "".join(linecache.getlines(fa)) == ca.value_and_grad_source
    fb = cb.value_and_grad.__code__.co_filename
    assert "".join(linecache.getlines(fb)) == cb.value_and_grad_source
    assert "np.exp" in cb.value_and_grad_source and "np.exp" not in ca.value_and_grad_source
    # stable: the same function and signature compile to the same name again
    assert differentiate(a.f).compiled_for(x).value_and_grad.__code__.co_filename == fa
    # another signature: another name
    assert differentiate(a.f).compiled_for(np.ones(4)).value_and_grad.__code__.co_filename != fa


def test_traceback_shows_the_generated_line(tmp_path):
    import traceback
    mod, _ = _module(tmp_path, "tb_mod", "import numpy as np\n\ndef f(x, k):\n    return np.sum(x @ k)\n")
    f = differentiate(mod.f)
    c = f.compiled_for(np.ones((2, 3)), np.ones((3, 2)))
    with pytest.raises(ValueError) as info:
        c.value_and_grad(np.ones((2, 3)), np.ones((4, 2)))  # the wrong shape, past the cache
    text = "".join(traceback.format_exception(info.value))
    assert "tb_mod.f f_value_and_grad" in text and "x @ k" in text


# ------------------------------------------------------------------------ grad_source up front
def test_grad_source_before_the_first_call_says_it_is_generic():
    @differentiate
    def f(x, y):
        return np.sum(np.sin(x) * y)
    before = f.grad_source
    assert "GENERIC variant" in before and "shapes unknown" in before
    assert "f.compiled_for(*args).value_and_grad_source" in before and "s2sgrad show" in before
    f.grad(np.ones(3), np.ones(3))
    after = f.grad_source
    assert "GENERIC" not in after and "specialised for x: float64[3], y: float64[3]" in after


def test_the_compiled_dict_key_equals_the_walk_for_every_structure_change():
    """boundary.dict_key compiles a key function for a dict's structure; any change of structure,
    type, length or shape must give tree_key's answer (and so recompile, never reuse code)."""
    from s2sgrad.boundary import dict_key, tree_key
    rng = np.random.default_rng(0)
    base = {"layers": [(rng.standard_normal((4, 4)), rng.standard_normal(4)) for _ in range(2)],
            "out": rng.standard_normal((4, 1)), "lr": 0.1, "n": 3}
    variants = [base, dict(base, out=np.ones((5, 1))), dict(base, layers=base["layers"][:1]),
                dict(base, out=[1.0, 2.0]), dict(base, out=np.float64(2.0)), dict(base, lr=1),
                dict(base, layers=[list(t) for t in base["layers"]]), dict(base, out=np.ones((4, 1), np.float32)),
                {k: base[k] for k in reversed(list(base))}, dict(base, extra=np.ones(2))]
    for v in variants + variants[::-1]:
        assert dict_key(v) == tree_key(v)
        assert dict_key(v) == tree_key(v)  # the second time through the compiled function
