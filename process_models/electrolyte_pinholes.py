"""Through-pinholes of a deposited electrolyte and the cells they short.

A thin-film electrolyte (LiPON of roadmap 2020 §16, a few um or less) is only as good as its thinnest
spot: a particle or protrusion leaves an open path through it and one such path shorts the cell. This
module holds the pinhole density versus thickness, the Poisson probability that a cell holds at least
one, and the seeded binomial count of shorted cells on a sheet. The deposition itself (rates, line
speed, chamber cycle) is :mod:`process_models.vacuum_deposition`.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive


def pinhole_density_per_m2(thickness_m, density_at_reference_per_m2, reference_thickness_m, decay_length_m):
    """Through-pinholes per area of a deposited electrolyte, falling with its thickness.

    Parameters
    ----------
    thickness_m : float or array_like
        Electrolyte thickness t [m]
    density_at_reference_per_m2 : float
        Through-pinhole density D_ref at the reference thickness [1/m2]
    reference_thickness_m : float
        Thickness t_ref at which D_ref was counted [m]
    decay_length_m : float
        Thickness lambda over which the density falls by e [m]

    Returns
    -------
    numpy.ndarray or float
        D(t) = D_ref exp(-(t - t_ref) / lambda) [1/m2]

    Notes
    -----
    A particle or protrusion leaves an open path through a film thinner than it; a thicker film
    closes over more of them, so D falls with t (monotone: a thicker film never has more pinholes).
    The exponential is an assumption (research notes A5: Poisson yield Y = exp(-D A), no published
    thin-film D(t)); Put et al. 2019 found a 70 nm plasma-ALD LiPON pinhole-free and note that "a single
    pinhole will short circuit the entire battery".

    References
    ----------
    Put et al., JES 166 (2019) A1239; research notes A5.

    Examples
    --------
    >>> print(round(float(pinhole_density_per_m2(1.5e-6, 300.0, 1e-6, 0.5e-6)), 1))  # 0.03 /cm2 at 1 um
    110.4
    """
    t = check_non_negative("thickness_m", thickness_m)
    d_ref = check_non_negative("density_at_reference_per_m2", density_at_reference_per_m2)
    t_ref = check_positive("reference_thickness_m", reference_thickness_m)
    decay = check_positive("decay_length_m", decay_length_m)
    density = d_ref * np.exp(-(t - t_ref) / decay)
    return density[()] if density.ndim == 0 else density


def short_probability(pinhole_density, cell_area_m2):
    """Probability a cell has at least one through-pinhole.

    Parameters
    ----------
    pinhole_density : float or array_like
        Through-pinholes per area D [1/m2]
    cell_area_m2 : float
        Cell area A [m2]

    Returns
    -------
    numpy.ndarray or float
        P = 1 - exp(-D A) [-]

    Notes
    -----
    Pinholes fall at random (Poisson): the cell survives only if none is in it; one pinhole through the
    electrolyte shorts the cell.

    References
    ----------
    Put et al., JES 166 (2019) A1239; research notes A5 (Poisson yield Y = exp(-D A)).

    Examples
    --------
    >>> print(round(float(short_probability(100.0, 4e-4)), 4))   # 1 /cm2 ... 0.01 /cm2 on a 4 cm2 cell
    0.0392
    """
    d = check_non_negative("pinhole_density_per_m2", pinhole_density)
    area = check_positive("cell_area_m2", cell_area_m2)
    p = -np.expm1(-d * area)
    return p[()] if p.ndim == 0 else p


def shorted_cell_count(uniform, cells, short_probability_per_cell):
    """Cells of a sheet shorted by pinholes: K ~ Binomial(cells, p) by inversion of one uniform per sheet.

    Parameters
    ----------
    uniform : array_like
        One U(0, 1) draw per sheet [-]
    cells : array_like of int
        Live cell pieces on each sheet [-]
    short_probability_per_cell : array_like
        P(short) of one cell, 1 - exp(-D A) [-]

    Returns
    -------
    numpy.ndarray
        K per sheet [-]

    Notes
    -----
    K is the smallest k with P(K <= k) >= 1 - u, so u < P(K > 0) is exactly a sheet with a short (the
    convention of the killer defects, twin.sheet_conditions); the pmf by the recursion
    pmf(k+1) = pmf(k) (n - k) / (k + 1) p / (1 - p), vectorised over sheets.

    References
    ----------
    Inversion sampling of the binomial distribution (Devroye, Non-Uniform Random Variate Generation, 1986).

    Examples
    --------
    >>> print(shorted_cell_count(np.array([0.9, 0.01, 0.5]), np.array([10, 10, 10]), np.array([0.05, 0.05, 0.05])))
    [0. 3. 0.]
    """
    u = np.asarray(uniform, dtype=float)
    n = np.asarray(cells, dtype=float) * np.ones_like(u)
    p = np.minimum(check_fraction("short_probability_per_cell", short_probability_per_cell), 1.0 - 1e-12) \
        * np.ones_like(u)
    target = 1.0 - u
    pmf = np.power(1.0 - p, n)
    cdf = pmf.copy()
    count = np.zeros_like(u)
    more = (target > cdf) & (n > 0)
    k = 0
    while more.any():
        pmf = pmf * (n - k) / (k + 1) * p / (1.0 - p)
        k += 1
        count[more] = k
        cdf = cdf + pmf
        more &= (target > cdf * (1.0 + 1e-12)) & (n > k)
    return count


__all__ = ["pinhole_density_per_m2", "short_probability", "shorted_cell_count"]
