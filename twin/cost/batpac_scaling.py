"""BatPaC V5 per-step volume scaling and fixed yields, priced through the linear cost model.

A scenario's `batpac` block (twin.scenario.batpac_plant) lists BatPaC's process steps with their
baseline labour, capital and floor area. Each is scaled to this plant's design volume with
:func:`twin.cost.scaling_law.scaled_by_exponent` (``base x (volume / base volume)^p``) and charged to the
station that carries it, spread over its machines, so the cost model stays linear in machines
(docs/architecture.md): a station's capital per machine is its scaled capital / its machines.

The design volume follows BatPaC: the plant is sized for ``plant.target_output_GWh_per_year`` of cells
made to the design (twin.cell_output.design_cell_energy_Wh); cells started = good cells / the fixed cell
yield; electrode area = cells started x layers x layer area; active material = area x design loading.

Also here: BatPaC V5's overhead multipliers exactly as the port writes them (cost-notes §1.1), the
reference the twin's own overhead model (twin.cost.overheads) is checked against.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from twin.cost.scaling_law import scaled_by_exponent
from twin.scenario.batpac_plant import PLANT_LEVEL, fixed_cell_yield_at
from twin.scenario.errors import ScenarioError
from twin.seedless import SeedlessCache


@dataclass(frozen=True)
class ScaledProcess:
    """One BatPaC process at this plant's volume."""

    name: str
    station: str
    volume_ratio: float
    labour_h_per_year: float
    capital_usd: float
    floor_area_m2: float


def design_volumes(scenario) -> dict[str, float]:
    """The plant's design volume for each BatPaC driver, per year (kWh, cells, m2, kg)."""
    from process_models.parameters import load_material
    from twin.cell_output import design_capacity_mAh_per_cm2, design_cell_energy_Wh
    from twin.operations import operation_for

    block = scenario.batpac
    energy_kWh = scenario.plant.target_output_GWh_per_year * 1e6
    good_cells = energy_kWh * 1e3 / design_cell_energy_Wh(scenario)
    cells = good_cells / cell_yield(scenario)
    positive_m2 = cells * scenario.cell.format.layers_per_cell * scenario.cell_layer_area_m2
    negative_m2 = positive_m2 * block.negative_to_positive_area_ratio
    cathode = load_material(scenario.cell.cathode.material)
    # loading [kg/m2] = capacity [mAh/cm2 = 10 Ah/m2] / specific capacity [mAh/g = Ah/kg]
    positive_kg = positive_m2 * design_capacity_mAh_per_cm2(scenario) * 10.0 / cathode["specific_capacity_mAh_per_g"]
    solvent_kg_per_sheet = 0.0
    for index, step in enumerate(scenario.route):
        removal = operation_for(step).solvent_removal(scenario, index, step)
        if removal is not None and getattr(step, "layer", None) == "cathode":
            solvent_kg_per_sheet += removal[2]
    solvent_kg = positive_m2 / scenario.sheet_area_m2 * solvent_kg_per_sheet
    return {
        "energy": energy_kWh, "total_cells": cells, "good_cells": good_cells,
        "positive_electrode_area": positive_m2, "negative_electrode_area": negative_m2,
        "positive_active_material": positive_kg,
        "negative_active_material": negative_m2 * _negative_loading_kg_per_m2(scenario),
        "positive_solvent_evaporated": solvent_kg,
    }


def _negative_loading_kg_per_m2(scenario) -> float:
    """Graphite per m^2 of negative electrode (N/P x positive capacity / graphite capacity); 0 without graphite."""
    if scenario.cell.anode.type != "graphite":
        return 0.0
    from twin.operations.slurry_mixing import anode_graphite_kg_per_m2

    return anode_graphite_kg_per_m2(scenario)


