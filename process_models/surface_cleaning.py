"""Removal of the Li2CO3/LiOH layer from a garnet surface: heat treatment in Ar, or polishing.

A garnet that has seen air carries Li2CO3/LiOH that Li does not wet (process_models.atmosphere_exposure).
Sharafi et al. (Chem. Mater. 29 (2017) 7961) heat it at ~500 C in Ar: the carbonate decomposes /
reacts back and the Li/LLZO ASR falls to ~2 ohm cm2. Polishing removes it mechanically (and the
Li-deficient surface), which thin tapes hardly survive (roadmap 2020 §15).

Heat treatment, first order in the carbonate left:
    c(t) = c0 exp(-k(T) t),   k(T) = k_ref exp(-(E_a / R) (1/T - 1/T_ref))
The carbonate state maps back to the moisture dose the exposure model carries, D = -D_c ln(1 - c).
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_non_negative, check_range
from process_models.atmosphere_exposure import CARBONATE_DOSE_SCALE_PA_S
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K

REFERENCE_TEMPERATURE_K = 773.15
"""500 C, the heat treatment of Sharafi et al., Chem. Mater. 29 (2017) 7961."""
REFERENCE_RATE_PER_S = -np.log(1e-4) / (3 * 3600.0)
"""k at 500 C [1/s]. Assumption: 3 h at 500 C in Ar leaves 1e-4 of a saturated carbonate layer, so an
air-exposed surface ends within 10 % of the clean 2 ohm cm2 (Sharafi 2017 reach ~2 ohm cm2; hold
time from memory)."""
ACTIVATION_ENERGY_J_PER_MOL = 150e3
"""Assumption: 150 kJ/mol, a thermally activated decomposition that is negligible below ~350 C and
fast at 700 C (physics-notes §1.3: surface Li2CO3 reacts back at 700-870 C during firing)."""


def carbonate_removal_rate_per_s(temperature_K):
    """First-order rate constant of Li2CO3 removal from a garnet surface in Ar [1/s].

    Parameters
    ----------
    temperature_K : float or array_like
        Heat-treatment temperature T, 273-1573 K [K]

    Returns
    -------
    numpy.ndarray or float
        k(T) = k_ref exp(-(E_a/R)(1/T - 1/T_ref)) [1/s]

    Notes
    -----
    Arrhenius in T around the 500 C anchor; k_ref and E_a are assumptions (module constants).

    References
    ----------
    Sharafi et al., Chem. Mater. 29 (2017) 7961 (500 C anchor); E_a and k_ref: assumptions above.

    Examples
    --------
    >>> print(round(float(carbonate_removal_rate_per_s(773.15)) * 3600, 3))  # per hour at 500 C
    3.07
    """
    temperature = check_range("temperature_K", temperature_K, 273.15, 1573.15)
    rate = REFERENCE_RATE_PER_S * np.exp(-ACTIVATION_ENERGY_J_PER_MOL / GAS_CONSTANT_J_PER_MOL_K
                                         * (1.0 / temperature - 1.0 / REFERENCE_TEMPERATURE_K))
    return rate[()] if np.ndim(rate) == 0 else rate


def carbonate_after_heat_treatment(carbonate, temperature_K, hold_s):
    """Carbonate fraction left on a garnet surface after a heat treatment in Ar [-].

    Parameters
    ----------
    carbonate : float or array_like
        Carbonate fraction before, c0 in [0, 1] [-]
    temperature_K : float or array_like
        Hold temperature T [K]
    hold_s : float or array_like
        Hold time t, >= 0 [s]

    Returns
    -------
    numpy.ndarray or float
        c = c0 exp(-k(T) t) [-]

    Notes
    -----
    First order in the carbonate left, at the hold temperature; the ramps are left out (conservative:
    they add removal).

    References
    ----------
    Sharafi et al., Chem. Mater. 29 (2017) 7961.

    Examples
    --------
    >>> print(float(carbonate_after_heat_treatment(1.0, 773.15, 3 * 3600.0)) < 1.01e-4)
    True
    """
    c0 = np.clip(check_non_negative("carbonate", carbonate), 0.0, 1.0)
    hold = check_non_negative("hold_s", hold_s)
    left = c0 * np.exp(-carbonate_removal_rate_per_s(temperature_K) * hold)
    return left[()] if np.ndim(left) == 0 else left


def equivalent_moisture_dose_Pa_s(carbonate, dose_scale_Pa_s=CARBONATE_DOSE_SCALE_PA_S):
    """Moisture dose that grows a given carbonate fraction on a clean surface [Pa s].

    Parameters
    ----------
    carbonate : float or array_like
        Carbonate fraction c in [0, 1) [-]
    dose_scale_Pa_s : float
        Dose scale D_c of process_models.atmosphere_exposure.carbonate_fraction [Pa s]

    Returns
    -------
    numpy.ndarray or float
        D = -D_c ln(1 - c), the inverse of carbonate_fraction [Pa s]

    Notes
    -----
    c = 1 is clipped just below 1 so a saturated layer maps to a finite dose.

    References
    ----------
    process_models.atmosphere_exposure.carbonate_fraction (the growth law it inverts).

    Examples
    --------
    >>> print(round(float(equivalent_moisture_dose_Pa_s(1 - np.exp(-1.0))) / 1.01e8, 6))
    1.0
    """
    c = np.clip(check_non_negative("carbonate", carbonate), 0.0, 1.0 - 1e-15)  # 1: saturated, finite dose
    dose = -dose_scale_Pa_s * np.log1p(-c)
    return dose[()] if np.ndim(dose) == 0 else dose


__all__ = ["ACTIVATION_ENERGY_J_PER_MOL", "REFERENCE_RATE_PER_S", "REFERENCE_TEMPERATURE_K",
           "carbonate_after_heat_treatment", "carbonate_removal_rate_per_s", "equivalent_moisture_dose_Pa_s"]
