import numpy as np

def rotate(points, rot_vecs):
    """Rotate points by given rotation vectors (Rodrigues' rotation formula)."""
    theta = np.linalg.norm(rot_vecs, axis=1)[:, np.newaxis]
    with np.errstate(invalid='ignore'):
        v = rot_vecs / theta
        v = np.nan_to_num(v)
    dot = np.sum(points * v, axis=1)[:, np.newaxis]
    cos_theta = np.cos(theta)
    sin_theta = np.sin(theta)
    return cos_theta * points + sin_theta * np.cross(v, points) + dot * (1 - cos_theta) * v

def project(points, camera_params):
    points_proj = rotate(points, camera_params[:, :3])
    points_proj += camera_params[:, 3:6]
    points_proj = -points_proj[:, :2] / points_proj[:, 2, np.newaxis]
    f = camera_params[:, 6]
    k1 = camera_params[:, 7]
    k2 = camera_params[:, 8]
    n = np.sum(points_proj ** 2, axis=1)
    r = 1 + k1 * n + k2 * n ** 2
    points_proj *= (r * f)[:, np.newaxis]
    return points_proj

def ba_cost(params, n_cameras, n_points, camera_indices, point_indices, points_2d):
    camera_params = params[:n_cameras * 9].reshape((n_cameras, 9))
    points_3d = params[n_cameras * 9:].reshape((n_points, 3))
    points_proj = project(points_3d[point_indices], camera_params[camera_indices])
    return 0.5 * np.sum((points_proj - points_2d).ravel() ** 2)

rng = np.random.default_rng(28)
n_cameras, n_points, n_obs = 3, 6, 15
cams = np.concatenate([0.1 * rng.standard_normal((n_cameras, 3)), rng.standard_normal((n_cameras, 2)) * 0.1,
                       np.full((n_cameras, 1), -5.0), np.full((n_cameras, 1), 1.0),
                       0.01 * rng.standard_normal((n_cameras, 2))], axis=1)
pts = rng.standard_normal((n_points, 3))
params = np.concatenate([cams.ravel(), pts.ravel()])
camera_indices = rng.integers(0, n_cameras, n_obs)
point_indices = rng.integers(0, n_points, n_obs)
points_2d = 0.2 * rng.standard_normal((n_obs, 2))
f = ba_cost
ARGS = (params, n_cameras, n_points, camera_indices, point_indices, points_2d)
