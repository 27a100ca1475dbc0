"""The Li/electrolyte interface steps (interlayer deposition, surface cleaning): schema models and rules.

Both prepare a fired garnet surface for the Li anode, so they belong between the electrolyte's last
firing (which would burn an interlayer off and re-clean the surface anyway) and the Li lamination.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from twin.scenario.cell import OXIDE_ELECTROLYTES
from twin.scenario.quantities import NonNegative, OpenFraction, Quantity
from twin.scenario.step_base import StepBase

INTERFACE_KINDS = ("interlayer_deposition", "surface_cleaning")


class InterlayerDeposition(StepBase):
    """A nanometre interlayer on the electrolyte for Li wetting (ALD or sputtering) before the Li anode.

    The Li/electrolyte ASR the lamination gives comes from the layer's material and thickness
    (process_models.interlayers); the deposition sets the station time and the precursor/target use.
    """

    kind: Literal["interlayer_deposition"]
    material: Literal["al2o3", "zno", "au", "mg"] = Field(
        description="ALD Al2O3 (Han 2017), ALD ZnO (Wang 2017), sputtered Au (Wakasugi 2017), evaporated or "
                    "sputtered Mg alloying with the Li (Fu 2017)")
    method: Literal["ald", "sputter", "evaporation"]
    thickness_nm: Quantity(0.1, 1000, why_lo="below 0.1 nm is less than one ALD cycle",
                           why_hi="above 1 um the layer is no longer an interlayer")
    growth_per_cycle_nm: Quantity(0.01, 2, why_lo="below 0.01 nm per cycle no ALD process runs",
                                  why_hi="above 2 nm per cycle is CVD, not self-limiting ALD") | None = None
    cycle_time_s: Quantity(0.01, 600, why_lo="below 10 ms no precursor dose saturates (spatial ALD ~0.1 s)",
                           why_hi="above 10 min per cycle is not a production ALD tool",
                           description="ALD: one precursor/purge/reactant/purge cycle; spatial ALD: one "
                                       "head pair passed") | None = None
    deposition_rate_nm_per_min: Quantity(0.01, 10000, why_lo="below 0.01 nm/min nothing deposits",
                                         why_hi="above 10 um/min is not sputtering or evaporation"
                                         ) | None = None
    source_utilisation: OpenFraction = Field(0.3, description="share of precursor or target that ends in "
                                                              "the film on the sheet")

    @model_validator(mode="after")
    def _method_fields(self) -> InterlayerDeposition:
        if self.method == "ald" and (self.growth_per_cycle_nm is None or self.cycle_time_s is None):
            raise ValueError("growth_per_cycle_nm and cycle_time_s are required for method 'ald'")
        if self.method in ("sputter", "evaporation") and self.deposition_rate_nm_per_min is None:
            raise ValueError(f"deposition_rate_nm_per_min is required for method '{self.method}'")
        if self.method == "ald" and self.material in ("au", "mg"):
            raise ValueError(f"material: '{self.material}' is sputtered or evaporated, not grown by ALD; use method "
                             "'sputter' or 'evaporation'")
        if self.method == "evaporation" and self.material in ("al2o3", "zno"):
            raise ValueError(f"material: '{self.material}' is grown by ALD (or sputtered), not evaporated as a metal; "
                             "use method 'ald' or 'sputter'")
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



def interface_step_problems(scenario) -> list[str]:
    """Problems of the interface steps of a scenario, each naming the field and what to change."""
    problems: list[str] = []
    route = scenario.route
    lamination = next((i for i, s in enumerate(route) if s.kind == "li_lamination"), None)
    # any firing above the carbonate decomposition burns an interlayer off and cleans the surface again
    last_firing = max((i for i, s in enumerate(route) if s.kind == "sintering"),
                      default=-1)
    for index, step in enumerate(route):
        if step.kind not in INTERFACE_KINDS:
            continue
        where = f"route[{index}].{step.kind}"
        if scenario.cell.electrolyte.material not in OXIDE_ELECTROLYTES:
            problems.append(f"{where}: models a garnet surface; cell.electrolyte.material "
                            f"'{scenario.cell.electrolyte.material}' is not one ({', '.join(OXIDE_ELECTROLYTES)})")
        if lamination is None or index > lamination:
            problems.append(f"{where}: must come before an li_lamination step (it prepares the surface the Li "
                            f"covers); move '{step.name}' before the lamination")
        if index < last_firing:
            problems.append(f"{where}: comes before the firing '{route[last_firing].name}', which "
                            f"would undo it; move '{step.name}' after it")
        station = scenario.line.stations.get(step.name)
        if station is None:
            continue
        if step.kind == "interlayer_deposition" and station.kind == "continuous" \
                and station.deposition_zone_length_m is None:
            problems.append(f"line.stations.{step.name}.deposition_zone_length_m: required for a continuous "
                            "interlayer coater (speed = zone length x rate / thickness)")
        if step.kind == "surface_cleaning":
            needed = "batch" if step.method == "heat_treatment" else "discrete"
            if station.kind != needed:
                problems.append(f"line.stations.{step.name}.kind: '{station.kind}'; a {step.method} runs on a "
                                f"{needed} station")
    if lamination is not None and route[lamination].method == "molten":
        problems.extend(_molten_li_problems(scenario, lamination, route[lamination]))
    if lamination is not None and route[lamination].surface_treatment == "interlayer" and any(
            s.kind == "interlayer_deposition" for s in route[:lamination]):
        problems.append(f"route[{lamination}].li_lamination.surface_treatment: 'interlayer' sets a fixed "
                        "interface ASR, but the route deposits its interlayer; use 'cleaned' (carbonate from "
                        "the exposure) or 'none' (air-exposed surface) under it")
    return problems


def _molten_li_problems(scenario, index: int, step) -> list[str]:
    """Molten Li is modelled on a garnet only, and is applied under argon on a heated, timed station."""
    problems = []
    where = f"route[{index}].li_lamination.method"
    if scenario.cell.electrolyte.material not in OXIDE_ELECTROLYTES:
        problems.append(f"{where}: 'molten' models Li wetting a garnet; cell.electrolyte.material "
                        f"'{scenario.cell.electrolyte.material}' is not one ({', '.join(OXIDE_ELECTROLYTES)})")
    station = scenario.line.stations.get(step.name)
    if station is None:
        return problems
    if station.zone != "inert":
        problems.append(f"line.stations.{step.name}.zone: '{station.zone}'; molten Li burns in air and reacts "
                        "with N2 and water: a molten-Li station runs under argon ('inert')")
    if station.kind == "batch":
        problems.append(f"line.stations.{step.name}.kind: 'batch'; molten Li is applied sheet by sheet "
                        "('discrete') or on a heated web ('continuous')")
    if station.kind == "continuous" and station.deposition_zone_length_m is None:
        problems.append(f"line.stations.{step.name}.deposition_zone_length_m: required for a continuous molten-Li "
                        "line (speed = heated melt-zone length / contact time)")
    return problems


__all__ = ["INTERFACE_KINDS", "InterlayerDeposition", "SurfaceCleaning", "interface_step_problems"]
