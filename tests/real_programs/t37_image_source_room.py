"""Room acoustics with the image-source method in a 2-D rectangular room: first- and second-order
mirror images of the source, propagation delays rendered as band-limited impulses (np.sinc) with
1/r spreading and wall reflection coefficients; the source position and absorption are fitted to a
measured room impulse response."""
import numpy as np

C_SOUND = 343.0
FS = 4000.0


def image_sources(src, room):
    Lx, Ly = room
    imgs, orders = [], []
    for nx in (-1, 0, 1):
        for ny in (-1, 0, 1):
            for px in (0, 1):
                for py in (0, 1):
                    x = (1 - 2 * px) * src[0] + 2 * nx * Lx
                    y = (1 - 2 * py) * src[1] + 2 * ny * Ly
                    order = abs(2 * nx - px) + abs(2 * ny - py)
                    if order <= 2:
                        imgs.append(np.array([x, y]))
                        orders.append(order)
    return np.array(imgs), np.array(orders)


def rir(src, refl, mic, room, n=160):
    imgs, orders = image_sources(src, room)
    r = np.linalg.norm(imgs - mic, axis=1)
    delay = r / C_SOUND * FS
    amp = refl ** orders / (r + 0.1)
    t = np.arange(n)
    return np.sum(amp[:, None] * np.sinc(t[None, :] - delay[:, None]), axis=0)


def fit_loss(src, refl, mics, room, measured):
    err = 0.0
    for m, mic in enumerate(mics):
        err += np.sum((rir(src, refl, mic, room) - measured[m]) ** 2)
    return err


room = (5.0, 4.0)
mics = np.array([[1.0, 1.0], [4.0, 3.0], [2.5, 0.5]])
true_src = np.array([3.2, 2.1])
measured = np.array([rir(true_src, 0.7, m, room) for m in mics])
rng = np.random.default_rng(537)
measured += 1e-3 * rng.standard_normal(measured.shape)

f = fit_loss
KW = {"wrt": ("src", "refl")}
ARGS = (np.array([3.1, 2.15]), 0.65, mics, room, measured)
