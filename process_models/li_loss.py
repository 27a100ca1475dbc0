"""Li loss from garnet electrolytes during sintering (Li2O volatilisation) and its consequences."""

from __future__ import annotations

import math

import numpy as np

from process_models._domain_checks import (
    check_fraction,
    check_non_negative,
    check_positive,
    check_range,
    require_kind,
)
from process_models.arrhenius_integral import log_arrhenius_time_integral
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K, LI2O_MOLAR_MASS_KG_PER_MOL
from process_models.parameters import MaterialParameters
from process_models.temperature_profile import TemperatureProfile

_HERTZ_KNUDSEN_DENOMINATOR = np.sqrt(2.0 * np.pi * LI2O_MOLAR_MASS_KG_PER_MOL * GAS_CONSTANT_J_PER_MOL_K)


def li2o_volatilisation_flux_mol_per_m2_s(temperature_K, params: MaterialParameters):
    """Free-surface Li2O evaporation flux of a garnet (Hertz-Knudsen with Arrhenius vapour pressure).

    Parameters
    ----------
    temperature_K : float or array_like
        Surface temperature [K]
    params : MaterialParameters
        Garnet with ``li2o_*`` parameters [-]

    Returns
    -------
    numpy.ndarray or float
        Li2O flux J into a Li-free atmosphere [mol/(m^2 s)]

    Notes
    -----
    J = alpha p0 exp(-dH / (R T)) / sqrt(2 pi M_Li2O R T); p0 is fitted (docs/calibration/li_loss.md),
    dH is the Li2O sublimation enthalpy.

    References
    ----------
    Hertz-Knudsen equation; physics-notes §2.3; fit to Tsai et al. ~2015 (physics-notes §2.2).

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> print(f"{float(li2o_volatilisation_flux_mol_per_m2_s(1473.15, load_material('llzo_al'))):.2e}")
    2.63e-05
    """
    temperature = check_range("temperature_K", temperature_K, 0.0, 4000.0, low_inclusive=False)
    require_kind(params, ("garnet",), "li2o_volatilisation_flux_mol_per_m2_s")
    vapour_pressure = params["li2o_vapour_pressure_prefactor_Pa"] * np.exp(
        -params["li2o_vaporisation_enthalpy_J_per_mol"] / (GAS_CONSTANT_J_PER_MOL_K * temperature))
    flux = params["li2o_evaporation_coefficient"] * vapour_pressure / (
        _HERTZ_KNUDSEN_DENOMINATOR * np.sqrt(temperature))
    return flux[()] if np.ndim(flux) == 0 else flux


LI2O_FLUX_TEMPERATURE_EXPONENT = -0.5
"""Power p of T in the Hertz-Knudsen flux integral T^p exp(-dH/RT) (flux ~ p_vap / sqrt(T))."""


def li2o_flux_arrhenius_term(material: MaterialParameters) -> tuple[float, float]:
    """(vaporisation enthalpy dH [J/mol], temperature exponent p [-]) of the Li2O flux integral.

    Parameters
    ----------
    material : MaterialParameters
        Garnet with ``li2o_vaporisation_enthalpy_J_per_mol`` [-]

    Returns
    -------
    tuple of float
        (dH, -1/2): the term of ``arrhenius_integral.log_arrhenius_time_integrals`` whose result
        ``log_integrated_li2o_flux`` takes as ``log_arrhenius_integral`` [J/mol], [-]

    Notes
    -----
    J(T) = alpha p0 exp(-dH/RT) / sqrt(2 pi M R T): the integral of T^-1/2 exp(-dH/RT) dt.

    References
    ----------
    Hertz-Knudsen; physics-notes §2.3.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> li2o_flux_arrhenius_term(load_material("llzo_al"))[1]
    -0.5
    """
    return float(material["li2o_vaporisation_enthalpy_J_per_mol"]), LI2O_FLUX_TEMPERATURE_EXPONENT


