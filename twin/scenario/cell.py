"""Cell design: the layer stack and format a plant makes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from process_models.thin_film_substrates import SUBSTRATES
from twin.scenario.quantities import Quantity

ElectrolyteMaterial = Literal["llzo_ta", "llzo_al", "llzo_ga", "li6ps5cl", "peo_litfsi", "lipf6_carbonate", "lipon"]
CathodeMaterial = Literal["lco_llzto_composite", "nmc811_li6ps5cl_composite", "lfp_peo_composite",
                          "nmc811_liquid_electrode", "lco_thin_film"]
# cathodes deposited as a dense single-phase film (vacuum_deposition), not a composite
THIN_FILM_CATHODES = ("lco_thin_film",)
# electrolytes deposited as a thin film (vacuum_deposition)
THIN_FILM_ELECTROLYTES = ("lipon",)
# Li-ion electrodes: active particles held by binder and carbon, the pores filled by a liquid electrolyte
LIQUID_ELECTROLYTE_CATHODES = ("nmc811_liquid_electrode",)
Substrates = Literal["si_wafer", "ti_foil", "zr_foil", "alumina", "stainless_barrier"]
OXIDE_ELECTROLYTES = ("llzo_ta", "llzo_al", "llzo_ga")
SULPHIDE_ELECTROLYTES = ("li6ps5cl",)


class Strict(BaseModel):
    """Base for every scenario block: unknown keys are errors, NaN/inf are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


class CellFormat(Strict):
    sheet_length_mm: Quantity(10, 2000, why_lo="below 10 mm sheets cannot be handled",
                              why_hi="above 2 m no batch furnace or press takes a sheet")
    sheet_width_mm: Quantity(10, 2000, why_lo="below 10 mm sheets cannot be handled",
                             why_hi="above 2 m no batch furnace or press takes a sheet")
    # the smallest cell (5 mm x 5 mm) on the largest sheet (2 m x 2 m) gives 160,000 pieces
    cells_per_sheet: Quantity(1, 160_000, integer=True, why_lo="a sheet carries at least one cell",
                              why_hi="more 5 mm x 5 mm cells than fit on a 2 m x 2 m sheet") = 1
    layers_per_cell: Quantity(1, 200, integer=True, why_lo="a cell has at least one layer",
                              why_hi="above 200 stacked layers is outside any published design")
    cell_length_mm: Quantity(5, 2000, why_lo="below 5 mm is a microbattery, not in scope",
                             why_hi="above 2 m is not a cell")
    cell_width_mm: Quantity(5, 2000, why_lo="below 5 mm is a microbattery, not in scope",
                            why_hi="above 2 m is not a cell")
    nominal_voltage_V: Quantity(1.0, 5.5, why_lo="no Li-metal chemistry sits below 1 V",
                                why_hi="above 5.5 V no cathode/electrolyte pair is stable")
    packaging_mass_fraction: Quantity(0.0, 0.6, hi_open=False, why_hi="packaging above 60 % of cell mass "
                                      "is not a battery cell") = 0.1

    @model_validator(mode="after")
    def _cells_fit_on_sheet(self) -> CellFormat:
        cell_area = self.cell_length_mm * self.cell_width_mm * self.cells_per_sheet
        sheet_area = self.sheet_length_mm * self.sheet_width_mm
        if cell_area > sheet_area * 1.000001:
            raise ValueError(
                f"cells_per_sheet x cell area = {cell_area:g} mm2 is above the sheet area {sheet_area:g} mm2; "
                "cells must fit on the sheet they are cut from"
            )
        return self


class CathodeLayer(Strict):
    material: CathodeMaterial
    thickness_um: Quantity(5, 300, why_lo="below 5 um a composite cathode stores too little to matter",
                           why_hi="roadmap §14.2.3 gives 30-150 um; above 300 um ion transport fails")
    active_volume_fraction: Quantity(0.2, 1.0, why_lo="below 20 % active material the cell is not competitive",
                                     why_hi="a volume fraction cannot exceed 1",
                                     description="solid composites: at most 0.85 (above it the electrolyte network "
                                                 "no longer percolates); a Li-ion electrode: at most 0.95; a "
                                                 "sputtered thin film: 1 (single phase)")

    @model_validator(mode="after")
    def _fraction_fits_material(self) -> CathodeLayer:
        fraction = self.active_volume_fraction
        if self.material in THIN_FILM_CATHODES:
            if fraction != 1.0:
                raise ValueError(f"active_volume_fraction: {fraction:g} must be 1 for "
                                 f"'{self.material}' (a sputtered film is a single dense phase)")
        elif self.material in LIQUID_ELECTROLYTE_CATHODES:
            if fraction > 0.95:
                raise ValueError(f"active_volume_fraction: {fraction:g} is above 0.95 (above 95 % of the solids no "
                                 "binder/carbon network holds a Li-ion electrode; 96 wt% NMC is ~90 vol%); "
                                 "allowed [0.2, 0.95]")
        elif fraction > 0.85:
            raise ValueError(f"active_volume_fraction: {fraction:g} is above 0.85 (above 85 % the electrolyte "
                             "network of a solid composite cathode no longer percolates); allowed [0.2, 0.85]")
        return self


class ElectrolyteLayer(Strict):
    material: ElectrolyteMaterial
    thickness_um: Quantity(1, 1000, why_lo="below 1 um is vacuum thin-film territory (roadmap §16)",
                           why_hi="above 1 mm is a pellet, not a cell layer (roadmap §14.2.1)")


