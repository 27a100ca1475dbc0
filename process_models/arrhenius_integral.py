"""Time integrals of Arrhenius rates over a temperature profile, fast for many furnace offsets.

Both the work of sintering (densification.py) and the integrated Li2O flux (li_loss.py) are
integrals of the form  I(delta) = integral of T^p exp(-E / (R T)) dt  with T = T_profile(t) + delta,
where delta is a per-sheet furnace temperature offset. ln I(delta) is smooth (convex-ish) in delta,
so for large offset arrays it is evaluated exactly on a uniform grid of offsets and linearly
interpolated.
"""

from __future__ import annotations

import functools

import numpy as np

from process_models._domain_checks import check_positive, check_range
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K
from process_models.errors import PhysicsDomainError
from process_models.temperature_profile import MAX_TEMPERATURE_K, TemperatureProfile

INTERPOLATION_TOLERANCE = 1e-6
"""Target bound on the linear-interpolation error of ln I over the offset grid [-]."""

MAX_OFFSET_GRID_POINTS = 4097
"""Cap on exact evaluations per call; beyond this the error bound is reported as not met."""

EXACT_EVALUATION_LIMIT = 64
"""Offset arrays with at most this many unique values are evaluated exactly, without a grid."""

_CHUNK = 128
# Offsets within +-TABLE_HALF_WIDTH_K of the set point are read from one Chebyshev series per
# (profile, E, p), built once and cached: a plant fires the same recipe thousands of times.
TABLE_HALF_WIDTH_K = 50.0
_TABLE_CACHE_SIZE = 256


def _trapezoid_weights(time_s: np.ndarray) -> np.ndarray:
    dt = np.diff(time_s)
    weights = np.zeros_like(time_s)
    weights[:-1] += 0.5 * dt
    weights[1:] += 0.5 * dt
    return weights


def _exact(time_s, temperature_K, offsets, activation_energy, exponent, with_curvature=False):
    """Exact trapezoid ln I at each offset; optionally the exact d2(ln I)/d(delta)2."""
    log_weights = np.log(np.maximum(_trapezoid_weights(time_s), 1e-300))
    out = np.empty(offsets.size)
    curvature = np.empty(offsets.size)
    ea_over_r = activation_energy / GAS_CONSTANT_J_PER_MOL_K
    for start in range(0, offsets.size, _CHUNK):
        delta = offsets[start:start + _CHUNK]
        temperature = temperature_K[:, None] + delta[None, :]
        log_rate = exponent * np.log(temperature) - ea_over_r / temperature
        terms = log_rate + log_weights[:, None]
        peak = terms.max(axis=0)
        scaled = np.exp(terms - peak)
        total = scaled.sum(axis=0)
        out[start:start + _CHUNK] = peak + np.log(total)
        if with_curvature:
            weight = scaled / total
            slope = exponent / temperature + ea_over_r / temperature**2
            second = -exponent / temperature**2 - 2.0 * ea_over_r / temperature**3
            mean_slope = (weight * slope).sum(axis=0)
            variance = (weight * (slope - mean_slope) ** 2).sum(axis=0)
            curvature[start:start + _CHUNK] = (weight * second).sum(axis=0) + variance
    return (out, curvature) if with_curvature else out


