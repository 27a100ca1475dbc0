"""Post-deposition anneal of a sputtered LiCoO2 thin-film cathode: crystallinity, grain size, Li loss.

Sputtered LiCoO2 is amorphous or nanocrystalline; an anneal at 500-800 C crystallises it, and the
capacity per um and the grain size rise with anneal temperature (500 / 600 / 700 C: 41.8 / 50.6 /
61.2 uAh/cm2/um, grains 60 / 95 / 125 nm; research notes A2). Over any temperature profile:

    crystallised fraction  X = 1 - exp(-I_k),   I_k = k0 int exp(-E_x / R T) dt
    capacity per um        q = q_0 + (q_th - q_0) X, times (1 - Li loss)
    grain size             d^2 = d0^2 + K0 int exp(-Q_g / R T) dt
    Li loss                2 int J_Li2O dt / (c_Li t_film), J Hertz-Knudsen (process_models.li_loss law)

The time integrals are :func:`process_models.arrhenius_integral.log_arrhenius_time_integral` of the
profile (the same machinery as sintering); the constants are fits recorded in
``process_models/parameters/lco_thin_film.yaml`` (three published points, 2 h hold assumed).
"""

from __future__ import annotations

import math

import numpy as np

from process_models._domain_checks import check_positive, require_kind
from process_models.arrhenius_integral import log_arrhenius_time_integral
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K
from process_models.parameters import MaterialParameters
from process_models.temperature_profile import TemperatureProfile

_LI2O_MOLAR_MASS_KG_PER_MOL = 29.88e-3   # IUPAC atomic weights (2 x 6.94 + 16.00)
# Hertz-Knudsen: J = alpha p / sqrt(2 pi M R T)
_HERTZ_KNUDSEN = math.sqrt(2.0 * math.pi * _LI2O_MOLAR_MASS_KG_PER_MOL * GAS_CONSTANT_J_PER_MOL_K)


def theoretical_capacity_uAh_per_cm2_per_um(material: MaterialParameters) -> float:
    """Capacity per um of a fully crystalline dense film.

    Parameters
    ----------
    material : MaterialParameters
        A ``thin_film_cathode`` material (``active_density``, ``specific_capacity_mAh_per_g``) [-]

    Returns
    -------
    float
        rho q [uAh/cm2/um]

    Notes
    -----
    rho [kg/m3] x q [mAh/g] = 1e3 rho q [mAh/m3]; one cm2 x um is 1e-10 m3 and 1 mAh is 1e3 uAh.

    References
    ----------
    Dudney & Bates: 69 uAh/cm2/um theoretical for LiCoO2 (research notes A4).

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> print(round(theoretical_capacity_uAh_per_cm2_per_um(load_material("lco_thin_film")), 1))
    69.3
    """
    require_kind(material, ("thin_film_cathode",), "theoretical_capacity_uAh_per_cm2_per_um")
    return material["active_density_kg_per_m3"] * material["specific_capacity_mAh_per_g"] * 1e3 * 1e-10 * 1e3


def crystallised_fraction(profile: TemperatureProfile, material: MaterialParameters, temperature_offset_K=0.0):
    """Share of the film crystallised by an anneal profile.

    Parameters
    ----------
    profile : TemperatureProfile
        Anneal temperature history [s], [K]
    material : MaterialParameters
        A ``thin_film_cathode`` material with ``crystallisation_*`` constants [-]
    temperature_offset_K : float or array_like
        Per-sheet furnace offset added to the whole profile [K]

    Returns
    -------
    numpy.ndarray or float
        X = 1 - exp(-k0 int exp(-E/RT) dt) [-]

    Notes
    -----
    First-order crystallisation (JMAK with n = 1) over any profile; k0 and E fitted to the published
    capacities after 500/600/700 C (lco_thin_film.yaml).

    References
    ----------
    Films of LiCoO2 on Pt/Si annealed at 500-700 C (research notes A2); Su & Johnson 1996 for the
    time-temperature integral.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 700.0, 1000.0), ("hold", 2.0)])
    >>> print(round(float(crystallised_fraction(p, load_material("lco_thin_film"))), 2))
    0.8
    """
    require_kind(material, ("thin_film_cathode",), "crystallised_fraction")
    log_integral = np.asarray(log_arrhenius_time_integral(
        profile, material["crystallisation_activation_energy_J_per_mol"], temperature_offset_K,
        temperature_exponent=0.0), dtype=float)
    fraction = -np.expm1(-np.exp(log_integral + material["crystallisation_log_rate_constant"]))
    return fraction[()] if fraction.ndim == 0 else fraction


def grain_size_m(profile: TemperatureProfile, material: MaterialParameters, temperature_offset_K=0.0):
    """Mean grain size of the film after the anneal.

    Parameters
    ----------
    profile : TemperatureProfile
        Anneal temperature history [s], [K]
    material : MaterialParameters
        A ``thin_film_cathode`` material with ``grain_growth_*`` constants [-]
    temperature_offset_K : float or array_like
        Per-sheet furnace offset added to the whole profile [K]

    Returns
    -------
    numpy.ndarray or float
        d = sqrt(d0^2 + K0 int exp(-Q/RT) dt) [m]

    Notes
    -----
    Parabolic grain growth; K0 (fitted in nm^2/s) and Q fitted to 60/95/125 nm after 500/600/700 C.

    References
    ----------
    Research notes A2 (grain sizes of annealed LiCoO2 films).

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 700.0, 1000.0), ("hold", 2.0)])
    >>> print(round(float(grain_size_m(p, load_material("lco_thin_film"))) * 1e9))
    128
    """
    require_kind(material, ("thin_film_cathode",), "grain_size_m")
    log_integral = np.asarray(log_arrhenius_time_integral(
        profile, material["grain_growth_activation_energy_J_per_mol"], temperature_offset_K,
        temperature_exponent=0.0), dtype=float)
    d0_nm = material["as_deposited_grain_size_m"] * 1e9
    size = np.sqrt(d0_nm ** 2 + np.exp(log_integral + material["grain_growth_log_rate_constant"])) * 1e-9
    return size[()] if size.ndim == 0 else size