class AnodeLayer(Strict):
    type: Literal["li_foil", "li_evaporated", "anode_free", "li_molten", "graphite"] = Field(
        description="li_molten: Li melted onto the electrolyte under argon (li_lamination method molten); "
                    "graphite: the Li-ion reference cell's anode")
    thickness_um: Quantity(0, 200, why_lo="thickness cannot be negative",
                           why_hi="above 200 um Li the anode dominates cell volume (roadmap §14.2.2: 10-30 um)")
    n_to_p_ratio: Quantity(1.0, 1.5, why_lo="below 1 Li plates on the graphite on charge",
                           why_hi="above 1.5 the excess graphite only costs") | None = Field(
        None, description="graphite anode: negative / positive areal capacity (N/P); the graphite loading "
                          "and thickness follow from it")

    @model_validator(mode="after")
    def _anode_free_has_no_li(self) -> AnodeLayer:
        if self.type == "anode_free" and self.thickness_um != 0:
            raise ValueError(f"thickness_um: {self.thickness_um:g} must be 0 for an anode-free cell "
                             "(Li is plated in situ on first charge, roadmap §14.2.2)")
        if self.type != "anode_free" and self.thickness_um <= 0:
            raise ValueError(f"thickness_um: {self.thickness_um:g} must be above 0 for a {self.type} anode")
        if (self.type == "graphite") != (self.n_to_p_ratio is not None):
            raise ValueError("n_to_p_ratio: give it for a graphite anode, and only for one")
        return self


class CurrentCollector(Strict):
    material: Literal["aluminium", "copper", "nickel", "stainless_steel"]
    thickness_um: Quantity(2, 50, why_lo="below 2 um foils cannot be handled", why_hi="above 50 um is a plate")


class Substrate(Strict):
    """The sheet a thin-film cell is deposited on (process_models.thin_film_substrates): it carries the
    stack, is the cathode current collector (metal, or the Pt/Ti on a wafer or ceramic) and must
    survive the cathode anneal."""

    material: Substrates
    thickness_um: Quantity(10, 1000, why_lo="below 10 um no foil or wafer is handled",
                           why_hi="above 1 mm is a plate, not a cell substrate (50-170 um typical, research notes A4)")

    @model_validator(mode="after")
    def _thickness_in_range(self) -> Substrate:
        data = SUBSTRATES[self.material]
        lo, hi = data["min_thickness_um"], data["max_thickness_um"]
        if not lo <= self.thickness_um <= hi:
            raise ValueError(f"thickness_um: {self.thickness_um:g} is outside [{lo:g}, {hi:g}] for a "
                             f"{self.material} substrate")
        return self


class CurrentCollectors(Strict):
    cathode: CurrentCollector
    anode: CurrentCollector


class CellRating(Strict):
    """The discharge at which a made cell's capacity and energy are rated (delivered, not stored), and the
    charge it is rated to take (twin.cell_output.charge_limit_sentence)."""

    c_rate_per_h: Quantity(0.01, 10, why_lo="below C/100 is a self-discharge test, not a rating",
                           why_hi="above 10C is a power test; rate energy cells at C/3 or so",
                           description="rated discharge rate [1/h]; C/3 as BatPaC rates energy") = 1.0 / 3.0
    cutoff_voltage_V: Quantity(0.5, 5.0, why_lo="no Li chemistry discharges below 0.5 V",
                               why_hi="a cut-off above 5 V leaves no discharge",
                               description="discharge cut-off; must be below cell.format.nominal_voltage_V") = 3.0
    charge_c_rate_per_h: Quantity(0.01, 10, why_lo="below C/100 no cell is charged in service",
                                  why_hi="above 10C is beyond any published fast charge of a Li-metal cell "
                                         "(roadmap 2020 §2: 5 mA/cm2 CCD is the fast-charge target)",
                                  description="rated charge rate [1/h], checked against the made cells' critical "
                                              "current density (Li dendrites above it, roadmap 2020 §2); none: "
                                              "not rated for charge, the rated discharge rate is checked "
                                              "instead") | None = None


class CellDesign(Strict):
    format: CellFormat
    cathode: CathodeLayer
    electrolyte: ElectrolyteLayer
    anode: AnodeLayer
    current_collectors: CurrentCollectors
    target_areal_capacity_mAh_per_cm2: Quantity(0.1, 15, why_lo="below 0.1 mAh/cm2 is a thin-film microcell",
                                                why_hi="above 15 mAh/cm2 no published SSB cathode cycles")
    rating: CellRating = CellRating()
    substrate: Substrate | None = None

    @model_validator(mode="after")
    def _cutoff_below_nominal(self) -> CellDesign:
        if self.rating.cutoff_voltage_V >= self.format.nominal_voltage_V:
            raise ValueError(
                f"rating.cutoff_voltage_V: {self.rating.cutoff_voltage_V:g} must be below "
                f"format.nominal_voltage_V ({self.format.nominal_voltage_V:g} V): the discharge runs from the "
                "nominal voltage down to the cut-off")
        return self


__all__ = [
    "AnodeLayer",
    "CathodeLayer",
    "CellDesign",
    "CellFormat",
    "CellRating",
    "CurrentCollector",
    "CurrentCollectors",
    "ElectrolyteLayer",
    "OXIDE_ELECTROLYTES",
    "SULPHIDE_ELECTROLYTES",
    "Strict",
    "Substrate",
    "THIN_FILM_CATHODES",
    "THIN_FILM_ELECTROLYTES",
]