def log_arrhenius_time_integral(
    profile: TemperatureProfile,
    activation_energy_J_per_mol: float,
    temperature_offset_K=0.0,
    temperature_exponent: float = -1.0,
    max_temperature_step_K: float = 1.0,
):
    """Natural log of the time integral of T^p exp(-E/RT) over a profile shifted by offsets.

    Parameters
    ----------
    profile : TemperatureProfile
        Furnace temperature history [s], [K]
    activation_energy_J_per_mol : float
        Activation energy E [J/mol]
    temperature_offset_K : float or array_like
        Per-sheet offset delta added to the whole profile (furnace non-uniformity) [K]
    temperature_exponent : float
        Power p of the temperature prefactor (-1 for the work of sintering, -1/2 for
        Hertz-Knudsen) [-]
    max_temperature_step_K : float
        Largest temperature change per trapezoid step on ramps [K]

    Returns
    -------
    numpy.ndarray or float
        ln of the integral, shaped like ``temperature_offset_K`` [ln(s K^p)]

    Notes
    -----
    ln I(delta) = ln sum_i w_i (T_i + delta)^p exp(-E / (R (T_i + delta))), trapezoid weights w_i,
    evaluated with log-sum-exp. With 1 K steps the trapezoid error on ramps is about
    (E/(R T^2))^2/12 ~ 5e-5 relative at E = 300 kJ/mol, 1400 K.
    Offsets within +-TABLE_HALF_WIDTH_K (the usual furnace non-uniformity) are read from a Chebyshev
    series of ln I(delta), cached per (profile, E, p) and fitted so that it matches exact values between
    its nodes to ``INTERPOLATION_TOLERANCE`` (ln I is smooth and nearly quadratic in delta: degree 8
    reaches ~1e-13). Outside that range: for more than ``EXACT_EVALUATION_LIMIT`` distinct offsets,
    ln I is computed exactly on a uniform
    grid of spacing h over [min delta, max delta] and interpolated linearly. The interpolation error
    is bounded by h^2/8 * max|d2 lnI/d delta2|; the curvature equals E_pi[h''] + Var_pi[h'] with
    h(T) = p ln T - E/(R T) and pi the normalised integrand, and is evaluated exactly at the two ends
    and the middle of the range. h is chosen so that this bound, with a factor 2 safety margin on
    the curvature, is below ``INTERPOLATION_TOLERANCE`` = 1e-6 (tested against exact evaluation).

    References
    ----------
    Su & Johnson, J. Am. Ceram. Soc. 79 (1996) 3211 (work of sintering); physics-notes §1.1, §2.3.

    Examples
    --------
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3)])
    >>> print(round(float(log_arrhenius_time_integral(p, 300e3)), 3))
    -25.516
    """
    check_positive("activation_energy_J_per_mol", activation_energy_J_per_mol)
    offsets = np.asarray(temperature_offset_K, dtype=float)
    if offsets.size == 0:
        return np.empty(offsets.shape)
    lowest = profile.lowest_temperature_K
    check_range("temperature_offset_K", offsets, -lowest, MAX_TEMPERATURE_K - profile.peak_temperature_K,
                low_inclusive=False)
    energy = float(activation_energy_J_per_mol)
    exponent = float(temperature_exponent)

    low, high = float(np.minimum.reduce(offsets, axis=None)), float(np.maximum.reduce(offsets, axis=None))
    if reads_offset_table(profile, low, high):
        # One path for every call in range, so a sheet's result never depends on its batch size.
        coefficients = _offset_table_by_identity(profile, energy, exponent, float(max_temperature_step_K))
        result = _chebyshev_series(offsets / TABLE_HALF_WIDTH_K, coefficients)
        return result[()] if result.ndim == 0 else result
    time_s, temperature_K = profile.fine_grid(max_temperature_step_K=max_temperature_step_K)
    if offsets.size <= EXACT_EVALUATION_LIMIT or high == low:
        unique, inverse = np.unique(offsets.ravel(), return_inverse=True)
        result = _exact(time_s, temperature_K, unique, energy, exponent)[inverse].reshape(offsets.shape)
        return result[()] if result.ndim == 0 else result

    probe = np.array([low, 0.5 * (low + high), high])
    _, curvature = _exact(time_s, temperature_K, probe, energy, exponent, with_curvature=True)
    bound = 2.0 * float(np.max(np.abs(curvature))) + 1e-300
    spacing = np.sqrt(8.0 * INTERPOLATION_TOLERANCE / bound)
    points = int(min(MAX_OFFSET_GRID_POINTS, max(3, np.ceil((high - low) / spacing) + 1)))
    grid = np.linspace(low, high, points)
    values = _exact(time_s, temperature_K, grid, energy, exponent)
    return np.interp(offsets, grid, values)


def log_arrhenius_time_integrals(profile: TemperatureProfile, terms, temperature_offset_K=0.0,
                                 max_temperature_step_K: float = 1.0) -> tuple:
    """``log_arrhenius_time_integral`` of several (E, p) terms over one profile and the same offsets.

    Parameters
    ----------
    profile : TemperatureProfile
        Furnace temperature history [s], [K]
    terms : sequence of (float, float)
        (activation energy E [J/mol], temperature exponent p [-]) of each integral
    temperature_offset_K : float or array_like
        Per-sheet offset delta added to the whole profile [K]
    max_temperature_step_K : float
        Largest temperature change per trapezoid step on ramps [K]

    Returns
    -------
    tuple of numpy.ndarray or float
        ln of each integral, in the order of ``terms`` [ln(s K^p)]

    Notes
    -----
    Bit for bit the single integrals: on the offset table (``reads_offset_table``) the Chebyshev
    series of every term are summed in one Clenshaw pass over a (terms x sheets) array, each element
    by the same operations as alone (a shorter series is padded with zero leading coefficients, which
    reproduces its own first steps exactly); off the table each term is computed alone. A kiln load
    needs the work of sintering and the Li2O flux over the same offsets: one pass instead of two.

    References
    ----------
    See ``log_arrhenius_time_integral``; Clenshaw, Math. Tables Aids Comput. 9 (1955) 118.

    Examples
    --------
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3)])
    >>> both = log_arrhenius_time_integrals(p, ((300e3, -1.0), (431e3, -0.5)), np.array([-5.0, 5.0]))
    >>> bool(np.array_equal(both[1], log_arrhenius_time_integral(p, 431e3, np.array([-5.0, 5.0]), -0.5)))
    True
    """
    offsets = np.asarray(temperature_offset_K, dtype=float)
    terms = tuple((float(energy), float(exponent)) for energy, exponent in terms)
    on_table = offsets.ndim == 1 and offsets.size > 0 and len(terms) > 1 and reads_offset_table(
        profile, float(np.minimum.reduce(offsets)), float(np.maximum.reduce(offsets)))
    if on_table:
        for energy, _ in terms:
            check_positive("activation_energy_J_per_mol", energy)
        stacked = _stacked_tables(profile, terms, float(max_temperature_step_K))
        if stacked is not None:
            return tuple(_chebyshev_series(offsets / TABLE_HALF_WIDTH_K, stacked))
    return tuple(log_arrhenius_time_integral(profile, energy, offsets, exponent, max_temperature_step_K)
                 for energy, exponent in terms)