def volume_ratios(scenario) -> dict[str, float]:
    """R for every driver: design volume / BatPaC baseline volume (dry room: the larger of cells and area)."""
    base = scenario.batpac.baseline
    volumes = design_volumes(scenario)
    ratios = {
        "energy": volumes["energy"] / base.energy_kWh_per_year,
        "total_cells": volumes["total_cells"] / base.total_cells_per_year,
        "positive_electrode_area": volumes["positive_electrode_area"] / base.positive_electrode_m2_per_year,
        "negative_electrode_area": volumes["negative_electrode_area"] / base.negative_electrode_m2_per_year,
        "electrode_area": ((volumes["positive_electrode_area"] + volumes["negative_electrode_area"])
                           / (base.positive_electrode_m2_per_year + base.negative_electrode_m2_per_year)),
        "positive_active_material": volumes["positive_active_material"] / base.positive_active_material_kg_per_year,
        "negative_active_material": volumes["negative_active_material"] / base.negative_active_material_kg_per_year,
        "positive_solvent_evaporated": (volumes["positive_solvent_evaporated"]
                                        / base.positive_solvent_evaporated_kg_per_year),
    }
    ratios["dry_room"] = max(ratios["total_cells"], ratios["electrode_area"])  # port: max(cells, area)
    return ratios


# processes per scenario without its seed (twin.seedless): the API's seed variants of one scenario (new objects
# sharing every other field) would each scale them again; no BatPaC figure reads the seed
_SCALED: SeedlessCache[tuple[ScaledProcess, ...]] = SeedlessCache(64)


def scaled_processes(scenario) -> tuple[ScaledProcess, ...]:
    """Every BatPaC process of the scenario at its design volume (empty without a `batpac` block)."""
    if scenario.batpac is None:
        return ()
    cached = _SCALED.get(scenario)
    return _SCALED.put(scenario, _scale(scenario)) if cached is None else cached


def design_quantities(scenario) -> dict[str, float]:
    """The design figures BatPaC's capital exceptions read: cell capacity [Ah], NMP evaporated per m2 of positive
    electrode [kg/m2]."""
    from twin.cell_output import design_capacity_mAh_per_cm2

    volumes = design_volumes(scenario)
    area = scenario.cell.format.layers_per_cell * scenario.cell_layer_area_m2
    return {"cell_capacity_Ah": design_capacity_mAh_per_cm2(scenario) * 10.0 * area,
            "positive_solvent_kg_per_m2": volumes["positive_solvent_evaporated"] / volumes["positive_electrode_area"]}


def capital_adjustment_factor(adjustment, value: float) -> float:
    """(value / baseline)^exponent, times ``factor_above`` above the threshold (BatPaC's exceptions)."""
    if value <= 0:
        raise ScenarioError([f"batpac capital adjustment by {adjustment.quantity}: the design has none ({value:g})"])
    factor = float(scaled_by_exponent(1.0, value, adjustment.baseline, adjustment.exponent))
    if adjustment.above is not None and value > adjustment.above:
        factor *= adjustment.factor_above
    return factor


def _scale(scenario) -> tuple[ScaledProcess, ...]:
    ratios = volume_ratios(scenario)
    quantities = design_quantities(scenario)
    scaled = []
    for name, item in scenario.batpac.processes.items():
        ratio = ratios[item.volume_driver]
        if ratio <= 0 or not math.isfinite(ratio):
            raise ScenarioError([f"batpac.processes.{name}.volume_driver: the design makes no "
                                 f"{item.volume_driver.replace('_', ' ')} to scale '{name}' by (volume ratio "
                                 f"{ratio:g}); choose a driver this plant has"])
        capital = float(scaled_by_exponent(item.capital_usd_million * 1e6, ratio, 1.0, item.capital_exponent))
        for adjustment in item.capital_adjustments:
            capital *= capital_adjustment_factor(adjustment, quantities[adjustment.quantity])
        scaled.append(ScaledProcess(
            name=name, station=item.station, volume_ratio=ratio,
            labour_h_per_year=float(scaled_by_exponent(item.labour_h_per_year, ratio, 1.0, item.labour_exponent)),
            capital_usd=capital,
            floor_area_m2=float(scaled_by_exponent(item.floor_area_m2, ratio, 1.0, item.floor_area_exponent)),
        ))
    return tuple(scaled)


