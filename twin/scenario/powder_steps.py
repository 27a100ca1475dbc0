"""Powder and feedstock steps: the electrolyte powder made on site (roadmap 2020 §12, §14).

Schema models only (physics in process_models.powder_synthesis, behaviour in twin.operations); imported by
:mod:`twin.scenario.route` into the ``RouteStep`` union.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from twin.scenario.limits import MAX_PROFILE_SEGMENTS
from twin.scenario.quantities import Flag, Quantity
from twin.scenario.step_base import ProfileSegment, StepBase


class Calcination(StepBase):
    """Solid-state synthesis of the garnet powder of a layer: precursors reacted in a crucible bed in a kiln.

    The plant moves sheets: one lot is a kiln load of crucibles, counted in sheet-equivalents (the
    station's ``batch_capacity_sheets``); one sheet-equivalent is the powder one sheet's cast layer takes,
    plus the powder lost in handling (process_models.powder_synthesis).
    """

    kind: Literal["calcination"]
    layer: Literal["electrolyte"] = Field("electrolyte", description="the garnet layer the powder is for")
    start_temperature_C: Quantity(0, 200, why_hi="a kiln is loaded below 200 C") = 25.0
    profile: list[ProfileSegment] = Field(min_length=1, max_length=MAX_PROFILE_SEGMENTS)
    li2co3_excess_wt_fraction: Quantity(0, 0.5, why_hi="Liu et al. 2014 studied 0-50 % Li excess; beyond that "
                                                       "the excess melts out as a liquid phase",
                                        description="Li2CO3 over stoichiometry in the precursor mix")
    powder_bed_depth_mm: Quantity(1, 200, why_lo="below 1 mm is a film, not a crucible bed",
                                  why_hi="above 200 mm the bed does not heat through (assumption: crucible size)",
                                  description="depth of the precursor bed; Li2O escapes from its top face")
    covered_crucible: Flag = Field(True, description="a lid on the crucible (Li2O leakage 0.4 of the open flux, "
                                                     "the closed-setter factor of sintering)")
    precursor_particle_size_um: Quantity(0.05, 20, why_lo="below 50 nm is not a milled oxide mix",
                                         why_hi="above 20 um the mix does not react through") = 1.0
    min_garnet_fraction: Quantity(0.5, 1.0, why_lo="below 50 % garnet the lot is not a garnet powder",
                                  description="XRD release spec of a lot: lots below it are scrapped") = 0.95
    powder_handling_loss_fraction: Quantity(0, 0.5, why_hi="losing more than half the powder is not a process",
                                            description="powder lost in crushing, sieving and transfer") = 0.03

    @model_validator(mode="after")
    def _fires(self) -> Calcination:
        peak = max(segment.temperature_C for segment in self.profile)
        if peak <= self.start_temperature_C:
            raise ValueError(f"profile: peak {peak:g} C is not above start_temperature_C "
                             f"{self.start_temperature_C:g} C; nothing is calcined")
        if peak > 1300:
            raise ValueError(f"profile: peak {peak:g} C is above 1300 C; a garnet powder calcination runs at "
                             "700-1100 C (Murugan et al. 2007: 900 C; above 1300 C the powder sinters to a cake and "
                             "loses Li2O)")
        return self


class PowderMilling(StepBase):
    """Milling of a calcined powder lot to the particle size the forming and sintering steps need."""

    kind: Literal["powder_milling"]
    layer: Literal["electrolyte"] = Field("electrolyte", description="the layer whose powder is milled")
    milling_time_h: Quantity(0.05, 48, why_lo="below 3 min a mill only mixes",
                             why_hi="above 48 h the mill wears into the powder (assumption: media wear)")
    specific_power_W_per_kg: Quantity(1, 2000, why_lo="below 1 W/kg a mill only tumbles",
                                      why_hi="above 2 kW/kg exceeds high-energy planetary mills (assumption: "
                                             "vendor ranges)",
                                      description="mill power per kg of powder charge")
    milling_medium: Literal["dry", "organic", "water"] = Field(
        "dry", description="water: an aqueous slurry, in which the garnet exchanges Li+ for H+ (process_models."
                           "protonation); dry or an organic liquid (e.g. isopropanol): no exchange in the mill")
    storage_time_h: Quantity(0, 8760, why_hi="above a year is not a powder stock",
                             description="time the milled powder waits in air before forming") = 0.0
    storage_relative_humidity: Quantity(0, 1, why_lo="a humidity cannot be negative",
                                        why_hi="above 100 % RH water condenses",
                                        description="relative humidity of the air it waits in (0: dry room "
                                                    "or sealed drums)") = 0.0


class ArgyroditeMilling(StepBase):
    """Mechanochemical synthesis of the argyrodite (Li6PS5Cl) powder of the electrolyte: Li2S, P2S5 and LiCl
    milled in a planetary or attritor mill under argon, optionally annealed (roadmap 2020 §12, §14).

    Lots are counted in sheet-equivalents as at the calcination (the mill's ``batch_capacity_sheets``).
    """

    kind: Literal["argyrodite_milling"]
    layer: Literal["electrolyte"] = Field("electrolyte", description="the layer whose powder is made")
    milling_time_h: Quantity(0.1, 100, why_lo="below 6 min nothing reacts mechanochemically",
                             why_hi="above 100 h the media wear into the powder (assumption)")
    specific_power_W_per_kg: Quantity(1, 5000, why_lo="below 1 W/kg a mill only tumbles",
                                      why_hi="above 5 kW/kg exceeds lab planetary mills at full speed "
                                             "(assumption: vendor ranges)",
                                      description="net mill power per kg of powder charge; the product follows "
                                                  "the specific energy (Kwade 1999)")
    precursor_particle_size_um: Quantity(1, 200, why_lo="below 1 um is not a Li2S grade sold",
                                         why_hi="above 200 um is not a powder") = 20.0
    anneal_temperature_C: Quantity(200, 600, why_lo="below 200 C the glass-ceramic does not crystallise",
                                   why_hi="above 600 C Li6PS5Cl decomposes (Yu et al. 2016 anneal at 550 C)"
                                   ) | None = Field(None, description="anneal after milling; none: used as milled")
    anneal_time_h: Quantity(0, 48, why_hi="above 48 h is not an anneal step") = 0.0
    min_conversion_fraction: Quantity(0.5, 1.0, why_lo="below 50 % argyrodite the lot is not an electrolyte",
                                      description="XRD release spec of a lot: lots below it are scrapped") = 0.9
    powder_handling_loss_fraction: Quantity(0, 0.5, why_hi="losing more than half the powder is not a process",
                                            description="powder caked on the jar walls and media, and lost in "
                                                        "sieving and transfer") = 0.05

    @model_validator(mode="after")
    def _anneal_fields(self) -> ArgyroditeMilling:
        if self.anneal_temperature_C is None and self.anneal_time_h > 0:
            raise ValueError(f"anneal_time_h: {self.anneal_time_h:g} needs an anneal_temperature_C")
        if self.anneal_temperature_C is not None and self.anneal_time_h <= 0:
            raise ValueError("anneal_time_h: 0 must be above 0 when anneal_temperature_C is given")
        return self


__all__ = ["ArgyroditeMilling", "Calcination", "PowderMilling"]