def li_loss_fraction(profile: TemperatureProfile, film_thickness_m, material: MaterialParameters,
                     temperature_offset_K=0.0):
    """Share of the film's Li lost as Li2O vapour from its free face over the anneal.

    Parameters
    ----------
    profile : TemperatureProfile
        Anneal temperature history [s], [K]
    film_thickness_m : float or array_like
        Cathode film thickness t [m]
    material : MaterialParameters
        A ``thin_film_cathode`` material with ``li2o_*`` and ``molar_mass`` parameters [-]
    temperature_offset_K : float or array_like
        Per-sheet furnace offset added to the whole profile [K]

    Returns
    -------
    numpy.ndarray or float
        loss = 2 int J dt / (c_Li t), capped at 1 [-]

    Notes
    -----
    J = alpha p0 exp(-dH/RT) / sqrt(2 pi M R T) (Hertz-Knudsen, as process_models.li_loss for the
    garnets), c_Li = rho / M_LiCoO2 [mol/m3], one face exposed. The vapour law is the garnet one (no
    LiCoO2 number was found): the loss is negligible below ~900 C for um films.

    References
    ----------
    Hertz-Knudsen equation; docs/calibration/li_loss.md (the Li2O vapour fit); research notes A2.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 700.0, 1000.0), ("hold", 2.0)])
    >>> print(float(li_loss_fraction(p, 5e-6, load_material("lco_thin_film"))) < 1e-6)
    True
    """
    require_kind(material, ("thin_film_cathode",), "li_loss_fraction")
    thickness = check_positive("film_thickness_m", film_thickness_m)
    log_integral = np.asarray(log_arrhenius_time_integral(
        profile, material["li2o_vaporisation_enthalpy_J_per_mol"], temperature_offset_K,
        temperature_exponent=-0.5), dtype=float)
    prefactor = material["li2o_evaporation_coefficient"] * material["li2o_vapour_pressure_prefactor_Pa"]
    flux_mol_per_m2 = np.exp(log_integral) * prefactor / _HERTZ_KNUDSEN
    li_mol_per_m3 = material["active_density_kg_per_m3"] / material["molar_mass_kg_per_mol"]
    loss = np.minimum(2.0 * flux_mol_per_m2 / (li_mol_per_m3 * thickness), 1.0)
    return loss[()] if loss.ndim == 0 else loss


def capacity_per_um(crystallised, li_loss, material: MaterialParameters):
    """Capacity per um of the annealed film.

    Parameters
    ----------
    crystallised : float or array_like
        Crystallised fraction X [-]
    li_loss : float or array_like
        Share of the film's Li lost [-]
    material : MaterialParameters
        A ``thin_film_cathode`` material [-]

    Returns
    -------
    numpy.ndarray or float
        q = (q_0 + (q_th - q_0) X)(1 - Li loss) [uAh/cm2/um]

    Notes
    -----
    q_0: as deposited (``as_deposited_capacity_per_um_uAh_per_cm2``, an assumption), q_th: theoretical
    (69.3 for LiCoO2); the crystalline share delivers the theoretical capacity, the rest the as-deposited one.

    References
    ----------
    Research notes A2 (41.8 / 50.6 / 61.2 uAh/cm2/um after 500 / 600 / 700 C).

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> print(round(float(capacity_per_um(1.0, 0.0, load_material("lco_thin_film"))), 1))
    69.3
    """
    q_th = theoretical_capacity_uAh_per_cm2_per_um(material)
    q_0 = material["as_deposited_capacity_per_um_uAh_per_cm2"]
    q = (q_0 + (q_th - q_0) * np.asarray(crystallised, dtype=float)) * (1.0 - np.asarray(li_loss, dtype=float))
    return q[()] if q.ndim == 0 else q


def areal_capacity_mAh_per_cm2(thickness_m, capacity_uAh_per_cm2_per_um):
    """Areal capacity of a dense cathode film.

    Parameters
    ----------
    thickness_m : float or array_like
        Film thickness [m]
    capacity_uAh_per_cm2_per_um : float or array_like
        Capacity per um of thickness [uAh/cm2/um]

    Returns
    -------
    numpy.ndarray or float
        t [um] x capacity per um / 1000 [mAh/cm2]

    Notes
    -----
    A dense film: no porosity or second phase to take off.

    References
    ----------
    Research notes A4: 50-70 uAh/cm2/um x 5 um = 0.25-0.35 mAh/cm2.

    Examples
    --------
    >>> print(round(float(areal_capacity_mAh_per_cm2(5e-6, 60.0)), 2))
    0.3
    """
    q = np.asarray(thickness_m, dtype=float) * 1e6 * np.asarray(capacity_uAh_per_cm2_per_um, dtype=float) * 1e-3
    return q[()] if q.ndim == 0 else q


__all__ = [
    "areal_capacity_mAh_per_cm2", "capacity_per_um", "crystallised_fraction", "grain_size_m", "li_loss_fraction",
    "theoretical_capacity_uAh_per_cm2_per_um",
]
