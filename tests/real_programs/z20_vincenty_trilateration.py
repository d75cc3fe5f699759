"""Geodesy: locate a receiver from measured ellipsoidal distances to four survey monuments. The
distance is Vincenty's inverse formula on the WGS-84 ellipsoid written with the math module on
scalars (an iterative while loop on lambda with a convergence test); the receiver's (lat, lon) in
radians is unpacked from the parameter array; the loss is the sum of squared range residuals in
metres (km^2 scaled).  Differentiated w.r.t. the position array."""
import math

import numpy as np

A_WGS = 6378137.0
F_WGS = 1 / 298.257223563
B_WGS = (1 - F_WGS) * A_WGS


def vincenty(lat1, lon1, lat2, lon2, tol=1e-13, max_iter=200):
    U1 = math.atan((1 - F_WGS) * math.tan(lat1))
    U2 = math.atan((1 - F_WGS) * math.tan(lat2))
    L = lon2 - lon1
    lam = L
    sinU1, cosU1 = math.sin(U1), math.cos(U1)
    sinU2, cosU2 = math.sin(U2), math.cos(U2)
    for _ in range(max_iter):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.sqrt((cosU2 * sin_lam) ** 2 + (cosU1 * sinU2 - sinU1 * cosU2 * cos_lam) ** 2)
        cos_sigma = sinU1 * sinU2 + cosU1 * cosU2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cosU1 * cosU2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha ** 2
        cos_2sm = cos_sigma - 2 * sinU1 * sinU2 / cos2_alpha
        C = F_WGS / 16 * cos2_alpha * (4 + F_WGS * (4 - 3 * cos2_alpha))
        lam_prev = lam
        lam = L + (1 - C) * F_WGS * sin_alpha * (
            sigma + C * sin_sigma * (cos_2sm + C * cos_sigma * (-1 + 2 * cos_2sm ** 2)))
        if abs(lam - lam_prev) < tol:
            break
    u2 = cos2_alpha * (A_WGS ** 2 - B_WGS ** 2) / B_WGS ** 2
    A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
    B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
    d_sigma = B * sin_sigma * (cos_2sm + B / 4 * (cos_sigma * (-1 + 2 * cos_2sm ** 2)
                                                 - B / 6 * cos_2sm * (-3 + 4 * sin_sigma ** 2) * (-3 + 4 * cos_2sm ** 2)))
    return B_WGS * A * (sigma - d_sigma)


def range_residuals(position, stations, ranges_m):
    lat, lon = position
    total = 0.0
    for (slat, slon), rho in zip(stations, ranges_m):
        d = vincenty(lat, lon, math.radians(slat), math.radians(slon))
        total += ((d - rho) / 1000.0) ** 2
    return total


STATIONS = [(48.0, 11.0), (48.5, 12.2), (47.6, 12.0), (48.9, 11.4)]
truth = (math.radians(48.2), math.radians(11.6))
RANGES = [vincenty(truth[0], truth[1], math.radians(a), math.radians(b)) + 30.0 * k
          for k, (a, b) in enumerate(STATIONS)]
f = range_residuals
ARGS = (np.array([math.radians(48.1), math.radians(11.5)]), STATIONS, RANGES)
