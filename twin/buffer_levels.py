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

The tilt comes from one of two sources. :func:`load_tilt` is the M/M/1/K's, a = K ln(rho): single sheets
arriving and leaving at exponential intervals. :func:`diffusion_tilt` is the reflected Brownian motion's,
a = 2 mu K / sigma^2 (Harrison 1985, ch. 5 §6; Whitt, Stochastic-Process Limits, 2002, ch. 5): mu the mean
rate in minus the mean rate out, sigma^2 the variance rates of the two counting processes added; it holds
near balance (|mu| small against sigma^2 / K), where the level wanders with the stations' variability.
With Poisson sheets in and out (sigma^2 = lambda + mu) it is K (rho - 1) / ((rho + 1) / 2) ~ K ln(rho) near
rho = 1: the two agree where both hold. The variance rates come from the stations' breakdowns and units:
:func:`breakdown_unit_scv` (Hopp & Spearman) and :func:`departure_scv` (Whitt's QNA).
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


def full_share(tilt: float, room_fraction: float) -> float:
    """P(X > 1 - ``room_fraction``) under :func:`level_fraction`'s law [-]: the share of time a buffer has less
    than ``room_fraction`` of its places free (a station upstream blocked with a unit that does not fit).

    1 - F(1 - y) = (1 - e^(-a y)) / (1 - e^(-a)) for a > 0, and the same written as
    e^(a (1 - y)) (e^(a y) - 1) / (e^a - 1) for a < 0 (neither overflows); y at a = 0.
    """
    y = min(max(float(room_fraction), 0.0), 1.0)
    if y in (0.0, 1.0):
        return y
    if abs(tilt) < UNIFORM_TILT:
        return y
    if np.isinf(tilt):
        return 1.0 if tilt > 0 else 0.0
    if tilt > 0:
        return float(np.expm1(-tilt * y) / np.expm1(-tilt))
    return float(np.exp(tilt * (1.0 - y)) * np.expm1(tilt * y) / np.expm1(tilt))


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


def diffusion_tilt(drift_per_s: float, variance_per_s: float, places: float) -> float:
    """Tilt a = 2 mu K / sigma^2 [-] of a Brownian buffer content reflected at empty and full.

    ``drift_per_s`` mu: mean rate in minus mean rate out [sheets/s]; ``variance_per_s`` sigma^2: the variance
    rates of input and output counts added [sheets^2/s]; ``places`` K [sheets]. The stationary density on
    [0, K] is ~ exp(2 mu x / sigma^2) (Harrison, Brownian Motion and Stochastic Flow Systems, 1985, ch. 5 §6),
    the truncated exponential :func:`level_fraction` draws. No variance: a deterministic buffer, full
    (mu > 0) or empty (mu < 0), uniform at mu = 0.
    """
    if variance_per_s < 0.0 or places < 0.0:
        raise ValueError(f"variance_per_s {variance_per_s} and places {places} must be >= 0")
    if drift_per_s == 0.0:
        return 0.0
    if variance_per_s == 0.0:
        return float(np.copysign(np.inf, drift_per_s))
    return float(2.0 * drift_per_s * places / variance_per_s)


def breakdown_unit_scv(unit_time_s: float, availability: float, mttr_s: float, repair_scv: float = 1.0,
                       natural_scv: float = 0.0) -> float:
    """Squared coefficient of variation of a machine's effective time per unit [-], breakdowns included.

    c_e^2 = c_0^2 + (1 + c_r^2) A (1 - A) m_r / t_0 (Hopp & Spearman, Factory Physics, 3rd ed. 2008, §8.4.2,
    preemptive outages): t_0 the unit's natural time ``unit_time_s`` [s], A the
    availability MTBF / (MTBF + MTTR), m_r the mean repair ``mttr_s`` [s], c_r^2 its SCV (1: exponential
    repairs, as the plant draws them), c_0^2 the natural SCV (0: the plant's times are fixed). In sheets, a
    station of capacity c [sheets/s] working units of u sheets adds c u c_e^2 [sheets^2/s] to a buffer's
    variance rate: 2 c^2 (1 - A) m_r / machines, the exact rate of an on/off source with exponential up and
    down times, whatever the unit.
    """
    if unit_time_s <= 0.0:
        raise ValueError(f"unit_time_s {unit_time_s} must be > 0")
    if not 0.0 < availability <= 1.0:
        raise ValueError(f"availability {availability} must be in (0, 1]")
    return float(natural_scv + (1.0 + repair_scv) * availability * (1.0 - availability) * mttr_s / unit_time_s)


def departure_scv(arrival_scv: float, service_scv: float, utilisation: float, machines: int) -> float:
    """SCV of the units leaving a station of ``machines`` parallel machines [-] (Whitt, The Queueing Network
    Analyzer, Bell Syst. Tech. J. 62 (1983) 2779, the multi-server departure formula):

        c_d^2 = 1 + (1 - rho^2)(c_a^2 - 1) + rho^2 (c_e^2 - 1) / sqrt(m)

    A lightly loaded station passes on what arrives; a busy one sends its own service variability, which many
    machines in parallel blur towards Poisson (superposed streams). ``utilisation`` rho is clipped to [0, 1].
    """
    rho = min(max(float(utilisation), 0.0), 1.0)
    return float(max(1.0 + (1.0 - rho ** 2) * (arrival_scv - 1.0)
                     + rho ** 2 * (service_scv - 1.0) / np.sqrt(max(int(machines), 1)), 0.0))


__all__ = ["breakdown_unit_scv", "departure_scv", "diffusion_tilt", "full_share", "level_fraction", "load_tilt",
           "mean_level_fraction", "mm1k_mean_customers"]
