"""Plant-level cost items, the recycling credit for scrap, and the investment case (timeline and learning).

Plant-level items do not scale with any machine or sheet flow (land, site services, the QA lab, IT);
insurance is a rate on the insured assets. The recycling credit prices the Li and the solid electrolyte
on a scrapped sheet at a recovery rate. The ``investment`` block describes the plant's life: construction
years and their capex shares, the ramp where learning brings scrap and downtime down from their
start-of-production values to the scenario's, a cell price, and the horizon over which NPV and IRR run.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from twin.scenario.cell import Strict
from twin.scenario.quantities import Fraction, NonNegative, Quantity

Usd = Quantity(0, 1e11, why_lo="a cost cannot be negative", why_hi="above 100 GUSD is not one plant")


class PlantItems(Strict):
    """Items that belong to the plant, not to a machine [USD, or USD/yr]; all zero by default."""

    land_usd: Usd = Field(0.0, description="purchase of the site; not depreciated, carries the cost of capital "
                                           "and is sold back at the end of the plant's life [USD]")
    site_services_capex_usd: Usd = Field(0.0, description="utility connections, roads, waste water, "
                                                          "fire protection; annualised over the building life [USD]")
    qa_lab_capex_usd: Usd = Field(0.0, description="quality / analytical lab equipment; annualised over the "
                                                   "equipment life [USD]")
    qa_lab_staff_per_shift: Quantity(0, 1000, why_hi="above 1000 lab staff per shift is not a QA lab") = 0.0
    it_capex_usd: Usd = Field(0.0, description="MES, servers, network [USD], annualised over it_life_years")
    it_life_years: Quantity(1, 20, why_lo="IT lasts at least a year", why_hi="above 20 years IT is replaced") = 5.0
    it_usd_per_year: Usd = Field(0.0, description="software licences and IT services [USD/yr]")
    insurance_fraction_of_capex: Quantity(0, 0.1, why_hi="above 10 % of capex a year is not an insurance "
                                                          "premium") = 0.0


class Recycling(Strict):
    """Credit for the Li and the solid electrolyte in scrapped sheets.

    Credit per scrapped sheet = value_fraction x (li_recovery x Li on the sheet x Li price
    + electrolyte_recovery x electrolyte powder on the sheet x its price).
    """

    li_recovery_fraction: Fraction = Field(description="share of the Li metal on a scrapped sheet recovered")
    electrolyte_recovery_fraction: Fraction = Field(description="share of the LLZO / sulphide recovered")
    value_fraction: Fraction = Field(description="what the recovered material is worth per $ of its virgin "
                                                 "price, net of the recycler's cost")


class Learning(Strict):
    """Wright's law on the inputs that make scrap and downtime, over cumulative sheets started.

    Each input starts production at ``start_factor`` x its scenario value (x 1/start_factor for MTBF)
    and falls with every doubling of cumulative output by ``learning_rate``:
    x(Q) = max(x_steady, x_start (Q/Q1)^-b), b = -log2(1 - learning_rate); Q1 is the first period's output.
    """

    learning_rate: Quantity(0, 0.5, lo_open=True, why_lo="without learning there is no ramp",
                            why_hi="above 50 % per doubling is not a published manufacturing learning rate")
    variation_start_factor: Quantity(1, 10, why_lo="a ramp starts no better than steady state",
                                     why_hi="above 10x the process is not under control") = 1.0
    defect_density_start_factor: Quantity(1, 100, why_lo="a ramp starts no better than steady state",
                                          why_hi="above 100x steady state is not a production line") = 1.0
    mttr_start_factor: Quantity(1, 10, why_lo="a ramp starts no better than steady state",
                                why_hi="above 10x the repair organisation does not exist yet") = 1.0
    mtbf_start_factor: Quantity(1, 10, why_lo="a ramp starts no better than steady state",
                                why_hi="above 10x fewer hours between failures is not a running line") = 1.0


class Investment(Strict):
    """The plant's life as an investment: construction, ramp-up with learning, steady state."""

    cell_price_usd_per_kwh: Quantity(0, 10000, why_hi="above 10,000 USD/kWh is not a cell price")
    construction_years: Quantity(0, 10, integer=True, why_hi="above 10 years is not one construction project") = 2
    capex_schedule: list[Fraction] = Field(default_factory=lambda: [0.4, 0.6], max_length=10,
                                           description="share of the capex spent in each construction year")
    operating_years: Quantity(1, 50, integer=True, why_lo="a plant runs at least a year",
                              why_hi="above 50 years no plant is planned") = 10
    ramp_years: Quantity(0, 10, why_hi="a ramp longer than 10 years is not a ramp") = 3.0
    periods_per_year: Quantity(1, 12, integer=True, why_lo="at least one period a year",
                               why_hi="monthly periods are fine enough") = 4
    discount_rate: Quantity(0, 0.5, why_hi="above 50 % a year no project is financed") | None = Field(
        None, description="default: costs.capital.cost_of_capital")
    working_capital_fraction: Fraction | None = Field(
        None, description="working capital per $ of annual variable cost; default costs.overheads."
                          "working_capital_on_variable_cost (BatPaC V5: 15 %)")
    learning: Learning | None = None

    @model_validator(mode="after")
    def _schedule_matches_construction(self) -> Investment:
        if len(self.capex_schedule) != self.construction_years:
            raise ValueError(f"capex_schedule: {len(self.capex_schedule)} shares for construction_years "
                             f"{self.construction_years}; give one share per construction year")
        if self.construction_years and abs(sum(self.capex_schedule) - 1.0) > 1e-6:
            raise ValueError(f"capex_schedule: the shares add up to {sum(self.capex_schedule):g}; they must add up "
                             "to 1 (the whole capex is spent before production starts)")
        if self.ramp_years > self.operating_years:
            raise ValueError(f"ramp_years: {self.ramp_years:g} is longer than operating_years "
                             f"{self.operating_years}; allowed [0, {self.operating_years}]")
        return self


__all__ = ["Investment", "Learning", "NonNegative", "PlantItems", "Recycling"]
