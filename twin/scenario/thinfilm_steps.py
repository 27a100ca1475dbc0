"""Route steps of the thin-film cell (roadmap 2020 §16): vacuum deposition of a layer and the cathode
anneal (schema models; physics in process_models.vacuum_deposition / thin_film_cathode, behaviour in
twin.operations), and the route rules that tie them to the cell design and the stations."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from process_models.thin_film_substrates import SUBSTRATES
from process_models.vacuum_deposition import SPUTTER_TARGETS
from twin.scenario.cell import THIN_FILM_CATHODES, THIN_FILM_ELECTROLYTES
from twin.scenario.limits import MAX_PROFILE_SEGMENTS
from twin.scenario.quantities import OpenFraction, Quantity
from twin.scenario.step_base import ProfileSegment, StepBase

SPUTTER_METHODS = ("rf_sputter", "pulsed_dc_sputter")
# which targets make which layer
LAYER_TARGETS = {"cathode": ("licoo2",), "electrolyte": ("li3po4",), "current_collector": ("ti", "pt", "cu")}
# the anneal model is fitted at 500-700 C; LiCoO2 loses Li and reacts with substrates above ~900 C
MAX_ANNEAL_TEMPERATURE_C = 900.0


class VacuumDeposition(StepBase):
    """One layer of a thin-film cell deposited in vacuum: magnetron sputtering, evaporation or ALD.

    The cathode and electrolyte take their thickness from ``cell``; a current collector gives its own.
    The static rate follows the method (process_models.vacuum_deposition); a batch chamber coats its
    load at once, a web coater runs at speed = static rate x zone length / thickness. An electrolyte
    layer carries through-pinholes (density falling with its thickness); each shorts the cell piece it is
    in, found only by an end-of-line OCV screen (an ``ageing`` step).
    """

    kind: Literal["vacuum_deposition"]
    layer: Literal["current_collector", "cathode", "electrolyte"]
    method: Literal["rf_sputter", "pulsed_dc_sputter", "evaporation", "ald", "plasma_ald"] = Field(
        description="rf/pulsed-DC magnetron sputtering (LiPON: reactive, Li3PO4 in N2), arc/thermal evaporation "
                    "(LiPON from Li3PO4: 8 nm/min; collectors: deposition_rate_nm_per_min), thermal or plasma ALD "
                    "of LiPON")
    target: Literal["licoo2", "li3po4", "ti", "pt", "cu"] = Field(
        description="sputter target or evaporation source material; priced per kg as '<target>_target'")
    thickness_um: Quantity(0.01, 20, why_lo="below 10 nm a collector does not conduct",
                           why_hi="above 20 um is not a thin-film collector",
                           description="current_collector only (cathode and electrolyte take cell.*.thickness_um)"
                           ) | None = None
    power_density_W_per_cm2: Quantity(0.1, 20, why_lo="below 0.1 W/cm2 no magnetron discharge runs",
                                      why_hi="above 20 W/cm2 melts any target") | None = None
    deposition_rate_nm_per_min: Quantity(0.01, 100000, why_lo="below 0.01 nm/min nothing deposits",
                                         why_hi="above 100 um/min exceeds evaporation metallisers",
                                         description="evaporation of a collector metal: static rate (metallisers "
                                                     "lay 0.01-0.2 um per pass at up to 750 m/min, ubuvac.com)"
                                         ) | None = None
    target_form: Literal["planar", "rotary"] = Field(
        "planar", description="planar targets are used up at ~30 %, rotary ~80 % (indium.com; goodtungsten.com)")
    transfer_efficiency: OpenFraction = Field(
        0.5, description="share of the sputtered/evaporated material that lands on the substrates (the rest coats "
                         "shields and masks); assumption: no measured value was found")
    pinhole_density_per_cm2: Quantity(0, 100, why_hi="above 100 through-pinholes per cm2 nothing survives",
                                      description="electrolyte: through-pinholes per cm2 at "
                                                  "pinhole_reference_thickness_um") = 0.0
    pinhole_reference_thickness_um: Quantity(0.01, 20, why_lo="below 10 nm is not a closed film",
                                             why_hi="above 20 um is not a thin film") = 1.0
    pinhole_decay_length_um: Quantity(0.01, 20, why_lo="must be positive",
                                      why_hi="above 20 um thickness would not matter",
                                      description="thickness over which the pinhole density falls by e") = 0.5

    @model_validator(mode="after")
    def _method_fields(self) -> VacuumDeposition:
        if self.target not in LAYER_TARGETS[self.layer]:
            raise ValueError(f"target: '{self.target}' does not make a {self.layer} layer; use "
                             f"{' or '.join(repr(t) for t in LAYER_TARGETS[self.layer])}")
        if (self.layer == "current_collector") != (self.thickness_um is not None):
            raise ValueError("thickness_um: give it for a current_collector layer only (the cathode and electrolyte "
                             "take cell.cathode/electrolyte.thickness_um)")
        if self.method in SPUTTER_METHODS:
            if self.power_density_W_per_cm2 is None:
                raise ValueError(f"power_density_W_per_cm2 is required for method '{self.method}'")
            limit = SPUTTER_TARGETS[self.target]["max_power_density_W_per_cm2"]
            if self.power_density_W_per_cm2 > limit:
                raise ValueError(f"power_density_W_per_cm2: {self.power_density_W_per_cm2:g} is above {limit:g} for a "
                                 f"{self.target} target (it cracks or melts above; allowed [0.1, {limit:g}])")
        elif self.power_density_W_per_cm2 is not None:
            raise ValueError(f"power_density_W_per_cm2: only for sputtering, not method '{self.method}'")
        if self.method in ("ald", "plasma_ald") and self.layer != "electrolyte":
            raise ValueError(f"method: '{self.method}' is modelled for LiPON only (Nisula 2015, Put 2019); use it "
                             "for the electrolyte layer")
        if self.method == "evaporation":
            if self.layer == "cathode":
                raise ValueError("method: 'evaporation' does not make LiCoO2 (it decomposes); sputter it")
            if self.layer == "current_collector" and self.deposition_rate_nm_per_min is None:
                raise ValueError("deposition_rate_nm_per_min is required to evaporate a current collector")
        elif self.deposition_rate_nm_per_min is not None:
            raise ValueError(f"deposition_rate_nm_per_min: only for evaporating a collector, not method "
                             f"'{self.method}'")
        if self.layer != "electrolyte" and self.pinhole_density_per_cm2 > 0:
            raise ValueError(f"pinhole_density_per_cm2: only an electrolyte layer shorts the cell through a pinhole, "
                             f"not a {self.layer} layer")
        return self


class CathodeAnneal(StepBase):
    """Crystallising anneal of the sputtered cathode film over a temperature profile.

    Capacity per um and grain size rise with anneal temperature and time; Li leaves as Li2O vapour
    (process_models.thin_film_cathode). The substrate must survive the peak (cell.substrate).
    """

    kind: Literal["cathode_anneal"]
    start_temperature_C: Quantity(0, 200, why_hi="a furnace is loaded below 200 C") = 25.0
    profile: list[ProfileSegment] = Field(min_length=1, max_length=MAX_PROFILE_SEGMENTS)
    atmosphere: Literal["air", "oxygen"] = Field(
        "air", description="oxidising only: without enough oxygen Co3O4 forms (research notes A2); the model is "
                           "fitted to anneals in air / O2 and treats both alike")

    @model_validator(mode="after")
    def _fires(self) -> CathodeAnneal:
        peak = max(segment.temperature_C for segment in self.profile)
        if peak <= self.start_temperature_C:
            raise ValueError(f"profile: peak {peak:g} C is not above start_temperature_C "
                             f"{self.start_temperature_C:g} C; nothing is annealed")
        if peak > MAX_ANNEAL_TEMPERATURE_C:
            raise ValueError(f"profile: peak {peak:g} C is above {MAX_ANNEAL_TEMPERATURE_C:g} C (LiCoO2 films lose Li "
                             "and react with their substrate; the anneal model is fitted at 500-700 C)")
        return self

    @property
    def peak_temperature_C(self) -> float:
        return max(segment.temperature_C for segment in self.profile)


def _uses_vacuum_block(step) -> bool:
    """Whether the step's operation reads ``line.stations.<name>.vacuum`` (twin.operations)."""
    return isinstance(step, VacuumDeposition) or (step.kind == "li_lamination" and step.method == "evaporation")


