"""Microphone-array calibration for an MVDR (Capon) beamformer: steering vectors are complex
exponentials of the element positions (a uniform line with unknown position errors), the sample
covariance of snapshots with a jammer gets diagonal loading, the MVDR weights are
R^-1 a / (a^H R^-1 a) with np.linalg.solve on complex matrices, and the objective is the output
power toward a jammer plus a distortion penalty toward a calibration source at a known angle,
both via np.vdot and np.abs, differentiated w.r.t. the element position errors."""
import numpy as np

C_SOUND, FREQ = 343.0, 2000.0


def steering(positions, angle):
    k = 2 * np.pi * FREQ / C_SOUND
    return np.exp(1j * k * positions * np.sin(angle))


def mvdr_weights(R, a, loading=1e-2):
    Rl = R + loading * np.trace(R).real / len(a) * np.eye(len(a))
    Ria = np.linalg.solve(Rl, a)
    return Ria / np.vdot(a, Ria)


def calibration_loss(pos_err, nominal, snapshots, look, jammer, cal_angle, cal_response):
    positions = nominal + pos_err
    R = snapshots @ snapshots.conj().T / snapshots.shape[1]
    w = mvdr_weights(R, steering(positions, look))
    jam_power = np.abs(np.vdot(w, steering(positions, jammer))) ** 2
    cal = np.vdot(w, steering(positions, cal_angle))
    return jam_power + np.abs(cal - cal_response) ** 2 + 10.0 * np.sum(pos_err ** 2)


rng = np.random.default_rng(2727)
M, N = 8, 200
nominal = np.arange(M) * 0.04
true_pos = nominal + 0.003 * rng.standard_normal(M)
look, jammer, cal_angle = 0.0, np.deg2rad(35.0), np.deg2rad(-20.0)
sig = (rng.standard_normal(N) + 1j * rng.standard_normal(N)) / np.sqrt(2)
jam = 3.0 * (rng.standard_normal(N) + 1j * rng.standard_normal(N)) / np.sqrt(2)
noise = 0.1 * (rng.standard_normal((M, N)) + 1j * rng.standard_normal((M, N)))
snapshots = np.outer(steering(true_pos, look), sig) + np.outer(steering(true_pos, jammer), jam) + noise
f = calibration_loss
ARGS = (np.zeros(M) + 0.001 * rng.standard_normal(M), nominal, snapshots, look, jammer, cal_angle, 0.6 + 0.1j)
