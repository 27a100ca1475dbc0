"""Argyrodite Li6PS5Cl made in-house by mechanochemical ball milling (roadmap 2020 §12, §14), optionally annealed.

5 Li2S + P2S5 + 2 LiCl -> 2 Li6PS5Cl, driven by the impacts of the milling media. Yu, van Eijck, Ganapathy,
Wagemaker (Electrochim. Acta 215 (2016) 93) mill 8 h at 550 rpm in a planetary mill and anneal at 550 C to
1.1 mS/cm; Lee et al. (Front. Chem. 9 (2021) 778057) wet-mill and anneal 4 h at 500 C. Three pieces of physics:

* conversion: first order in the specific milling energy, ``alpha = 1 - exp(-E_m / E_c)``. A mill's result
  follows the energy it puts into each kg of powder (the stress-energy / stress-number concept of Kwade,
  Powder Technol. 105 (1999) 14), which is what lets a lab planetary-mill recipe be scaled to an attritor;
* particle size: Rittinger's law in the same specific energy (process_models.powder_synthesis);
* crystallinity: the milled product is a nanocrystalline glass-ceramic that an anneal crystallises (first
  order, Arrhenius); its conductivity relative to the annealed, fully reacted powder is
  ``(milled + (1 - milled) c) alpha^1.5`` (unreacted precursor blocks conduction: Bruggeman exponent).
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K
from process_models.powder_synthesis import milled_particle_size_m

# Precursor mass per kg of Li6PS5Cl from 5 Li2S + P2S5 + 2 LiCl -> 2 Li6PS5Cl (IUPAC atomic weights:
# Li2S 45.95, P2S5 222.27, LiCl 42.39, Li6PS5Cl 268.37 g/mol)
PRECURSOR_KG_PER_KG = {
    "li2s": 5 * 45.95 / (2 * 268.37),
    "p2s5": 222.27 / (2 * 268.37),
    "licl": 2 * 42.39 / (2 * 268.37),
}

# Conversion energy E_c. Anchor: Yu et al. 2016, 8 h at 550 rpm gives argyrodite (read as 95 % converted:
# assumption); the planetary mill's net specific power is an assumption, 500 W per kg of powder (a few W
# into a ~10 g charge). 8 h x 500 W/kg = 14.4 MJ/kg = E_c ln 20.
LAB_MILL_SPECIFIC_POWER_W_PER_KG = 500.0
CONVERSION_ENERGY_J_PER_KG = 8 * 3600 * LAB_MILL_SPECIFIC_POWER_W_PER_KG / np.log(20.0)
# Rittinger constant of the precursor blend (assumption): 20 um precursors (commercial Li2S grades) milled
# with Yu's 14.4 MJ/kg to 1.5 um agglomerates of nanocrystallites (no size distribution read).
ARGYRODITE_RITTINGER_CONSTANT_J_M_PER_KG = 8 * 3600 * LAB_MILL_SPECIFIC_POWER_W_PER_KG / (1 / 1.5e-6 - 1 / 20e-6)
# Conductivity of the as-milled (unannealed) glass-ceramic relative to the annealed powder (assumption:
# 0.5, between mechanochemical Li6PS5Cl reported near 1 mS/cm without anneal (Boulineau et al., Solid State
# Ionics 221 (2012) 1, memory [R]) and the anneal raising it in Yu et al. 2016)
MILLED_CONDUCTIVITY_FACTOR = 0.5
# Crystallisation in the anneal (assumption): Lee et al. 2021 anneal 4 h at 500 C, read as 99 % crystallised;
# activation energy 100 kJ/mol (assumption, the order of glass-ceramic crystallisation in Li2S-P2S5)
ANNEAL_REFERENCE_K = 773.15
ANNEAL_RATE_AT_REFERENCE_PER_S = np.log(100.0) / (4 * 3600.0)
ANNEAL_ACTIVATION_J_PER_MOL = 100e3
# Bruggeman exponent for the unreacted (insulating) precursor share, as the li6ps5cl porosity exponent
UNREACTED_BLOCKING_EXPONENT = 1.5


def _out(value):
    return value[()] if np.ndim(value) == 0 else value


def argyrodite_conversion_fraction(specific_energy_J_per_kg):
    """Share of the Li2S/P2S5/LiCl blend converted to argyrodite after milling [-].

    Parameters
    ----------
    specific_energy_J_per_kg : float or array_like
        Mill energy per kg of powder E_m = specific power x time, >= 0 [J/kg]

    Returns
    -------
    numpy.ndarray or float
        alpha = 1 - exp(-E_m / E_c) [-]

    Notes
    -----
    First order in the specific energy (each stress event converts a share of what is left); scale-up at equal
    specific energy (Kwade 1999). E_c from the Yu et al. 2016 recipe and an assumed lab-mill specific power.

    References
    ----------
    Yu et al., Electrochim. Acta 215 (2016) 93; Kwade, Powder Technol. 105 (1999) 14; module constants.

    Examples
    --------
    >>> print(round(float(argyrodite_conversion_fraction(8 * 3600 * 500.0)), 3))
    0.95
    """
    energy = check_non_negative("specific_energy_J_per_kg", specific_energy_J_per_kg)
    return _out(-np.expm1(-energy / CONVERSION_ENERGY_J_PER_KG))


def milled_argyrodite_particle_size_m(precursor_size_m, specific_energy_J_per_kg):
    """Particle (agglomerate) size of the milled argyrodite [m].

    Parameters
    ----------
    precursor_size_m : float or array_like
        Mean size of the precursor blend x0, > 0 [m]
    specific_energy_J_per_kg : float or array_like
        Mill energy per kg of powder, >= 0 [J/kg]

    Returns
    -------
    numpy.ndarray or float
        x = 1 / (1/x0 + E_m / C_R) [m]

    Notes
    -----
    Rittinger's law (process_models.powder_synthesis.milled_particle_size_m) with the argyrodite constant
    ``ARGYRODITE_RITTINGER_CONSTANT_J_M_PER_KG`` (assumption: 20 um -> 1.5 um with Yu's recipe).

    References
    ----------
    Rittinger (1867); Yu et al. 2016 recipe; module constants.

    Examples
    --------
    >>> print(round(float(milled_argyrodite_particle_size_m(20e-6, 8 * 3600 * 500.0)) * 1e6, 3))
    1.5
    """
    return milled_particle_size_m(precursor_size_m, specific_energy_J_per_kg,
                                  ARGYRODITE_RITTINGER_CONSTANT_J_M_PER_KG)


def anneal_crystallised_fraction(anneal_temperature_K, anneal_time_s):
    """Share of the milled glass-ceramic crystallised by an anneal [-].

    Parameters
    ----------
    anneal_temperature_K : float or array_like
        Anneal temperature, > 0 [K]
    anneal_time_s : float or array_like
        Time at temperature, >= 0 [s]

    Returns
    -------
    numpy.ndarray or float
        c = 1 - exp(-k(T) t), k = k_ref exp(-E/R (1/T - 1/T_ref)) [-]

    Notes
    -----
    First-order crystallisation anchored at 4 h / 500 C = 99 % (Lee et al. 2021, read as complete); the
    activation energy is an assumption.

    References
    ----------
    Lee et al., Front. Chem. 9 (2021) 778057; Yu et al. 2016 (550 C anneal); module constants.

    Examples
    --------
    >>> print(round(float(anneal_crystallised_fraction(773.15, 4 * 3600.0)), 3))
    0.99
    """
    temperature = check_positive("anneal_temperature_K", anneal_temperature_K)
    time = check_non_negative("anneal_time_s", anneal_time_s)
    rate = ANNEAL_RATE_AT_REFERENCE_PER_S * np.exp(-ANNEAL_ACTIVATION_J_PER_MOL / GAS_CONSTANT_J_PER_MOL_K
                                                   * (1.0 / temperature - 1.0 / ANNEAL_REFERENCE_K))
    return _out(-np.expm1(-rate * time))


def milled_powder_conductivity_factor(conversion_fraction, crystallised_fraction):
    """Conductivity of a milled (and annealed) powder's layer relative to the annealed, reacted powder [-].

    Parameters
    ----------
    conversion_fraction : float or array_like
        Share converted to argyrodite alpha in [0, 1] [-]
    crystallised_fraction : float or array_like
        Share crystallised by the anneal c in [0, 1] (0 without an anneal) [-]

    Returns
    -------
    numpy.ndarray or float
        f = (f_milled + (1 - f_milled) c) alpha^1.5 [-]

    Notes
    -----
    The glass-ceramic left by the mill conducts f_milled of the crystalline argyrodite (assumption); the
    unreacted share blocks like porosity (Bruggeman exponent 1.5, as the li6ps5cl parameter set).

    References
    ----------
    Boulineau et al., Solid State Ionics 221 (2012) 1 [R]; Yu et al. 2016; module constants.

    Examples
    --------
    >>> print(round(float(milled_powder_conductivity_factor(1.0, 0.0)), 3))
    0.5
    """
    alpha = check_fraction("conversion_fraction", conversion_fraction)
    crystallised = check_fraction("crystallised_fraction", crystallised_fraction)
    crystalline = MILLED_CONDUCTIVITY_FACTOR + (1.0 - MILLED_CONDUCTIVITY_FACTOR) * crystallised
    return _out(crystalline * alpha ** UNREACTED_BLOCKING_EXPONENT)


__all__ = ["PRECURSOR_KG_PER_KG", "anneal_crystallised_fraction", "argyrodite_conversion_fraction",
           "milled_argyrodite_particle_size_m", "milled_powder_conductivity_factor"]
