"""Electric furnace energy over a temperature profile: lumped heat balance of charge and kiln."""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_range
from process_models.temperature_profile import TemperatureProfile

REFERENCE_LOSS_TEMPERATURE_K = 1273.15


def furnace_energy_J(profile: TemperatureProfile, thermal_mass_J_per_K: float, heat_loss_W_at_1000C: float,
                     heating_efficiency: float = 1.0, ambient_temperature_K: float = 298.15) -> float:
    """Electrical energy one firing draws: heat-up of the thermal mass plus wall losses, over efficiency.

    Parameters
    ----------
    profile : TemperatureProfile
        Furnace set-point profile (piecewise linear in time) [K]
    thermal_mass_J_per_K : float
        Heat capacity of kiln furniture, setters, lining that follows the set point, and charge [J/K]
    heat_loss_W_at_1000C : float
        Wall loss at a 1000 C set point, taken linear in (T - T_ambient) [W]
    heating_efficiency : float
        Fraction of electrical power that reaches the furnace interior [-]
    ambient_temperature_K : float
        Surroundings temperature [K]

    Returns
    -------
    float
        Electrical energy per firing [J]

    Notes
    -----
    E = (1/eta) * [ C * sum(max(dT, 0)) + integral of Q_loss(T(t)) dt ],
    Q_loss(T) = Q_1000 * (T - T_amb) / (1273.15 K - T_amb). Cooling is passive (no energy recovered).
    The profile is linear between knots, so the loss integral is exact with the trapezoid rule on knots.
    This is the standard lumped-capacitance kiln balance used in process-based cost models
    (Kriegler et al., J. Power Sources 2024, energy of oxide ASSB manufacturing).

    References
    ----------
    Kriegler et al., J. Power Sources (2024): energy content of oxide ASSB manufacturing.

    Examples
    --------
    >>> p = TemperatureProfile.from_segments(298.15, [("ramp", 1273.15, 5 / 60), ("hold", 3600.0)])
    >>> print(round(furnace_energy_J(p, 1.0e6, 1.0e4) / 3.6e6, 1))
    297.1
    """
    check_range("thermal_mass_J_per_K", thermal_mass_J_per_K, 0.0, np.inf, low_inclusive=False)
    check_range("heat_loss_W_at_1000C", heat_loss_W_at_1000C, 0.0, np.inf)
    check_range("heating_efficiency", heating_efficiency, 0.0, 1.0, low_inclusive=False)
    time_s = np.asarray(profile.knot_time_s, dtype=float)
    temperature_K = np.asarray(profile.knot_temperature_K, dtype=float)
    heat_up_J = thermal_mass_J_per_K * float(np.sum(np.clip(np.diff(temperature_K), 0.0, None)))
    loss_W = heat_loss_W_at_1000C * np.clip(temperature_K - ambient_temperature_K, 0.0, None) / (
        REFERENCE_LOSS_TEMPERATURE_K - ambient_temperature_K
    )
    loss_J = float(np.sum(0.5 * (loss_W[1:] + loss_W[:-1]) * np.diff(time_s)))
    return (heat_up_J + loss_J) / heating_efficiency