def log_integrated_li2o_flux(profile: TemperatureProfile, material: MaterialParameters,
                             temperature_offset_K=0.0, log_arrhenius_integral=None):
    """Natural log of the time-integrated Li2O flux over a profile.

    Parameters
    ----------
    profile : TemperatureProfile
        Furnace temperature history [s], [K]
    material : MaterialParameters
        Garnet with ``li2o_*`` parameters [-]
    temperature_offset_K : float or array_like
        Per-sheet furnace offset [K]
    log_arrhenius_integral : numpy.ndarray, optional
        ln of integral T^(-1/2) exp(-dH/(R T)) dt at these offsets if the caller has it (the term
        ``li2o_flux_arrhenius_term`` of ``arrhenius_integral.log_arrhenius_time_integrals``); a fresh
        array, which is updated in place; None computes it here [ln(s K^-1/2)]

    Returns
    -------
    numpy.ndarray or float
        ln of the integral of J dt, the integral in [mol/m^2] [ln(mol/m^2)]

    Notes
    -----
    integral J dt = alpha p0 / sqrt(2 pi M R) * integral T^(-1/2) exp(-dH/(R T)) dt.

    References
    ----------
    physics-notes §2.3.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1200.0, 5.0), ("hold", 24.0)])
    >>> print(round(float(np.exp(log_integrated_li2o_flux(p, load_material("llzo_al")))), 2))
    2.28
    """
    require_kind(material, ("garnet",), "log_integrated_li2o_flux")
    if log_arrhenius_integral is None:
        log_integral = log_arrhenius_time_integral(
            profile, material["li2o_vaporisation_enthalpy_J_per_mol"], temperature_offset_K,
            temperature_exponent=LI2O_FLUX_TEMPERATURE_EXPONENT)
    else:  # computed by the caller for these offsets, e.g. with the work of sintering (a fresh array)
        log_integral = log_arrhenius_integral
    log_integral = np.asarray(log_integral, dtype=float)
    if log_integral.ndim == 0:
        return float(_log_flux_prefactor(material) + log_integral)
    log_integral += _log_flux_prefactor(material)  # a fresh array: in place
    return log_integral


def _log_flux_prefactor(material: MaterialParameters) -> float:
    """ln(alpha p0 / sqrt(2 pi M R)) of the Hertz-Knudsen flux (``log_integrated_li2o_flux``)
    [ln(mol m^-2 s^-1 K^1/2)]."""
    prefactor = material["li2o_evaporation_coefficient"] * material["li2o_vapour_pressure_prefactor_Pa"]
    return np.log(prefactor / _HERTZ_KNUDSEN_DENOMINATOR)


def li_loss_per_formula_unit(profile: TemperatureProfile, thickness_m, exposed_faces,
                             cover_leakage_fraction, material: MaterialParameters,
                             temperature_offset_K=0.0, log_arrhenius_integral=None):
    """Li lost per formula unit of a garnet layer over a sintering profile.

    Parameters
    ----------
    profile : TemperatureProfile
        Furnace temperature history [s], [K]
    thickness_m : float or array_like
        Layer (film, tape, pellet) thickness L [m]
    exposed_faces : float or array_like
        Number of faces open to the furnace atmosphere, 0-2 (2 = freestanding, 1 = on a setter) [-]
    cover_leakage_fraction : float or array_like
        Fraction of the free flux that escapes: 1 open, 0 fully sealed by mother powder or a closed
        Li-rich setter (J_eff = f J) [-]
    material : MaterialParameters
        Garnet with ``li2o_*``, ``molar_mass_kg_per_mol``, ``theoretical_density_kg_per_m3`` [-]
    temperature_offset_K : float or array_like
        Per-sheet furnace offset [K]
    log_arrhenius_integral : numpy.ndarray, optional
        The flux's Arrhenius integral at these offsets, if computed already (see
        ``log_integrated_li2o_flux``) [ln(s K^-1/2)]

    Returns
    -------
    numpy.ndarray or float
        Li lost, requested by the flux law (not capped by the Li available) [pfu]

    Notes
    -----
    dx_Li = 2 f (faces / L) (M / rho_th) integral J dt: two Li per Li2O, surface-to-volume ratio
    faces/L, formula units per volume rho_th/M (dense basis). A 25 um freestanding film loses Li
    60x faster (fractionally) than a 1.5 mm pellet (2020 SSB roadmap §15; physics-notes §2.3).

    References
    ----------
    physics-notes §2.3; 2020 SSB roadmap §15 (surface-to-volume, cover powder);
    docs/calibration/li_loss.md.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1200.0, 5.0), ("hold", 24.0)])
    >>> print(round(float(li_loss_per_formula_unit(p, 1.5e-3, 2, 1.0, load_material("llzo_al"))), 2))
    1.0
    """
    require_kind(material, ("garnet",), "li_loss_per_formula_unit")
    thickness = check_positive("thickness_m", thickness_m)
    faces = check_range("exposed_faces", exposed_faces, 0.0, 2.0)
    leakage = check_fraction("cover_leakage_fraction", cover_leakage_fraction)
    loss = _li_lost_pfu(log_integrated_li2o_flux(profile, material, temperature_offset_K, log_arrhenius_integral),
                        leakage, faces, _formula_units_per_m3(material), thickness)
    return loss[()] if np.ndim(loss) == 0 else loss


