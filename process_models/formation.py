"""Cell formation and end-of-line self-discharge screening: time, grid energy, Li penetration, OCV drop.

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

from process_models._domain_checks import check_positive

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86400.0
# 1 mAh/cm2 = 3.6 C / 1e-4 m2 = 36,000 C/m2
COULOMB_PER_M2_PER_MAH_PER_CM2 = 36000.0


def formation_time_s(cycles, charge_c_rate_per_h, discharge_c_rate_per_h, shipping_soc, rest_s=0.0):
    """Time a cell occupies a cycler channel [s].

    t = cycles (1/C_ch + 1/C_dis) 3600 + SOC_ship / C_ch 3600 + t_rest: ``cycles`` full constant-current
    charge/discharge cycles, then a charge to the shipping state of charge (assumption: constant
    current throughout; a constant-voltage tail adds to this). C-rates in 1/h, shipping_soc in [0, 1].
    """
    charge = check_positive("charge_c_rate_per_h", charge_c_rate_per_h)
    discharge = check_positive("discharge_c_rate_per_h", discharge_c_rate_per_h)
    return (np.asarray(cycles, dtype=float) * (1.0 / charge + 1.0 / discharge) * SECONDS_PER_HOUR
            + np.asarray(shipping_soc, dtype=float) / charge * SECONDS_PER_HOUR + np.asarray(rest_s, dtype=float))


def formation_grid_energy_J(cell_energy_J, cycles, shipping_soc, charger_efficiency, recovery_fraction):
    """Net grid energy to form one cell [J].

    E_grid = (cycles + SOC_ship) E_cell / eta_charger - r cycles E_cell: every charge draws the cell's
    energy through the charger's efficiency; a regenerative cycler returns a fraction r of each
    discharge to the plant bus (r = 0 for a resistive load that burns it). E_cell [J] is the cell's
    energy at full charge; the round-trip loss in the cell itself is inside r (assumption).
    """
    energy = check_positive("cell_energy_J", cell_energy_J)
    efficiency = check_positive("charger_efficiency", charger_efficiency)
    cycles = np.asarray(cycles, dtype=float)
    return (cycles + np.asarray(shipping_soc, dtype=float)) * energy / efficiency \
        - np.asarray(recovery_fraction, dtype=float) * cycles * energy


def formation_current_density_A_per_m2(areal_capacity_mAh_per_cm2, charge_c_rate_per_h):
    """Charge current density of the formation [A/m2]: j = Q_areal C / 3600 (Q_areal in C/m2)."""
    return (np.asarray(areal_capacity_mAh_per_cm2, dtype=float) * COULOMB_PER_M2_PER_MAH_PER_CM2
            * np.asarray(charge_c_rate_per_h, dtype=float) / SECONDS_PER_HOUR)


def li_penetrates(critical_current_density_A_per_m2, current_density_A_per_m2):
    """True where the charge current density exceeds the sheet's CCD: Li filaments grow through the
    electrolyte (Sharafi et al. 2016; roadmap 2020 s14.2.2). A NaN CCD (not rated) never penetrates."""
    ccd = np.asarray(critical_current_density_A_per_m2, dtype=float)
    with np.errstate(invalid="ignore"):
        return ccd < np.asarray(current_density_A_per_m2, dtype=float)


def ocv_drop_V(leak_current_A, days, capacity_Ah, volts_per_unit_soc):
    """OCV drop of a cell over ``days`` of storage from a leakage current [V].

    dV = I t / (3600 Q) x dV/dSOC: the charge the leak drains, as a fraction of the capacity Q [Ah],
    times the slope of the OCV curve [V per unit SOC] (assumption: linear OCV over the drop).
    """
    capacity = check_positive("capacity_Ah", capacity_Ah)
    return (np.asarray(leak_current_A, dtype=float) * np.asarray(days, dtype=float) * SECONDS_PER_DAY
            / (SECONDS_PER_HOUR * capacity) * np.asarray(volts_per_unit_soc, dtype=float))


__all__ = [
    "formation_current_density_A_per_m2", "formation_grid_energy_J", "formation_time_s", "li_penetrates",
    "ocv_drop_V",
]