def thin_film_problems(scenario) -> list[str]:
    """Route rules of the thin-film steps: the cell design, the substrate and the stations agree."""
    problems: list[str] = []
    cell = scenario.cell
    deposited: dict[str, int] = {}
    first_li = next((i for i, s in enumerate(scenario.route) if s.kind == "li_lamination"), None)
    for index, step in enumerate(scenario.route):
        station = scenario.line.stations.get(step.name)
        if station is not None and station.vacuum is not None and not _uses_vacuum_block(step):
            # only a deposition chamber or a Li evaporator reads the block: anywhere else it would be ignored
            problems.append(f"line.stations.{step.name}.vacuum: a '{step.kind}' step"
                            f"{f' by method {step.method!r}' if step.kind == 'li_lamination' else ''} does not use "
                            "a vacuum block (only vacuum_deposition and li_lamination by 'evaporation' do); remove it")
        if step.kind == "li_lamination" and station is not None and station.kind == "batch" \
                and step.method != "evaporation":
            problems.append(f"line.stations.{step.name}.kind: 'batch' evaporates Li in a vacuum chamber; a "
                            f"'{step.method}' lamination needs a continuous or discrete station")
        if step.kind in ("tape_casting", "spray_deposition") and step.layer == "cathode" \
                and cell.cathode.material in THIN_FILM_CATHODES:
            problems.append(f"route[{index}].{step.kind}.layer: cell.cathode.material '{cell.cathode.material}' is a "
                            "sputtered film, not a cast or sprayed powder; make it with a vacuum_deposition step")
        if isinstance(step, VacuumDeposition):
            deposited.setdefault(step.layer, index)
            if cell.substrate is None:
                problems.append(f"cell.substrate: required for route[{index}].vacuum_deposition (the layers are "
                                "deposited on it)")
            if step.layer == "cathode" and cell.cathode.material not in THIN_FILM_CATHODES:
                problems.append(f"route[{index}].vacuum_deposition.layer: cell.cathode.material "
                                f"'{cell.cathode.material}' is a composite; a sputtered cathode is one of "
                                f"{', '.join(THIN_FILM_CATHODES)}")
            if step.layer == "electrolyte" and cell.electrolyte.material not in THIN_FILM_ELECTROLYTES:
                problems.append(f"route[{index}].vacuum_deposition.layer: cell.electrolyte.material "
                                f"'{cell.electrolyte.material}' is not deposited in vacuum; use one of "
                                f"{', '.join(THIN_FILM_ELECTROLYTES)}")
            if station is None:
                continue
            if station.vacuum is None:
                problems.append(f"line.stations.{step.name}.vacuum: required for a vacuum_deposition station "
                                "(pumps, cycle, sources)")
            elif step.method in SPUTTER_METHODS and station.vacuum.target_area_cm2 is None:
                problems.append(f"line.stations.{step.name}.vacuum.target_area_cm2: required for sputtering "
                                "(source power = power density x target area)")
            if station.kind == "continuous" and station.deposition_zone_length_m is None:
                problems.append(f"line.stations.{step.name}.deposition_zone_length_m: required for a web coater "
                                "(speed = static rate x zone length / thickness)")
        elif isinstance(step, CathodeAnneal):
            if "cathode" not in deposited:
                problems.append(f"route[{index}].cathode_anneal: no vacuum_deposition of the cathode before this "
                                f"step; move '{step.name}' after it")
            if "electrolyte" in deposited or (first_li is not None and first_li < index):
                problems.append(f"route[{index}].cathode_anneal: the anneal must come before the electrolyte and the "
                                "Li anode (Li melts at 180.5 C; LiPON is deposited on the annealed cathode, US "
                                "9,887,414)")
            if cell.substrate is not None:
                data = SUBSTRATES[cell.substrate.material]
                if step.peak_temperature_C > data["max_anneal_temperature_C"]:
                    problems.append(f"route[{index}].cathode_anneal.profile: peak {step.peak_temperature_C:g} C is "
                                    f"above the {data['max_anneal_temperature_C']:g} C the {cell.substrate.material} "
                                    f"substrate survives ({data['why']})")
            if station is not None and station.kind == "continuous" and station.heated_length_m is None:
                problems.append(f"line.stations.{step.name}.heated_length_m: required for a continuous anneal")
    if cell.substrate is not None and not deposited:
        # the substrate is the thin-film stack's carrier and collector; a cell without deposited layers ignores it
        problems.append(f"cell.substrate: '{cell.substrate.material}' is only used by a thin-film cell (a "
                        "vacuum_deposition step); remove it or deposit the layers on it")
    if cell.cathode.material in THIN_FILM_CATHODES and "cathode" not in deposited:
        problems.append(f"route: cell.cathode.material '{cell.cathode.material}' needs a vacuum_deposition step "
                        "of layer 'cathode'")
    if cell.electrolyte.material in THIN_FILM_ELECTROLYTES and "electrolyte" not in deposited:
        problems.append(f"route: cell.electrolyte.material '{cell.electrolyte.material}' needs a vacuum_deposition "
                        "step of layer 'electrolyte'")
    return problems


__all__ = ["CathodeAnneal", "VacuumDeposition", "thin_film_problems"]