def _formula_units_per_m3(material: MaterialParameters) -> float:
    """Garnet formula units per m^3 of dense layer, rho_th / M [mol/m^3]."""
    return material["theoretical_density_kg_per_m3"] / material["molar_mass_kg_per_mol"]


def _li_lost_pfu(log_flux, leakage, faces, formula_units_per_m3: float, thickness):
    """``li_loss_per_formula_unit`` from ln of the integrated flux (a fresh array, or a scalar), on checked
    inputs; also the fused firing's (twin.electrolyte_firing)."""
    loss = np.exp(log_flux, out=log_flux) if isinstance(log_flux, np.ndarray) and log_flux.ndim else np.exp(log_flux)
    # in place, scalars first: two passes over the sheets instead of four
    loss *= 2.0 * leakage * faces / formula_units_per_m3
    loss /= thickness
    return loss


def li_excess_pfu_from_li2co3_excess_weight_fraction(fraction, nominal_li_pfu=7.0):
    """Extra Li per formula unit supplied by a weight-fraction excess of the Li2CO3 precursor.

    Parameters
    ----------
    fraction : float or array_like
        Excess Li2CO3 as a fraction of the stoichiometric Li2CO3 mass (0.10 = 10 wt%) [-]
    nominal_li_pfu : float or array_like
        Li per formula unit of the target composition [pfu]

    Returns
    -------
    numpy.ndarray or float
        Excess Li [pfu]

    Notes
    -----
    Stoichiometric Li2CO3 supplies nominal_li_pfu Li per formula unit, so an excess mass
    fraction w adds w * nominal_li_pfu (10 wt% on Li7La3Zr2O12: 0.70 Li pfu, physics-notes §0).

    References
    ----------
    physics-notes §0 (258.6 g Li2CO3 per mol LLZO; 10 wt% excess gives +0.70 Li pfu).

    Examples
    --------
    >>> print(round(float(li_excess_pfu_from_li2co3_excess_weight_fraction(0.10)), 3))
    0.7
    """
    weight_fraction = check_range("fraction", fraction, 0.0, 5.0)
    nominal = check_positive("nominal_li_pfu", nominal_li_pfu)
    excess = weight_fraction * nominal
    return excess[()] if np.ndim(excess) == 0 else excess


def li_mass_balance(nominal_li_pfu, li_excess_pfu, li_lost_pfu) -> dict:
    """Li balance of a sintered garnet layer, closing exactly, with loss capped at the Li available.

    Parameters
    ----------
    nominal_li_pfu : float or array_like
        Li of the target composition [pfu]
    li_excess_pfu : float or array_like
        Li added as precursor excess [pfu]
    li_lost_pfu : float or array_like
        Li loss requested by the volatilisation model [pfu]

    Returns
    -------
    dict of numpy.ndarray
        ``li_in_pfu``, ``li_retained_pfu``, ``li_volatilised_pfu``, ``li_loss_requested_pfu``
        [pfu] and ``li_loss_capped`` (bool, loss exceeded the Li available) [-]

    Notes
    -----
    li_in = nominal + excess; li_volatilised = min(lost, li_in); li_retained = li_in - li_volatilised,
    so li_retained + li_volatilised == li_in to round-off.

    References
    ----------
    2020 SSB roadmap §15 (Li loss and secondary phases in thin films); physics-notes §2.3.

    Examples
    --------
    >>> print(round(float(li_mass_balance(6.25, 0.625, 0.4)["li_retained_pfu"]), 3))
    6.475
    """
    nominal = check_non_negative("nominal_li_pfu", nominal_li_pfu)
    excess = check_non_negative("li_excess_pfu", li_excess_pfu)
    requested = check_non_negative("li_lost_pfu", li_lost_pfu)
    li_in, volatilised, retained = _li_balance(nominal, excess, requested)
    return {
        "li_in_pfu": li_in,
        "li_retained_pfu": retained,
        "li_volatilised_pfu": volatilised,
        "li_loss_requested_pfu": requested if np.shape(requested) == np.shape(volatilised)
        else np.broadcast_to(requested, np.shape(volatilised)).copy(),
        "li_loss_capped": requested > li_in,
    }


