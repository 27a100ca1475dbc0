"""The capacity grading's tester: how long a cell holds a channel, what the channels draw and what they cost.

Charge rate. A tester charges a cell at the rate the cell is rated to charge (``cell.rating.charge_c_rate_per_h``;
without one, the rated discharge rate, the basis twin.cell_rating's charge sentence checks), and measures the
discharge at the rated discharge rate (``cell.rating.c_rate_per_h``), the rate the capacity is rated at. The
charge limit is the design's, not each lot's: a tester runs one protocol per product, fixed when the product is
qualified, and the station's time per cell must be known before any lot is made (evaluate and the plant size the
testers on it). Whether the graded sheets' critical current density allows that rate is told by the charge
sentence (twin.cell_rating.charge_limit_sentence) and the grading sentence (twin.capacity_grading), and each
library line that grades is rated below the slowest of its sampled sheets' limits (tests check it).

Channel time per cell [h] (a full charge from empty with its constant-voltage tail, the measuring discharge,
the recharge to the shipping state, which ends below the charge voltage so needs no tail, and the rests):

    t = (1 + f_CV) / C_ch + 1 / C_dis + SOC_ship / C_ch + t_rest

f_CV (``cv_taper_fraction``) is the constant-voltage tail as a share of the constant-current charge time.

Power. A machine's channels charge cells of energy E at C_ch through chargers of efficiency eta: while they all
charge it draws P_peak = n E C_ch / eta plus its standby (``idle_power_kW``: climate, controls). Its energy per
cell is the formation's grid balance for one cycle (process_models.formation.formation_grid_energy_J):

    E_grid = (1 + SOC_ship) E / eta - r E          (r: the share of the discharge a regenerative channel returns)

so its average power while testing is P_run = standby + n E_grid / t (twin.capacity prices it per sheet).

Price. A channel's price scales with the cell's capacity as BatPaC V5 scales formation capital:
price = p_ref (Ah / Ah_ref)^0.3, x 1.1 above 80 Ah (cost-notes §1.2, BatPaC V5 in the jbaars port); the machine
costs its station's ``capex_usd`` (frame, racks) plus its channels.
"""

from __future__ import annotations

import math

from process_models.formation import formation_grid_energy_J
from twin.scenario import Scenario

# BatPaC V5's formation capital takes a further x1.1 for cells above 80 Ah (cost-notes §1.2)
LARGE_CELL_AH = 80.0
LARGE_CELL_FACTOR = 1.1


def grading_charge_c_rate_per_h(scenario: Scenario) -> float:
    """The rate the tester charges at [1/h]: the cell's rated charge, else its rated discharge rate."""
    rating = scenario.cell.rating
    return rating.charge_c_rate_per_h if rating.charge_c_rate_per_h is not None else rating.c_rate_per_h


def grading_charge_basis(scenario: Scenario) -> str:
    """Why the tester charges at that rate (the field it comes from), for the grading sentence."""
    if scenario.cell.rating.charge_c_rate_per_h is not None:
        return "the cell's rated charge, cell.rating.charge_c_rate_per_h"
    return "the rated discharge rate, as no cell.rating.charge_c_rate_per_h is given"


def channel_hours(scenario: Scenario, grading) -> float:
    """Hours one cell holds a channel [h]: (1 + f_CV) / C_ch + 1 / C_dis + SOC_ship / C_ch + rests."""
    charge = grading_charge_c_rate_per_h(scenario)
    discharge = scenario.cell.rating.c_rate_per_h
    return ((1.0 + grading.cv_taper_fraction) / charge + 1.0 / discharge + grading.shipping_soc / charge
            + grading.rest_h)


def design_cell_Ah(scenario: Scenario) -> float:
    """Capacity of a cell made to the design [Ah]: its design energy over its nominal voltage."""
    from twin.cell_output import design_cell_energy_Wh  # twin.cell_output imports the operations

    return design_cell_energy_Wh(scenario) / scenario.cell.format.nominal_voltage_V


