"""The thin-film figures of a scenario's cell: cells per substrate, pinhole short risk, vacuum energy per m2.

Nominal (design) figures that the ``cell`` result block carries for a cell made on a substrate
(``cell.substrate``): what a planner of a vacuum line reads beside capacity per area and cost per cell.
The pinhole short probability is the design's (electrolyte at its design thickness); the shorts the
plant actually made and screened are in the yield (pieces lost) and the escapes.
"""

from __future__ import annotations

from twin.capacity import station_timing
from twin.operations import operation_for
from twin.scenario import Scenario


def thin_film_block(scenario: Scenario) -> dict | None:
    """``{substrate, cells_per_substrate, cell_area_cm2, pinhole_short_probability_per_cell,
    vacuum_kwh_per_m2: {station: kWh per m2 of substrate}}``; None for a cell without a substrate."""
    substrate = scenario.cell.substrate
    if substrate is None:
        return None
    survive = 1.0
    vacuum_kwh_per_m2 = {}
    for step in scenario.route:
        station = scenario.line.stations[step.name]
        if station.vacuum is not None:
            timing = station_timing(scenario, step.name)
            vacuum_kwh_per_m2[step.name] = timing.energy_kWh_per_sheet / scenario.sheet_area_m2
        # independent layers' pinholes (each deposition its own Poisson field): a cell survives them all
        survive *= 1.0 - operation_for(step).short_probability_per_cell(scenario, step)
    short = 1.0 - survive
    return {
        "substrate": f"{substrate.material} {substrate.thickness_um:g} um",
        "cells_per_substrate": scenario.cell.format.cells_per_sheet,
        "cell_area_cm2": scenario.cell_layer_area_m2 * 1e4,
        "pinhole_short_probability_per_cell": short,
        "vacuum_kwh_per_m2": vacuum_kwh_per_m2,
    }


def thin_film_sentence(block: dict | None) -> str | None:
    """One line for the terminal and the report; None without a thin-film block."""
    if not block:
        return None
    energy = ", ".join(f"{name} {kwh:.3g}" for name, kwh in block["vacuum_kwh_per_m2"].items())
    return (f"Thin film on {block['substrate']}: {block['cells_per_substrate']:g} cells of "
            f"{block['cell_area_cm2']:.3g} cm2 per substrate; design pinhole short risk "
            f"{block['pinhole_short_probability_per_cell'] * 100:.2f} % per cell; vacuum energy, kWh per m2 of "
            f"substrate: {energy or 'none'}.")


__all__ = ["thin_film_block", "thin_film_sentence"]
