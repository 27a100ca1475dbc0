"""Moist air and the dry room: water vapour at a dew point, and the power to hold a room at it.

A battery dry room is held at a dew point of -40 to -60 C by desiccant rotors. Its running energy is
set by the water that enters with the make-up (fresh) air, which the rotors adsorb and regeneration
heat drives off again, plus the fans that recirculate the room air through the rotors and filters.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_non_negative, check_range

WATER_AIR_MOLAR_MASS_RATIO = 0.62198
"""M_water / M_dry_air [-] (CRC Handbook)."""
STANDARD_PRESSURE_PA = 101325.0
AIR_DENSITY_KG_PER_M3 = 1.204
"""Dry air at 20 C and 101.325 kPa [kg/m^3] (CRC Handbook)."""


def saturation_vapour_pressure_Pa(temperature_K):
    """Saturation pressure of water vapour over water (T >= 0 C) or ice (T < 0 C) [Pa].

    Parameters
    ----------
    temperature_K : float or array_like
        Temperature (a dew or frost point) T [K], 150-373.15 K

    Returns
    -------
    numpy.ndarray or float
        Saturation vapour pressure e_s [Pa]

    Notes
    -----
    Magnus form with the Alduchov & Eskridge (1996) constants: over water
    e_s = 610.94 exp(17.625 t / (t + 243.04)), over ice e_s = 611.21 exp(22.587 t / (t + 273.86)),
    t in C. Within 0.4 % of the Murphy & Koop (2005) formulation from -80 to +50 C; a dry room's
    dew point is a frost point (over ice), as dew-point meters below 0 C report it.

    References
    ----------
    Alduchov & Eskridge, J. Appl. Meteor. 35 (1996) 601; Murphy & Koop, Q. J. R. Meteorol. Soc. 131 (2005) 1539.

    Examples
    --------
    >>> print(round(float(saturation_vapour_pressure_Pa(233.15)), 1))  # -40 C frost point
    12.8
    """
    temperature = check_range("temperature_K", temperature_K, 150.0, 373.15)
    t_C = temperature - 273.15
    over_ice = t_C < 0.0
    pressure = np.where(over_ice,
                        611.21 * np.exp(22.587 * t_C / (t_C + 273.86)),
                        610.94 * np.exp(17.625 * t_C / (t_C + 243.04)))
    return pressure[()] if pressure.ndim == 0 else pressure


def humidity_ratio_kg_per_kg(dew_point_K, pressure_Pa=STANDARD_PRESSURE_PA):
    """Water per dry air of moist air with a given dew point [kg/kg].

    Parameters
    ----------
    dew_point_K : float or array_like
        Dew (frost) point T_d [K]
    pressure_Pa : float
        Total pressure P [Pa]

    Returns
    -------
    numpy.ndarray or float
        Humidity ratio x [kg water / kg dry air]

    Notes
    -----
    x = 0.622 e_s(T_d) / (P - e_s(T_d)) (ASHRAE Handbook Fundamentals, ch. 1, psychrometrics).

    References
    ----------
    ASHRAE Handbook - Fundamentals (2017) ch. 1.

    Examples
    --------
    >>> print(round(float(humidity_ratio_kg_per_kg(233.15)) * 1e6))  # -40 C dew point, mg/kg
    79
    """
    vapour = saturation_vapour_pressure_Pa(dew_point_K)
    ratio = WATER_AIR_MOLAR_MASS_RATIO * vapour / (pressure_Pa - vapour)
    return ratio[()] if np.ndim(ratio) == 0 else ratio


def dry_room_power_W_per_m2(room_dew_point_K, outdoor_dew_point_K, make_up_air_m3_per_h_per_m2,
                            regeneration_J_per_kg_water, recirculation_m3_per_h_per_m2, fan_J_per_m3):
    """Running power of a desiccant dry room per m^2 of conditioned floor [W/m^2].

    Parameters
    ----------
    room_dew_point_K : float or array_like
        Dew point the room is held at T_room [K]
    outdoor_dew_point_K : float or array_like
        Dew point of the make-up air drawn in T_out [K]
    make_up_air_m3_per_h_per_m2 : float or array_like
        Fresh air drawn in per floor area (exhaust, overpressure, leaks) q_m [m^3/(h m^2)]
    regeneration_J_per_kg_water : float or array_like
        Energy to regenerate the desiccant and re-cool the dried air per kg water removed e_w [J/kg]
    recirculation_m3_per_h_per_m2 : float or array_like
        Room air recirculated through rotors and filters per floor area q_r [m^3/(h m^2)]
    fan_J_per_m3 : float or array_like
        Specific fan power SFP [J/m^3] (= W per m^3/s)

    Returns
    -------
    numpy.ndarray or float
        Electrical power per conditioned floor area [W/m^2]

    Notes
    -----
    P/A = rho_air q_m max(x_out - x_room, 0) e_w / 3600 + (q_m + q_r) SFP / 3600. Moisture from
    people and from materials carried in is neglected (0.1-0.3 kg/h per worker, small against the
    make-up air of a production hall). The water load barely depends on the room dew point
    (x_room << x_out); what a lower dew point costs is a higher regeneration temperature and more
    rotor stages, i.e. a larger e_w.

    References
    ----------
    Moisture load of ventilation air m = 1.2 V (x1 - x2) (Munters / DST dehumidification design guides);
    desiccant regeneration COP < 0.6 (Consulting-Specifying Engineer, 2006); SFP classes: EN 16798-3 (2017).

    Examples
    --------
    >>> print(round(float(dry_room_power_W_per_m2(233.15, 283.15, 8.0, 5.0e6, 80.0, 1500.0))))
    138
    """
    make_up = check_non_negative("make_up_air_m3_per_h_per_m2", make_up_air_m3_per_h_per_m2)
    recirculation = check_non_negative("recirculation_m3_per_h_per_m2", recirculation_m3_per_h_per_m2)
    regeneration = check_non_negative("regeneration_J_per_kg_water", regeneration_J_per_kg_water)
    fan = check_non_negative("fan_J_per_m3", fan_J_per_m3)
    water = np.clip(humidity_ratio_kg_per_kg(outdoor_dew_point_K) - humidity_ratio_kg_per_kg(room_dew_point_K),
                    0.0, None)
    power = (AIR_DENSITY_KG_PER_M3 * make_up * water * regeneration + (make_up + recirculation) * fan) / 3600.0
    return power[()] if np.ndim(power) == 0 else power


__all__ = [
    "AIR_DENSITY_KG_PER_M3",
    "dry_room_power_W_per_m2",
    "humidity_ratio_kg_per_kg",
    "saturation_vapour_pressure_Pa",
]
