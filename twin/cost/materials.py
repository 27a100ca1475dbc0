"""Bill of materials per sheet entering each route step.

A material is bought for every sheet that *enters* the step that consumes it, so a sheet scrapped
later carries the value of everything added upstream (process-based cost modelling, cost-notes §2);
nothing here needs to know the yields.

Which step carries which material:

- ``tape_casting``: layer powder (the electrolyte or cathode material), binder, solvent net of recovery,
  per m2 of *web* (edge strip between lanes included);
- ``spray_deposition``: cathode powder divided by the transfer efficiency (overspray is lost), solvent;
- ``sintering``: the Li2CO3 excess of that firing (the recipe decision lives here, so the optimiser sees
  it move this step's cost) and the sacrificial cover powder amortised over its reuse cycles;
- ``li_lamination``: Li foil priced by thickness, or the Li evaporation source over its utilisation;
- ``stacking``: current collectors; ``packaging``: the pouch / can per cell.
"""

from __future__ import annotations

import math

from process_models.parameters import load_material
from twin.capacity import casting_wet_thickness_m, sheets_per_roll
from twin.operations import operation_for
from twin.scenario import Scenario, ScenarioError
from twin.scenario.machine_sizes import installed_station
from twin.scenario.route import RouteStep, SprayDeposition, TapeCasting

# Assumption: polyvinyl butyral, the usual tape-casting binder, is about 1.1 g/cm3 (Mistler & Twiname,
# "Tape Casting", 2000, lists PVB among standard binders; density from the resin data sheets).
BINDER_DENSITY_KG_PER_M3 = 1100.0


def material_price(scenario: Scenario, material: str, needed_by: str) -> float:
    """Price of a material [USD/kg]; a clear error naming the step that needs it if it has none."""
    prices = scenario.costs.materials.usd_per_kg
    if material not in prices:
        raise ScenarioError([f"costs.materials.usd_per_kg.{material}: missing; step '{needed_by}' consumes "
                             f"{material}; add its price in USD/kg (known: {', '.join(sorted(prices))})"])
    return prices[material]


def li_foil_usd_per_kg(scenario: Scenario, thickness_um: float) -> float:
    """Li foil price at a thickness: ref x (ref_thickness / t)^exponent (roadmap 2020 §14.2.2).

    Thin foil is rolled in more passes and handled on carriers, so it costs more per kg. Without a
    ``costs.materials.li_foil`` law the flat ``usd_per_kg.li_metal`` price is used.
    """
    law = scenario.costs.materials.li_foil
    if law is None:
        return material_price(scenario, "li_metal", "li_lamination")
    return law.usd_per_kg_at_reference * (law.reference_thickness_um / thickness_um) ** law.thickness_exponent


def layer_solid_density_kg_per_m3(scenario: Scenario, layer: str) -> float:
    """Theoretical density of a layer's solid: the electrolyte, or the cathode composite (rule of mixtures)."""
    if layer == "electrolyte":
        return load_material(scenario.cell.electrolyte.material)["theoretical_density_kg_per_m3"]
    material = load_material(scenario.cell.cathode.material)
    active = scenario.cell.cathode.active_volume_fraction
    return active * material["active_density_kg_per_m3"] + (1.0 - active) * material["electrolyte_density_kg_per_m3"]


def _layer_material_name(scenario: Scenario, layer: str) -> str:
    return scenario.cell.electrolyte.material if layer == "electrolyte" else scenario.cell.cathode.material


def web_area_per_sheet_m2(scenario: Scenario, step_name: str) -> float:
    station = installed_station(scenario, step_name)
    if station.kind != "continuous":
        return scenario.sheet_area_m2
    sheets, _ = sheets_per_roll(scenario, station)
    return station.web_width_m * station.roll_length_m / sheets


def cast_powder_kg_per_m2(step: TapeCasting, solid_density_kg_per_m3: float) -> float:
    """Ceramic powder in one m2 of cast tape: wet thickness x solids fraction x (1 - binder share) x density."""
    wet_m = casting_wet_thickness_m(step)
    return wet_m * step.slurry_solids_volume_fraction * (1.0 - step.binder_volume_fraction_of_solids) \
        * solid_density_kg_per_m3


def sprayed_powder_kg_per_m2(step: SprayDeposition, solid_density_kg_per_m3: float) -> float:
    """Powder deposited in one m2 of sprayed layer (before the transfer loss)."""
    return step.target_thickness_um * 1e-6 * step.packing_fraction * solid_density_kg_per_m3


def layer_powder_kg_per_sheet(scenario: Scenario, layer: str, before_index: int) -> float:
    """Powder of ``layer`` on one sheet, from the deposition step before ``before_index`` (or the design)."""
    density = layer_solid_density_kg_per_m3(scenario, layer)
    for step in reversed(scenario.route[:before_index]):
        kg_per_m2 = operation_for(step).deposited_powder_kg_per_m2(step, layer, density)
        if kg_per_m2 is not None:
            return kg_per_m2 * scenario.sheet_area_m2
    thickness_um = (scenario.cell.electrolyte.thickness_um if layer == "electrolyte"
                    else scenario.cell.cathode.thickness_um)
    return thickness_um * 1e-6 * density * scenario.sheet_area_m2


def layer_deposit_items(scenario: Scenario, step_name: str, layer: str, powder_kg: float,
                        binder_kg: float, buy_powder: bool = True) -> dict[str, float]:
    """Powder, binder and solvent (net of recovery) of one sheet's deposit of ``layer`` [USD/sheet].

    ``buy_powder`` False: the powder was made in-house (its precursors priced at that step), so it has no price here.
    """
    materials = scenario.costs.materials
    items: dict[str, float] = {}
    if binder_kg > 0:
        items["binder"] = binder_kg * material_price(scenario, "binder", step_name)
    if buy_powder:
        name = _layer_material_name(scenario, layer)
        items[name] = powder_kg * material_price(scenario, name, step_name)
    solvent_kg = (materials.solvent_kg_per_kg_solids * (powder_kg + binder_kg)
                  * (1.0 - materials.solvent_recovery_fraction))
    if solvent_kg > 0:
        items["solvent"] = solvent_kg * material_price(scenario, "solvent", step_name)
    return items


def step_material_items_per_sheet(scenario: Scenario, step_name: str,
                                  step: RouteStep | None = None) -> dict[str, float]:
    """Material cost of one sheet entering ``step_name``, itemised [USD/sheet].

    ``step`` may be a modified recipe (optimiser candidates); by default the scenario's own.
    """
    index = next(i for i, s in enumerate(scenario.route) if s.name == step_name)
    step = scenario.route[index] if step is None else step
    items = operation_for(step).material_items_per_sheet(scenario, index, step_name, step)
    return {name: value for name, value in items.items() if value != 0 and math.isfinite(value)}


__all__ = [
    "BINDER_DENSITY_KG_PER_M3",
    "cast_powder_kg_per_m2",
    "layer_powder_kg_per_sheet",
    "layer_solid_density_kg_per_m3",
    "layer_deposit_items",
    "li_foil_usd_per_kg",
    "material_price",
    "sprayed_powder_kg_per_m2",
    "step_material_items_per_sheet",
    "web_area_per_sheet_m2",
]
