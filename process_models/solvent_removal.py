"""Heat to remove a coating solvent: evaporation plus the exhaust air that keeps the vapour safe.

A dryer or spray booth evaporates the solvent of a wet film and must ventilate the vapour below a
fraction of its lower explosive limit (LEL): NFPA 86 (2019) §11.6 sizes solvent-oven exhaust for
<= 25 % of the LEL. That exhaust air is drawn from the hall and heated to the process temperature, and
for a low-LEL organic solvent it costs more than the latent heat itself (Ahmed et al., J. Power Sources
322 (2016) 169: NMP drying and recovery is dominated by air heating).
"""

from __future__ import annotations

from process_models._domain_checks import check_fraction, check_non_negative, check_range

AIR_HEAT_CAPACITY_J_PER_KG_K = 1005.0
"""Specific heat of dry air near 20-100 C, c_p,air [J/(kg K)] (CRC Handbook of Chemistry and Physics)."""
AIR_MOLAR_MASS_KG_PER_MOL = 0.028965
"""Molar mass of dry air [kg/mol] (CRC Handbook)."""

# Properties near 25 C: latent heat of vaporisation (NIST Chemistry WebBook, Delta_vap H at 298 K),
# liquid heat capacity and density (CRC Handbook), molar mass, and lower explosive limit in air
# (NIOSH Pocket Guide to Chemical Hazards). Water has no LEL: its exhaust is set by humidity, not safety.
SOLVENTS: dict[str, dict[str, float | None]] = {
    "ethanol": {"latent_heat_J_per_kg": 0.918e6, "liquid_heat_capacity_J_per_kg_K": 2440.0,
                "density_kg_per_m3": 789.0, "molar_mass_kg_per_mol": 0.04607, "lel_volume_fraction": 0.033},
    "toluene": {"latent_heat_J_per_kg": 0.413e6, "liquid_heat_capacity_J_per_kg_K": 1700.0,
                "density_kg_per_m3": 867.0, "molar_mass_kg_per_mol": 0.09214, "lel_volume_fraction": 0.011},
    "xylene": {"latent_heat_J_per_kg": 0.399e6, "liquid_heat_capacity_J_per_kg_K": 1720.0,
               "density_kg_per_m3": 861.0, "molar_mass_kg_per_mol": 0.10617, "lel_volume_fraction": 0.011},
    "nmp": {"latent_heat_J_per_kg": 0.532e6, "liquid_heat_capacity_J_per_kg_K": 1670.0,
            "density_kg_per_m3": 1028.0, "molar_mass_kg_per_mol": 0.09913, "lel_volume_fraction": 0.013},
    "water": {"latent_heat_J_per_kg": 2.442e6, "liquid_heat_capacity_J_per_kg_K": 4181.0,
              "density_kg_per_m3": 997.0, "molar_mass_kg_per_mol": 0.01802, "lel_volume_fraction": None},
}
LEL_SAFETY_FRACTION = 0.25
"""Exhaust vapour concentration as a fraction of the LEL (NFPA 86 §11.6: at most 25 % LEL)."""
WATER_EXHAUST_HUMIDITY_KG_PER_KG = 0.05
"""Humidity ratio of a water dryer's exhaust, 50 g/kg (assumption: a convective dryer leaves its air
well below saturation at 60-80 C, ~0.15-0.35 kg/kg; 0.05 kg/kg is typical of once-through dryers)."""


def exhaust_air_kg_per_kg_solvent(solvent: str, lel_fraction=LEL_SAFETY_FRACTION):
    """Dry air the exhaust must carry per kg of solvent evaporated [kg air / kg solvent].

    Parameters
    ----------
    solvent : str
        Solvent name, a key of ``SOLVENTS`` [-]
    lel_fraction : float or array_like
        Vapour concentration allowed in the exhaust as a fraction of the LEL, f in (0, 1] [-]

    Returns
    -------
    numpy.ndarray or float
        Exhaust air mass per solvent mass m_air/m_s [kg/kg]

    Notes
    -----
    At a vapour mole fraction y = f LEL the exhaust carries (1 - y)/y mol of air per mol of solvent:
    m_air/m_s = (1 - y)/y * M_air/M_s. Water, which has no LEL, leaves at the humidity ratio
    ``WATER_EXHAUST_HUMIDITY_KG_PER_KG``: m_air/m_s = 1/x.

    References
    ----------
    NFPA 86, Standard for Ovens and Furnaces (2019) §11.6 (25 % LEL); NIOSH Pocket Guide (LEL values).

    Examples
    --------
    >>> print(round(float(exhaust_air_kg_per_kg_solvent("ethanol")), 1))  # kg of air per kg of ethanol
    75.6
    """
    props = _solvent(solvent)
    fraction = check_fraction("lel_fraction", lel_fraction, allow_zero=False)
    if props["lel_volume_fraction"] is None:
        return 1.0 / WATER_EXHAUST_HUMIDITY_KG_PER_KG + 0.0 * fraction
    y = fraction * props["lel_volume_fraction"]
    return (1.0 - y) / y * AIR_MOLAR_MASS_KG_PER_MOL / props["molar_mass_kg_per_mol"]


