"""Vacuum deposition of thin-film cell layers: rates, line speed, chamber cycle, target use, energy.

The thin-film cell of roadmap 2020 §16 (Li / LiPON / LiCoO2, layers < 10 um) is made by sputtering,
evaporation or ALD. This module holds the rate laws per method, the roll-to-roll speed identity, the
batch chamber cycle, target consumption and the energy of a vacuum run. The electrolyte pinholes that
short cells are :mod:`process_models.electrolyte_pinholes` (their names are re-exported here, where
callers found them first).
Li thermal evaporation is :func:`process_models.lamination.li_evaporation_rate_m_per_s` (not repeated).

Rate laws (static rate under the source, SI):

* magnetron sputtering (RF or pulsed DC): R = k P'' with P'' the target power density [W/m2] and k the
  rate per power density of the target material and method; to first order the sputter rate is
  proportional to the target power (Gurvitch, JVST A, doi:10.1116/1.572467). Ceramic Li targets are held to
  a few W/cm2 (thermal shock cracks them), the ``max_power_density`` of each target;
* arc / thermal evaporation of a compound: a fixed measured rate;
* ALD: R = growth per cycle / cycle time.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive
from process_models.electrolyte_pinholes import pinhole_density_per_m2, short_probability, shorted_cell_count
from process_models.errors import PhysicsDomainError

_NM_PER_MIN = 1e-9 / 60.0          # m/s
_W_PER_CM2 = 1e4                   # W/m2
# rate per power density given in nm/min per W/cm2 -> m/s per W/m2 (= m^3/J)
_RATE_PER_POWER_DENSITY = _NM_PER_MIN / _W_PER_CM2

# Sputter targets: film density, rate per power density by method, the power density the target takes.
SPUTTER_TARGETS: dict[str, dict[str, float | str]] = {
    "licoo2": {
        # Julien, Mauger & Hussain, Materials 12 (2019) 2687, Table 3: RF 100 W -> 3.2 (read as nm/min;
        # the table's units are ambiguous, ~100x spread); assumption: a 3-inch target (45.6 cm2), so
        # 2.19 W/cm2 -> 3.2 nm/min = 1.46 nm/min per W/cm2
        "rf_sputter_nm_per_min_per_W_per_cm2": 1.46,
        # assumption: pulsed DC on a conductive target sputters about twice the RF rate per watt (RF loses
        # power to the matching network and the self-bias); IPS/Demaray US 9,887,414 calls it "high rate"
        "pulsed_dc_sputter_nm_per_min_per_W_per_cm2": 2.92,
        # assumption: ceramic Li targets are held to a few W/cm2 (thermal shock; research notes A1 [U])
        "max_power_density_W_per_cm2": 5.0,
        # sputtered LiCoO2 taken at the crystallographic 5.06 g/cm3 (lco_thin_film.yaml)
        "film_density_kg_per_m3": 5060.0,
        "film": "LiCoO2",
    },
    "li3po4": {
        # LiPON by reactive RF sputtering of Li3PO4 in N2: lab rates ~1-3 nm/min (research notes A1 [U]);
        # assumption: 2 nm/min at 2.5 W/cm2 (a 2-inch target at ~50 W) -> 0.8 nm/min per W/cm2
        "rf_sputter_nm_per_min_per_W_per_cm2": 0.8,
        # assumption: twice RF on the conductive Li3PO4 + C target (US 11,081,325) as for LiCoO2
        "pulsed_dc_sputter_nm_per_min_per_W_per_cm2": 1.6,
        "max_power_density_W_per_cm2": 4.0,    # assumption: ceramic target, as for LiCoO2
        "film_density_kg_per_m3": 2500.0,      # LiPON film ~2.5 g/cm3 (lipon.yaml)
        "film": "LiPON",
    },
    "ti": {
        # assumption: DC magnetron rates of metals are tens of nm/min per W/cm2; Ti's low sputter yield
        # (~0.5 atoms/ion at 500 eV Ar) puts it at the low end
        "pulsed_dc_sputter_nm_per_min_per_W_per_cm2": 8.0,
        "rf_sputter_nm_per_min_per_W_per_cm2": 4.0,
        "max_power_density_W_per_cm2": 15.0,   # assumption: water-cooled bonded metal target
        "film_density_kg_per_m3": 4506.0,      # Ti, CRC Handbook
        "film": "Ti",
    },
    "pt": {
        "pulsed_dc_sputter_nm_per_min_per_W_per_cm2": 15.0,  # assumption: Pt yield ~1.5 (3x Ti)
        "rf_sputter_nm_per_min_per_W_per_cm2": 7.5,
        "max_power_density_W_per_cm2": 15.0,
        "film_density_kg_per_m3": 21450.0,     # Pt, CRC Handbook
        "film": "Pt",
    },
    "cu": {
        "pulsed_dc_sputter_nm_per_min_per_W_per_cm2": 25.0,  # assumption: Cu yield ~2.3, the highest here
        "rf_sputter_nm_per_min_per_W_per_cm2": 12.5,
        "max_power_density_W_per_cm2": 15.0,
        "film_density_kg_per_m3": 8960.0,      # Cu, CRC Handbook
        "film": "Cu",
    },
}

# Evaporation of a compound at a fixed measured rate [m/s]
EVAPORATION_RATES_M_PER_S: dict[str, float] = {
    # LiPON by anodic arc evaporation of Li3PO4 in N2: 8 nm/min (~0.5 um/h), Coatings 13 (2023) 1765,
    # doi:10.3390/coatings13101765
    "li3po4": 8.0 * _NM_PER_MIN,
}

# ALD of LiPON: growth per cycle [m] and cycle time [s]
ALD_PROCESSES: dict[str, dict[str, float]] = {
    # thermal ALD: 0.7 A/cycle at 270-310 C (Nisula, Shindo, Koga & Karppinen, Chem. Mater. 2015);
    # assumption: 60 s cycle (LiOtBu / purge / DEPA / purge; the paper's pulse times were not read)
    "ald": {"growth_per_cycle_m": 0.07e-9, "cycle_time_s": 60.0},
    # plasma ALD: ~125 s per cycle (5 s LiOtBu, three 30 s purges, 0.5 s TMP, 5 s reaction, 20 s N2
    # plasma) and 0.7-1 A/cycle -> 2-3 nm/h (Put et al., JES 166 (2019) A1239, doi:10.1149/2.1191906jes);
    # 0.85 A the mid value
    "plasma_ald": {"growth_per_cycle_m": 0.085e-9, "cycle_time_s": 125.0},
}

# Target utilisation: share of a target eroded before it is spent (indium.com; goodtungsten.com)
TARGET_UTILISATION = {"planar": 0.30, "rotary": 0.80}


def _target(material: str) -> dict:
    try:
        return SPUTTER_TARGETS[material]
    except KeyError:
        raise PhysicsDomainError(f"target material={material!r} is unknown; known: "
                                 f"{', '.join(sorted(SPUTTER_TARGETS))}") from None


def sputter_rate_m_per_s(power_density_W_per_m2, material: str, method: str):
    """Static deposition rate of magnetron sputtering under the target.

    Parameters
    ----------
    power_density_W_per_m2 : float or array_like
        Target power / eroded target area P'' [W/m2], at most the target's limit
    material : str
        Target (``SPUTTER_TARGETS``: licoo2, li3po4 (LiPON in N2), ti, pt, cu) [-]
    method : str
        ``rf_sputter`` or ``pulsed_dc_sputter`` [-]

    Returns
    -------
    numpy.ndarray or float
        Film thickness rate R [m/s]

    Notes
    -----
    R = k P'' (rate proportional to power); k per target and method in ``SPUTTER_TARGETS`` with its
    source or assumption; above the target's power limit a PhysicsDomainError.

    References
    ----------
    Gurvitch, JVST A, doi:10.1116/1.572467; Julien, Mauger & Hussain, Materials 12 (2019) 2687 (LiCoO2);
    research notes A1 (LiPON 1-3 nm/min).

    Examples
    --------
    >>> print(round(float(sputter_rate_m_per_s(2.5e4, "li3po4", "rf_sputter")) / _NM_PER_MIN, 2))  # nm/min
    2.0
    """
    target = _target(material)
    key = f"{method}_nm_per_min_per_W_per_cm2"
    if key not in target:
        raise PhysicsDomainError(f"method={method!r} is not a sputter method; use rf_sputter or pulsed_dc_sputter")
    density = check_positive("power_density_W_per_m2", power_density_W_per_m2)
    limit = target["max_power_density_W_per_cm2"] * _W_PER_CM2
    if np.any(density > limit * (1 + 1e-12)):
        raise PhysicsDomainError(f"power_density_W_per_m2={float(np.max(density)):.6g} is outside (0, {limit:.6g}] "
                                 f"for a {material} target (it cracks or melts above)")
    rate = target[key] * _RATE_PER_POWER_DENSITY * density
    return rate[()] if rate.ndim == 0 else rate


def ald_rate_m_per_s(growth_per_cycle_m, cycle_time_s):
    """ALD thickness rate.

    Parameters
    ----------
    growth_per_cycle_m : float or array_like
        Film grown per precursor/purge/reactant/purge cycle [m]
    cycle_time_s : float or array_like
        Duration of one cycle [s]

    Returns
    -------
    numpy.ndarray or float
        R = growth per cycle / cycle time [m/s]

    Notes
    -----
    Self-limiting growth: the rate does not depend on precursor flux, only on the cycle.

    References
    ----------
    Nisula et al., Chem. Mater. 2015 (0.7 A/cycle thermal LiPON ALD); Put et al., JES 166 (2019) A1239
    (~125 s per plasma-ALD cycle, ~2-3 nm/h).

    Examples
    --------
    >>> print(round(ald_rate_m_per_s(0.085e-9, 125.0) * 3600e9, 2))  # nm/h
    2.45
    """
    growth = check_positive("growth_per_cycle_m", growth_per_cycle_m)
    cycle = check_positive("cycle_time_s", cycle_time_s)
    rate = growth / cycle
    return rate[()] if rate.ndim == 0 else rate


def web_speed_m_per_s(thickness_m, static_rate_m_per_s, zone_length_m):
    """Roll-to-roll web speed that gives a layer thickness.

    Parameters
    ----------
    thickness_m : float or array_like
        Layer thickness t [m]
    static_rate_m_per_s : float or array_like
        Rate under the sources R_static [m/s]
    zone_length_m : float or array_like
        Web length under the sources L (all sources of the station) [m]

    Returns
    -------
    numpy.ndarray or float
        Web speed v [m/s]

    Notes
    -----
    Every point of the web spends L / v under the sources, so t = R_static L / v: the dynamic rate
    t v [m^2/s] equals R_static L (research notes A1). The slowest layer sets the line speed, or the
    number of sources (zone length) that layer needs.

    References
    ----------
    Research notes A1 (dynamic rate) and A3 (one-pass roll-to-roll: a single slow step forces extra sources).

    Examples
    --------
    >>> v = web_speed_m_per_s(1.5e-6, 8e-9 / 60, 1.0)   # LiPON by arc evaporation over a 1 m zone
    >>> print(round(v * 60e3, 2))  # mm/min
    5.33
    """
    t = check_positive("thickness_m", thickness_m)
    rate = check_positive("static_rate_m_per_s", static_rate_m_per_s)
    length = check_positive("zone_length_m", zone_length_m)
    speed = rate * length / t
    return speed[()] if speed.ndim == 0 else speed


def dynamic_rate_m2_per_s(thickness_m, web_speed):
    """Dynamic deposition rate of a web coater.

    Parameters
    ----------
    thickness_m : float or array_like
        Layer thickness t [m]
    web_speed : float or array_like
        Web speed v [m/s]

    Returns
    -------
    numpy.ndarray or float
        t v [m^2/s]; equals the static rate x the zone length (:func:`web_speed_m_per_s`)

    Notes
    -----
    The figure web-coater makers quote (nm m/min): what one pass lays down times how fast it runs.

    References
    ----------
    Research notes A1.

    Examples
    --------
    >>> print(round(float(dynamic_rate_m2_per_s(1.5e-6, 5.333e-3 / 60)) * 60e9, 2))  # nm m/min
    8.0
    """
    product = check_positive("thickness_m", thickness_m) * check_positive("web_speed_m_per_s", web_speed)
    return product[()] if product.ndim == 0 else product


def batch_chamber_cycle_s(pump_down_s, deposition_s, vent_s, load_lock_s):
    """One batch chamber run.

    Parameters
    ----------
    pump_down_s : float or array_like
        Pump-down of the load lock (or chamber) [s]
    deposition_s : float or array_like
        Time under the sources [s]
    vent_s : float or array_like
        Venting [s]
    load_lock_s : float or array_like
        Substrate transfer through the load lock [s]

    Returns
    -------
    numpy.ndarray or float
        Run time = pump-down + deposition + vent + load lock [s]

    Notes
    -----
    All four are busy machine time for one load of substrates; with a load lock the process chamber
    stays under vacuum and ``pump_down_s`` is the load lock's pump-down.

    References
    ----------
    IPS/Demaray US 9,887,414 (cluster tool with a load lock, one chamber per layer).

    Examples
    --------
    >>> print(float(batch_chamber_cycle_s(1800.0, 3600.0, 900.0, 600.0)))
    6900.0
    """
    total = (check_non_negative("pump_down_s", pump_down_s) + check_non_negative("deposition_s", deposition_s)
             + check_non_negative("vent_s", vent_s) + check_non_negative("load_lock_s", load_lock_s))
    return total[()] if total.ndim == 0 else total


def target_consumption_kg_per_m2(thickness_m, film_density_kg_per_m3, transfer_efficiency, target_utilisation):
    """Target material bought per m2 of substrate coated.

    Parameters
    ----------
    thickness_m : float or array_like
        Film thickness t [m]
    film_density_kg_per_m3 : float
        Film density rho [kg/m3]
    transfer_efficiency : float
        Share of the sputtered material that lands on the substrate (the rest coats shields) (0, 1] [-]
    target_utilisation : float
        Share of a target eroded before it is spent: planar ~0.3, rotary ~0.8 (``TARGET_UTILISATION``) [-]

    Returns
    -------
    numpy.ndarray or float
        m_target = t rho / (eta_transfer u_target) [kg/m2]

    Notes
    -----
    The film's mass over the share that lands and the share of each target that is used before it is
    replaced (the spent target's rest is scrap or recycled, not film).

    References
    ----------
    Target utilisation planar ~30 %, rotary ~80 % (indium.com; goodtungsten.com; research notes A1).

    Examples
    --------
    >>> print(round(target_consumption_kg_per_m2(5e-6, 5060.0, 0.5, 0.3) * 1e3, 1))  # g/m2
    168.7
    """
    t = check_non_negative("thickness_m", thickness_m)
    transfer = check_fraction("transfer_efficiency", transfer_efficiency, allow_zero=False)
    utilisation = check_fraction("target_utilisation", target_utilisation, allow_zero=False)
    mass = t * check_positive("film_density_kg_per_m3", film_density_kg_per_m3) / (transfer * utilisation)
    return mass[()] if mass.ndim == 0 else mass


def vacuum_energy_kWh(pump_power_kW, pumped_s, source_power_kW, deposition_s):
    """Electricity of one vacuum run.

    Parameters
    ----------
    pump_power_kW : float or array_like
        Pumps, cooling and controls [kW]
    pumped_s : float or array_like
        Time the pumps run (the whole run) [s]
    source_power_kW : float or array_like
        Sputter or evaporation source power [kW]
    deposition_s : float or array_like
        Time the sources run [s]

    Returns
    -------
    numpy.ndarray or float
        E = (P_pump t_pump + P_source t_dep) / 3600 [kWh]

    Notes
    -----
    No published kWh per m2 was found (research notes A5); the energy is modelled as source power x time
    plus pumping, as the notes suggest.

    References
    ----------
    Research notes A5.

    Examples
    --------
    >>> print(float(vacuum_energy_kWh(15.0, 3600.0, 8.0, 1800.0)))
    19.0
    """
    energy = (check_non_negative("pump_power_kW", pump_power_kW) * check_non_negative("pumped_s", pumped_s)
              + check_non_negative("source_power_kW", source_power_kW)
              * check_non_negative("deposition_s", deposition_s)) / 3600.0
    return energy[()] if energy.ndim == 0 else energy


__all__ = [
    "ALD_PROCESSES", "EVAPORATION_RATES_M_PER_S", "SPUTTER_TARGETS", "TARGET_UTILISATION", "ald_rate_m_per_s",
    "batch_chamber_cycle_s", "dynamic_rate_m2_per_s", "pinhole_density_per_m2", "short_probability",
    "shorted_cell_count",
    "sputter_rate_m_per_s", "target_consumption_kg_per_m2", "vacuum_energy_kWh", "web_speed_m_per_s",
]
