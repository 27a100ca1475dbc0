"""Multilayer architectures (roadmap 2020 §15, fig. 19): cathode and electrolyte tapes laminated green and
fired together. Schema models only (physics in process_models.co_sintering, behaviour in twin.operations);
imported by :mod:`twin.scenario.route` into the ``RouteStep`` union.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from twin.scenario.cell import Strict
from twin.scenario.limits import MAX_PROFILE_SEGMENTS
from twin.scenario.quantities import Flag, Quantity
from twin.scenario.step_base import LLZO_LIMIT, ProfileSegment, StepBase


class PorousScaffold(Strict):
    """A porous electrolyte tape laminated on the dense one's anode side: its pore former burns out in the
    co-firing and leaves a scaffold for the Li (roadmap 2020 §15, fig. 19; Hitz et al. 2019 trilayer)."""

    thickness_um: Quantity(5, 300, why_lo="below 5 um the scaffold holds no useful Li",
                           why_hi="above 300 um the scaffold outweighs the cell (Hitz et al. 2019: ~50 um)",
                           description="fired thickness of the porous layer")
    pore_former_volume_fraction: Quantity(0.05, 0.8, why_lo="below 5 vol% the pores do not connect",
                                          why_hi="above 80 vol% the struts do not hold together",
                                          description="pore former (e.g. PMMA spheres) share of the green "
                                                      "solids volume")
    pore_former_size_um: Quantity(0.5, 100, why_lo="below 0.5 um molten Li does not enter the pores in seconds",
                                  why_hi="above 100 um the pores are wider than the layer",
                                  description="pore former particle diameter")


class CoSintering(StepBase):
    """Cathode and electrolyte green tapes, laminated, fired together (roadmap 2020 §15, fig. 19)."""

    kind: Literal["co_sintering"]
    start_temperature_C: Quantity(0, 200, why_hi="a furnace is loaded below 200 C") = 25.0
    profile: list[ProfileSegment] = Field(min_length=1, max_length=MAX_PROFILE_SEGMENTS)
    atmosphere: Literal["air", "dry_air", "oxygen", "argon", "nitrogen"] = "dry_air"
    cover_powder: Flag
    cover_plate: Flag = Field(True, description="fired under a flat porous cover plate: the laminate stays flat "
                                                "and carries the shrinkage mismatch as stress (delamination risk); "
                                                "without it the mismatch bends it (camber)")
    li_excess_li2co3_wt_fraction: Quantity(0, 0.5, why_hi="Liu et al. 2014 studied 0-50 % Li excess; beyond "
                                                          "that the excess melts out as a liquid phase")
    electrolyte_particle_size_um: Quantity(0.02, 20, why_lo="below 20 nm is not a processable powder",
                                           why_hi="above 20 um the powder does not sinter dense")
    cathode_particle_size_um: Quantity(0.02, 20, why_lo="below 20 nm is not a processable powder",
                                       why_hi="above 20 um the powder does not sinter dense")
    powder_route: Literal["flame_spray_nano", "calcined", "reactive_precursor"] = "flame_spray_nano"
    max_camber_mm: Quantity(0.01, 50, why_lo="below 10 um no sheet is measured flat",
                            why_hi="above 50 mm the sheet is not a sheet",
                            description="flatness spec: rise over the sheet length (without a cover plate)") = 1.0
    max_shrinkage_mismatch: Quantity(0.0001, 0.2, why_lo="below 0.01 % no two tapes are matched",
                                     why_hi="above 20 % the layers do not stay bonded",
                                     description="largest free linear-shrinkage difference the bonded interface "
                                                 "holds under a cover plate") = 0.01

    porous_layer: PorousScaffold | None = Field(None, description="a porous electrolyte layer co-fired on the "
                                                                  "dense one, for Li infiltration")

    @model_validator(mode="after")
    def _fires(self) -> CoSintering:
        peak = max(segment.temperature_C for segment in self.profile)
        if peak <= self.start_temperature_C:
            raise ValueError(f"profile: peak {peak:g} C is not above start_temperature_C "
                             f"{self.start_temperature_C:g} C; nothing is fired")
        if peak > 1400:
            raise ValueError(f"profile: peak {peak:g} C is above 1400 C; a co-firing holds for minutes to hours, "
                             f"which garnet survives only up to 1400 C ({LLZO_LIMIT})")
        return self

# The polymer electrolyte steps live in their own module (it imports StepBase from here, defined above)


__all__ = ["CoSintering", "PorousScaffold"]
