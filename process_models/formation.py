"""Cell formation and end-of-line self-discharge screening: time, grid energy, Li penetration, OCV drop,
and the Li an anode-free cell loses plating its anode.

Pure numpy, SI units (or the unit in the name). Formation is the first controlled charge/discharge of
an assembled cell; ageing is the storage that follows, at whose end the open-circuit voltage (OCV)
drift K = dOCV/dt screens out cells with a high self-discharge (thin-film-and-inspection notes B5:
"self-discharge screen K = dOCV/dt", ageing "up to 3 weeks", World Electr. Veh. J. 14 (2023) 96).

In a Li-metal solid-state cell a charge current above the electrolyte's critical current density
(CCD) drives Li filaments into the separator (Sharafi et al., J. Power Sources 302 (2016) 135;
roadmap 2020 s14.2.2); a filament that bridges it is a soft short, whose leakage the OCV screen sees.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_non_negative, check_positive, check_range

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86400.0
# 1 mAh/cm2 = 3.6 C / 1e-4 m2 = 36,000 C/m2
COULOMB_PER_M2_PER_MAH_PER_CM2 = 36000.0


def formation_time_s(cycles, charge_c_rate_per_h, discharge_c_rate_per_h, shipping_soc, rest_s=0.0):
    """Time a cell occupies a cycler channel during formation.

    Parameters
    ----------
    cycles : float or array_like
        Full charge/discharge cycles [-]
    charge_c_rate_per_h, discharge_c_rate_per_h : float or array_like
        Constant-current charge and discharge rates [1/h]
    shipping_soc : float or array_like
        State of charge the cell leaves at [-]
    rest_s : float or array_like
        Rests on the channel [s]

    Returns
    -------
    numpy.ndarray or float
        Channel time t [s]

    Notes
    -----
    t = cycles (1/C_ch + 1/C_dis) 3600 + SOC_ship / C_ch 3600 + t_rest (assumption: constant current
    throughout; a constant-voltage tail adds to this).

    References
    ----------
    Formation protocols of hours to days: Weng et al., arXiv:2203.14158 (2021); thin-film notes B5.

    Examples
    --------
    >>> print(f"{float(formation_time_s(1, 0.05, 0.1, 0.3, 3600.0)) / 3600:.1f}")
    37.0
    """
    charge = check_positive("charge_c_rate_per_h", charge_c_rate_per_h)
    discharge = check_positive("discharge_c_rate_per_h", discharge_c_rate_per_h)
    return (np.asarray(cycles, dtype=float) * (1.0 / charge + 1.0 / discharge) * SECONDS_PER_HOUR
            + np.asarray(shipping_soc, dtype=float) / charge * SECONDS_PER_HOUR + np.asarray(rest_s, dtype=float))


def formation_grid_energy_J(cell_energy_J, cycles, shipping_soc, charger_efficiency, recovery_fraction):
    """Net grid energy to form one cell.

    Parameters
    ----------
    cell_energy_J : float or array_like
        Energy of the cell at full charge [J]
    cycles : float or array_like
        Full charge/discharge cycles [-]
    shipping_soc : float or array_like
        State of charge the cell leaves at [-]
    charger_efficiency : float or array_like
        Grid-to-cell efficiency of a charging channel [-]
    recovery_fraction : float or array_like
        Share of each discharge a regenerative cycler returns to the plant bus; 0 for a resistive load [-]

    Returns
    -------
    numpy.ndarray or float
        Net grid energy E_grid [J]

    Notes
    -----
    E_grid = (cycles + SOC_ship) E_cell / eta_charger - r cycles E_cell: every charge draws the cell's
    energy through the charger; the discharges return r of theirs (the cell's own round-trip loss is
    taken inside r: assumption).

    References
    ----------
    Regenerative formation systems recover 40-60 % of the discharge energy (atomfair.com, "Energy
    recovery technologies in battery formation", secondary source).

    Examples
    --------
    >>> print(f"{float(formation_grid_energy_J(100.0, 1, 0.3, 0.9, 0.5)):.2f}")
    94.44
    """
    energy = check_positive("cell_energy_J", cell_energy_J)
    efficiency = check_positive("charger_efficiency", charger_efficiency)
    cycles = np.asarray(cycles, dtype=float)
    return (cycles + np.asarray(shipping_soc, dtype=float)) * energy / efficiency \
        - np.asarray(recovery_fraction, dtype=float) * cycles * energy


def formation_current_density_A_per_m2(areal_capacity_mAh_per_cm2, charge_c_rate_per_h):
    """Charge current density of the formation through the electrolyte.

    Parameters
    ----------
    areal_capacity_mAh_per_cm2 : float or array_like
        The sheet's areal capacity [mAh/cm^2]
    charge_c_rate_per_h : float or array_like
        Charge rate [1/h]

    Returns
    -------
    numpy.ndarray or float
        Current density j [A/m^2]

    Notes
    -----
    j = Q_areal C / 3600, with Q_areal in C/m^2 (1 mAh/cm^2 = 36,000 C/m^2).

    References
    ----------
    Definition of the C-rate; compare with the CCD of Sharafi et al., J. Power Sources 302 (2016) 135.

    Examples
    --------
    >>> print(f"{float(formation_current_density_A_per_m2(3.5, 0.05)):.3f}")
    1.750
    """
    return (np.asarray(areal_capacity_mAh_per_cm2, dtype=float) * COULOMB_PER_M2_PER_MAH_PER_CM2
            * np.asarray(charge_c_rate_per_h, dtype=float) / SECONDS_PER_HOUR)


# Share of the Li an anode-free cell's first charge plates that never returns to the cathode: 8.2 %, the whole
# first-cycle loss of the one anode-free solid-state cell whose first cycle could be read. Lee et al., Nat. Energy
# 5 (2020) 299, Supplementary Fig. 7 (Ag-C interlayer on a stainless collector, Li6PS5Cl, LZO-coated NMC90;
# 0.1 C charge to 4.25 V, 0.2 C discharge, 60 C): ~233 mAh/g charged, ~214 discharged, 1 - 214/233 = 0.082; the
# same cell without the Ag-C layer ~217 (6.9 %); the 0.6 Ah pouch of their Fig. 6d ~690 / ~630 mAh (8.7 %).
# Figure-read values (+-3 mAh/g, +-1.5 points) as transcribed in a public paper digest, not printed numbers.
# The 8.2 % includes the cathode's own first-cycle irreversibility, which Q_stored (a practical discharge
# capacity) already leaves out, so the Li the anode alone loses is at most this: an upper bound, taken whole.
# Applied to the anode_free scenario's bare Cu collector on Ta-LLZO as an assumption: no garnet value was
# readable (Wang et al., Nat. Commun. 11 (2020), doi 10.1038/s41467-020-19004-4, Li plated through LLZO: "high"
# efficiencies, no first-cycle number in the abstract); a garnet does not decompose against Li as Li6PS5Cl does,
# so its interphase may take less, its voids on stripping more. Was 10 %, from memory [R] (round 10;
# docs/calibration/cell_capacity.md "Sources searched"). Sensitivity (evaluate, anode_free): 0.05 / 0.10 / 0.15
# give 1,003.8 / 1,059.5 / 1,121.8 USD/kWh, 20.83 / 19.73 / 18.64 Wh per cell (the line misses its 0.1 GWh/yr
# target at 0.15).
ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION = 0.082


def cyclable_capacity_after_formation_mAh_per_cm2(charged_capacity_mAh_per_cm2, first_cycle_li_loss_fraction):
    """Capacity an anode-free cell cycles after its first charge has plated the anode.

    Parameters
    ----------
    charged_capacity_mAh_per_cm2 : float or array_like
        Capacity the cathode gives up on the first charge [mAh/cm^2]
    first_cycle_li_loss_fraction : float or array_like
        Share of that Li that the first plating binds for good (interphase, isolated Li), in [0, 1) [-]

    Returns
    -------
    numpy.ndarray or float
        Cyclable areal capacity Q_cyc [mAh/cm^2]

    Notes
    -----
    Q_cyc = Q_1 (1 - f): every Li the cell cycles comes from the cathode (no Li in the anode), so the Li
    lost in formation leaves the cathode that much short of Li on every later discharge. With a Li-metal
    anode the excess Li pays for the loss and Q_cyc = Q_1.

    References
    ----------
    2020 SSB roadmap §14.2.2 (anode-free cells plate Li in situ at the first charge) and its ref. [129]
    (Qian et al., Adv. Funct. Mater. 26 (2016) 7094); Lee et al., Nat. Energy 5 (2020) 299.

    Examples
    --------
    >>> print(f"{float(cyclable_capacity_after_formation_mAh_per_cm2(2.0, 0.1)):.2f}")
    1.80
    """
    capacity = check_non_negative("charged_capacity_mAh_per_cm2", charged_capacity_mAh_per_cm2)
    loss = check_range("first_cycle_li_loss_fraction", first_cycle_li_loss_fraction, 0.0, 1.0, high_inclusive=False)
    return capacity * (1.0 - loss)


def li_penetrates(critical_current_density_A_per_m2, current_density_A_per_m2):
    """Whether the charge current drives Li filaments through the electrolyte.

    Parameters
    ----------
    critical_current_density_A_per_m2 : float or array_like
        The sheet's critical current density; NaN where not rated [A/m^2]
    current_density_A_per_m2 : float or array_like
        Charge current density [A/m^2]

    Returns
    -------
    numpy.ndarray or bool
        True where j > CCD (a NaN CCD never penetrates) [-]

    Notes
    -----
    Above the CCD, Li plated at the anode interface grows as filaments through the separator; a
    filament that bridges it is a soft short.

    References
    ----------
    Sharafi et al., J. Power Sources 302 (2016) 135; roadmap 2020 s14.2.2.

    Examples
    --------
    >>> li_penetrates([2.0, 1.5, float("nan")], 1.75).tolist()
    [False, True, False]
    """
    ccd = np.asarray(critical_current_density_A_per_m2, dtype=float)
    with np.errstate(invalid="ignore"):
        return ccd < np.asarray(current_density_A_per_m2, dtype=float)


def ocv_drop_V(leak_current_A, days, capacity_Ah, volts_per_unit_soc):
    """Open-circuit-voltage drop of a stored cell from a leakage current.

    Parameters
    ----------
    leak_current_A : float or array_like
        Leakage (self-discharge) current [A]
    days : float or array_like
        Storage time [day]
    capacity_Ah : float or array_like
        Cell capacity [Ah]
    volts_per_unit_soc : float or array_like
        Slope of the OCV curve over the drop [V]

    Returns
    -------
    numpy.ndarray or float
        OCV drop dV [V]

    Notes
    -----
    dV = I t / (3600 Q) dV/dSOC: the charge the leak drains as a fraction of the capacity, times the
    OCV slope (assumption: linear OCV over the drop).

    References
    ----------
    Self-discharge screen K = dOCV/dt and ageing up to 3 weeks (thin-film notes B5; World Electr. Veh.
    J. 14 (2023) 96).

    Examples
    --------
    >>> print(f"{float(ocv_drop_V(190e-6, 14, 9.3, 0.5)) * 1e3:.2f}")
    3.43
    """
    capacity = check_positive("capacity_Ah", capacity_Ah)
    return (np.asarray(leak_current_A, dtype=float) * np.asarray(days, dtype=float) * SECONDS_PER_DAY
            / (SECONDS_PER_HOUR * capacity) * np.asarray(volts_per_unit_soc, dtype=float))


__all__ = [
    "ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION", "cyclable_capacity_after_formation_mAh_per_cm2",
    "formation_current_density_A_per_m2", "formation_grid_energy_J", "formation_time_s", "li_penetrates",
    "ocv_drop_V",
]
