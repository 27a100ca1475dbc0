"""The scenario: one plant making one cell design. The single schema validated at the edge."""

from __future__ import annotations

import difflib
from typing import Literal

from pydantic import Field, model_validator

from twin.scenario.batpac_plant import BatpacPlant, batpac_problems
from twin.scenario.cell import OXIDE_ELECTROLYTES, SULPHIDE_ELECTROLYTES, CellDesign, Strict
from twin.scenario.costs import Costs, Plant
from twin.scenario.economics import Investment
from twin.scenario.finishing_steps import assembly_order_problems
from twin.scenario.interface_steps import interface_step_problems
from twin.scenario.liion_steps import liion_route_problems
from twin.scenario.limits import (
    MAX_DESCRIPTION_CHARS,
    MAX_MACHINES_PER_LINE,
    MAX_ROUTE_STEPS,
    MAX_SOURCES,
    SourceKey,
    SourceText,
)
from twin.scenario.line import ALLOWED_STATION_KINDS, Line
from twin.scenario.machine_sizes import size_problems
from twin.scenario.material_check import material_problems
from twin.scenario.optimisation_space import OptimisationSpace
from twin.scenario.polymer_rules import polymer_route_problems
from twin.scenario.quantities import Quantity
from twin.scenario.route import LiLamination, Pressing, RouteStep, Sintering
from twin.scenario.thinfilm_steps import thin_film_problems
from twin.scenario.variation import Variation

# Li6PS5Cl is annealed at about 550 C (Yu et al., Electrochim. Acta 2016); the sulphide decomposes and
# loses sulphur well above that, so the physics is not calibrated there.
SULPHIDE_MAX_TEMPERATURE_C = 600.0


