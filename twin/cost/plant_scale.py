"""How $/kWh falls with plant output: the line's stations sized to each target with whole machines.

The cost model is linear in machines, so economies of scale come from indivisibility: a plant of
0.1 GWh/yr still needs one whole caster, one inspection station, one packaging line, each partly idle.
As output grows, ceil(required rate / rate per machine) approaches the exact ratio and the fixed cost
per kWh approaches its floor. (BatPaC V5 gets the same effect from capital exponents of 0.9-0.95,
cost-notes §1.2; here it follows from the machines themselves.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.capacity import station_timings
from twin.cost.breakdown import annual_cost
from twin.cost.line_flow import LineOutput, sized_line_flow
from twin.scenario import Scenario


@dataclass(frozen=True)
class ScalePoint:
    target_GWh_per_year: float
    usd_per_kwh: float
    capex_usd: float
    machines_total: int
    by_category_usd_per_kwh: dict[str, float]
    bottleneck: str


def default_targets_GWh(scenario: Scenario) -> list[float]:
    """Log-spaced outputs from a tenth of the scenario target to 50 GWh/yr (BatPaC V5 baseline plant)."""
    low = max(scenario.plant.target_output_GWh_per_year / 10.0, 1e-3)
    return [float(x) for x in np.geomspace(low, max(50.0, low * 10), 12)]


def cost_versus_scale(scenario: Scenario, step_yield: dict[str, float],
                      targets_GWh_per_year: list[float] | None = None,
                      output: LineOutput | None = None) -> list[ScalePoint]:
    """$/kWh of plants sized for each target output, with the scenario's recipe, step yields and the
    output per sheet (good and escaped pieces, delivered energy) that recipe makes."""
    targets = default_targets_GWh(scenario) if targets_GWh_per_year is None else targets_GWh_per_year
    timings = station_timings(scenario)
    points = []
    for target in targets:
        flow = sized_line_flow(scenario, step_yield, target, timings=timings, output=output)
        cost = annual_cost(flow.operation)
        points.append(ScalePoint(
            target_GWh_per_year=float(target), usd_per_kwh=cost.usd_per_kwh, capex_usd=cost.capex_usd,
            machines_total=int(sum(flow.operation.machines.values())),
            by_category_usd_per_kwh=cost.by_category_usd_per_kwh, bottleneck=flow.bottleneck,
        ))
    return points


__all__ = ["ScalePoint", "cost_versus_scale", "default_targets_GWh"]