def solvent_removal_energy_J_per_kg(solvent: str, process_temperature_K, ambient_temperature_K=293.15,
                                    heater_efficiency=0.9, lel_fraction=LEL_SAFETY_FRACTION):
    """Electrical energy to evaporate one kg of solvent and heat the exhaust air that carries it [J/kg].

    Parameters
    ----------
    solvent : str
        Solvent name, a key of ``SOLVENTS`` [-]
    process_temperature_K : float or array_like
        Dryer / booth air and film temperature T_p [K]
    ambient_temperature_K : float or array_like
        Hall air and liquid temperature T_a [K]
    heater_efficiency : float or array_like
        Share of the electrical input delivered to air and film, eta in (0, 1] [-]
    lel_fraction : float or array_like
        Exhaust vapour concentration as a fraction of the LEL [-]

    Returns
    -------
    numpy.ndarray or float
        Electrical energy per kg of solvent removed e [J/kg]

    Notes
    -----
    e = [L + c_l (T_p - T_a) + (m_air/m_s) c_p,air (T_p - T_a)] / eta, with m_air/m_s from
    :func:`exhaust_air_kg_per_kg_solvent`. No heat recovery from the exhaust (a heat-recovery
    exchanger or solvent condenser lowers it; model it as a higher ``heater_efficiency``).

    References
    ----------
    Latent heats: NIST Chemistry WebBook; exhaust at 25 % LEL: NFPA 86 (2019) §11.6; energy balance of
    electrode dryers: Ahmed et al., J. Power Sources 322 (2016) 169.

    Examples
    --------
    >>> print(round(float(solvent_removal_energy_J_per_kg("ethanol", 333.15)) / 1e6, 2))  # MJ/kg at 60 C
    4.5
    """
    props = _solvent(solvent)
    process_K = check_range("process_temperature_K", process_temperature_K, 250.0, 600.0)
    ambient_K = check_range("ambient_temperature_K", ambient_temperature_K, 250.0, 330.0)
    efficiency = check_fraction("heater_efficiency", heater_efficiency, allow_zero=False)
    rise_K = (process_K - ambient_K).clip(0.0)
    air = exhaust_air_kg_per_kg_solvent(solvent, lel_fraction)
    energy = (props["latent_heat_J_per_kg"] + props["liquid_heat_capacity_J_per_kg_K"] * rise_K
              + air * AIR_HEAT_CAPACITY_J_PER_KG_K * rise_K) / efficiency
    return energy[()] if energy.ndim == 0 else energy


def solvent_mass_kg(wet_volume_m3, solids_volume_fraction, solvent: str):
    """Solvent in a wet film or ink of given volume [kg].

    Parameters
    ----------
    wet_volume_m3 : float or array_like
        Volume of wet film or ink V [m^3]
    solids_volume_fraction : float or array_like
        Solids volume fraction of the slurry/ink phi [-]
    solvent : str
        Solvent name, a key of ``SOLVENTS`` [-]

    Returns
    -------
    numpy.ndarray or float
        Solvent mass m_s = V (1 - phi) rho_s [kg] (binder treated as part of the solids)

    Notes
    -----
    m_s = V (1 - phi) rho_s.

    References
    ----------
    Mistler & Twiname, Tape Casting: Theory and Practice (2000): slurry volume balance.

    Examples
    --------
    >>> print(round(float(solvent_mass_kg(1e-6, 0.3, "ethanol")) * 1e3, 3))  # g in 1 ml at 30 vol% solids
    0.552
    """
    volume = check_non_negative("wet_volume_m3", wet_volume_m3)
    phi = check_fraction("solids_volume_fraction", solids_volume_fraction)
    mass = volume * (1.0 - phi) * _solvent(solvent)["density_kg_per_m3"]
    return mass[()] if mass.ndim == 0 else mass


def _solvent(name: str) -> dict:
    try:
        return SOLVENTS[name]
    except KeyError:
        raise ValueError(f"solvent={name!r} is not one of {', '.join(SOLVENTS)}") from None


__all__ = [
    "AIR_HEAT_CAPACITY_J_PER_KG_K",
    "LEL_SAFETY_FRACTION",
    "SOLVENTS",
    "exhaust_air_kg_per_kg_solvent",
    "solvent_mass_kg",
    "solvent_removal_energy_J_per_kg",
]