class Scenario(Strict):
    schema_version: Literal[1] = 1
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$")
    description: str = Field(min_length=1, max_length=MAX_DESCRIPTION_CHARS)
    seed: Quantity(0, 2**63 - 1, integer=True, why_lo="a seed is a non-negative integer",
                   why_hi="a seed fits in 63 bits")
    cell: CellDesign
    route: list[RouteStep] = Field(min_length=1, max_length=MAX_ROUTE_STEPS)
    line: Line
    costs: Costs
    plant: Plant
    variation: Variation = Field(default_factory=Variation)
    optimisation: OptimisationSpace | None = None
    investment: Investment | None = None
    batpac: BatpacPlant | None = Field(None, description="BatPaC V5 per-step volume scaling of capital, labour "
                                       "and floor area, and its fixed-yield mode (twin.scenario.batpac_plant)")
    sources: dict[SourceKey, SourceText] = Field(
        default_factory=dict,
        max_length=MAX_SOURCES,
        description="dotted path prefix -> source (paper + year, roadmap section) or 'assumption: why'",
    )

    @model_validator(mode="after")
    def _route_and_line_agree(self) -> Scenario:
        problems: list[str] = []
        names = [step.name for step in self.route]
        seen: set[str] = set()
        for index, step in enumerate(self.route):
            if step.name in seen:
                problems.append(f"route[{index}].{step.kind}.name: '{step.name}' is used by an earlier step; "
                                "step names must be unique")
            seen.add(step.name)
        for index, step in enumerate(self.route):
            station = self.line.stations.get(step.name)
            if station is None:
                problems.append(f"line.stations: no station for route step '{step.name}' (route[{index}]); "
                                "add line.stations." + step.name)
                continue
            before_station = len(problems)
            allowed = ALLOWED_STATION_KINDS[step.kind]
            if station.kind not in allowed:
                problems.append(f"line.stations.{step.name}.kind: '{station.kind}' cannot carry out a "
                                f"{step.kind} step; allowed {', '.join(allowed)}")
            # a spray booth's time comes from its recipe, an inspection method's from its scan or test
            timed_by_recipe = step.kind == "spray_deposition" or (step.kind == "quality_check"
                                                                  and step.method is not None)
            if station.kind == "discrete" and station.cycle_time_s is None and not timed_by_recipe:
                problems.append(f"line.stations.{step.name}.cycle_time_s: required for a discrete "
                                f"{step.kind} station")
            if step.kind == "drying" and station.dryer_length_m is None:
                problems.append(f"line.stations.{step.name}.dryer_length_m: required for a drying station")
            if (step.kind == "li_lamination" and step.method == "foil" and station.kind == "continuous"
                    and station.line_speed_m_per_min is None):
                problems.append(f"line.stations.{step.name}.line_speed_m_per_min: required for a continuous "
                                "foil laminator")
            if (step.kind == "li_lamination" and step.method == "evaporation" and station.kind != "batch"
                    and station.deposition_zone_length_m is None):
                problems.append(f"line.stations.{step.name}.deposition_zone_length_m: required for an "
                                "evaporation station")
            if step.kind == "sintering" and station.kind == "continuous" and station.heated_length_m is None:
                problems.append(f"line.stations.{step.name}.heated_length_m: required for a continuous "
                                "(belt or roll-to-roll) sintering station")
            if (step.kind == "quality_check" and step.detection_versus_time is not None
                    and (station.kind != "discrete" or station.cycle_time_s is None)):
                problems.append(f"route[{index}].quality_check.detection_versus_time: needs a discrete station "
                                f"with cycle_time_s (line.stations.{step.name}); detection grows with that time")
            physics_energy = step.kind in ("spray_deposition", "drying", "powder_milling", "argyrodite_milling",
                                           "vacuum_deposition") or (
                step.kind in ("sintering", "calcination", "co_sintering", "cathode_anneal")
                and station.furnace is not None) or getattr(step, "capacity_grading", None) is not None
            if getattr(step, "capacity_grading", None) is not None and station.power_kW is not None:
                # a grading tester's draw is its channels charging the cells (twin.grading_tester): a metered
                # figure beside it would count the same power twice or ignore the cell
                problems.append(f"line.stations.{step.name}.power_kW: {station.power_kW:g} on a station whose "
                                "check grades capacity; allowed: none (the channels' power follows from the cell's "
                                "energy and charge rate; give the standby draw as idle_power_kW)")
            if station.power_kW is None and station.vacuum is None and not physics_energy:
                problems.append(f"line.stations.{step.name}.power_kW: required for a {step.kind} station (only "
                                "spray, drying, vacuum deposition and kilns with a furnace block take their energy "
                                "from the physics)")
            if step.kind == "pressing" and station.kind == "continuous" and station.line_speed_m_per_min is None:
                problems.append(f"line.stations.{step.name}.line_speed_m_per_min: required for a calender")
            if step.kind == "formation" and station.kind == "batch":
                load = step.channels_per_cycler * step.cells_per_channel * self.sheets_per_cell
                if abs(station.batch_capacity_sheets - load) > 1e-9:
                    problems.append(f"line.stations.{step.name}.batch_capacity_sheets: "
                                    f"{station.batch_capacity_sheets:g} must be channels_per_cycler x "
                                    f"cells_per_channel x sheets per cell = {load:g}")
            if len(problems) == before_station:
                # machine sizes are checked against a station that suits its step (a wrong kind says it first)
                problems.extend(f"line.stations.{step.name}.{problem}" for problem in size_problems(station))
        machines = sum(station.machines for station in self.line.stations.values())
        if machines > MAX_MACHINES_PER_LINE:
            problems.append(f"line.stations: {machines} machines in all is above {MAX_MACHINES_PER_LINE} "
                            "(a plant model holds one process per machine; split a larger plant into lines)")
        for station_name in self.line.stations:
            if station_name not in names:
                hint = difflib.get_close_matches(station_name, names, n=1)
                suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
                problems.append(f"line.stations.{station_name}: no route step of that name{suggestion}")
        for buffer_name in self.line.buffers.before:
            if buffer_name not in names:
                hint = difflib.get_close_matches(buffer_name, names, n=1)
                suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
                problems.append(f"line.buffers.before.{buffer_name}: no route step of that name{suggestion}")
        if self.optimisation is not None:
            for k, option in enumerate(self.optimisation.inspection_methods or []):
                step = self.step(option.check) if option.check in names else None
                if step is None or step.kind != "quality_check":
                    problems.append(f"optimisation.inspection_methods[{k}].check: '{option.check}' is not a "
                                    "quality_check of the route")
        problems.extend(self._route_order_problems())
        problems.extend(self._chemistry_problems())
        problems.extend(interface_step_problems(self))
        problems.extend(self._powder_problems())
        problems.extend(material_problems(self))
        problems.extend(polymer_route_problems(self))
        problems.extend(batpac_problems(self))
        problems.extend(liion_route_problems(self))
        problems.extend(thin_film_problems(self))
        problems.extend(assembly_order_problems(self))
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _route_order_problems(self) -> list[str]:
        """A step that works on a layer needs that layer made earlier in the route (casting or spraying).

        Drying removes the solvent of a cast tape, so it needs a tape_casting of its layer; firing and
        pressing act on a deposited layer, so they need a tape_casting or spray_deposition of it.
        """
        problems: list[str] = []
        cast: set[str] = set()
        deposited: set[str] = set()
        for index, step in enumerate(self.route):
            if step.kind == "tape_casting":
                cast.add(step.layer)
                deposited.add(step.layer)
            elif step.kind == "spray_deposition":
                deposited.add(step.layer)
            elif step.kind == "drying" and step.layer not in cast:
                problems.append(f"route[{index}].drying.layer: no tape_casting of layer '{step.layer}' before "
                                f"this step; move '{step.name}' after the casting it dries")
            elif step.kind == "catholyte_fill" and "cathode" not in deposited:
                problems.append(f"route[{index}].catholyte_fill: no tape_casting or spray_deposition of the cathode "
                                f"before this step; the liquid fills the cathode's pores, so move '{step.name}' "
                                "after the step that makes the cathode")
            elif step.kind in ("sintering", "pressing") and step.layer not in deposited:
                problems.append(f"route[{index}].{step.kind}.layer: no tape_casting or spray_deposition of layer "
                                f"'{step.layer}' before this step; move '{step.name}' after the step that "
                                "makes the layer")
        return problems

    def _argyrodite_problems(self, index: int, step, deposited: set[str]) -> list[str]:
        problems = []
        if self.cell.electrolyte.material not in SULPHIDE_ELECTROLYTES:
            allowed = ", ".join(SULPHIDE_ELECTROLYTES)
            problems.append(f"route[{index}].argyrodite_milling: makes Li6PS5Cl; cell.electrolyte.material "
                            f"'{self.cell.electrolyte.material}' is not a sulphide ({allowed})")
        if step.layer in deposited:
            problems.append(f"route[{index}].argyrodite_milling.layer: layer '{step.layer}' is already formed before "
                            f"this step; move '{step.name}' ahead of the casting or spraying")
        if any(s.kind == "spray_deposition" and s.layer == step.layer and s.reprecipitated for s in self.route):
            problems.append(f"route[{index}].argyrodite_milling: a reprecipitated spray dissolves the milled powder "
                            "(its particle size is lost); spray it as a suspension (reprecipitated: false)")
        return problems

    def _powder_problems(self) -> list[str]:
        """Powder made in-house: a garnet, made before the layer is formed, fired on the calcined curve."""
        from process_models.parameters import load_material

        problems: list[str] = []
        calcined: set[str] = set()
        deposited: set[str] = set()
        garnet = load_material(self.cell.electrolyte.material).kind == "garnet"
        for index, step in enumerate(self.route):
            if step.kind in ("tape_casting", "spray_deposition"):
                deposited.add(step.layer)
            elif step.kind == "calcination":
                if not garnet:
                    problems.append(f"route[{index}].calcination: the electrolyte "
                                    f"'{self.cell.electrolyte.material}' is not a garnet; the solid-state "
                                    "calcination model is for garnet powders")
                if step.layer in deposited:
                    problems.append(f"route[{index}].calcination.layer: layer '{step.layer}' is already formed "
                                    f"before this step; move '{step.name}' ahead of the casting or spraying")
                calcined.add(step.layer)
            elif step.kind == "powder_milling":
                if step.layer not in calcined or step.layer in deposited:
                    problems.append(f"route[{index}].powder_milling.layer: needs a calcination of layer "
                                    f"'{step.layer}' before it and the layer's forming after it")
            elif step.kind == "argyrodite_milling":
                problems.extend(self._argyrodite_problems(index, step, deposited))
            elif step.kind == "co_sintering" and not {"electrolyte", "cathode"} <= deposited:
                problems.append(f"route[{index}].co_sintering: needs both the electrolyte and the cathode tape cast "
                                f"or sprayed before it; move '{step.name}' after them")
            elif step.kind == "co_sintering" and "electrolyte" in calcined and step.powder_route != "calcined":
                problems.append(f"route[{index}].co_sintering.powder_route: '{step.powder_route}' but the powder "
                                "is calcined in this route; set powder_route: calcined")
            elif (step.kind == "sintering" and step.layer in calcined and step.layer == "electrolyte"
                  and step.powder_route != "calcined"):
                problems.append(f"route[{index}].sintering.powder_route: '{step.powder_route}' but the powder is "
                                "calcined in this route; set powder_route: calcined")
        return problems

    def _chemistry_problems(self) -> list[str]:
        problems: list[str] = []
        electrolyte = self.cell.electrolyte.material
        anode = self.cell.anode.type
        laminations = [(i, s) for i, s in enumerate(self.route) if isinstance(s, LiLamination)]
        if anode == "anode_free" and laminations:
            index, _ = laminations[0]
            problems.append(f"route[{index}].li_lamination: an anode_free cell has no Li lamination step "
                            "(Li is plated in situ, roadmap §14.2.2)")
        if anode not in ("anode_free", "graphite") and not laminations:
            problems.append(f"route: cell.anode.type '{anode}' needs an li_lamination step")
        if anode == "graphite" and laminations:
            index, _ = laminations[0]
            problems.append(f"route[{index}].li_lamination: a graphite-anode (Li-ion) cell has no Li lamination")
        expected_method = {"li_foil": "foil", "li_evaporated": "evaporation", "li_molten": "molten"}.get(anode)
        for index, step in laminations:
            if expected_method and step.method != expected_method:
                problems.append(f"route[{index}].li_lamination.method: '{step.method}' does not make a "
                                f"'{anode}' anode; use '{expected_method}'")
        if anode == "li_foil":
            problems.extend(self._li_foil_handling_problems(laminations))
        for index, step in enumerate(self.route):
            if (isinstance(step, Pressing) and electrolyte in SULPHIDE_ELECTROLYTES
                    and step.temperature_C > SULPHIDE_MAX_TEMPERATURE_C):
                problems.append(f"route[{index}].pressing.temperature_C: {step.temperature_C:g} is above "
                                f"{SULPHIDE_MAX_TEMPERATURE_C:g} (Li6PS5Cl decomposes above ~600 C, Yu et al. 2016)")
            if not isinstance(step, Sintering):
                continue
            material = electrolyte if step.layer == "electrolyte" else self.cell.cathode.material
            is_sulphide = material in SULPHIDE_ELECTROLYTES or "li6ps5cl" in material
            if is_sulphide:
                for k, segment in enumerate(step.profile):
                    if segment.temperature_C > SULPHIDE_MAX_TEMPERATURE_C:
                        problems.append(
                            f"route[{index}].sintering.profile[{k}].temperature_C: {segment.temperature_C:g} is "
                            f"above {SULPHIDE_MAX_TEMPERATURE_C:g} (Li6PS5Cl is annealed at <= 550-600 C, "
                            "Yu et al. 2016; it decomposes above)"
                        )
            if step.layer == "electrolyte" and electrolyte not in OXIDE_ELECTROLYTES + SULPHIDE_ELECTROLYTES:
                problems.append(f"route[{index}].sintering.layer: electrolyte material '{electrolyte}' is a "
                                "polymer and is not sintered")
        if electrolyte in SULPHIDE_ELECTROLYTES:
            for step in self.route:
                station = self.line.stations.get(step.name)
                if station is not None and station.zone == "ambient":
                    problems.append(f"line.stations.{step.name}.zone: 'ambient' is not allowed for a sulphide "
                                    "(Li6PS5Cl) line: it releases H2S in moist air (roadmap §14.1); use "
                                    "'dry_room' or 'inert'")
        stacked = False
        for index, step in enumerate(self.route):
            stacked = stacked or step.kind == "stacking"
            if step.kind == "quality_check" and step.min_critical_current_density_mA_per_cm2 is not None \
                    and not stacked:
                problems.append(f"route[{index}].quality_check.min_critical_current_density_mA_per_cm2: the CCD is "
                                "rated at the stacking step (stack pressure, cycling temperature); move this "
                                "check after a stacking step")
        if electrolyte not in OXIDE_ELECTROLYTES + SULPHIDE_ELECTROLYTES:
            for index, step in enumerate(self.route):
                if step.kind in ("tape_casting", "spray_deposition") and step.layer == "electrolyte":
                    problems.append(f"route[{index}].{step.kind}.layer: electrolyte material '{electrolyte}' is a "
                                    "polymer: it is made as a film (a polymer_film step, solvent cast or "
                                    "extruded), not deposited as a ceramic powder")
        uses_dry_room = any(station.zone == "dry_room" for station in self.line.stations.values())
        if uses_dry_room and self.line.zones.dry_room is None:
            problems.append("line.zones.dry_room: required because a station is in zone 'dry_room'")
        return problems

    def _li_foil_handling_problems(self, laminations) -> list[str]:
        """A free-standing Li foil thinner than a web line can handle at its width is not a product."""
        from process_models.lamination import li_foil_min_thickness_m
        from process_models.parameters import load_material

        thickness_um = self.cell.anode.thickness_um
        for _, step in laminations:
            station = self.line.stations.get(step.name)
            if station is None:
                continue
            # a roll-to-roll laminator unwinds the foil at its web width; otherwise it is cut to the sheet
            width_m = station.web_width_m if station.kind == "continuous" else self.cell.format.sheet_width_mm * 1e-3
            limit_um = float(li_foil_min_thickness_m(width_m, load_material("li_metal"))) * 1e6
            if thickness_um < limit_um:
                return [f"cell.anode.thickness_um: {thickness_um:g} is below the {limit_um:.1f} um handling limit "
                        f"of a free-standing Li foil {width_m:g} m wide (web tension against the 0.8 MPa yield of "
                        f"Li; rolled foil below ~17-20 um is not a scalable product, Burton et al., Nat. Energy "
                        f"2025); allowed >= {limit_um:.1f} for anode type 'li_foil', or use anode type "
                        "'li_evaporated' (thermal evaporation, route step method 'evaporation') for thinner Li"]
        return []

    # Convenience accessors used throughout twin/ (the scenario is trusted once validated).
    def step(self, name: str) -> RouteStep:
        for step in self.route:
            if step.name == name:
                return step
        raise KeyError(name)

    @property
    def sheet_area_m2(self) -> float:
        return self.cell.format.sheet_length_mm * self.cell.format.sheet_width_mm * 1e-6

    @property
    def cell_layer_area_m2(self) -> float:
        return self.cell.format.cell_length_mm * self.cell.format.cell_width_mm * 1e-6

    @property
    def sheets_per_cell(self) -> float:
        """Sheets consumed per finished cell: each cell stacks ``layers_per_cell`` cut pieces."""
        return self.cell.format.layers_per_cell / self.cell.format.cells_per_sheet


__all__ = ["SULPHIDE_MAX_TEMPERATURE_C", "Scenario"]
