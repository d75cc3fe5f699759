"""scipy.ndimage.map_coordinates differentiated end to end (rules/ndimage.py; the helpers' own
tests, mode by mode against scipy, are tests/test_runtime_ndimage.py): gradients in the image and in
the coordinates against central differences in float64 at points off the samples (where linear
interpolation has no kink), forward mode against reverse mode, and the refusals."""
import numpy as np
import pytest

scipy_ndimage = pytest.importorskip("scipy.ndimage")
from scipy import ndimage  # noqa: E402
from scipy.ndimage import map_coordinates  # noqa: E402
from scipy.signal import convolve2d  # noqa: E402

import s2sgrad  # noqa: E402
from s2sgrad import UnsupportedSyntaxError, differentiate  # noqa: E402
from finite_differences import central  # noqa: E402

RNG = np.random.default_rng(3)
IMG = RNG.standard_normal((6, 7))
# coordinates inside, near and beyond the edges, none within 1e-3 of a sample
COORDS = np.stack([RNG.uniform(-1.7, 7.2, 40), RNG.uniform(-1.4, 8.1, 40)])
COORDS = np.where(np.abs(COORDS - np.round(COORDS)) < 1e-3, COORDS + 0.01, COORDS)


def warped(img, coords, mode):
    out = ndimage.map_coordinates(img, coords, order=1, mode=mode, cval=0.5)
    return np.sum(np.sin(out) * np.arange(out.size))


def nearest_read(img, coords):
    return np.sum(map_coordinates(img, coords, order=0, mode="nearest") ** 2)


@pytest.mark.parametrize("mode", ["nearest", "constant", "grid-constant", "reflect", "mirror", "wrap", "grid-wrap"])
def test_linear_interpolation_in_the_image_and_the_coordinates(mode):
    f = differentiate(warped, wrt=("img", "coords"))
    value, (g_img, g_coords) = f.value_and_grad(IMG, COORDS, mode)
    assert value == pytest.approx(warped(IMG, COORDS, mode), rel=1e-13)
    np.testing.assert_allclose(g_img, central(warped, IMG, COORDS, mode), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(g_coords, central(lambda c, i, m: warped(i, c, m), COORDS, IMG, mode),
                               rtol=1e-6, atol=1e-8)
    # forward mode: <J v> against the reverse gradient's dot product
    v_img, v_coords = RNG.standard_normal(IMG.shape), RNG.standard_normal(COORDS.shape)
    _, tangent = s2sgrad.jvp(warped, (IMG, COORDS, mode), (v_img, v_coords, None))
    assert tangent == pytest.approx(np.sum(g_img * v_img) + np.sum(g_coords * v_coords), rel=1e-10)


def test_nearest_samples_are_constant_in_the_coordinates():
    g_img, g_coords = differentiate(nearest_read, wrt=("img", "coords")).grad(IMG, COORDS)
    np.testing.assert_allclose(g_img, central(nearest_read, IMG, COORDS), rtol=1e-6, atol=1e-8)
    assert not np.any(g_coords)


def default_order(img, coords):
    return np.sum(map_coordinates(img, coords))


def into_output(img, coords):
    out = np.zeros(coords.shape[1:])
    map_coordinates(img, coords, output=out, order=1)
    return np.sum(out)


def differentiated_cval(img, coords, c):
    return np.sum(map_coordinates(img, coords, order=1, cval=c))


def test_what_is_refused():
    with pytest.raises(UnsupportedSyntaxError, match=r"order=3 .*scipy's default is 3.*pass order=1"):
        differentiate(default_order).grad(IMG, COORDS)
    with pytest.raises(UnsupportedSyntaxError):
        differentiate(into_output).grad(IMG, COORDS)
    with pytest.raises(UnsupportedSyntaxError, match="a differentiated cval"):
        differentiate(differentiated_cval, wrt="c").grad(IMG, COORDS, 0.5)


def of_a_complex_image(img, coords):
    return np.sum(np.abs(map_coordinates(img, coords, order=1, mode="nearest")) ** 2)


def convolved_with_a_complex_array(a, b):
    return np.sum(np.abs(convolve2d(a, b)) ** 2)


def test_a_complex_argument_beside_a_differentiated_real_one_is_refused():
    # (a review found convolve2d's adjoint of a real b beside a complex a silently wrong: scipy's
    # correlate2d conjugates; -12.63 where central differences give -53.80)
    z = RNG.standard_normal((4, 5)) + 1j * RNG.standard_normal((4, 5))
    with pytest.raises(UnsupportedSyntaxError, match="a complex argument beside a differentiated one"):
        differentiate(of_a_complex_image, wrt="coords").grad(z, COORDS[:, :3])
    with pytest.raises(UnsupportedSyntaxError, match="a complex argument beside a differentiated one"):
        s2sgrad.jvp(of_a_complex_image, (z, COORDS[:, :3]), (None, np.ones((2, 3))))
    with pytest.raises(UnsupportedSyntaxError, match="a complex argument beside a differentiated one"):
        differentiate(convolved_with_a_complex_array, wrt="b").grad(z, RNG.standard_normal((2, 2)))


def test_coordinates_that_are_not_finite_are_an_argument_error():
    bad = np.array([[0.3, np.inf], [1.4, 3.6]])
    with pytest.raises(s2sgrad.ArgumentError, match="coordinates must be finite"):
        differentiate(warped, wrt="img").grad(IMG, bad, "constant")