def tester_channels(step) -> int:
    """Channels one machine of the grading check holds cells on: the grading's own, else its tester's."""
    channels = step.capacity_grading.channels_per_machine
    return int(step.method.channels_per_machine if channels is None else channels)


def grid_kWh_per_cell(scenario: Scenario, grading) -> float:
    """Net grid energy to grade one cell [kWh]: (1 + SOC_ship) E / eta - r E (one full cycle and the recharge)."""
    from twin.cell_output import design_cell_energy_Wh

    return float(formation_grid_energy_J(design_cell_energy_Wh(scenario) * 3600.0, 1.0, grading.shipping_soc,
                                         grading.charger_efficiency, grading.recovery_fraction)) / 3.6e6


def peak_power_kW(scenario: Scenario, step, station) -> float:
    """A machine's draw while every channel charges [kW]: n E C_ch / eta + standby."""
    from twin.cell_output import design_cell_energy_Wh

    grading = step.capacity_grading
    return (tester_channels(step) * design_cell_energy_Wh(scenario) * 1e-3 * grading_charge_c_rate_per_h(scenario)
            / grading.charger_efficiency + station.idle_power_kW)


def run_power_kW(scenario: Scenario, step, station) -> float:
    """A machine's average draw while it tests [kW]: standby + n E_grid / (cell's whole hold on the channel).

    The hold includes the end-of-line test's own time when the grading shares its channels (the short test's
    microamps draw nothing worth counting beside the standby)."""
    grading = step.capacity_grading
    hold_h = channel_hours(scenario, grading)
    if grading.channels_per_machine is None and step.method is not None:
        hold_h += step.method.test_time_h
    return station.idle_power_kW + tester_channels(step) * grid_kWh_per_cell(scenario, grading) / hold_h


def channel_price_usd(scenario: Scenario, grading) -> float | None:
    """Price of one channel for this cell [USD]: p_ref (Ah / Ah_ref)^b, x 1.1 above 80 Ah; None without a price."""
    if grading.channel_price_usd is None:
        return None
    capacity_Ah = design_cell_Ah(scenario)
    price = grading.channel_price_usd * (capacity_Ah / grading.channel_price_reference_Ah) \
        ** grading.channel_price_Ah_exponent
    return price * (LARGE_CELL_FACTOR if capacity_Ah > LARGE_CELL_AH else 1.0)


def with_channel_price(scenario: Scenario, step_name: str, station):
    """``station`` priced with its grading channels (its capex_usd plus channels x channel price), or as it is."""
    step = next((s for s in scenario.route if s.name == step_name), None)
    grading = getattr(step, "capacity_grading", None)
    if grading is None or grading.channel_price_usd is None:
        return station
    price = channel_price_usd(scenario, grading)
    return station.model_copy(update={"capex_usd": station.capex_usd + tester_channels(step) * price})


def tester_figures(scenario: Scenario, step) -> dict:
    """The grading tester's figures for the result block and its sentence."""
    grading = step.capacity_grading
    station = scenario.line.stations[step.name]
    hold_h = channel_hours(scenario, grading)
    shared = grading.channels_per_machine is None and step.method is not None
    price = channel_price_usd(scenario, grading)
    return {
        "channel_hours_per_cell": hold_h,
        "other_test_hours_per_cell": step.method.test_time_h if shared else 0.0,
        "charge_c_rate_per_h": grading_charge_c_rate_per_h(scenario),
        "charge_basis": grading_charge_basis(scenario),
        "discharge_c_rate_per_h": scenario.cell.rating.c_rate_per_h,
        "cv_taper_fraction": grading.cv_taper_fraction,
        "channels_per_machine": tester_channels(step),
        "machines": int(station.machines),
        "cell_energy_wh": design_cell_Ah(scenario) * scenario.cell.format.nominal_voltage_V,
        "cell_capacity_Ah": design_cell_Ah(scenario),
        "peak_power_kW_per_machine": peak_power_kW(scenario, step, station),
        "grid_kWh_per_cell": grid_kWh_per_cell(scenario, grading),
        "channel_price_usd": price,
        "sheets_per_cell": float(scenario.sheets_per_cell),
    }


