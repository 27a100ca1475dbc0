"""Process route: the ordered unit operations and each one's recipe.

Every recipe number carries its unit in its name. The bounds are the windows the physics in
``process_models`` is calibrated for, or hard physical limits, and each bound says which.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from process_models.temperature_profile import TemperatureProfile
from process_models.thermal_exposure import MAX_EXPOSURE_AT_REFERENCE_S, exposure_above_limit_s
from twin.scenario.finishing_steps import Ageing, CatholyteFill, Formation
from twin.scenario.interface_steps import InterlayerDeposition, SurfaceCleaning
from twin.scenario.liion_steps import ElectrolyteFilling, SlurryMixing, VacuumDrying
from twin.scenario.limits import MAX_PROFILE_SEGMENTS, MAX_SEGMENT_FIRINGS
from twin.scenario.multilayer_steps import CoSintering
from twin.scenario.polymer_steps import PolymerBackfill, PolymerFilm
from twin.scenario.powder_steps import ArgyroditeMilling, Calcination, PowderMilling
from twin.scenario.quality_check_step import QUALITY_SPEC_FIELDS, DetectionVersusTime, QualityCheck
from twin.scenario.quantities import (
    Flag,
    NonNegative,
    OpenFraction,
    PositiveInt,
    Quantity,
)
from twin.scenario.step_base import LLZO_LIMIT, CastLayer, ProfileSegment, Solvent, StepBase
from twin.scenario.thinfilm_steps import CathodeAnneal, VacuumDeposition
from twin.scenario.vapour_confinement import CONFINEMENT_HELP, VapourConfinement, check_one_enclosure

# The shared step base (twin.scenario.step_base), the step families in their own modules (powder,
# interface, multilayer, polymer, finishing) and the quality check (twin.scenario.quality_check_step) are
# re-exported here: the public names importers use stay in this module.

# Most a press die or HIP vessel takes, per heating mode [MPa] (the general schema bound is 500 MPa)
PRESSURE_LIMITS_MPA = {
    "sps": (100.0, "graphite SPS dies fail above ~100 MPa (assumption: typical graphite die rating)"),
    "hip": (300.0, "industrial HIP vessels run 100-200 MPa, 300 MPa at most (assumption: vendor ranges)"),
}
PRESSURE_MODES = ("hot_press", "sps", "hip")


class TapeCasting(StepBase):
    """Doctor-blade casting of a slurry onto a carrier film (Chou et al. 1987)."""

    kind: Literal["tape_casting"]
    layer: CastLayer
    blade_gap_um: Quantity(5, 2000, why_lo="below 5 um no blade gap is controllable",
                           why_hi="above 2 mm is outside tape casting (Hotza & Greil 1995: 10 um - 1 mm tapes)")
    casting_speed_m_per_min: Quantity(0.01, 100, why_lo="below 0.01 m/min the slurry settles",
                                      why_hi="above 100 m/min no doctor-blade caster runs")
    slurry_viscosity_Pa_s: Quantity(0.05, 100, why_lo="below 0.05 Pa s the slurry runs off the carrier",
                                    why_hi="above 100 Pa s the slurry does not flow under the blade")
    reservoir_height_mm: Quantity(0, 200, why_lo="a head height cannot be negative",
                                  why_hi="above 200 mm is outside any caster reservoir")
    blade_length_mm: Quantity(0.5, 50, why_lo="below 0.5 mm is a knife edge, not a blade land",
                              why_hi="above 50 mm is outside any doctor blade")
    slurry_density_kg_per_m3: Quantity(800, 6000, why_lo="below 800 kg/m3 is lighter than any solvent",
                                       why_hi="above 6000 kg/m3 is denser than the dense ceramic")
    slurry_solids_volume_fraction: Quantity(0.05, 0.7, why_lo="below 5 vol% solids no tape forms",
                                            why_hi="above 70 vol% exceeds random close packing")
    green_relative_density: Quantity(0.3, 0.75, why_lo="below 0.3 the tape has no strength",
                                     why_hi="above 0.75 exceeds the packing of cast powders")
    flow_correction: Quantity(0.3, 1.2, why_lo="below 0.3 the Chou model no longer applies",
                              why_hi="above 1.2 is not side-flow loss") = 0.65
    solvent: Solvent = Field("ethanol", description="the slurry solvent the dryer removes")
    binder_volume_fraction_of_solids: Quantity(0, 0.5, why_hi="above 50 % binder is not a ceramic tape") = 0.1


class Drying(StepBase):
    """Solvent removal from a cast tape in a tunnel dryer."""

    kind: Literal["drying"]
    layer: CastLayer
    temperature_C: Quantity(15, 200, why_lo="below 15 C drying stalls",
                            why_hi="above 200 C the binder degrades in the dryer")
    evaporation_rate_um_per_s: Quantity(0.01, 50, why_lo="below 0.01 um/s no dryer is that slow",
                                        why_hi="above 50 um/s the film skins and cracks")


class SprayDeposition(StepBase):
    """Layer-by-layer spray of an ink (roadmap 2020 §14.3)."""

    kind: Literal["spray_deposition"]
    layer: CastLayer
    target_thickness_um: Quantity(0.5, 300, why_lo="below 0.5 um a spray layer is not continuous",
                                  why_hi="above 300 um spraying is slower than casting")
    feed_rate_ml_per_min: Quantity(0.01, 500, why_lo="below 0.01 ml/min no nozzle atomises",
                                   why_hi="above 500 ml/min floods the substrate")
    ink_solids_volume_fraction: Quantity(0.001, 0.4, why_lo="below 0.1 vol% nothing deposits",
                                         why_hi="above 40 vol% solids ultrasonic nozzles clog (vendor data)")
    transfer_efficiency: OpenFraction
    traverse_speed_mm_per_s: Quantity(1, 2000, why_lo="below 1 mm/s the deposit over-wets",
                                      why_hi="above 2 m/s no gantry traverses")
    swath_width_mm: Quantity(1, 500, why_lo="below 1 mm is not a spray swath", why_hi="above 500 mm is not a nozzle")
    packing_fraction: Quantity(0.3, 0.9, why_lo="below 0.3 the deposit is a powder bed",
                               why_hi="above 0.9 exceeds as-sprayed packing")
    dwell_per_pass_s: NonNegative = 0.0
    reprecipitated: Flag = False
    solvent: Solvent = Field("ethanol", description="the ink solvent the booth evaporates and exhausts")
    drying_temperature_C: Quantity(15, 200, why_lo="below 15 C the ink does not dry between passes",
                                   why_hi="above 200 C the binder degrades") = 60.0


class Sintering(StepBase):
    """Densification of a layer by a temperature profile (and pressure, for hot pressing)."""

    kind: Literal["sintering"]
    layer: CastLayer
    heating_mode: Literal["conventional", "hot_press", "sps", "hip", "rapid", "ultrafast"] = Field(
        description="hot_press: uniaxial die; sps: uniaxial die, Joule heated (fast ramps); hip: isostatic gas "
                    "pressure, densifies only a layer with closed pores (pre-sintered)")
    start_temperature_C: Quantity(0, 200, why_hi="a furnace is loaded below 200 C") = 25.0
    profile: list[ProfileSegment] = Field(min_length=1, max_length=MAX_PROFILE_SEGMENTS)
    atmosphere: Literal["air", "dry_air", "oxygen", "argon", "nitrogen"] = "dry_air"
    cover_powder: Flag
    closed_setter: Flag = False
    exposed_faces: Literal[1, 2] = Field(1, description="faces open to the furnace atmosphere: "
                                                        "1 on a setter, 2 free-standing")
    li_excess_li2co3_wt_fraction: Quantity(0, 0.5, why_hi="Liu et al. 2014 studied 0-50 % Li excess; beyond "
                                                          "that the excess melts out as a liquid phase")
    applied_pressure_MPa: Quantity(0, 500, why_hi="roadmap 2020 §14.1: oxides need up to 500 MPa; presses "
                                                  "stop there",
                                   description="die or gas pressure for hot_press, sps and hip") = 0.0
    particle_size_um: Quantity(0.02, 20, why_lo="below 20 nm is not a processable powder",
                               why_hi="above 20 um the powder does not sinter dense")
    cycles: Quantity(1, 50, integer=True, why_lo="at least one firing",
                     why_hi="above 50 sub-layer firings is not a process",
                     description="times the profile is fired: one per sprayed sub-layer (roadmap §14.3)") = 1
    powder_route: Literal["flame_spray_nano", "calcined", "reactive_precursor"] = Field(
        "flame_spray_nano", description="how the garnet powder was made; each route has its own master sintering "
                                        "curve (docs/calibration/powder_routes.md)")
    sintering_aid: Literal["none", "li3bo3", "li6zr2o7", "li2o_al2o3_liquid"] = Field(
        "none", description="li3bo3 / li6zr2o7: added powder (sintering_aid_wt_fraction); li2o_al2o3_liquid: the "
                            "Li excess with Al from alumina setters forms a grain-boundary liquid (Liu et al. 2014)")
    sintering_aid_wt_fraction: Quantity(0, 0.1, why_hi="above 10 wt% the aid is a second phase, not an aid (Shin et "
                                                       "al. 2016 studied 2-10 wt% Li3BO3)") = 0.0
    vapour_confinement: VapourConfinement | None = Field(None, description=CONFINEMENT_HELP)

    @model_validator(mode="after")
    def _pressure_matches_mode(self) -> Sintering:
        if self.heating_mode in PRESSURE_MODES and self.applied_pressure_MPa <= 0:
            raise ValueError(f"applied_pressure_MPa: 0 must be above 0 for heating_mode '{self.heating_mode}'")
        if self.heating_mode not in PRESSURE_MODES and self.applied_pressure_MPa > 0:
            raise ValueError(
                f"applied_pressure_MPa: {self.applied_pressure_MPa:g} must be 0 unless heating_mode is "
                f"'hot_press', 'sps' or 'hip' (got '{self.heating_mode}')"
            )
        firings = len(self.profile) * self.cycles
        if firings > MAX_SEGMENT_FIRINGS:
            raise ValueError(f"cycles: {len(self.profile)} profile segments x {self.cycles} cycles = {firings} "
                             f"segment firings is above {MAX_SEGMENT_FIRINGS}; use fewer segments or cycles "
                             "(the cost of evaluating a firing grows with their product)")
        limit = PRESSURE_LIMITS_MPA.get(self.heating_mode)
        if limit is not None and self.applied_pressure_MPa > limit[0]:
            raise ValueError(f"applied_pressure_MPa: {self.applied_pressure_MPa:g} is above {limit[0]:g} for "
                             f"heating_mode '{self.heating_mode}' ({limit[1]})")
        self._check_sintering_aid()
        check_one_enclosure(self.closed_setter, self.vapour_confinement)
        peak = max(segment.temperature_C for segment in self.profile)
        if peak <= self.start_temperature_C:
            raise ValueError(f"profile: peak {peak:g} C is not above start_temperature_C "
                             f"{self.start_temperature_C:g} C; nothing is fired")
        if peak > 1400:
            self._check_time_at_temperature(peak)
        return self

    def _check_sintering_aid(self) -> None:
        added = self.sintering_aid in ("li3bo3", "li6zr2o7")
        if added and self.sintering_aid_wt_fraction <= 0:
            raise ValueError(f"sintering_aid_wt_fraction: 0 must be above 0 for sintering_aid '{self.sintering_aid}'")
        if not added and self.sintering_aid_wt_fraction > 0:
            raise ValueError(f"sintering_aid_wt_fraction: {self.sintering_aid_wt_fraction:g} must be 0 unless "
                             f"sintering_aid is 'li3bo3' or 'li6zr2o7' (got '{self.sintering_aid}')")
        if self.sintering_aid == "li2o_al2o3_liquid" and self.li_excess_li2co3_wt_fraction <= 0:
            raise ValueError("li_excess_li2co3_wt_fraction: 0 must be above 0 for sintering_aid 'li2o_al2o3_liquid' "
                             "(the liquid forms from the Li excess and the alumina setter, Liu et al. 2014)")

    def _check_time_at_temperature(self, peak: float) -> None:
        # Above the 1400 C long-hold limit garnet loses Li2O and decomposes at a rate that grows with
        # temperature: seconds (UHS, Wang et al. 2020) are allowed, long holds are not.
        knots = []
        for segment in self.profile:
            knots.append(("ramp", segment.temperature_C + 273.15, segment.rate_C_per_min / 60.0))
            if segment.hold_time_min > 0:
                knots.append(("hold", segment.hold_time_min * 60.0))
        profile = TemperatureProfile.from_segments(self.start_temperature_C + 273.15, knots)
        exposure = exposure_above_limit_s(profile) * self.cycles
        if exposure > MAX_EXPOSURE_AT_REFERENCE_S:
            raise ValueError(
                f"profile: {exposure:.0f} s-equivalent at 1500 C above 1400 C (peak {peak:g} C, {self.cycles} "
                f"firing(s)) exceeds the {MAX_EXPOSURE_AT_REFERENCE_S:g} s garnet survives there (Li2O loss and "
                f"decomposition grow with time at temperature; UHS holds ~10 s, Wang et al. 2020); shorten the "
                f"time above 1400 C or lower the peak")

    @property
    def peak_temperature_C(self) -> float:
        return max(segment.temperature_C for segment in self.profile)


class Pressing(StepBase):
    """Uniaxial pressing or calendering of a powder layer (cold, warm or hot)."""

    kind: Literal["pressing"]
    layer: CastLayer
    mode: Literal["cold", "warm", "hot"]
    method: Literal["uniaxial", "calender"]
    pressure_MPa: Quantity(0.1, 1000, why_lo="below 0.1 MPa nothing consolidates",
                           why_hi="above 1000 MPa exceeds tool-steel dies")
    temperature_C: Quantity(-20, 1400, why_lo="below -20 C is not a press temperature", why_hi=LLZO_LIMIT) = 25.0
    hold_time_min: Quantity(0, 600, why_hi="above 10 h is not a pressing step") = 0.0

    @model_validator(mode="after")
    def _temperature_matches_mode(self) -> Pressing:
        # Roadmap 2020 §14.4: sulphides roll to density below 300 C ("warm"); above that is hot pressing.
        limits = {"cold": (-20, 40), "warm": (40, 300), "hot": (300, 1400)}
        lo, hi = limits[self.mode]
        if not lo <= self.temperature_C <= hi:
            raise ValueError(f"temperature_C: {self.temperature_C:g} is outside [{lo}, {hi}] C for mode "
                             f"'{self.mode}'")
        return self


class LiLamination(StepBase):
    """Li anode application: foil lamination in a roll nip, thermal evaporation, or molten Li under argon."""

    kind: Literal["li_lamination"]
    method: Literal["foil", "evaporation", "molten"]
    pressure_MPa: Quantity(0.1, 200, why_lo="below 0.1 MPa no contact forms",
                           why_hi="above 200 MPa the Li extrudes out of the nip") | None = None
    temperature_C: Quantity(-20, 175, why_lo="below -20 C is not a lamination temperature",
                            why_hi="Li melts at 180.5 C (CRC handbook)") = 25.0
    nip_contact_length_mm: Quantity(0.1, 100, why_lo="below 0.1 mm is a line contact",
                                    why_hi="above 100 mm is a flat press") = 5.0
    source_temperature_C: Quantity(400, 900, why_lo="below 400 C Li evaporates too slowly to coat",
                                   why_hi="above 900 C the Li source boils over (p_vap > 10 kPa)") | None = None
    geometry_factor: OpenFraction = 0.3
    surface_treatment: Literal["none", "cleaned", "interlayer"] = "cleaned"
    melt_temperature_C: Quantity(181, 450, why_lo="Li melts at 180.5 C (CRC handbook)",
                                 why_hi="above 450 C molten Li attacks steel tooling and its vapour grows "
                                        "(assumption; Jin et al. 2023 bond Li to garnet just above 380 C)",
                                 description="molten: temperature of the melt and the heated sheet") | None = None
    contact_time_s: Quantity(1, 3600, why_lo="below 1 s the melt freezes before it spreads (assumption)",
                             why_hi="above an hour per sheet is not a line step",
                             description="molten: time the Li stays liquid on the electrolyte") | None = None
    melt_loss_fraction: Quantity(0, 0.5, why_hi="losing more than half the Li is not a process",
                                 description="molten: Li lost as dross and on the tooling, of the Li bought"
                                 ) = 0.05

    @model_validator(mode="after")
    def _method_fields(self) -> LiLamination:
        if self.method == "foil" and self.pressure_MPa is None:
            raise ValueError("pressure_MPa is required for method 'foil'")
        if self.method == "evaporation" and self.source_temperature_C is None:
            raise ValueError("source_temperature_C is required for method 'evaporation'")
        if self.method == "molten" and (self.melt_temperature_C is None or self.contact_time_s is None):
            raise ValueError("melt_temperature_C and contact_time_s are required for method 'molten'")
        if self.method == "molten" and self.surface_treatment == "interlayer":
            raise ValueError("surface_treatment: 'interlayer' sets a fixed ASR; molten Li takes its wetting from "
                             "the surface: use 'cleaned' or 'none' and an interlayer_deposition step before it")
        return self


class Cutting(StepBase):
    kind: Literal["cutting"]
    method: Literal["laser", "mechanical"] = "laser"
    edge_trim_mm: Quantity(0, 50, why_hi="above 50 mm of trim wastes the sheet") = 2.0


class Stacking(StepBase):
    kind: Literal["stacking"]
    stack_pressure_MPa: Quantity(0, 100, why_hi="above 100 MPa stack pressure is not a cell") = 5.0
    cycling_temperature_C: Quantity(-73, 175, why_lo="below -73 C the CCD law has no data",
                                    why_hi="Li melts at 180.5 C (CRC handbook)",
                                    description="cell operating temperature the critical current density is "
                                                "rated at") = 25.0


class Packaging(StepBase):
    kind: Literal["packaging"]
    format: Literal["pouch", "prismatic"] = "pouch"


RouteStep = Annotated[
    TapeCasting | Drying | SprayDeposition | Sintering | Pressing | LiLamination | Cutting | Stacking
    | QualityCheck | Packaging
    | InterlayerDeposition
    | SurfaceCleaning
    | Calcination | PowderMilling | CoSintering
    | PolymerFilm
    | PolymerBackfill
    | Formation | Ageing
    | CatholyteFill
    | SlurryMixing | ElectrolyteFilling | VacuumDrying
    | ArgyroditeMilling
    | VacuumDeposition | CathodeAnneal,
    Field(discriminator="kind"),
]

STEP_KINDS = (
    "tape_casting", "drying", "spray_deposition", "sintering", "pressing", "li_lamination", "cutting",
    "stacking", "quality_check", "packaging",
    "interlayer_deposition",
    "surface_cleaning",
    "calcination", "powder_milling", "co_sintering",
    "polymer_film",
    "polymer_backfill",
    "formation", "ageing",
    "catholyte_fill",
    "slurry_mixing", "electrolyte_filling", "vacuum_drying",
    "argyrodite_milling",
    "vacuum_deposition", "cathode_anneal",
)

__all__ = [
    "Cutting", "Drying", "LiLamination", "Packaging", "Pressing", "ProfileSegment", "QualityCheck",
    "RouteStep", "STEP_KINDS", "Sintering", "SprayDeposition", "Stacking", "StepBase", "TapeCasting",
    "PositiveInt",
    "InterlayerDeposition",
    "SurfaceCleaning",
    "Calcination", "PowderMilling", "CoSintering",
    "PolymerFilm",
    "PolymerBackfill",
    "Formation", "Ageing",
    "CatholyteFill",
    "SlurryMixing", "ElectrolyteFilling", "VacuumDrying",
    "ArgyroditeMilling",
    "VacuumDeposition", "CathodeAnneal",
    "DetectionVersusTime", "QUALITY_SPEC_FIELDS",
]
