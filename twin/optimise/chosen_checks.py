"""The inspection chosen after a solve, put into the MILP's stations so the next solve sizes the line with it.

The MILP is built on the scenario's own checks; the inspection (method, resolution, machine price) is chosen
after it on the designed line (twin.optimise.inspection_choice). A finer method finds a defect before a
whole cell is built on it, so the line's good output rises; sized on the old checks the line then overshoots
its target (gigafactory: 1.14 GWh/yr against 1). :func:`chosen_check_stages` measures what the chosen
checks change at their stations (time per sheet, price and floor of a machine, labour, energy) on the
scenario's own recipes, and :func:`with_chosen_checks` gives the MILP those stations; the chosen checks'
yields and good pieces enter through the line basis (twin.optimise.line_basis).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import numpy as np

from twin.cost import station_fixed_cost_per_machine
from twin.cost.linear_model import (
    building_area_per_machine_m2,
    building_cost_per_machine_usd,
    conditioning_kWh_per_machine_per_year,
    idle_kWh_per_machine_per_year,
    installed_capex_per_machine_usd,
)
from twin.optimise.coefficients import _station_figures
from twin.optimise.inspection_choice import with_checks_as_designed
from twin.optimise.problem import OptimisationProblem
from twin.scenario import Scenario


@dataclass(frozen=True)
class CheckStage:
    """One check station as the inspection chosen for it: what the MILP's stage becomes."""

    step_name: str
    hours_factor: float                          # machine-hours per sheet, chosen method over the own [-]
    variable_usd_per_sheet_change: float         # chosen minus own, per sheet entering the check
    energy_kWh_per_sheet_change: float           # chosen minus own, run energy above idle per sheet
    capex_usd_per_machine: float                 # installed machine and its building share, chosen method
    floor_area_m2_per_machine: float
    fixed_cost_usd_per_machine_year: np.ndarray  # by shift pattern (labour, maintenance of the chosen machine)
    energy_kWh_per_machine_year: np.ndarray      # by shift pattern: idle draw and conditioning


def inspection_key(scenario: Scenario, designed: Scenario, checks: list[str]) -> str | None:
    """The chosen checks that differ from the scenario's own (route step and station, machines left out), as
    text to compare two choices by; None when every chosen check is the scenario's own."""
    changed = {}
    for check in dict.fromkeys(checks):
        step = designed.step(check).model_dump(mode="json")
        station = designed.line.stations[check].model_dump(mode="json")
        own_station = scenario.line.stations[check].model_dump(mode="json")
        station.pop("machines", None)
        own_station.pop("machines", None)
        if step != scenario.step(check).model_dump(mode="json") or station != own_station:
            changed[check] = {"step": step, "station": station}
    return json.dumps(changed, sort_keys=True) if changed else None


def chosen_check_stages(scenario: Scenario, pattern_scenarios: list[Scenario], designed: Scenario,
                        checks: list[str]) -> tuple[CheckStage, ...]:
    """The stations of the checks in ``designed`` that differ from ``scenario``'s own, as the MILP prices them.

    ``pattern_scenarios``: the scenario on each offered shift pattern (ProblemBuild.pattern_scenarios), for
    the fixed cost and energy per machine-year. Time, variable cost and run energy per sheet are measured on
    the scenario's own recipes: a check's time per sheet is its method's scan or test time, not the recipe's."""
    checks = list(dict.fromkeys(checks))
    as_designed = with_checks_as_designed(scenario, designed, checks)
    if as_designed is None:
        return ()
    on_patterns = [with_checks_as_designed(sp, designed, checks) or sp for sp in pattern_scenarios]
    stages = []
    for check in checks:
        if inspection_key(scenario, designed, [check]) is None:
            continue
        own_hours, own_variable, own_energy = _station_figures(scenario, check)
        hours, variable, energy = _station_figures(as_designed, check)
        stages.append(CheckStage(
            step_name=check,
            # an own method without time per sheet cannot be scaled: keep the chosen one's hours as they are
            hours_factor=hours / own_hours if own_hours > 0 else 1.0,
            variable_usd_per_sheet_change=variable - own_variable,
            energy_kWh_per_sheet_change=energy - own_energy,
            capex_usd_per_machine=installed_capex_per_machine_usd(as_designed, check)
            + building_cost_per_machine_usd(as_designed, check),
            floor_area_m2_per_machine=building_area_per_machine_m2(as_designed, check),
            fixed_cost_usd_per_machine_year=np.array(
                [sum(station_fixed_cost_per_machine(sp, check).values()) for sp in on_patterns]),
            energy_kWh_per_machine_year=np.array(
                [idle_kWh_per_machine_per_year(sp, check) + conditioning_kWh_per_machine_per_year(sp, check)
                 for sp in on_patterns]),
        ))
    return tuple(stages)


def with_chosen_checks(problem: OptimisationProblem, checks: tuple[CheckStage, ...]) -> OptimisationProblem:
    """The problem with each named check's stage as its chosen method (derating kept: hours are scaled).

    The stage keeps its installed machine size only: the method trials re-size the check in whole machines of
    that size, so a size choice the MILP made would not be the one priced."""
    if not checks:
        return problem
    by_name = {check.step_name: check for check in checks}
    stages = []
    for stage in problem.stages:
        check = by_name.get(stage.step_name)
        if check is not None:
            stage = replace(
                stage,
                machine_hours_per_sheet=stage.machine_hours_per_sheet * check.hours_factor,
                variable_cost_usd_per_sheet=stage.variable_cost_usd_per_sheet + check.variable_usd_per_sheet_change,
                energy_kWh_per_sheet=stage.energy_kWh_per_sheet + check.energy_kWh_per_sheet_change,
                capex_usd_per_machine=check.capex_usd_per_machine,
                floor_area_m2_per_machine=check.floor_area_m2_per_machine,
                fixed_cost_usd_per_machine_year=check.fixed_cost_usd_per_machine_year,
                energy_kWh_per_machine_year=check.energy_kWh_per_machine_year,
                sizes=[],
            )
        stages.append(stage)
    return replace(problem, stages=stages)




def with_checks_of_key(designed: Scenario, key: str | None) -> Scenario:
    """``designed`` with the checks recorded in ``key`` (:func:`inspection_key`) at their machine counts in
    ``designed``: the line as the MILP priced it when its basis holds those checks."""
    if key is None:
        return designed
    from twin.scenario import validate_scenario

    document = designed.model_dump(mode="json")
    names = [step["name"] for step in document["route"]]
    for check, chosen in json.loads(key).items():
        document["route"][names.index(check)] = chosen["step"]
        machines = document["line"]["stations"][check]["machines"]
        document["line"]["stations"][check] = {**chosen["station"], "machines": machines}
    return validate_scenario(document)


__all__ = ["CheckStage", "chosen_check_stages", "inspection_key", "with_checks_of_key", "with_chosen_checks"]