_STACKED_BY_IDENTITY: dict[tuple, tuple] = {}


def _stacked_tables(profile: TemperatureProfile, terms: tuple, max_temperature_step_K: float):
    """The terms' offset series as (terms x 1) coefficient columns, zero-padded at the high degrees;
    None if a series is too short for the shared Clenshaw steps. Kept by the profile's identity (a
    kiln load asks for the same recipe's columns every time)."""
    key = (id(profile), terms, max_temperature_step_K)
    entry = _STACKED_BY_IDENTITY.get(key)
    if entry is not None and entry[0] is profile:
        return entry[1]
    series = [_offset_table_by_identity(profile, energy, exponent, max_temperature_step_K)
              for energy, exponent in terms]
    stacked = None
    if min(len(coefficients) for coefficients in series) >= 3:
        columns = np.zeros((max(len(coefficients) for coefficients in series), len(terms)))
        for row, coefficients in enumerate(series):
            columns[:len(coefficients), row] = coefficients
        columns.flags.writeable = False
        stacked = tuple(columns[:, :, None])
    if len(_STACKED_BY_IDENTITY) >= _TABLE_CACHE_SIZE:
        _STACKED_BY_IDENTITY.clear()
    _STACKED_BY_IDENTITY[key] = (profile, stacked)
    return stacked


def reads_offset_table(profile: TemperatureProfile, lowest_offset_K: float, highest_offset_K: float) -> bool:
    """Whether offsets in [lowest, highest] are read from the cached Chebyshev series of the profile.

    Parameters
    ----------
    profile : TemperatureProfile
        Furnace temperature history [s], [K]
    lowest_offset_K : float
        Smallest per-sheet offset of the call [K]
    highest_offset_K : float
        Largest per-sheet offset of the call [K]

    Returns
    -------
    bool
        True when every offset lies within +-TABLE_HALF_WIDTH_K and the shifted profile stays inside
        (TABLE_HALF_WIDTH_K, MAX_TEMPERATURE_K) [-]

    Notes
    -----
    On the table every sheet's ln I depends on its own offset only, so splitting or joining the
    sheets of calls does not change any result; off the table the offset grid spans the call's range.

    References
    ----------
    See ``log_arrhenius_time_integral``.

    Examples
    --------
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3)])
    >>> reads_offset_table(p, -20.0, 30.0), reads_offset_table(p, -20.0, 80.0)
    (True, False)
    """
    return (-TABLE_HALF_WIDTH_K <= lowest_offset_K and highest_offset_K <= TABLE_HALF_WIDTH_K
            and profile.lowest_temperature_K > TABLE_HALF_WIDTH_K
            and profile.peak_temperature_K + TABLE_HALF_WIDTH_K < MAX_TEMPERATURE_K)


def _chebyshev_series(x: np.ndarray, coefficients: tuple) -> np.ndarray:
    """Clenshaw sum of a Chebyshev series at ``x``: numpy's ``chebval`` operation for operation (same
    round-off), without its per-call argument conversion (this runs once per kiln load). Coefficients
    may be (k, 1) columns: k series at once, a (k, n) result, every element by the same operations."""
    if len(coefficients) == 1:
        return coefficients[0] + 0 * x
    if len(coefficients) == 2:
        return coefficients[0] + coefficients[1] * x
    # the same operations in the same order as chebval, in place: no temporaries per coefficient
    x2 = x * 2
    c1 = x2 * coefficients[-1]
    c1 += coefficients[-2]
    c0 = coefficients[-3] - coefficients[-1]
    scratch = np.empty_like(c1)
    spare = None
    for i in range(4, len(coefficients) + 1):
        np.subtract(coefficients[-i], c1, out=scratch)
        c1 *= x2
        c1 += c0
        if spare is None:
            spare = np.empty_like(c1)
        c0, scratch = scratch, (c0 if isinstance(c0, np.ndarray) and c0.shape == c1.shape else spare)
    c1 *= x
    c1 += c0
    return c1


