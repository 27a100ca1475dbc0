"""Process route: the ordered unit operations and each one's recipe.

Every recipe number carries its unit in its name. The bounds are the windows the physics in
``process_models`` is calibrated for, or hard physical limits, and each bound says which.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from process_models.temperature_profile import TemperatureProfile
from process_models.thermal_exposure import MAX_EXPOSURE_AT_REFERENCE_S, exposure_above_limit_s
from twin.scenario.cell import Strict
from twin.scenario.inspection_methods import DefectSize, InspectionMethod, check_pod_sizes
from twin.scenario.limits import MAX_PROFILE_SEGMENTS, MAX_SEGMENT_FIRINGS, StepName
from twin.scenario.quantities import (
    Flag,
    Fraction,
    NonNegative,
    OpenFraction,
    PositiveInt,
    Quantity,
)

CastLayer = Literal["electrolyte", "cathode"]
# solvents with properties in process_models.solvent_removal (latent heat, LEL)
Solvent = Literal["ethanol", "toluene", "xylene", "nmp", "water"]

LLZO_LIMIT = "LLZO decomposes/melts"
UHS_LIMIT = ("garnet melts/decomposes within seconds; ultrafast sintering of garnets runs at ~1500 C "
             "(Wang et al. 2020)")
# Most a press die or HIP vessel takes, per heating mode [MPa] (the general schema bound is 500 MPa)
PRESSURE_LIMITS_MPA = {
    "sps": (100.0, "graphite SPS dies fail above ~100 MPa (assumption: typical graphite die rating)"),
    "hip": (300.0, "industrial HIP vessels run 100-200 MPa, 300 MPa at most (assumption: vendor ranges)"),
}
PRESSURE_MODES = ("hot_press", "sps", "hip")


class StepBase(Strict):
    name: StepName
    defect_density_per_m2: Quantity(0, 1000, why_lo="a defect density cannot be negative",
                                    why_hi="above 1000 killer defects per m2 nothing survives",
                                    description="killer defects this step adds (Poisson per area); a defect kills "
                                                "the cell piece it lands on") = 0.0
    defect_size: DefectSize | None = Field(
        default=None, description="make the step's defects latent, with sizes: they stay on the sheet until a "
                                  "quality check's method finds them (its POD at the size) or ship as escapes")


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


class ProfileSegment(Strict):
    """Ramp to ``temperature_C`` at ``rate_C_per_min``, then hold."""

    temperature_C: Quantity(0, 1600, why_lo="below 0 C is not a furnace set point", why_hi=UHS_LIMIT,
                            description="set point; above 1400 C only briefly (the step's time-at-temperature "
                                        "limit)")
    rate_C_per_min: Quantity(0.01, 100000, why_lo="below 0.01 C/min no controller ramps",
                             why_hi="above 1e5 C/min exceeds ultrafast high-temperature sintering "
                                    "(Wang et al. 2020: 1e3-1e4 C/min)")
    hold_time_min: Quantity(0, 6000, why_lo="a hold cannot be negative", why_hi="above 100 h is not a process") = 0.0


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
    """Li anode application: foil lamination in a roll nip, or thermal evaporation."""

    kind: Literal["li_lamination"]
    method: Literal["foil", "evaporation"]
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

    @model_validator(mode="after")
    def _method_fields(self) -> LiLamination:
        if self.method == "foil" and self.pressure_MPa is None:
            raise ValueError("pressure_MPa is required for method 'foil'")
        if self.method == "evaporation" and self.source_temperature_C is None:
            raise ValueError("source_temperature_C is required for method 'evaporation'")
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


class DetectionVersusTime(Strict):
    """Detection that grows with inspection time: each further reference-length look misses independently.

    p(t) = 1 - (1 - p_ref)^(t / t_ref), with t the station's cycle time per sheet: a slower, finer
    inspection finds more (assumption: independent looks; fit p_ref, t_ref to the station's POD data).
    """

    reference_cycle_time_s: Quantity(0, 3600, lo_open=True, why_lo="must be positive",
                                     why_hi="above an hour per sheet is not an inline inspection")
    reference_detection_probability: Quantity(0, 1, lo_open=True, hi_open=True, why_lo="must be positive",
                                              why_hi="below 1: a look that never misses needs no time law")


class QualityCheck(StepBase):
    """Inline inspection: out-of-spec sheets it detects are scrapped here, counted by cause.

    An out-of-spec sheet it misses (``detection_probability`` < 1) stays bad: it travels on, takes the
    value added downstream and is caught by a later check that finds it out of spec, or leaves the
    plant as an escape. An in-spec sheet is rejected with ``false_reject_probability``.
    """

    kind: Literal["quality_check"]
    min_relative_density: Fraction | None = None
    max_li_loss_fraction: Fraction | None = None
    max_electrolyte_asr_ohm_cm2: Quantity(0, None, lo_open=True, why_lo="must be positive") | None = None
    min_ionic_conductivity_mS_per_cm: Quantity(0, None, lo_open=True, why_lo="must be positive") | None = None
    max_interface_asr_ohm_cm2: Quantity(0, None, lo_open=True, why_lo="must be positive") | None = None
    thickness_tolerance_fraction: OpenFraction | None = None
    min_cathode_relative_density: Fraction | None = None
    min_areal_capacity_mAh_per_cm2: Quantity(0, 15, lo_open=True, why_lo="must be positive",
                                             why_hi="above 15 mAh/cm2 no SSB cathode is made") | None = None
    min_critical_current_density_mA_per_cm2: Quantity(0, None, lo_open=True, why_lo="must be positive",
                                                      description="applies to sheets past a stacking step, "
                                                                  "where the CCD is rated") | None = None
    detection_probability: Fraction = 1.0
    detection_versus_time: DetectionVersusTime | None = Field(
        default=None, description="derive detection_probability from the station's cycle_time_s instead")
    false_reject_probability: Quantity(0, 0.5, why_lo="a probability cannot be negative",
                                       why_hi="an inspection rejecting over half its good sheets is not in use"
                                       ) = 0.0
    method: InspectionMethod | None = Field(
        default=None, description="how the check looks for latent sized defects (optical, xray_2d, xray_ct, "
                                  "eol_electrical): its POD at each sheet's defect size decides what it finds, "
                                  "its scan or test time sets the station's cycle time")

    @model_validator(mode="after")
    def _has_a_spec(self) -> QualityCheck:
        if self.method is None and all(getattr(self, name) is None for name in QUALITY_SPEC_FIELDS):
            raise ValueError("a quality_check needs at least one spec limit (e.g. min_relative_density) "
                             "or an inspection method")
        if self.method is not None:
            check_pod_sizes(self.method)
            if self.detection_versus_time is not None:
                raise ValueError("detection_versus_time conflicts with method: the method's scan or test time is "
                                 "the station's cycle time and its POD decides what it finds; give one")
        if self.detection_versus_time is not None and self.detection_probability != 1.0:
            raise ValueError(f"detection_probability: {self.detection_probability:g} conflicts with "
                             "detection_versus_time, which sets it from the station's cycle time; give one")
        return self


# Spec limits of a quality check, in the order of the scrap causes they give
QUALITY_SPEC_FIELDS = (
    "min_relative_density", "max_li_loss_fraction", "max_electrolyte_asr_ohm_cm2", "min_ionic_conductivity_mS_per_cm",
    "max_interface_asr_ohm_cm2", "thickness_tolerance_fraction", "min_cathode_relative_density",
    "min_areal_capacity_mAh_per_cm2", "min_critical_current_density_mA_per_cm2",
)


class Packaging(StepBase):
    kind: Literal["packaging"]
    format: Literal["pouch", "prismatic"] = "pouch"


class InterlayerDeposition(StepBase):
    """A nanometre interlayer on the electrolyte for Li wetting (ALD or sputtering) before the Li anode.

    The Li/electrolyte ASR the lamination gives comes from the layer's material and thickness
    (process_models.interlayers); the deposition sets the station time and the precursor/target use.
    """

    kind: Literal["interlayer_deposition"]
    material: Literal["al2o3", "zno", "au"] = Field(description="ALD Al2O3 (Han 2017), ALD ZnO (Wang 2017), "
                                                                "sputtered Au (Wakasugi 2017)")
    method: Literal["ald", "sputter"]
    thickness_nm: Quantity(0.1, 1000, why_lo="below 0.1 nm is less than one ALD cycle",
                           why_hi="above 1 um the layer is no longer an interlayer")
    growth_per_cycle_nm: Quantity(0.01, 2, why_lo="below 0.01 nm per cycle no ALD process runs",
                                  why_hi="above 2 nm per cycle is CVD, not self-limiting ALD") | None = None
    cycle_time_s: Quantity(0.01, 600, why_lo="below 10 ms no precursor dose saturates (spatial ALD ~0.1 s)",
                           why_hi="above 10 min per cycle is not a production ALD tool",
                           description="ALD: one precursor/purge/reactant/purge cycle; spatial ALD: one "
                                       "head pair passed") | None = None
    deposition_rate_nm_per_min: Quantity(0.01, 10000, why_lo="below 0.01 nm/min nothing deposits",
                                         why_hi="above 10 um/min is not sputtering") | None = None
    source_utilisation: OpenFraction = Field(0.3, description="share of precursor or target that ends in "
                                                              "the film on the sheet")

    @model_validator(mode="after")
    def _method_fields(self) -> InterlayerDeposition:
        if self.method == "ald" and (self.growth_per_cycle_nm is None or self.cycle_time_s is None):
            raise ValueError("growth_per_cycle_nm and cycle_time_s are required for method 'ald'")
        if self.method == "sputter" and self.deposition_rate_nm_per_min is None:
            raise ValueError("deposition_rate_nm_per_min is required for method 'sputter'")
        if self.method == "ald" and self.material == "au":
            raise ValueError("material: 'au' is sputtered or evaporated, not grown by ALD; use method 'sputter'")
        return self


class SurfaceCleaning(StepBase):
    """Removal of the Li2CO3/LiOH surface layer of a garnet before the Li anode: heat in Ar, or polish."""

    kind: Literal["surface_cleaning"]
    method: Literal["heat_treatment", "polishing"]
    temperature_C: Quantity(200, 900, why_lo="below 200 C the carbonate does not decompose",
                            why_hi="above 900 C the garnet loses Li (a firing, not a cleaning)") | None = None
    hold_time_min: Quantity(0, 1440, why_hi="above 24 h is not a cleaning step") = 0.0
    heating_rate_C_per_min: Quantity(0.5, 1000, why_lo="below 0.5 C/min no furnace ramps",
                                     why_hi="above 1000 C/min is flash heating") = 5.0
    removal_depth_um: Quantity(0, 100, why_hi="above 100 um polishing removes the electrolyte") | None = None
    consumables_usd_per_m2: NonNegative = Field(0.0, description="polishing pads and slurry per m2 polished")

    @model_validator(mode="after")
    def _method_fields(self) -> SurfaceCleaning:
        if self.method == "heat_treatment" and self.temperature_C is None:
            raise ValueError("temperature_C is required for method 'heat_treatment'")
        if self.method == "polishing" and self.removal_depth_um is None:
            raise ValueError("removal_depth_um is required for method 'polishing'")
        return self


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
# Formation, ageing and the hybrid cells' catholyte fill live in their own module (StepBase is above)
from twin.scenario.finishing_steps import Ageing, CatholyteFill, Formation  # noqa: E402
from twin.scenario.polymer_steps import PolymerBackfill, PolymerFilm  # noqa: E402

RouteStep = Annotated[
    TapeCasting | Drying | SprayDeposition | Sintering | Pressing | LiLamination | Cutting | Stacking
    | QualityCheck | Packaging
    | InterlayerDeposition
    | SurfaceCleaning
    | Calcination | PowderMilling | CoSintering
    | PolymerFilm
    | PolymerBackfill
    | Formation | Ageing
    | CatholyteFill,
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
]