def tester_sentence(check: str, tester: dict, station: dict | None, cell: dict | None) -> str:
    """What the grading asks of its tester: the channel time per cell and why (the rates and their basis), the
    channels and testers the line's flow needs, the power a tester draws and what a channel costs.

    ``station``: the result's station block of the check (its machines, utilisation and capacity); ``cell``: the
    result's cell block (the CCD's charge limit on the good cells)."""
    from twin.cell_rating import c_rate_text

    charge = c_rate_text(tester["charge_c_rate_per_h"])
    hold = tester["channel_hours_per_cell"]
    other = tester["other_test_hours_per_cell"]
    sentence = (f"Capacity grading at {check}: each cell holds a tester channel {hold:.3g} h "
                f"(a full charge at {charge}, "
                f"{tester['charge_basis']}, with a {tester['cv_taper_fraction'] * 100:.3g} % constant-voltage tail; "
                f"the measuring discharge at {c_rate_text(tester['discharge_c_rate_per_h'])}, the rate the capacity is "
                f"rated at; the recharge to the shipping state and the rests)")
    if other > 0.0:
        sentence += f" on top of the {other:.3g} h end-of-line test"
    limit = (cell or {}).get("max_charge_c_rate_per_h") or {}
    if limit.get("p5") is not None:
        verdict = "above" if tester["charge_c_rate_per_h"] > limit["p5"] else "within"
        sentence += (f"; the cells' critical current density allows {c_rate_text(limit['mean'], at_most=True)} on "
                     f"average, {c_rate_text(limit['p5'], at_most=True)} for the weakest 5 %, so {charge} is {verdict} "
                     "what they take")
    per_machine = tester["channels_per_machine"]
    if station and station.get("utilization") is not None and station.get("capacity_sheets_per_hour"):
        cells_per_h = station["capacity_sheets_per_hour"] * station["utilization"] / tester["sheets_per_cell"]
        busy = cells_per_h * (hold + other)
        needed = machines_needed(busy, per_machine, station.get("availability") or 1.0)
        sentence += (f". The line's {cells_per_h:,.0f} cells an hour hold {busy:,.0f} channels at once: at least "
                     f"{needed} testers of {per_machine} channels (the line has {station['machines']}, "
                     f"{station['utilization'] * 100:.0f} % loaded)")
    sentence += (f". A tester draws up to {tester['peak_power_kW_per_machine']:.3g} kW while its channels charge "
                 f"({tester['cell_energy_wh']:.3g} Wh cells at {charge}, with its standby) and "
                 f"{tester['grid_kWh_per_cell'] * 1e3:.3g} Wh from the grid per cell")
    if tester["channel_price_usd"] is not None:
        sentence += (f"; a channel for this {tester['cell_capacity_Ah']:.3g} Ah cell costs "
                     f"{tester['channel_price_usd']:,.0f} USD")
    return sentence + "."


def machines_needed(channels_busy: float, channels_per_machine: int, availability: float) -> int:
    """Machines whose available channels hold ``channels_busy`` cells at once: ceil(busy / (n A))."""
    if channels_busy <= 0.0:
        return 0
    return math.ceil(channels_busy / (channels_per_machine * availability) - 1e-9)


__all__ = ["channel_hours", "channel_price_usd", "design_cell_Ah", "grading_charge_basis",
           "grading_charge_c_rate_per_h", "grid_kWh_per_cell", "machines_needed", "peak_power_kW", "run_power_kW",
           "tester_channels", "tester_figures", "tester_sentence", "with_channel_price"]