def _li_balance(nominal, excess, requested, volatilised_out=None) -> tuple:
    """(Li in, Li volatilised, Li retained) of ``li_mass_balance`` [pfu] on checked inputs; also the fused
    firing's (twin.electrolyte_firing), which lets the volatilised Li overwrite the spent requested loss."""
    li_in = nominal + excess
    volatilised = np.minimum(requested, li_in, out=volatilised_out)
    return li_in, volatilised, li_in - volatilised


def garnet_phase_fractions(li_pfu, material: MaterialParameters):
    """Cubic, tetragonal and pyrochlore (La2Zr2O7) fractions of a garnet at a given Li content.

    Parameters
    ----------
    li_pfu : float or array_like
        Li per formula unit retained after sintering [pfu]
    material : MaterialParameters
        Garnet with ``pyrochlore_onset_li_pfu``, ``tetragonal_onset_li_pfu``,
        ``tetragonal_complete_li_pfu`` (non-garnet electrolytes return all-cubic, i.e. one
        conducting phase) [-]

    Returns
    -------
    tuple of numpy.ndarray
        ``(cubic_fraction, tetragonal_fraction, pyrochlore_fraction)``, summing to 1 [-]

    Notes
    -----
    Lever rules in Li content x. Below the window x_p the garnet decomposes towards Li-free
    La2Zr2O7/La2O3: f_pyro = (x_p - x) / x_p. Above the tetragonal onset x_t (undoped LLZO, ~6.6)
    f_tet = (x - x_t) / (x_tc - x_t), capped at 1. Doped garnets (Ta/Al/Ga) have x_t = inf and stay
    cubic above the window.

    References
    ----------
    physics-notes §2.1 (La2Zr2O7 forms first at free surfaces; cubic needs Li <~ 6.6 without dopant);
    2020 SSB roadmap §11, §15.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> print(round(float(garnet_phase_fractions(5.5, load_material("llzo_ga"))[2]), 4))
    0.0909
    """
    li = check_non_negative("li_pfu", li_pfu)
    if material.kind != "garnet":
        ones = np.ones_like(li)
        return ones, np.zeros_like(li), np.zeros_like(li)
    return _garnet_phases(li, material["pyrochlore_onset_li_pfu"], material["tetragonal_onset_li_pfu"],
                          material["tetragonal_complete_li_pfu"])


def _garnet_phases(li: np.ndarray, onset: float, tetragonal_onset: float, tetragonal_complete: float) -> tuple:
    """``garnet_phase_fractions`` of a garnet on a checked array; also the fused firing's (twin.electrolyte_firing)."""
    # maximum/minimum in place instead of np.clip: same values, without clip's dispatch (per kiln load)
    pyrochlore = np.subtract(onset, li, out=np.empty(li.shape))
    pyrochlore /= onset
    np.maximum(pyrochlore, 0.0, out=pyrochlore)
    np.minimum(pyrochlore, 1.0, out=pyrochlore)
    if math.isfinite(tetragonal_onset):
        tetragonal = np.subtract(li, tetragonal_onset, out=np.empty(li.shape))
        tetragonal /= tetragonal_complete - tetragonal_onset
        np.maximum(tetragonal, 0.0, out=tetragonal)
        np.minimum(tetragonal, 1.0, out=tetragonal)
    else:
        tetragonal = np.zeros_like(li)
    cubic = np.subtract(1.0, pyrochlore)   # (1 - x_p) - x_t, the second step in place
    cubic -= tetragonal
    return cubic, tetragonal, pyrochlore
