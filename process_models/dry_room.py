"""Moist air and the dry room: water vapour at a dew point, and the power to hold a room at it.

A battery dry room is held at a dew point of -40 to -60 C by desiccant rotors. Its running energy is
set by the water that enters with the make-up (fresh) air, which the rotors adsorb and regeneration
heat drives off again, plus the fans that recirculate the room air through the rotors and filters.
A deeper dew point costs a hotter regeneration (the rotor must leave the regeneration sector drier),
so the energy per kg of water rises as the dew point falls (:func:`regeneration_J_per_kg_water`).
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_non_negative, check_positive, check_range
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K

WATER_AIR_MOLAR_MASS_RATIO = 0.62198
"""M_water / M_dry_air [-] (CRC Handbook)."""
STANDARD_PRESSURE_PA = 101325.0
AIR_DENSITY_KG_PER_M3 = 1.204
"""Dry air at 20 C and 101.325 kPa [kg/m^3] (CRC Handbook)."""
WATER_LATENT_HEAT_J_PER_KG = 2.454e6
"""Enthalpy of vaporisation of water at 20 C [J/kg] (IAPWS-95 / CRC Handbook): the least heat that drives
adsorbed water off a desiccant (the isosteric heat of silica gel and zeolites is above it)."""
WATER_VAPORISATION_J_PER_MOL = 40.65e3
"""Enthalpy of vaporisation of water at its normal boiling point, 373.15 K [J/mol] (NIST Chemistry WebBook)."""
PROCESS_AIR_TEMPERATURE_K = 293.15
"""Air entering the rotors (process side) and the regeneration heater, 20 C [K] (assumption: room-temperature
return and make-up air after the pre-cooler)."""
REFERENCE_ROOM_DEW_POINT_K = 233.15
"""Dew point at which the regeneration energy per kg of water is anchored, -40 C [K]."""
REFERENCE_REGENERATION_J_PER_KG_WATER = 5.0e6
"""Regeneration energy per kg of water at the -40 C reference with 10 C outdoor air [J/kg]: desiccant
reactivation COP < 0.6 (Consulting-Specifying Engineer, 2006) -> > 4.1 MJ/kg, plus re-cooling of the dried air;
assumption within that bound (docs/calibration/energy.md)."""
REFERENCE_OUTDOOR_DEW_POINT_K = 283.15
"""Outdoor (regeneration air) dew point of the reference, 10 C [K] (assumption: annual mean of a temperate site)."""


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


def water_boiling_temperature_K(pressure_Pa):
    """Temperature at which water's vapour pressure equals ``pressure_Pa`` [K] (about 7-250 C).

    Parameters
    ----------
    pressure_Pa : float or array_like
        Vapour pressure p [Pa], 1 kPa - 4 MPa

    Returns
    -------
    numpy.ndarray or float
        T = 1 / (1/T_b - R ln(p / p_0) / dH_vap) [K]

    Notes
    -----
    Clausius-Clapeyron with a constant enthalpy of vaporisation about the normal boiling point
    (T_b = 373.15 K, p_0 = 101325 Pa, dH_vap = 40.65 kJ/mol). Against the IAPWS steam table: 92 C for
    75.8 kPa (table 92.0 C), 223 C for 2.62 MPa (table 227 C), enough for a rotor's
    regeneration temperature; below 60 C it runs a few K low (38 C for the 7385 Pa of 40 C).

    References
    ----------
    NIST Chemistry WebBook (dH_vap of water at 373 K); IAPWS-IF97 steam tables.

    Examples
    --------
    >>> print(round(float(water_boiling_temperature_K(101325.0)) - 273.15, 2))
    100.0
    """
    pressure = check_range("pressure_Pa", pressure_Pa, 1.0e3, 4.0e6)
    inverse = (1.0 / 373.15
               - GAS_CONSTANT_J_PER_MOL_K * np.log(pressure / STANDARD_PRESSURE_PA) / WATER_VAPORISATION_J_PER_MOL)
    temperature = 1.0 / inverse
    return temperature[()] if np.ndim(temperature) == 0 else temperature


def regeneration_temperature_K(room_dew_point_K, regeneration_air_dew_point_K,
                               process_air_temperature_K=PROCESS_AIR_TEMPERATURE_K):
    """Regeneration air temperature a single desiccant rotor needs to hold a dew point [K].

    Parameters
    ----------
    room_dew_point_K : float or array_like
        Dew (frost) point the dried air must reach T_d [K]
    regeneration_air_dew_point_K : float or array_like
        Dew point of the air heated for regeneration (outdoor air) T_r,d [K]
    process_air_temperature_K : float
        Temperature of the air dried on the process side T_p [K]

    Returns
    -------
    numpy.ndarray or float
        Regeneration temperature T_reg with e_s(T_reg) = e(T_r,d) e_s(T_p) / e(T_d), at least T_p [K]

    Notes
    -----
    Equal relative humidity: a silica-gel or zeolite rotor's water loading follows the relative humidity
    of the air it meets, nearly whatever its temperature. The process air leaves at the dew point the
    rotor allows only if the regeneration sector dried it to the loading in equilibrium with
    RH_p = e(T_d) / e_s(T_p); the regeneration air (outdoor water, heated) meets it at
    RH_r = e(T_r,d) / e_s(T_reg), so RH_r <= RH_p. With 10 C outdoor air and 20 C process air: -30 C
    needs 92 C, -40 C 124 C, -50 C 166 C, -60 C 224 C (one rotor; multi-rotor systems split the lift).
    Capped at 4 MPa of vapour pressure (245 C, below -65 C with 10 C outdoor air): no single rotor is
    regenerated hotter; staged rotors hold such dew points.

    References
    ----------
    Cotes (rotor vendor), 'The advantages of a 3-rotor dehumidifier' (a -50 C dew point from one rotor: 150-180 C
    reactivation); Pesaran & Mills, Int. J. Heat Mass Transfer 30 (1987) 1037 (silica-gel isotherms in
    relative humidity; memory [R]); ASHRAE Handbook - HVAC Systems and Equipment (2000) ch. 22 (desiccant
    dehumidification).

    Examples
    --------
    >>> print(round(float(regeneration_temperature_K(223.15, 283.15)) - 273.15))  # -50 C room, 10 C outdoor
    166
    """
    wanted = saturation_vapour_pressure_Pa(regeneration_air_dew_point_K) * saturation_vapour_pressure_Pa(
        process_air_temperature_K) / saturation_vapour_pressure_Pa(room_dew_point_K)
    # a room wetter than the outdoor air needs no lift: the heater then works at the process temperature
    lifted = np.clip(wanted, 1.0e3, 4.0e6)
    temperature = np.maximum(water_boiling_temperature_K(lifted), process_air_temperature_K)
    return temperature[()] if np.ndim(temperature) == 0 else temperature


def regeneration_J_per_kg_water(room_dew_point_K, outdoor_dew_point_K,
                                reference_J_per_kg_water=REFERENCE_REGENERATION_J_PER_KG_WATER,
                                reference_room_dew_point_K=REFERENCE_ROOM_DEW_POINT_K,
                                reference_outdoor_dew_point_K=REFERENCE_OUTDOOR_DEW_POINT_K,
                                process_air_temperature_K=PROCESS_AIR_TEMPERATURE_K):
    """Energy to regenerate the desiccant per kg of water removed, at a room dew point [J/kg].

    Parameters
    ----------
    room_dew_point_K : float or array_like
        Dew point the room is held at T_d [K]
    outdoor_dew_point_K : float or array_like
        Dew point of the outdoor (make-up and regeneration) air [K]
    reference_J_per_kg_water : float
        Regeneration energy e_ref at the reference dew points [J/kg]
    reference_room_dew_point_K, reference_outdoor_dew_point_K : float
        Dew points at which e_ref holds [K]
    process_air_temperature_K : float
        Air temperature entering rotors and heater T_p [K]

    Returns
    -------
    numpy.ndarray or float
        e_w = L + (e_ref - L) (T_reg - T_p) / (T_reg,ref - T_p) [J/kg]

    Notes
    -----
    The heat that drives the water off (at least its latent heat L) is paid whatever the dew point; the
    rest heats the regeneration air from T_p to T_reg (:func:`regeneration_temperature_K`) for a flow set
    by the water it carries away, so it scales with T_reg - T_p (assumption: the same regeneration air per
    kg of water). At -40 C with 10 C outdoor air e_w = e_ref; -30 C 4.21, -50 C 6.03, -60 C 7.45 MJ/kg.
    A single-rotor figure: staged rotors that regenerate the last one with dried air lift less, so this
    is an upper estimate below -50 C.

    References
    ----------
    ``REFERENCE_REGENERATION_J_PER_KG_WATER`` (desiccant reactivation COP < 0.6, Consulting-Specifying
    Engineer 2006); Cotes (one rotor to -50 C: 150-180 C reactivation).

    Examples
    --------
    >>> print(round(float(regeneration_J_per_kg_water(223.15, 283.15)) / 1e6, 2))  # -50 C room
    6.03
    """
    reference = check_positive("reference_J_per_kg_water", reference_J_per_kg_water)
    lift = regeneration_temperature_K(room_dew_point_K, outdoor_dew_point_K, process_air_temperature_K) \
        - process_air_temperature_K
    reference_lift = regeneration_temperature_K(reference_room_dew_point_K, reference_outdoor_dew_point_K,
                                                process_air_temperature_K) - process_air_temperature_K
    sensible = max(float(reference) - WATER_LATENT_HEAT_J_PER_KG, 0.0)
    # e_ref + (e_ref - L)(lift/lift_ref - 1): exactly e_ref at the reference (no rounding on the -40 C lines)
    energy = reference + sensible * (lift / reference_lift - 1.0)
    return energy[()] if np.ndim(energy) == 0 else energy


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
    (x_room << x_out); what a lower dew point costs is a higher regeneration temperature, i.e. a larger
    e_w (:func:`regeneration_J_per_kg_water`).

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
    "PROCESS_AIR_TEMPERATURE_K",
    "REFERENCE_OUTDOOR_DEW_POINT_K",
    "REFERENCE_REGENERATION_J_PER_KG_WATER",
    "REFERENCE_ROOM_DEW_POINT_K",
    "WATER_LATENT_HEAT_J_PER_KG",
    "WATER_VAPORISATION_J_PER_MOL",
    "dry_room_power_W_per_m2",
    "humidity_ratio_kg_per_kg",
    "regeneration_J_per_kg_water",
    "regeneration_temperature_K",
    "saturation_vapour_pressure_Pa",
    "water_boiling_temperature_K",
]
