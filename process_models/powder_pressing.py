"""Pressing of ductile (sulphide) electrolyte powders: temperature-dependent Heckel compaction and fracture.

A sulphide compact densifies by plastic flow of its particles, so its Heckel slope K ~ 1/(3 sigma_y)
rises as warming softens the particles (hot-pressed Li6PS5Cl reaches near-theoretical density, Wang et
al. 2024). Pressing is not "more is better": Li6PS5Cl pellets are crack-free at 625 MPa and fracture at
750 MPa (Yan et al. 2026). Calibration: docs/calibration/sulphide_pressing.md.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_positive, check_range
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K
from process_models.densification import cold_pressed_relative_density
from process_models.parameters import MaterialParameters

REFERENCE_TEMPERATURE_K = 298.15
"""Temperature the stored Heckel slope is measured at (room temperature)."""


def heckel_coefficient_per_Pa(temperature_K, material: MaterialParameters):
    """Heckel slope K of a ductile powder at the pressing temperature.

    Parameters
    ----------
    temperature_K : float or array_like
        Powder (die or roll) temperature, 250-873.15 K (a sulphide decomposes above ~600 C) [K]
    material : MaterialParameters
        Material with ``heckel_coefficient_per_Pa`` (at 298.15 K) and
        ``heckel_softening_energy_J_per_mol`` [-]

    Returns
    -------
    numpy.ndarray or float
        K(T) [1/Pa]

    Notes
    -----
    K = 1 / (3 sigma_y) (Heckel 1961) and the yield stress falls with temperature as
    sigma_y ~ exp(E_s / (R T)): K(T) = K_25 exp(E_s / R (1/298.15 - 1/T)).

    References
    ----------
    Heckel, Trans. Metall. Soc. AIME 221 (1961) 671; fit: docs/calibration/sulphide_pressing.md.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> print(round(float(heckel_coefficient_per_Pa(453.15, load_material("li6ps5cl"))) * 1e6, 5))
    0.0092
    """
    temperature = check_range("temperature_K", temperature_K, 250.0, 873.15)
    energy = material["heckel_softening_energy_J_per_mol"]
    result = material["heckel_coefficient_per_Pa"] * np.exp(
        energy / GAS_CONSTANT_J_PER_MOL_K * (1.0 / REFERENCE_TEMPERATURE_K - 1.0 / temperature))
    return result[()] if np.ndim(result) == 0 else result


def pressed_relative_density(pressure_Pa, temperature_K, green_relative_density, material: MaterialParameters):
    """Relative density of a ductile powder layer after pressing or calendering at a temperature.

    Parameters
    ----------
    pressure_Pa : float or array_like
        Pressing (or nip) pressure, >= 0 [Pa]
    temperature_K : float or array_like
        Pressing temperature, 250-873.15 K [K]
    green_relative_density : float or array_like
        Density before pressing, in (0, 1) [-]
    material : MaterialParameters
        Material with the Heckel keys (``heckel_coefficient_per_Pa``, ``heckel_softening_energy_J_per_mol``) [-]

    Returns
    -------
    numpy.ndarray or float
        D = 1 - (1 - D_0) exp(-K(T) P), in [D_0, 1) [-]

    Notes
    -----
    Heckel equation with the temperature-dependent slope of ``heckel_coefficient_per_Pa``.

    References
    ----------
    Heckel 1961; Yan et al., J. Colloid Interface Sci. 2026 (250/625 MPa conductivities, via
    iestbattery.com [M]); docs/calibration/sulphide_pressing.md.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> print(round(float(pressed_relative_density(625e6, 298.15, 0.5, load_material("li6ps5cl"))), 3))
    0.981
    """
    slope = heckel_coefficient_per_Pa(temperature_K, material)
    return cold_pressed_relative_density(pressure_Pa, green_relative_density, slope)


def pressing_cracks(pressure_Pa, material: MaterialParameters):
    """Whether pressing at this pressure fractures the layer (over-pressing).

    Parameters
    ----------
    pressure_Pa : float or array_like
        Pressing pressure [Pa]
    material : MaterialParameters
        Material with ``pressing_fracture_pressure_Pa`` [-]

    Returns
    -------
    numpy.ndarray or bool
        True where p exceeds the fracture pressure [-]

    Notes
    -----
    The stored elastic energy released on unloading (springback ~ p / E) cracks a nearly dense compact
    once p passes a threshold; Li6PS5Cl pellets fracture between 625 MPa (crack-free) and 750 MPa.
    Taken as independent of the pressing temperature (no data).

    References
    ----------
    Yan et al., J. Colloid Interface Sci. 2026 (via iestbattery.com, 'stepwise pressure effects' [M]).

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> lpscl = load_material("li6ps5cl")
    >>> print(bool(pressing_cracks(625e6, lpscl)), bool(pressing_cracks(750e6, lpscl)))
    False True
    """
    pressure = check_positive("pressure_Pa", pressure_Pa)
    return pressure > material["pressing_fracture_pressure_Pa"]