_TABLE_BY_IDENTITY: dict[tuple, tuple] = {}


def _offset_table_by_identity(profile: TemperatureProfile, energy: float, exponent: float,
                              max_temperature_step_K: float) -> tuple:
    """``_offset_table`` looked up by the profile's identity first: hashing a long profile (a recipe
    fired in 18 sub-layers has ~100 knots) on every call cost more than the series itself. The stored
    profile reference keeps the id from being reused while the entry lives."""
    key = (id(profile), energy, exponent, max_temperature_step_K)
    entry = _TABLE_BY_IDENTITY.get(key)
    if entry is not None and entry[0] is profile:
        return entry[1]
    coefficients = tuple(float(c) for c in _offset_table(profile, energy, exponent, max_temperature_step_K))
    if len(_TABLE_BY_IDENTITY) >= _TABLE_CACHE_SIZE:
        _TABLE_BY_IDENTITY.clear()
    _TABLE_BY_IDENTITY[key] = (profile, coefficients)
    return coefficients


@functools.lru_cache(maxsize=_TABLE_CACHE_SIZE)
def _offset_table(profile: TemperatureProfile, energy: float, exponent: float, max_temperature_step_K: float):
    """Chebyshev series of ln I(delta) over [-W, W]: ln I is smooth in delta, so a low degree reaches the
    tolerance. The degree grows (4, 5, ... 8, then doubling) until the series matches exact values
    between the nodes to ``INTERPOLATION_TOLERANCE``."""
    time_s, temperature_K = profile.fine_grid(max_temperature_step_K=max_temperature_step_K)
    half_width = TABLE_HALF_WIDTH_K
    # the lowest degree that meets the tolerance: every sheet of every firing pays ~3 array passes per
    # degree (a plain recipe needs ~5-6; an 18-pulse RTP recipe too)
    degree = 4
    while True:
        nodes = np.cos(np.pi * (np.arange(degree + 1) + 0.5) / (degree + 1))
        values = _exact(time_s, temperature_K, nodes * half_width, energy, exponent)
        coefficients = np.polynomial.chebyshev.chebfit(nodes, values, degree)
        between = np.cos(np.pi * np.arange(1, degree + 1) / (degree + 1))
        error = np.max(np.abs(np.polynomial.chebyshev.chebval(between, coefficients)
                              - _exact(time_s, temperature_K, between * half_width, energy, exponent)))
        if error <= INTERPOLATION_TOLERANCE or degree >= 128:
            return coefficients
        degree = degree + 1 if degree < 8 else degree * 2


def offset_grid_error_bound(profile: TemperatureProfile, activation_energy_J_per_mol: float,
                            offset_low_K: float, offset_high_K: float,
                            temperature_exponent: float = -1.0, points: int = 3) -> float:
    """Interpolation error bound h^2/8 * 2 max|f''| for a grid of ``points`` offsets.

    Parameters
    ----------
    profile : TemperatureProfile
        Furnace temperature history [s], [K]
    activation_energy_J_per_mol : float
        Activation energy [J/mol]
    offset_low_K : float
        Lowest offset of the grid [K]
    offset_high_K : float
        Highest offset of the grid [K]
    temperature_exponent : float
        Power p of the temperature prefactor [-]
    points : int
        Number of grid points (>= 2) [-]

    Returns
    -------
    float
        Bound on |ln I_interpolated - ln I_exact| [-]

    Notes
    -----
    bound = h^2/8 * 2 max|f''(delta)|, h = (high - low)/(points - 1), f = ln I; f'' is sampled
    at the ends and the middle of the range.

    References
    ----------
    Standard linear-interpolation remainder (e.g. Burden & Faires, Numerical Analysis, Thm 3.3).

    Examples
    --------
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3)])
    >>> print(offset_grid_error_bound(p, 300e3, -50.0, 50.0, points=101) < 1e-4)
    True
    """
    if points < 2:
        raise PhysicsDomainError(f"points={points} is outside [2, inf)")
    time_s, temperature_K = profile.fine_grid()
    probe = np.array([offset_low_K, 0.5 * (offset_low_K + offset_high_K), offset_high_K], dtype=float)
    _, curvature = _exact(time_s, temperature_K, probe, float(activation_energy_J_per_mol),
                          float(temperature_exponent), with_curvature=True)
    spacing = (offset_high_K - offset_low_K) / (points - 1)
    return float(spacing**2 / 8.0 * 2.0 * np.max(np.abs(curvature)))
