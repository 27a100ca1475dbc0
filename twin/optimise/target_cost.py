"""A trial line's cost per kWh at the plant's target output, so an inspection choice does not reward overshoot.

Each inspection trial is priced on a line sized for its method (twin.optimise.method_sizing) with whole
machines, so one method's line may make 17 % more than the target and another's 1 % more. Divided by each line's
own output, the fixed cost of the first is spread over cells nobody asked for and it looks cheaper per kWh
(oxide_baseline kept its 50 um X-ray on a 7-kiln line that way). A planner asked for the target: the line is
bought and staffed as sized, but it runs only the sheets the target's good cells need.

evaluate's annual cost is exactly machines x fixed cost per machine + sheets x variable cost per sheet + plant
fixed cost (twin.cost.annual_cost); the escapes and the recycling credit go with the sheets too. At fixed yields
every sheet flow is proportional to the good output, so the line's annual cost for the target's cells is

    C_target = F + V x E_at / E_own,   E_at = min(E_own, E_target)

with F the fixed part [USD/yr] (machines and plant, whatever the line makes), V the rest [USD/yr], E_own the
line's own good output and E_target the target [kWh/yr]; the cost at the target is C_target / E_at [USD/kWh]. A
line that makes less than the target is priced at its own output (it cannot make more), so a shortfall never reads
cheaper than its own figure. The MILP sizes every design at the target the same way (its objective is fixed
cost per machine plus variable cost per sheet at the flows the target needs, twin.optimise.model).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from twin.cost import plant_fixed_cost, station_fixed_cost_per_machine
from twin.evaluate import Evaluation

# One definition for every table and sentence that says "at the target" (the inspection choice, the start beside
# the design, the MILP against evaluate)
DEFINITION = ("the line as sized (its machines and plant owned and staffed whole) making only the plant's target: "
              "fixed cost / min(own output, target) + flow cost / own output")


@dataclass(frozen=True)
class TargetCost:
    """A line's annual cost split into its fixed and its flow-bound parts, and its cost at the target."""

    fixed_usd_per_year: float        # machines' and plant's cost: owned and staffed whatever the line makes
    variable_usd_per_year: float     # the rest, at the line's own output (sheets, escapes, recycling credit)
    own_kwh_per_year: float          # the line's good output as evaluate runs it (at its capacity)
    target_kwh_per_year: float

    @property
    def kwh_at_target_per_year(self) -> float:
        """The good output the line is asked for: the target, or all it makes when that is less [kWh/yr]."""
        return min(self.own_kwh_per_year, self.target_kwh_per_year)

    @property
    def usd_per_kwh_at_target(self) -> float | None:
        """F / E_at + V / E_own [USD/kWh]; None when the line makes no good cell."""
        if not self.own_kwh_per_year > 0 or not self.target_kwh_per_year > 0:
            return None
        return (self.fixed_usd_per_year / self.kwh_at_target_per_year
                + self.variable_usd_per_year / self.own_kwh_per_year)

    @property
    def surplus_fraction(self) -> float | None:
        """How far the line's own output lies above the target (negative: below), relative to the target."""
        if not self.target_kwh_per_year > 0:
            return None
        return self.own_kwh_per_year / self.target_kwh_per_year - 1.0

    def as_dict(self) -> dict:
        """The JSON block: the cost at the target [USD/kWh] and the parts it is made of."""
        return {"usd_per_kwh": self.usd_per_kwh_at_target, "fixed_usd_per_year": self.fixed_usd_per_year,
                "variable_usd_per_year": self.variable_usd_per_year,
                "kwh_at_target_per_year": self.kwh_at_target_per_year, "own_kwh_per_year": self.own_kwh_per_year,
                "definition": DEFINITION}


def fixed_cost_usd_per_year(evaluation: Evaluation) -> float:
    """The part of evaluate's annual cost no sheet flow changes: each station's machines x its yearly cost per
    machine (twin.cost.station_fixed_cost_per_machine) plus the plant's fixed cost (twin.cost.plant_fixed_cost)
    [USD/yr]."""
    operation = evaluation.flow.operation
    scenario = operation.scenario
    stations = math.fsum(operation.machines[step.name] * math.fsum(station_fixed_cost_per_machine(
        scenario, step.name).values()) for step in scenario.route)
    return stations + math.fsum(plant_fixed_cost(scenario).values())


def cost_at_target(evaluation: Evaluation, target_GWh_per_year: float) -> TargetCost:
    """The line of ``evaluation`` priced for ``target_GWh_per_year`` of good cells (see the module's equation)."""
    fixed = fixed_cost_usd_per_year(evaluation)
    return TargetCost(fixed_usd_per_year=fixed, variable_usd_per_year=evaluation.cost.total_usd_per_year - fixed,
                      own_kwh_per_year=float(evaluation.cost.kwh_per_year),
                      target_kwh_per_year=float(target_GWh_per_year) * 1e6)


__all__ = ["DEFINITION", "TargetCost", "cost_at_target", "fixed_cost_usd_per_year"]
