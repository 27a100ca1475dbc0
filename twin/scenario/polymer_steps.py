"""Polymer electrolyte route steps: a PEO-LiTFSI film, and the back-fill of a porous ceramic scaffold.

Imported by :mod:`twin.scenario.route` into the ``RouteStep`` union (roadmap 2020 §10, §14.2.1, §14.4).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from twin.scenario.quantities import Quantity
from twin.scenario.step_base import StepBase


class PolymerFilm(StepBase):
    """A polymer electrolyte film (PEO-LiTFSI) laid on the cathode: solvent cast (doctor blade, then the
    solvent is dried off in line) or melt extruded without solvent (roadmap 2020 §10, §14.2.1)."""

    kind: Literal["polymer_film"]
    method: Literal["solvent_cast", "extrusion"]
    target_thickness_um: Quantity(5, 200, why_lo="below 5 um a free polymer film is not pinhole-free (assumption: "
                                  "commercial PEO films are 20-100 um)",
                                  why_hi="above 200 um the polymer dominates the cell's resistance and volume")
    line_speed_m_per_min: Quantity(0.1, 60, why_lo="below 0.1 m/min no coater or extruder runs",
                                   why_hi="above 60 m/min no polymer film line runs (Li-ion coaters ~ 30-80 m/min)")
    solution_solids_mass_fraction: Quantity(0.01, 0.5, why_lo="below 1 wt% solids the cast film is too thin to "
                                            "dry in one pass",
                                            why_hi="above 50 wt% a PEO solution no longer flows under a blade "
                                            "(assumption)") | None = Field(
        None, description="solvent_cast only: polymer + salt mass fraction of the casting solution")
    melt_temperature_C: Quantity(70, 200, why_lo="PEO melts at ~65 C: below 70 C it does not flow",
                                 why_hi="above 200 C PEO-LiTFSI degrades (assumption: TGA onset ~200-250 C)"
                                 ) | None = Field(None, description="extrusion only: melt temperature at the die")
    ceramic_filler: Literal["none", "lagp"] = Field(
        "none", description="ceramic powder co-deposited with the polymer (a PEO(LiTFSI)+LAGP composite, roadmap "
                            "2020 §14.3, ref [130])")
    filler_volume_fraction: Quantity(0, 0.7, why_lo="a fraction cannot be negative",
                                     why_hi="above ~70 vol% powder the polymer no longer binds it (random close "
                                            "packing ~64 %)") = 0.0

    @model_validator(mode="after")
    def _method_fields(self) -> PolymerFilm:
        if self.method == "solvent_cast" and self.solution_solids_mass_fraction is None:
            raise ValueError("solution_solids_mass_fraction is required for method 'solvent_cast'")
        if self.method == "extrusion" and self.melt_temperature_C is None:
            raise ValueError("melt_temperature_C is required for method 'extrusion'")
        if (self.ceramic_filler == "none") != (self.filler_volume_fraction == 0):
            raise ValueError(f"filler_volume_fraction: {self.filler_volume_fraction:g} must be above 0 exactly when "
                             f"ceramic_filler is not 'none' (got '{self.ceramic_filler}')")
        if self.method == "extrusion" and self.solution_solids_mass_fraction is not None:
            raise ValueError("solution_solids_mass_fraction: an extruded film has no solvent; remove it")
        return self


class PolymerBackfill(StepBase):
    """Back-fill of a part-sintered porous electrolyte scaffold with a polymer electrolyte, as a melt or a
    solution, by capillarity and an applied pressure (vacuum infiltration), then cured / dried (roadmap 2020
    §14.2.1, §14.4)."""

    kind: Literal["polymer_backfill"]
    method: Literal["melt", "solution"]
    polymer: Literal["peo_litfsi"] = "peo_litfsi"
    viscosity_Pa_s: Quantity(0.0003, 1e5, why_lo="below 0.3 mPa s is thinner than any solvent",
                             why_hi="above 1e5 Pa s (high-MW PEO melts ~1e3-1e4 Pa s) nothing infiltrates")
    surface_tension_mN_per_m: Quantity(10, 80, why_lo="below 10 mN/m is no polymer or solvent",
                                       why_hi="above 80 mN/m is above water (72 mN/m)")
    contact_angle_deg: Quantity(0, 89, why_lo="a contact angle cannot be negative",
                                why_hi="at 90 deg and above the liquid does not wet the ceramic: no capillary "
                                       "uptake") = 30.0
    pore_radius_um: Quantity(0.01, 50, why_lo="below 10 nm is not a sintered scaffold's pore",
                             why_hi="above 50 um is a coarse foam, not an electrolyte scaffold")
    tortuosity: Quantity(1, 10, why_lo="a path cannot be shorter than the depth",
                         why_hi="above 10 the pore network is not connected") = 1.5
    applied_pressure_kPa: Quantity(0, 10000, why_hi="above 10 MPa is outside pressure-infiltration equipment",
                                   description="pressure difference beyond capillarity (vacuum infiltration "
                                               "~100 kPa)") = 0.0
    temperature_C: Quantity(15, 200, why_lo="below 15 C is not a process temperature",
                            why_hi="above 200 C PEO-LiTFSI degrades (assumption: TGA onset ~200-250 C)")
    infiltration_time_min: Quantity(0.1, 1440, why_lo="below 6 s no bath or vacuum cycle is that short",
                                    why_hi="above a day is not a production step")
    cure_time_min: Quantity(0, 1440, why_hi="above a day is not a production step",
                            description="drying (solution) or solidification (melt) after each infiltration") = 0.0
    exposed_faces: Literal[1, 2] = Field(1, description="faces the polymer enters from: 1 on a cathode or "
                                                        "setter, 2 free-standing")
    solution_solids_volume_fraction: Quantity(0.01, 0.5, why_lo="below 1 vol% nothing is left in the pores",
                                              why_hi="above 50 vol% a PEO solution is a gel") | None = Field(
        None, description="solution only: the pore volume one cycle leaves filled with polymer")
    cycles: Quantity(1, 20, integer=True, why_lo="at least one infiltration",
                     why_hi="above 20 infiltrate-dry cycles is not a process") = 1

    @model_validator(mode="after")
    def _method_fields(self) -> PolymerBackfill:
        if self.method == "solution" and self.solution_solids_volume_fraction is None:
            raise ValueError("solution_solids_volume_fraction is required for method 'solution'")
        if self.method == "melt" and self.solution_solids_volume_fraction is not None:
            raise ValueError("solution_solids_volume_fraction: a melt has no solvent; remove it")
        if self.method == "melt" and self.temperature_C < 70:
            raise ValueError(f"temperature_C: {self.temperature_C:g} is below 70 for method 'melt' (PEO melts at "
                             "~65 C)")
        return self



__all__ = ["PolymerBackfill", "PolymerFilm"]
