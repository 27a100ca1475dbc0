"""The `batpac` scenario block: BatPaC V5's per-step plant scaling and its fixed-yield mode.

BatPaC (Argonne, V5) gives every process step a baseline labour [h/yr], capital [US$ M] and floor area
[m2] at a baseline plant, and scales each by the step's own volume ratio R and exponent p:
``value = base x R^p`` (cost-notes §1.2; the jbaars/Batt_Sust_Model port, sheets ``baseline_factors``,
``p_values_process``, ``volume_ratio_mapping`` and ``default_manufacturing_rates``). A scenario with this
block prices each station's capital, labour and floor from the BatPaC processes it carries instead of
``capex_usd`` x machines, ``operators_per_shift`` and ``floor_area_m2`` (twin.cost.batpac_scaling).

Fixed-yield mode (cost-notes §1.3): BatPaC's yields are fixed numbers, not physics. Each station's
material is divided by the product of the named BatPaC yields it passes through; the final cell yield
removes that share of the cell pieces at one step (deterministically, in every command).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from twin.scenario.cell import Strict
from twin.scenario.limits import ShortName, StepName
from twin.scenario.quantities import Quantity

# The quantity a process scales with (the port's volume_ratio_mapping)
VolumeDriver = Literal["energy", "total_cells", "positive_electrode_area", "negative_electrode_area",
                       "electrode_area", "positive_active_material", "negative_active_material",
                       "positive_solvent_evaporated", "dry_room"]
PLANT_LEVEL = "plant"

Exponent = Quantity(0.0, 1.5, why_lo="a cost does not fall as a plant grows",
                    why_hi="above 1.5 a cost grows much faster than its volume; BatPaC V5 uses 0.7-0.95")
YieldValue = Quantity(0.0, 1.0, lo_open=True, why_lo="a step with zero yield makes nothing",
                      why_hi="a yield cannot exceed 1")
BaselineVolume = Quantity(0.0, 1e13, lo_open=True, why_lo="a baseline plant makes something",
                          why_hi="above 1e13 per year is no plant")


class CapitalAdjustment(Strict):
    """A BatPaC exception to the volume rule: capital x (quantity / baseline)^exponent, and x ``factor_above``
    when the quantity exceeds ``above`` (cost-notes §1.2: coater/dryer by NMP evaporated per m2, exponent 0.2;
    cell stacking by cell Ah / 68, exponent 0.95; formation by Ah / 68, exponent 0.3, x1.1 above 80 Ah)."""

    quantity: Literal["cell_capacity_Ah", "positive_solvent_kg_per_m2"]
    baseline: Quantity(0, 1e6, lo_open=True, why_lo="a baseline is positive", why_hi="above 1e6 is no cell or coat")
    exponent: Exponent
    above: Quantity(0, 1e6, lo_open=True, why_lo="a threshold is positive",
                    why_hi="above 1e6 is no cell or coat") | None = None
    factor_above: Quantity(0.5, 3, why_lo="below 0.5 is no step change", why_hi="above 3 is no step change") = 1.0


class BatpacProcess(Strict):
    """One BatPaC V5 process step at the baseline plant, and the station (or the plant) that carries it."""

    station: StepName = Field(description="route step whose station carries this process, or 'plant' for "
                                          "plant-wide items (warehouse, building systems, control lab)")
    labour_h_per_year: Quantity(0, 1e8, why_hi="above 1e8 h/yr is 50,000 people on one step")
    capital_usd_million: Quantity(0, 1e5, why_hi="above US$100 bn is no step of a plant")
    floor_area_m2: Quantity(0, 1e7, why_hi="above 10 km2 is no step of a plant")
    labour_exponent: Exponent
    capital_exponent: Exponent
    floor_area_exponent: Exponent
    volume_driver: VolumeDriver
    capital_adjustments: list[CapitalAdjustment] = Field(default_factory=list, max_length=4)


class BatpacBaseline(Strict):
    """The baseline plant the process figures belong to (port sheet ``default_manufacturing_rates``)."""

    energy_kWh_per_year: BaselineVolume
    total_cells_per_year: BaselineVolume
    positive_electrode_m2_per_year: BaselineVolume
    negative_electrode_m2_per_year: BaselineVolume
    positive_active_material_kg_per_year: BaselineVolume
    negative_active_material_kg_per_year: BaselineVolume
    positive_solvent_evaporated_kg_per_year: BaselineVolume


class CellYield(Strict):
    """BatPaC's final cell yield ("cell aging"): that share of the cell pieces survives ``step``."""

    step: StepName
    value: YieldValue


class FixedYields(Strict):
    """BatPaC V5 fixed yields: per station, the named yields its material is divided by; the cell yield."""

    materials: dict[StepName, dict[ShortName, YieldValue]] = Field(default_factory=dict)
    cell: CellYield | None = None


class BatpacPlant(Strict):
    baseline: BatpacBaseline
    processes: dict[ShortName, BatpacProcess] = Field(min_length=1, max_length=64)
    negative_to_positive_area_ratio: Quantity(0.9, 1.3, why_lo="the negative electrode covers the positive",
                                              why_hi="above 1.3 is no overhang a cell design uses") = 1.0
    fixed_yields: FixedYields | None = None


def fixed_cell_yield_at(scenario, step_name: str) -> float | None:
    """The fixed cell yield applied at ``step_name``, or None if that step applies none."""
    block = scenario.batpac
    if block is None or block.fixed_yields is None or block.fixed_yields.cell is None:
        return None
    return block.fixed_yields.cell.value if block.fixed_yields.cell.step == step_name else None


def batpac_problems(scenario) -> list[str]:
    """Station and step names in the `batpac` block that the route does not have."""
    block = scenario.batpac
    if block is None:
        return []
    names = {step.name for step in scenario.route}
    problems = []
    for process, item in block.processes.items():
        if item.station != PLANT_LEVEL and item.station not in names:
            problems.append(f"batpac.processes.{process}.station: '{item.station}' is no route step "
                            f"(or '{PLANT_LEVEL}')")
    if block.fixed_yields is not None:
        for step_name in block.fixed_yields.materials:
            if step_name not in names:
                problems.append(f"batpac.fixed_yields.materials.{step_name}: no route step of that name")
        cell = block.fixed_yields.cell
        if cell is not None and cell.step not in names:
            problems.append(f"batpac.fixed_yields.cell.step: '{cell.step}' is no route step")
    return problems


__all__ = ["PLANT_LEVEL", "BatpacBaseline", "BatpacPlant", "BatpacProcess", "CapitalAdjustment", "CellYield",
           "FixedYields",
           "VolumeDriver", "batpac_problems", "fixed_cell_yield_at"]
