"""Process-based cost model (BatPaC-style categories), linear in machines and sheet flows.

Contract (docs/architecture.md): :func:`annual_cost`, :func:`station_fixed_cost_per_machine`,
:func:`step_variable_cost_per_sheet`, :func:`plant_fixed_cost`; annual cost is exactly
sum(machines x fixed) + sum(sheets entering x variable) + plant fixed.
"""

from twin.cost.breakdown import CostBreakdown, annual_cost
from twin.cost.linear_model import (
    CATEGORIES,
    capital_recovery_factor,
    plant_fixed_cost,
    station_fixed_cost_per_machine,
    step_variable_cost_per_sheet,
)

__all__ = [
    "CATEGORIES",
    "CostBreakdown",
    "annual_cost",
    "capital_recovery_factor",
    "plant_fixed_cost",
    "station_fixed_cost_per_machine",
    "step_variable_cost_per_sheet",
]
