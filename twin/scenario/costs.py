"""Cost inputs: material prices, utilities, labour, capital, building and overheads.

Every cost input records its currency and year (style.md rule 11). Defaults are the BatPaC V5
overhead rates (Argonne BatPaC V5, as published in the jbaars/Batt_Sust_Model port).
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from twin.scenario.cell import Strict
from twin.scenario.economics import PlantItems, Recycling
from twin.scenario.limits import MAX_PRICE_ENTRIES, ShortName
from twin.scenario.location import LOCATIONS, fill_costs_from_location, unknown_location_message
from twin.scenario.quantities import Fraction, NonNegative, Quantity

Price = Quantity(0, 1e6, why_lo="a price cannot be negative", why_hi="above 1e6 USD/kg is not a bulk material")


class LiFoilPrice(Strict):
    """Li foil price rises as the foil gets thinner (roadmap 2020 §14.2.2)."""

    usd_per_kg_at_reference: Price
    reference_thickness_um: Quantity(5, 1000, why_lo="below 5 um no foil is rolled (Burton et al. 2025)",
                                     why_hi="above 1 mm is an ingot")
    thickness_exponent: Quantity(0, 3, why_hi="above 3 the price law is not credible")


class MaterialPrices(Strict):
    usd_per_kg: dict[ShortName, Price] = Field(min_length=1, max_length=MAX_PRICE_ENTRIES)
    current_collector_usd_per_m2: dict[ShortName, Price] = Field(default_factory=dict, max_length=MAX_PRICE_ENTRIES)
    li_foil: LiFoilPrice | None = None
    li_evaporation_source_usd_per_kg: Price | None = None
    cover_powder_kg_per_m2: NonNegative = 0.0
    cover_powder_reuse_cycles: Quantity(1, 1000, integer=True, why_lo="a powder is used at least once",
                                        why_hi="above 1000 reuses the powder is not sacrificial") = 1
    solvent_kg_per_kg_solids: NonNegative = 0.0
    solvent_recovery_fraction: Fraction = 0.0
    packaging_usd_per_cell: NonNegative = 0.0
    substrate_usd_per_m2: dict[ShortName, Price] = Field(
        default_factory=dict, max_length=MAX_PRICE_ENTRIES,
        description="thin-film substrates (cell.substrate.material) per m2, booked where the first layer is deposited")


class Utilities(Strict):
    electricity_usd_per_kWh: Quantity(0, 5, why_hi="above 5 USD/kWh is not an industrial tariff")
    inert_gas_usd_per_m3: NonNegative = 0.0


class Labour(Strict):
    usd_per_hour: Quantity(0, 1000, why_hi="above 1000 USD/h is not a wage")
    indirect_fraction: Quantity(0, 3, why_hi="above 3x direct labour is not an indirect rate") = 0.0


class Capital(Strict):
    equipment_life_years: Quantity(1, 50, why_lo="equipment lasts at least a year", why_hi="above 50 years")
    building_life_years: Quantity(1, 100, why_lo="a building lasts at least a year", why_hi="above 100 years")
    cost_of_capital: Quantity(0, 0.5, why_hi="above 50 % a year no project is financed")
    maintenance_fraction_of_capex: Quantity(0, 0.5, why_hi="above 50 % of capex a year, replace the machine")
    installation_factor: Quantity(1, 5, why_lo="installed cost is at least the purchase price",
                                  why_hi="above 5x purchase price is not installation") = 1.0


# BatPaC V5 baseline plant: dry-room management capital 7.3 M USD for 61,000 m2 of dry-room floor
# (cost-notes §1.2), i.e. its desiccant dehumidification plant per m2 at BatPaC's < 100 ppm room (about -40 C)
BATPAC_DEHUMIDIFIER_USD_PER_M2 = 7.3e6 / 61000.0


class Building(Strict):
    usd_per_m2: Price
    dry_room_premium_usd_per_m2: NonNegative | None = Field(
        None, description="the user's own dry-room premium per m2 of dry-room floor, used whatever the dew point; "
                          "leave out to price it from the dew point (twin.cost.dry_room_capex)")
    dry_room_reference_premium_usd_per_m2: NonNegative = Field(
        2500.0, description="dry-room premium per m2 at a -40 C room with 10 C outdoor air: envelope, vapour "
                            "barrier, airlocks and the dehumidification plant (assumption: the scenario "
                            "library's figure)")
    dry_room_dehumidifier_usd_per_m2: NonNegative = Field(
        BATPAC_DEHUMIDIFIER_USD_PER_M2,
        description="the desiccant dehumidification plant's share of that reference premium; it grows with the "
                    "regeneration duty a drier room needs (default: BatPaC V5, 7.3 M USD for 61,000 m2)")
    inert_premium_usd_per_m2: NonNegative = 0.0
    floor_area_factor: Quantity(1, 5, why_lo="a machine needs at least its footprint",
                                why_hi="above 5x footprint is not a layout") = 1.5

    @model_validator(mode="after")
    def _plant_within_premium(self) -> Building:
        if self.dry_room_dehumidifier_usd_per_m2 > self.dry_room_reference_premium_usd_per_m2:
            raise ValueError(
                f"dry_room_dehumidifier_usd_per_m2: {self.dry_room_dehumidifier_usd_per_m2:g} is above "
                f"dry_room_reference_premium_usd_per_m2 {self.dry_room_reference_premium_usd_per_m2:g}; the "
                "dehumidification plant is a share of the dry room's premium (allowed: 0 to that premium)")
        return self


class Overheads(Strict):
    """Overhead rates; defaults are BatPaC V5 (cost-notes §1.1)."""

    variable_overhead_on_labour: Fraction = 0.40
    variable_overhead_on_depreciation: Fraction = 0.20
    gsa_on_labour: Fraction = 0.25
    gsa_on_depreciation: Fraction = 0.25
    rnd_on_depreciation: Fraction = 0.40
    launch_on_labour: Fraction = 0.10
    launch_on_materials: Fraction = 0.05
    working_capital_on_variable_cost: Fraction = 0.15
    profit_on_investment: Fraction = 0.05
    warranty: Fraction = 0.056


class QualityCosts(Strict):
    """What a bad cell that leaves the plant (an escape) costs."""

    escape_usd_per_cell: Quantity(0, 1e6, why_lo="a cost cannot be negative",
                                  why_hi="above 1 MUSD per cell is not a cell-level cost",
                                  description="cost of one bad cell shipped: field return, warranty claim or "
                                              "scrap at the customer's incoming test [USD per cell]") = 50.0


class Costs(Strict):
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    currency_year: Quantity(1990, 2100, integer=True, why_lo="before 1990 no SSB cost data exists",
                            why_hi="after 2100 is not a price year")
    materials: MaterialPrices
    utilities: Utilities
    labour: Labour
    capital: Capital
    building: Building
    overheads: Overheads = Field(default_factory=Overheads)
    quality: QualityCosts = Field(default_factory=QualityCosts)
    location: str | None = Field(None, description="location preset (twin.scenario.location): fills labour, "
                                                   "electricity, building and cost of capital left out here")
    plant_items: PlantItems = Field(default_factory=PlantItems)
    recycling: Recycling | None = None

    @model_validator(mode="before")
    @classmethod
    def _fill_from_location(cls, data):
        return fill_costs_from_location(data) if isinstance(data, dict) else data

    @field_validator("location")
    @classmethod
    def _known_location(cls, name: str | None) -> str | None:
        if name is not None and name not in LOCATIONS:
            raise ValueError(unknown_location_message(name))
        return name


class Plant(Strict):
    target_output_GWh_per_year: Quantity(0, 500, lo_open=True, why_lo="a plant makes something",
                                         why_hi="above 500 GWh/yr exceeds any announced plant")


__all__ = ["BATPAC_DEHUMIDIFIER_USD_PER_M2", "Building", "Capital", "Costs", "Labour", "LiFoilPrice", "MaterialPrices",
           "Overheads", "Plant",
           "QualityCosts", "Utilities"]