def station_totals(scenario, station: str) -> ScaledProcess | None:
    """Summed scaled labour, capital and floor of the processes ``station`` carries; None if it carries none
    (or the scenario has no `batpac` block): then the station's own capex, operators and floor apply."""
    carried = [p for p in scaled_processes(scenario) if p.station == station]
    if not carried:
        return None
    return ScaledProcess(name="+".join(p.name for p in carried), station=station,
                         volume_ratio=carried[0].volume_ratio,
                         labour_h_per_year=math.fsum(p.labour_h_per_year for p in carried),
                         capital_usd=math.fsum(p.capital_usd for p in carried),
                         floor_area_m2=math.fsum(p.floor_area_m2 for p in carried))


def plant_level_totals(scenario) -> ScaledProcess | None:
    """The plant-wide BatPaC processes (warehouse, building systems, control lab...), summed."""
    return station_totals(scenario, PLANT_LEVEL)


def material_yield(scenario, step_name: str) -> float:
    """Product of the fixed BatPaC yields the station's material passes through (1 without them)."""
    block = scenario.batpac
    if block is None or block.fixed_yields is None:
        return 1.0
    return math.prod(block.fixed_yields.materials.get(step_name, {}).values())


def cell_yield(scenario) -> float:
    """BatPaC's final cell yield (1 without the fixed-yield mode)."""
    block = scenario.batpac
    if block is None or block.fixed_yields is None or block.fixed_yields.cell is None:
        return 1.0
    return block.fixed_yields.cell.value


# --- BatPaC V5 overhead multipliers, written as the port writes them (battery_cost.py, cost-notes §1.1) ----

def batpac_overhead_multipliers(rates, equipment_life_years: float = 10.0) -> dict[str, float]:
    """BatPaC V5 factor multipliers: per $ of materials and labour, and per $ of capital / building per year.

    ``rates``: twin.scenario.costs.Overheads. The port's depreciation rate is life/100 (its quirk, equal to
    1/life only at 10 years), buildings at half of it.
    """
    warranty = 1.0 + rates.warranty
    depreciation = equipment_life_years / 100.0
    a = (rates.variable_overhead_on_depreciation + rates.gsa_on_depreciation
         + rates.gsa_on_labour * rates.variable_overhead_on_depreciation + rates.rnd_on_depreciation + 1.0)

    def capital_like(rate: float) -> float:
        b = 1.0 + rates.variable_overhead_on_depreciation * (rates.launch_on_labour
                                                             + rates.working_capital_on_variable_cost) * rate
        return (a * rate + b * rates.profit_on_investment) * warranty

    labour = (1.0 + rates.variable_overhead_on_labour + rates.gsa_on_labour * (1.0 + rates.variable_overhead_on_labour)
              + rates.profit_on_investment * (rates.launch_on_labour * (1.0 + rates.variable_overhead_on_labour)
                                              + rates.working_capital_on_variable_cost
                                              * (1.0 + rates.variable_overhead_on_labour))) * warranty
    materials = (1.0 + rates.profit_on_investment * (rates.launch_on_materials
                                                     + rates.working_capital_on_variable_cost)) * warranty
    return {"materials": materials, "labour": labour, "capital": capital_like(depreciation),
            "building": capital_like(depreciation / 2.0)}


__all__ = ["ScaledProcess", "batpac_overhead_multipliers", "capital_adjustment_factor", "cell_yield",
           "design_quantities",
           "design_volumes", "fixed_cell_yield_at",
           "material_yield", "plant_level_totals", "scaled_processes", "station_totals", "volume_ratios"]
