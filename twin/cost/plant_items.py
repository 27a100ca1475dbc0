"""Plant-level cost items (land, site services, QA lab, IT, insurance) and the recycling credit for scrap.

Both keep the cost model linear (docs/architecture.md): plant items are a constant per year, insurance
is a rate on each machine's installed capex and building (so it rides on the machine count), and the
recycling credit is a constant per sheet scrapped at a step (scrapped = entering - good out).
"""

from __future__ import annotations

from process_models.constants import LI_METAL_DENSITY_KG_PER_M3
from twin.capacity import operating_hours_per_year
from twin.cost.materials import layer_powder_kg_per_sheet
from twin.operations import operation_for
from twin.scenario import Scenario


def plant_items_capex_usd(scenario: Scenario) -> float:
    """Capital spent on plant-level items before production [USD] (land included)."""
    items = scenario.costs.plant_items
    return items.land_usd + items.site_services_capex_usd + items.qa_lab_capex_usd + items.it_capex_usd

def plant_items_cost_by_category(scenario: Scenario) -> tuple[dict[str, float], float, float]:
    """Plant items per year by category, with the direct labour and depreciation the overheads apply to.

    Land earns the cost of capital and is not depreciated (it keeps its value); site services are
    annualised over the building life, the QA lab over the equipment life, IT over its own life, all with
    the capital recovery factor. Insurance of the plant items is charged here; that of the machines and
    their floor rides on each machine (twin.cost.linear_model).
    """
    from twin.cost.linear_model import capital_recovery_factor

    costs = scenario.costs
    items = costs.plant_items
    capital = costs.capital
    rate = capital.cost_of_capital
    direct_labour = items.qa_lab_staff_per_shift * operating_hours_per_year(scenario) * costs.labour.usd_per_hour
    insured = items.site_services_capex_usd + items.qa_lab_capex_usd + items.it_capex_usd
    by_category = {
        "labour": direct_labour * (1.0 + costs.labour.indirect_fraction),
        "capital": (items.qa_lab_capex_usd * capital_recovery_factor(rate, capital.equipment_life_years)
                    + items.it_capex_usd * capital_recovery_factor(rate, items.it_life_years)),
        "building": (items.land_usd * rate
                     + items.site_services_capex_usd * capital_recovery_factor(rate, capital.building_life_years)),
        "maintenance": insured * items.insurance_fraction_of_capex + items.it_usd_per_year,
    }
    depreciation = (items.qa_lab_capex_usd / capital.equipment_life_years + items.it_capex_usd / items.it_life_years
                    + items.site_services_capex_usd / capital.building_life_years)
    return by_category, direct_labour, depreciation

def _route_index(scenario: Scenario, step_name: str) -> int:
    return next(i for i, step in enumerate(scenario.route) if step.name == step_name)

def recycling_credit_per_scrapped_sheet(scenario: Scenario, step_name: str) -> float:
    """What one sheet scrapped at ``step_name`` earns back in recovered Li and electrolyte [USD/sheet].

    The Li is on the sheet once a lamination step has run (up to and including this one), priced at
    ``usd_per_kg.li_metal`` (the metal, not the thin-foil premium; the foil reference price without it);
    the electrolyte powder once it was cast or sprayed, priced at its ``usd_per_kg``. The cell pieces a
    step kills on a sheet that is kept are credited per sheet-equivalent at the same rate
    (twin.cost.breakdown.scrapped_sheet_equivalents).
    """
    recycling = scenario.costs.recycling
    if recycling is None:
        return 0.0
    index = _route_index(scenario, step_name)
    done = scenario.route[:index + 1]
    prices = scenario.costs.materials.usd_per_kg
    credit = 0.0
    if any(operation_for(step).adds_li_metal for step in done) and scenario.cell.anode.type != "anode_free":
        li_kg = scenario.cell.anode.thickness_um * 1e-6 * scenario.sheet_area_m2 * LI_METAL_DENSITY_KG_PER_M3
        foil = scenario.costs.materials.li_foil
        price = prices.get("li_metal", foil.usd_per_kg_at_reference if foil is not None else 0.0)
        credit += recycling.li_recovery_fraction * li_kg * price
    deposited = any(operation_for(step).deposited_layer(step) == "electrolyte" for step in done)
    electrolyte = scenario.cell.electrolyte.material
    if deposited and electrolyte in prices:
        powder_kg = layer_powder_kg_per_sheet(scenario, "electrolyte", index + 1)
        credit += recycling.electrolyte_recovery_fraction * powder_kg * prices[electrolyte]
    return recycling.value_fraction * credit

__all__ = ["plant_items_capex_usd", "plant_items_cost_by_category", "recycling_credit_per_scrapped_sheet"]
