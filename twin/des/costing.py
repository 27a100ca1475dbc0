"""Price what the plant model measured: a :class:`twin.operation.PlantOperation` for ``twin.cost``.

Measured flows, energy and utilisation are scaled from the measured shift hours to a year
(``twin.capacity.operating_hours_per_year``), so the ``cost`` block means the same as in ``evaluate``.
"""

from __future__ import annotations

from twin.capacity import operating_hours_per_year
from twin.cost.breakdown import annual_cost, energy_figures
from twin.operation import PlantOperation
from twin.scenario import Scenario


def measured_operation(scenario: Scenario, kpis: dict) -> PlantOperation:
    """The operation the replication measured, per year."""
    scale = kpis["measured"]["annual_scale"]
    stations = kpis["stations"]
    return PlantOperation(
        scenario=scenario,
        operating_hours_per_year=operating_hours_per_year(scenario),
        machines={name: int(values["machines"]) for name, values in stations.items()},
        sheets_in_per_year={name: values["sheets_in"] * scale for name, values in stations.items()},
        sheets_good_out_per_year={name: values["sheets_good_out"] * scale for name, values in stations.items()},
        good_cells_per_year=kpis["throughput"]["good_cells_per_year"],
        cell_energy_Wh=kpis["throughput"]["cell_energy_wh"],
        energy_kWh_per_year={name: values["energy_kwh"] * scale for name, values in stations.items()},
        utilization={name: values["utilization"] for name, values in stations.items()},
        escaped_cells_per_year=kpis["throughput"].get("escaped_cells_per_year", 0.0),
        escaped_cells_by_step=dict(kpis["throughput"].get("escaped_cells_by_step_per_year", {})),
        cellmate_sheets_per_year=kpis["throughput"].get("cellmate_sheets_per_year", 0.0),
        single_piece_sheets_per_year={name: values.get("single_piece_sheets", 0.0) * scale
                                      for name, values in stations.items()},
    )


def add_cost(scenario: Scenario, kpis: dict) -> dict:
    """Add ``cost`` and ``energy_kwh_per_kwh`` to a replication's KPIs (in place; returned)."""
    operation = measured_operation(scenario, kpis)
    kpis["cost"] = annual_cost(operation).result_block()
    kpis["energy_kwh_per_kwh"], kpis["energy"] = energy_figures(operation)
    return kpis


__all__ = ["add_cost", "measured_operation"]
