"""Electrical energy drawn by a batch furnace over one firing profile."""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_range
from process_models.temperature_profile import TemperatureProfile

REFERENCE_TEMPERATURE_K = 1273.15
"""Temperature at which the furnace heat loss is specified (1000 degC) [K]."""


def furnace_energy_J(profile: TemperatureProfile, thermal_mass_J_per_K, heat_loss_W_at_1000C,
                     heating_efficiency, ambient_temperature_K=298.15):
    """Electrical energy of one furnace firing: heating the thermal mass plus wall losses.

    Parameters
    ----------
    profile : TemperatureProfile
        Furnace temperature history [s], [K]
    thermal_mass_J_per_K : float or array_like
        Heat capacity of furnace lining, setters and load C [J/K]
    heat_loss_W_at_1000C : float or array_like
        Steady wall heat loss with the furnace at 1000 degC, Q_1000 [W]
    heating_efficiency : float or array_like
        Fraction of electrical energy delivered as heat, eta in (0, 1] [-]
    ambient_temperature_K : float
        Surroundings temperature T_a [K]

    Returns
    -------
    numpy.ndarray or float
        Electrical energy per firing [J]

    Notes
    -----
    E = [C sum over heating segments of dT + integral Q_1000 (T - T_a)/(1273.15 K - T_a) dt] / eta.
    Losses are linear in the temperature excess (conduction through the insulation, radiation
    neglected); cooling segments recover nothing. The loss integral is exact for the
    piecewise-linear profile (trapezoid on the knots).

    References
    ----------
    Energy balance of a batch kiln, e.g. Mullinger & Jenkins, Industrial and Process Furnaces (2014);
    2020 SSB roadmap §14.1 (high-temperature sintering is the energy-intensive oxide step).

    Examples
    --------
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1025.0, 5.0), ("hold", 1.0), ("ramp", 25.0, 5.0)])
    >>> print(round(float(furnace_energy_J(p, 100e3, 5e3, 0.9)) / 3.6e6, 2))  # kWh
    55.56
    """
    capacity = check_non_negative("thermal_mass_J_per_K", thermal_mass_J_per_K)
    loss = check_non_negative("heat_loss_W_at_1000C", heat_loss_W_at_1000C)
    efficiency = check_fraction("heating_efficiency", heating_efficiency, allow_zero=False)
    ambient = float(check_range("ambient_temperature_K", ambient_temperature_K, 0.0, 1200.0,
                                low_inclusive=False))
    time_s = np.asarray(profile.knot_time_s)
    temperature_K = np.asarray(profile.knot_temperature_K)
    heating_K = np.sum(np.clip(np.diff(temperature_K), 0.0, None))
    excess = np.clip(temperature_K - ambient, 0.0, None)
    excess_integral_K_s = np.sum(0.5 * (excess[1:] + excess[:-1]) * np.diff(time_s))
    energy = (capacity * heating_K + loss * excess_integral_K_s / (REFERENCE_TEMPERATURE_K - ambient)) / efficiency
    return energy[()] if np.ndim(energy) == 0 else energy
