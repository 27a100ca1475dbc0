"""Grain growth over the firing history, and what the grain size does to transport and dendrite tolerance.

Normal (parabolic) grain growth driven by grain-boundary curvature: the boundary velocity is
M gamma / G with a mobility M ~ D_gb / (k T), so G dG ~ (1/T) exp(-Q/RT) dt. With the same Q as the
master sintering curve the right-hand side is the work of sintering Theta itself (Su & Johnson 1996
assume the grain size is a function of density alone, i.e. of Theta), so one integral over the
temperature profile serves densification and coarsening and stays vectorised per sheet.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_non_negative, check_positive
from process_models._powers import power
from process_models.parameters import MaterialParameters


def grain_size_after_firing_m(log_work_of_sintering, grain_size_before_m, material: MaterialParameters,
                              growth_rate_factor=1.0):
    """Mean grain size after a firing that delivered ``log_work_of_sintering``.

    Parameters
    ----------
    log_work_of_sintering : float or array_like
        ln Theta of the firing (thermal part only, no particle-size shift or pressure work) [ln(s/K)]
    grain_size_before_m : float or array_like
        Grain size before the firing; the powder particle size for a green layer [m]
    material : MaterialParameters
        Garnet with ``grain_growth_exponent`` (n) and ``grain_growth_log_rate_constant`` (ln k) [-]
    growth_rate_factor : float or array_like
        Multiplier on k, e.g. a liquid-phase sintering aid, >= 0 [-]

    Returns
    -------
    numpy.ndarray or float
        Grain size G [m], >= the size before

    Notes
    -----
    G^n = G_0^n + f k Theta, Theta = integral (1/T) exp(-Q/RT) dt with the MSC activation energy.
    n = 2: parabolic normal grain growth (Burke & Turnbull 1952). k is fitted to Yi et al. 2017
    (flame-spray Ga-LLZO, 0.1 um powder -> 1.2 um grains at 1130 C / 0.3 h),
    docs/calibration/grain_growth.md. Abnormal growth (liquid-phase assisted, ~500 um in Al-LLZO held
    at 1200 C, Tsai et al. ~2015) is not represented.

    References
    ----------
    Burke & Turnbull, Prog. Met. Phys. 3 (1952) 220; Su & Johnson, J. Am. Ceram. Soc. 79 (1996) 3211;
    Yi et al., J. Power Sources 2017.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> g = grain_size_after_firing_m(-42.82, 100e-9, load_material("llzo_ga"))
    >>> print(round(float(g) * 1e6, 2))
    1.2
    """
    before = check_positive("grain_size_before_m", grain_size_before_m)
    factor = check_non_negative("growth_rate_factor", growth_rate_factor)
    result = _grain_size_after_firing(log_work_of_sintering, before, material["grain_growth_log_rate_constant"],
                                      material["grain_growth_exponent"], factor)
    return result[()] if np.ndim(result) == 0 else result


def _grain_size_after_firing(log_work_of_sintering, before, log_rate_constant: float, exponent: float, factor):
    """``grain_size_after_firing_m`` on checked inputs (also the fused firing's, twin.electrolyte_firing)."""
    # every sheet of every firing: one fresh array, the rest in place (same operations, same values)
    growth = np.add(log_work_of_sintering, log_rate_constant)
    if growth.ndim:
        np.exp(growth, out=growth)
    else:
        growth = np.exp(growth)
    if np.ndim(factor) or factor != 1.0:   # k x 1 is k: no pass over the sheets for the neutral factor
        growth = growth * factor
    grown = power(before, exponent)
    if isinstance(grown, np.ndarray) and grown.ndim and grown.shape == np.shape(growth) and grown is not before:
        grown += growth
    else:
        grown = grown + growth
    return power(grown, 1.0 / exponent)


def grain_boundary_conductivity_factor(grain_size_m, material: MaterialParameters):
    """Conductivity relative to that of the reference microstructure, from the grain-boundary share.

    Parameters
    ----------
    grain_size_m : float or array_like
        Mean grain size G [m]
    material : MaterialParameters
        Electrolyte with ``dense_conductivity_S_per_m`` (total, measured at the reference grain size),
        ``grain_boundary_specific_resistance_ohm_m2`` (r_gb = delta_gb / sigma_gb) and
        ``conductivity_reference_grain_size_m`` [-]

    Returns
    -------
    numpy.ndarray or float
        sigma(G) / sigma(G_ref) [-]; > 1 for coarser grains, < 1 for finer

    Notes
    -----
    Series brick layer: rho_total = rho_bulk + r_gb / G. The material's dense conductivity is the
    measured total at G_ref, so rho_bulk = 1/sigma_dense - r_gb/G_ref and
    factor = (1/sigma_dense) / (1/sigma_dense - r_gb/G_ref + r_gb/G).

    References
    ----------
    Brick-layer model, physics-notes §3.3; Yi et al. 2017 (reference microstructure of llzo_ga).

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> print(round(float(grain_boundary_conductivity_factor(1.2e-6, load_material("llzo_ga"))), 3))
    1.0
    """
    grain = check_positive("grain_size_m", grain_size_m)
    resistivity_total = 1.0 / material["dense_conductivity_S_per_m"]
    specific = material["grain_boundary_specific_resistance_ohm_m2"]
    bulk = resistivity_total - specific / material["conductivity_reference_grain_size_m"]
    if grain.ndim == 0:
        return (resistivity_total / (bulk + specific / grain))[()]
    # every grain of every fired sheet: the same operations in place on one temporary
    result = np.divide(specific, grain)
    result += bulk
    return np.divide(resistivity_total, result, out=result)


def ccd_grain_size_factor(grain_size_m, material: MaterialParameters):
    """Critical-current-density multiplier of the grain size (intergranular Li filaments).

    Parameters
    ----------
    grain_size_m : float or array_like
        Mean grain size G [m]
    material : MaterialParameters
        Garnet with ``ccd_grain_size_exponent`` (k_g) and ``ccd_reference_grain_size_m`` [-]

    Returns
    -------
    numpy.ndarray or float
        (G_ref / G)^k_g [-]

    Notes
    -----
    Li filaments run along grain boundaries (Milan & Pasta, Mater. Futures 2 (2023) 013501); the
    Li-filled flaw that must open is about one grain long, and the Griffith stress to open a flaw of
    length c falls as c^-1/2 (Porz et al., Adv. Energy Mater. 7 (2017) 1701003: penetration is
    flaw-size controlled), so k_g = 0.5 (assumption: structure, not fitted; no LLZO CCD-vs-grain-size
    series was found).

    References
    ----------
    Griffith 1921; Porz et al. 2017; Milan & Pasta 2023.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> print(round(float(ccd_grain_size_factor(4.8e-6, load_material("llzo_ga"))), 3))
    0.5
    """
    grain = check_positive("grain_size_m", grain_size_m)
    result = power(material["ccd_reference_grain_size_m"] / grain, material["ccd_grain_size_exponent"])
    return result[()] if np.ndim(result) == 0 else result
