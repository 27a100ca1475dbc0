"""The level a sheet finds in a finite buffer between two stations: the law the evaluation draws from.

A stationary M/M/1/K queue at load rho holds n customers with probability p_n = rho^n (1 - rho) /
(1 - rho^(K+1)), n = 0..K (Gross & Harris, Fundamentals of Queueing Theory, 4th ed. 2008, §2.5); at rho = 1
every level is equally likely, p_n = 1/(K+1). Seen as a fraction x = n/K of the buffer and with
K ln(rho) = a held fixed as K grows, the law tends to the truncated exponential

    f(x) = a e^(a x) / (e^a - 1),  0 <= x <= 1,     mean  m(a) = 1/(1 - e^(-a)) - 1/a

(uniform at a = 0, all mass at empty as a -> -inf and at full as a -> +inf); it is also the stationary law
of a Brownian buffer content reflected at empty and full (Harrison, Brownian Motion and Stochastic Flow
Systems, 1985, ch. 5). :func:`level_fraction` draws it by inverting its distribution function, so a
stratified uniform gives a stratified level. :func:`mm1k_mean_customers` is the closed-form mean of the
discrete queue, the reference the tests hold the law to.
"""

from __future__ import annotations

import numpy as np

# below this tilt the law is uniform to double precision (the inversion's own error is ~tilt^2)
UNIFORM_TILT = 1e-9


def level_fraction(uniform: np.ndarray, tilt: float) -> np.ndarray:
    """The buffer level as a fraction of full [-] for uniforms on [0, 1): the inverse of F(x) =
    (e^(a x) - 1) / (e^a - 1), a = ``tilt`` (number of customers x ln load; 0: uniform).

    Written so neither branch overflows: a > 0, x = 1 + ln(u + (1 - u) e^(-a)) / a; a < 0,
    x = ln(1 + u (e^a - 1)) / a. Infinite tilts give exactly empty or full.
    """
    u = np.asarray(uniform, dtype=float)
    if abs(tilt) < UNIFORM_TILT:
        return u.copy()
    if np.isinf(tilt):
        return np.full(u.shape, 1.0 if tilt > 0 else 0.0)
    with np.errstate(divide="ignore", over="ignore"):
        if tilt > 0:
            x = 1.0 + np.log(u + (1.0 - u) * np.exp(-tilt)) / tilt
        else:
            x = np.log1p(u * np.expm1(tilt)) / tilt
    # exactly empty or full where the logarithm met 0 (u at an end of [0, 1] under a very large tilt)
    return np.clip(x, 0.0, 1.0)


def mean_level_fraction(tilt: float) -> float:
    """Mean of :func:`level_fraction`'s law, m(a) = 1/(1 - e^(-a)) - 1/a [-] (1/2 + a/12 near a = 0)."""
    if abs(tilt) < 1e-4:
        return 0.5 + tilt / 12.0   # the series: the closed form loses digits to cancellation here
    if tilt > 700.0:
        return 1.0 - 1.0 / tilt
    if tilt < -700.0:
        return -1.0 / tilt
    return float(-1.0 / np.expm1(-tilt) - 1.0 / tilt)


def load_tilt(load: float, customers: float) -> float:
    """Tilt a = K ln(rho) of a buffer of ``customers`` places at ``load`` rho [-] (rho 0: a = -inf)."""
    if load <= 0.0:
        return -np.inf
    if not np.isfinite(load):
        return np.inf
    return float(customers * np.log(load))


def mm1k_mean_customers(load: float, places: int) -> float:
    """Mean number in a stationary M/M/1/K queue, L = rho/(1 - rho) - (K+1) rho^(K+1) / (1 - rho^(K+1)),
    K/2 at rho = 1 (Gross & Harris 2008, §2.5) [customers]."""
    rho, k = float(load), int(places)
    if abs(rho - 1.0) < 1e-12:
        return k / 2.0
    if rho > 1.0:
        # the same law seen from the full end: K minus the mean of the queue at 1/rho
        return k - mm1k_mean_customers(1.0 / rho, k)
    return rho / (1.0 - rho) - (k + 1) * rho ** (k + 1) / (1.0 - rho ** (k + 1))


__all__ = ["level_fraction", "load_tilt", "mean_level_fraction", "mm1k_mean_customers"]
