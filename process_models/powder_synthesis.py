"""Garnet powder made in-house: solid-state reaction in a calcination kiln, then milling.

The solid-state route (roadmap 2020 §12: "high sintering temperatures and prolonged reaction times";
§14) mixes Li2CO3 (with an excess against Li loss) and the other oxides (La2O3, ZrO2, Ta2O5), reacts them
to garnet in a crucible bed, and mills the calcined cake to the particle size the sintering step needs.
Three pieces of physics:

* conversion to garnet: Johnson-Mehl-Avrami-Kolmogorov (JMAK) with an Arrhenius rate integrated over the
  kiln profile, ``alpha = 1 - exp(-(integral k dt)^n)``;
* Li loss from the powder bed: the garnet's Li2O volatilisation flux (:mod:`process_models.li_loss`) out of
  the bed's top face, the bed depth as the layer thickness (a packed bed's pore gas is saturated, only its
  free surface loses Li2O: the same surface-to-volume law as a pellet);
* particle size: parabolic coarsening in the kiln (:mod:`process_models.grain_growth`), then Rittinger's
  law for the mill, ``E_m = C_R (1/x - 1/x0)`` (Rittinger 1867).
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_non_negative, check_positive, check_range
from process_models.arrhenius_integral import log_arrhenius_time_integral
from process_models.temperature_profile import TemperatureProfile

# JMAK constants of the Li2CO3 + La2O3 + ZrO2 (+ Ta2O5) reaction to garnet. No kinetic study of the
# whole reaction is published; the two anchors are read from the usual recipes (assumption): at 700 C
# La2Zr2O7 and Li2CO3 remain beside the garnet (J. Mater. Chem. A 10 (2022) 9080 sees La2Zr2O7 form at
# 550-700 C; read as 20 % garnet after 6 h), and 900 C / 6 h gives garnet with traces of La2Zr2O7 (the
# first calcination of Murugan, Thangadurai, Weppner, Angew. Chem. 46 (2007) 7778; read as 90 %).
# First-order (n = 1) through both anchors: k = k0 exp(-E/RT), E = 110.7 kJ/mol.
GARNET_FORMATION_ACTIVATION_ENERGY_J_PER_MOL = 110772.8
GARNET_FORMATION_LOG_RATE_PREFACTOR = 2.21011   # ln(k0 / (1/s)), from the same two anchors
GARNET_FORMATION_AVRAMI_EXPONENT = 1.0

# Rittinger constant of calcined garnet cake in a stirred-media mill (assumption: no LLZO grinding
# energy is published; fixed so that 0.72 MJ/kg (100 W/kg for 2 h, a lab attritor) takes 5 um to 0.5 um,
# the reduction reported for attrition-milled calcined LLZO powders, read loosely).
RITTINGER_CONSTANT_J_M_PER_KG = 0.4

LI2CO3_MOLAR_MASS_KG_PER_MOL = 0.073891   # IUPAC atomic weights
LI2O_MOLAR_MASS_KG_PER_MOL = 0.029881     # IUPAC atomic weights
CO2_MOLAR_MASS_KG_PER_MOL = 0.044009      # IUPAC atomic weights
# Li2CO3 -> Li2O + CO2: dHf (kJ/mol) Li2CO3 -1216.04, Li2O -597.94, CO2 -393.51 (NIST-JANAF tables)
LI2CO3_DECOMPOSITION_J_PER_MOL = 224.59e3


def garnet_conversion_fraction(profile: TemperatureProfile, temperature_offset_K=0.0):
    """Fraction of the precursor mix that has reacted to garnet after a calcination profile.

    Parameters
    ----------
    profile : TemperatureProfile
        Kiln temperature history [s], [K]
    temperature_offset_K : float or array_like
        Per-lot offset of the powder from the set point [K]

    Returns
    -------
    numpy.ndarray or float
        Garnet fraction alpha in [0, 1) [-]

    Notes
    -----
    JMAK: alpha = 1 - exp(-(k0 integral exp(-E/RT) dt)^n), n = 1, E = 110.7 kJ/mol, ln k0 = 2.2101 fitted
    through 20 % at 700 C / 6 h and 90 % at 900 C / 6 h (module constants; assumption, see there).

    References
    ----------
    Avrami, J. Chem. Phys. 7 (1939) 1103; Murugan et al., Angew. Chem. 46 (2007) 7778;
    J. Mater. Chem. A 10 (2022) 9080.

    Examples
    --------
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(900.0, [("hold", 6.0)])
    >>> print(round(float(garnet_conversion_fraction(p)), 3))
    0.9
    """
    log_integral = log_arrhenius_time_integral(profile, GARNET_FORMATION_ACTIVATION_ENERGY_J_PER_MOL,
                                               temperature_offset_K, temperature_exponent=0.0)
    extent = np.exp(GARNET_FORMATION_AVRAMI_EXPONENT * (log_integral + GARNET_FORMATION_LOG_RATE_PREFACTOR))
    result = -np.expm1(-extent)
    return result[()] if np.ndim(result) == 0 else result


def milled_particle_size_m(size_before_m, specific_energy_J_per_kg,
                           rittinger_constant_J_m_per_kg=RITTINGER_CONSTANT_J_M_PER_KG):
    """Particle size after milling with a specific energy (Rittinger's law).

    Parameters
    ----------
    size_before_m : float or array_like
        Particle (agglomerate) size entering the mill, x0 > 0 [m]
    specific_energy_J_per_kg : float or array_like
        Mill energy per kg of powder, E_m >= 0 [J/kg]
    rittinger_constant_J_m_per_kg : float
        C_R [J m/kg]

    Returns
    -------
    numpy.ndarray or float
        x = 1 / (1/x0 + E_m/C_R) [m], <= x0

    Notes
    -----
    Rittinger: the energy is proportional to the new surface, E_m = C_R (1/x - 1/x0). Fine grinding
    below ~0.1 um meets a grinding limit (agglomeration) the law does not hold; the recipe bounds keep
    the milled size above 20 nm.

    References
    ----------
    Rittinger, Lehrbuch der Aufbereitungskunde (1867); RITTINGER_CONSTANT_J_M_PER_KG (assumption).

    Examples
    --------
    >>> print(round(float(milled_particle_size_m(5e-6, 0.72e6)) * 1e6, 3))
    0.5
    """
    before = check_positive("particle_size_before_m", size_before_m)
    energy = check_non_negative("mill_specific_energy_J_per_kg", specific_energy_J_per_kg)
    constant = check_positive("rittinger_constant_J_m_per_kg", rittinger_constant_J_m_per_kg)
    result = 1.0 / (1.0 / before + energy / constant)
    return result[()] if np.ndim(result) == 0 else result


def precursor_kg_per_kg_garnet(nominal_li_pfu: float, garnet_molar_mass_kg_per_mol: float,
                               li2co3_excess_wt_fraction) -> dict:
    """Precursors to make one kg of garnet: Li2CO3 (with its excess) and the other oxides.

    Parameters
    ----------
    nominal_li_pfu : float
        Li per formula unit of the garnet [pfu]
    garnet_molar_mass_kg_per_mol : float
        Molar mass of the garnet [kg/mol]
    li2co3_excess_wt_fraction : float or array_like
        Excess Li2CO3 over stoichiometry, fraction of the stoichiometric mass, in [0, 0.5] [-]

    Returns
    -------
    dict
        ``li2co3_kg`` and ``oxides_kg`` (La2O3 + ZrO2 + dopant oxide) per kg garnet, ``co2_kg`` released [-]

    Notes
    -----
    Mass balance: a garnet is (x/2) Li2O + the other oxides, so the oxides weigh M - (x/2) M_Li2O per mole
    of garnet; Li2CO3 = (x/2) M_Li2CO3 (1 + w). Every carbonate leaves as CO2.

    References
    ----------
    Stoichiometry (IUPAC atomic weights); physics-notes §0 (258.6 g Li2CO3 per mol LLZO).

    Examples
    --------
    >>> r = precursor_kg_per_kg_garnet(7.0, 0.8398, 0.0)
    >>> print(round(float(r["li2co3_kg"]) * 0.8398 * 1e3, 1))
    258.6
    """
    excess = check_range("li2co3_excess_wt_fraction", li2co3_excess_wt_fraction, 0.0, 0.5)
    half_li = 0.5 * check_positive("nominal_li_pfu", nominal_li_pfu)
    molar = check_positive("garnet_molar_mass_kg_per_mol", garnet_molar_mass_kg_per_mol)
    li2co3 = half_li * LI2CO3_MOLAR_MASS_KG_PER_MOL * (1.0 + excess) / molar
    return {
        "li2co3_kg": li2co3,
        "oxides_kg": (molar - half_li * LI2O_MOLAR_MASS_KG_PER_MOL) / molar,
        "co2_kg": li2co3 * CO2_MOLAR_MASS_KG_PER_MOL / LI2CO3_MOLAR_MASS_KG_PER_MOL,
    }


def charge_heat_J_per_kg(peak_temperature_K, li2co3_kg_per_kg, heat_capacity_J_per_kg_K,
                         ambient_temperature_K=298.15):
    """Heat the powder charge takes in a calcination, per kg of garnet made [J/kg].

    Parameters
    ----------
    peak_temperature_K : float or array_like
        Peak calcination temperature [K]
    li2co3_kg_per_kg : float or array_like
        Li2CO3 per kg of garnet [-]
    heat_capacity_J_per_kg_K : float
        Mean heat capacity of the charge [J/(kg K)]
    ambient_temperature_K : float
        Charging temperature [K]

    Returns
    -------
    numpy.ndarray or float
        q = c_p (T_peak - T_a) + (m_Li2CO3 / M_Li2CO3) dH_decomposition [J/kg]

    Notes
    -----
    The carbonate's decomposition (Li2CO3 -> Li2O + CO2, +224.6 kJ/mol, NIST-JANAF) is taken as the
    reaction heat; the small heat of forming garnet from the oxides is neglected. The sensible heat is not
    recovered (the charge cools in the kiln).

    References
    ----------
    NIST-JANAF thermochemical tables (formation enthalpies).

    Examples
    --------
    >>> print(round(float(charge_heat_J_per_kg(1173.15, 0.3, 700.0)) / 1e3, 1))
    1524.3
    """
    rise = check_non_negative("temperature rise [K]", np.asarray(peak_temperature_K) - ambient_temperature_K)
    carbonate = check_non_negative("li2co3_kg_per_kg", li2co3_kg_per_kg)
    result = heat_capacity_J_per_kg_K * rise + carbonate / LI2CO3_MOLAR_MASS_KG_PER_MOL * LI2CO3_DECOMPOSITION_J_PER_MOL
    return result[()] if np.ndim(result) == 0 else result


__all__ = [
    "GARNET_FORMATION_ACTIVATION_ENERGY_J_PER_MOL",
    "RITTINGER_CONSTANT_J_M_PER_KG",
    "charge_heat_J_per_kg",
    "garnet_conversion_fraction",
    "milled_particle_size_m",
    "precursor_kg_per_kg_garnet",
]
