"""Assemble the optimisation problem from a scenario: physics per candidate, timing and cost per station.

Machine time comes from ``twin.capacity.station_timing`` (the same figures the evaluation and the
twin use), costs from the cost model's linear decomposition in ``twin.cost`` (per machine, per sheet
entering a step, per plant), capex and floor area from the same functions the cost model prices.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from twin.capacity import machine_hours_per_sheet, station_timing_over_recipes
from twin.cell_output import finished_output
from twin.cost import plant_fixed_cost, station_fixed_cost_per_machine, step_variable_cost_per_sheet
from twin.cost.line_flow import LineOutput
from twin.cost.linear_model import (
    building_area_per_machine_m2,
    building_cost_per_machine_usd,
    conditioning_kWh_per_machine_per_year,
    idle_kWh_per_machine_per_year,
    installed_capex_per_machine_usd,
    run_kWh_above_idle_per_sheet,
)
from twin.cost.materials import step_material_items_per_sheet
from twin.optimise.candidates import SampleState, baseline_sample, evaluate_group, good_pieces_per_sheet_left
from twin.optimise.problem import DecisionGroup, OptimisationProblem, ShiftPattern, StageData, StageSize
from twin.optimise.recipe_space import candidate_recipes, plan_groups, recipe_axes, with_recipes
from twin.scenario import Scenario, ScenarioError
from twin.scenario.machine_sizes import installed_size, size_choices, with_sizes
from twin.scenario.route import RouteStep


@dataclass
class ProblemBuild:
    """The problem plus what is needed to turn a solution back into a scenario."""

    problem: OptimisationProblem
    candidate_steps: list[
        list[dict[int, RouteStep]]
    ]  # per group, per candidate: modified steps by route index
    pattern_scenarios: list[Scenario]
    evaluation_time_s: float = 0.0


def shift_patterns(scenario: Scenario) -> list[ShiftPattern]:
    shifts = scenario.line.shifts
    pairs = (
        scenario.optimisation.shift_patterns
        if scenario.optimisation and scenario.optimisation.shift_patterns
        else [(shifts.shifts_per_day, shifts.days_per_week)]
    )
    patterns = []
    for k, (per_day, per_week) in enumerate(pairs):
        if per_day * shifts.hours_per_shift > 24:
            raise ScenarioError(
                [
                    f"optimisation.shift_patterns[{k}]: {per_day} shifts of {shifts.hours_per_shift:g} h "
                    "exceed 24 h a day"
                ]
            )
        patterns.append(
            ShiftPattern(int(per_day), int(per_week), shifts.hours_per_shift, shifts.holidays_per_year)
        )
    return patterns


def with_pattern(scenario: Scenario, pattern: ShiftPattern) -> Scenario:
    shifts = scenario.line.shifts.model_copy(
        update={"shifts_per_day": pattern.shifts_per_day, "days_per_week": pattern.days_per_week}
    )
    return scenario.model_copy(update={"line": scenario.line.model_copy(update={"shifts": shifts})})


def _figures_over(scenario: Scenario, step_name: str, upstream: list[dict[int, RouteStep]],
                  own_step: list[RouteStep | None], copies: dict[tuple, Scenario] | None = None,
                  keys: list[tuple] | None = None) -> np.ndarray:
    """(recipes x 3): machine-hours, variable cost and energy above idle per sheet of ``step_name``, one row
    per set of recipes up to the step (``upstream[k]``, the step's own ``own_step[k]``), as arrays: one
    station timing over the recipes (a timing's figures do not depend on the machine count asked for).

    ``copies``: ``scenario`` with each set of recipes, by the set's key (``keys[k]``), kept between the
    steps of a span (the inspection after a firing runs on the same sets as the kiln)."""
    if copies is None:
        scenarios = [with_recipes(scenario, recipes) if recipes else scenario for recipes in upstream]
    else:
        scenarios = []
        for recipes, key in zip(upstream, keys, strict=True):
            copy = copies.get(key)
            if copy is None:
                copy = copies[key] = with_recipes(scenario, recipes) if recipes else scenario
            scenarios.append(copy)
    timing = station_timing_over_recipes(scenarios, step_name, own_step)
    materials = np.array([sum(step_material_items_per_sheet(s, step_name, own).values())
                          for s, own in zip(scenarios, own_step, strict=True)], dtype=float)
    variable = step_variable_cost_per_sheet(scenario, step_name, timing=timing, materials_usd_per_sheet=materials)
    figures = np.empty((len(upstream), 3))
    figures[:, 0] = machine_hours_per_sheet(timing)
    figures[:, 1] = sum(variable.values())
    figures[:, 2] = run_kWh_above_idle_per_sheet(scenario, step_name, timing=timing)
    return figures


def _station_figures(scenario: Scenario, step_name: str) -> tuple[float, float, float]:
    """(machine-hours, variable cost, energy above idle) per sheet of the scenario's own recipe."""
    return tuple(float(v) for v in _figures_over(scenario, step_name, [{}], [None])[0])


@dataclass
class UpstreamRecipes:
    """The distinct sets of recipes up to one step among the candidates (a station's time, cost and energy
    depend on its own recipe and the steps before it, what they made, never on a later step's recipe:
    causality, pinned by the golden optimisation results), found once per step and reused for every size."""

    upstream: list[dict[int, RouteStep]]   # per distinct set: route index -> recipe, up to the step
    own_step: list[RouteStep | None]       # per distinct set: the step's own recipe (None: the scenario's)
    of_candidate: np.ndarray               # per candidate: index of its distinct set
    keys: list[tuple]                      # per distinct set: its ((route index, id(recipe)), ...)

    @classmethod
    def at(cls, steps: list[dict[int, RouteStep]], i: int) -> UpstreamRecipes:
        index_of: dict[tuple, int] = {}
        upstream: list[dict[int, RouteStep]] = []
        own_step: list[RouteStep | None] = []
        of_candidate = np.empty(len(steps), dtype=np.intp)
        keys: list[tuple] = []
        for c, s in enumerate(steps):
            # unsorted: candidates list their recipes in one order (candidate_recipes); a set listed in
            # another order would only be timed twice, never mixed up with another set
            key = tuple((j, id(step)) for j, step in s.items() if j <= i)
            k = index_of.get(key)
            if k is None:
                k = index_of[key] = len(upstream)
                upstream.append({j: step for j, step in s.items() if j <= i})
                own_step.append(s.get(i))
                keys.append(key)
            of_candidate[c] = k
        return cls(upstream, own_step, of_candidate, keys)


def _candidate_station_figures(scenario: Scenario, recipes: UpstreamRecipes, name: str,
                               copies: dict[tuple, Scenario] | None = None) -> np.ndarray:
    """(candidates x 3) station figures of step ``name``: one station timing per distinct set of recipes up
    to the step, spread to the candidates that share it (``copies``: see :func:`_figures_over`)."""
    return _figures_over(scenario, name, recipes.upstream, recipes.own_step, copies,
                         recipes.keys)[recipes.of_candidate]


def _stage_sizes(scenario: Scenario, step_name: str, recipes: UpstreamRecipes,
                 pattern_scenarios: list[Scenario], installed: tuple[np.ndarray, np.ndarray, np.ndarray],
                 derating: float) -> list[StageSize]:
    """Every size the station may be built in, priced and timed as that machine (empty without sizes).

    ``installed``: the candidates' (machine hours, variable cost, energy) per sheet on the installed size,
    already computed for the stage itself (hours derated)."""
    sizes = []
    station = scenario.line.stations[step_name]
    for size in size_choices(station):
        sized = with_sizes(scenario, {step_name: size})
        if size == installed_size(station):
            figures = np.column_stack(installed)
        else:
            figures = _candidate_station_figures(sized, recipes, step_name)
            figures[:, 0] /= derating
        patterns = [with_sizes(sp, {step_name: size}) for sp in pattern_scenarios]
        sizes.append(StageSize(
            size=size,
            machine_hours_per_sheet=figures[:, 0],
            variable_cost_usd_per_sheet=figures[:, 1],
            energy_kWh_per_sheet=figures[:, 2],
            fixed_cost_usd_per_machine_year=np.array(
                [sum(station_fixed_cost_per_machine(sp, step_name).values()) for sp in patterns]),
            capex_usd_per_machine=installed_capex_per_machine_usd(sized, step_name)
            + building_cost_per_machine_usd(sized, step_name),
            floor_area_m2_per_machine=building_area_per_machine_m2(sized, step_name),
            energy_kWh_per_machine_year=np.array(
                [idle_kWh_per_machine_per_year(sp, step_name) + conditioning_kWh_per_machine_per_year(sp, step_name)
                 for sp in patterns]),
        ))
    return sizes


def line_output(scenario: Scenario) -> LineOutput:
    """What a sheet leaving the line delivers with the scenario's own recipes, on evaluate's own sample.

    Evaluate's sample (thousands of sheets), not the candidates' small one: after stacking one rejected piece
    takes its cell, so a few hundred sheets put only a handful of end-of-line rejects behind the MILP's output
    (+-10 % seen)."""
    return evaluated_line(scenario)[0]


def evaluated_line(scenario: Scenario) -> tuple[LineOutput, dict[str, float]]:
    """:func:`line_output` and the sheet yield of every step, both from evaluate's own sample."""
    from twin.evaluate import sample_route, step_yields

    delivered = sample_route(scenario, np.random.default_rng(scenario.seed))
    output = LineOutput.from_finished(scenario, finished_output(scenario, delivered.values, delivered.alive))
    return output, step_yields(scenario, delivered)


def sheet_yields_on_evaluate_basis(candidate_yields: np.ndarray, sample_yield: float,
                                   evaluated_yield: float) -> np.ndarray:
    """A step's candidate sheet yields moved onto evaluate's basis: each candidate's yield on the small
    candidate sample times evaluate's baseline yield over the baseline's on that sample (clipped to 1).

    The candidate sample (100-200 sheets) cannot hold sub-percent tails (low density at a continuous spec,
    the sheets a plant stop holds in the dry room): the baseline recipe then gets exactly evaluate's sheet
    yield and a candidate keeps its own difference to it (common random numbers). A baseline that keeps no
    sheet on the sample leaves the candidates' yields as they are."""
    if not sample_yield > 0.0:
        return candidate_yields
    return np.minimum(candidate_yields * (evaluated_yield / sample_yield), 1.0)


def piece_factors(scenario: Scenario, sample: SampleState, span: tuple[int, int],
                  good_pieces_left: np.ndarray) -> np.ndarray | None:
    """Each candidate's good cell pieces per sheet leaving the span over the baseline recipe's, on the same
    sample (common random numbers: the difference is the recipe's); None when no candidate differs.

    The line's good pieces per sheet are read from evaluate's own sample with the baseline recipes
    (``OptimisationProblem.good_pieces_per_sheet``); a candidate scales them by this factor: the pieces the
    span's steps and checks leave good (defects, latent defects a check has not found, sheets escaped out of
    spec; twin.cell_output.sheet_pieces) on the sheets it keeps. What happens after the span (later checks,
    the end-of-line test and the cellmates of its rejects) is taken to scale with them. A candidate that
    keeps no sheet gets 0; if the baseline recipe keeps none in the sample there is no reference and every
    factor is 1 (the baseline's pieces per sheet, as before per-candidate pieces).
    """
    after = span[1] + 1
    leaving = sample.before_step[after] if after < len(sample.before_step) else sample.finished
    reference = float(good_pieces_per_sheet_left(scenario, leaving.values, leaving.alive)[0])
    if not reference > 0.0:
        return None
    factors = np.where(np.isnan(good_pieces_left), 0.0, good_pieces_left / reference)
    return None if np.all(factors == 1.0) else factors


def build_problem(
    scenario: Scenario,
    progress: Callable[[float], None] | None = None,
    capacity_derating: dict[str, float] | None = None,
) -> ProblemBuild:
    """Evaluate every candidate and station and return the MILP's numbers.

    ``capacity_derating`` (station -> factor <= 1) scales a station's effective capacity, e.g. with
    what the discrete-event twin measured (twin check).
    """
    import time

    started = time.perf_counter()
    space = scenario.optimisation
    n_sheets = space.candidate_sample_sheets if space else 200
    max_machines = space.max_machines_per_station if space else 20
    derating = capacity_derating or {}
    plans = plan_groups(scenario, recipe_axes(scenario))
    patterns = shift_patterns(scenario)
    pattern_scenarios = [with_pattern(scenario, p) for p in patterns]
    sample = baseline_sample(scenario, n_sheets)
    output, evaluated_yield = evaluated_line(scenario)
    group_of = [None] * len(scenario.route)
    for g, plan in enumerate(plans):
        for i in range(plan.span[0], plan.span[1] + 1):
            group_of[i] = g

    groups: list[DecisionGroup] = []
    all_steps: list[list[dict[int, RouteStep]]] = []
    per_candidate: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
    recipes_at: dict[int, UpstreamRecipes] = {}   # the candidates' distinct recipes up to each step of a span
    total = sum(plan.size for plan in plans) or 1
    done = 0
    for plan in plans:
        steps, labels = candidate_recipes(scenario, plan)

        def report(fraction: float, done=done, size=plan.size) -> None:
            if progress is not None:
                progress((done + fraction * size) / total)

        evaluation = evaluate_group(scenario, plan, steps, sample, n_sheets, progress=report)
        done += plan.size
        first, last = plan.span
        copies: dict[tuple, Scenario] = {}   # the scenario with each set of recipes, shared by the span's steps
        for i in range(first, last + 1):
            name = scenario.route[i].name
            recipes_at[i] = UpstreamRecipes.at(steps, i)
            figures = _candidate_station_figures(scenario, recipes_at[i], name, copies)
            per_candidate[i] = (
                sheet_yields_on_evaluate_basis(evaluation.step_yield[:, i - first], float(sample.step_yield[i]),
                                               evaluated_yield[name]),
                figures[:, 0],
                figures[:, 1],
                figures[:, 2],
            )
        groups.append(
            DecisionGroup(
                name=plan.name,
                step_names=tuple(scenario.route[i].name for i in plan.decision_steps),
                span=plan.span,
                recipes=labels,
                quality_margin=evaluation.quality_margin,
                quality_means=evaluation.quality_means,
                piece_factor=piece_factors(scenario, sample, plan.span, evaluation.good_pieces_left),
            )
        )
        all_steps.append(steps)

    stages: list[StageData] = []
    for i, step in enumerate(scenario.route):
        name = step.name
        if i in per_candidate:
            yields, hours, variable, energy = per_candidate[i]
        else:
            tau, var, run = _station_figures(scenario, name)
            yields, hours, variable, energy = (
                np.array([evaluated_yield[name]]),   # evaluate's own sheet yield: no recipe choice here
                np.array([tau]),
                np.array([var]),
                np.array([run]),
            )
        hours = hours / derating.get(name, 1.0)
        stages.append(
            StageData(
                step_name=name,
                group=group_of[i],
                yield_fraction=np.asarray(yields, dtype=float),
                machine_hours_per_sheet=np.asarray(hours, dtype=float),
                variable_cost_usd_per_sheet=np.asarray(variable, dtype=float),
                energy_kWh_per_sheet=np.asarray(energy, dtype=float),
                fixed_cost_usd_per_machine_year=np.array(
                    [sum(station_fixed_cost_per_machine(sp, name).values()) for sp in pattern_scenarios]
                ),
                energy_kWh_per_machine_year=np.array(
                    [
                        idle_kWh_per_machine_per_year(sp, name)
                        + conditioning_kWh_per_machine_per_year(sp, name)
                        for sp in pattern_scenarios
                    ]
                ),
                capex_usd_per_machine=installed_capex_per_machine_usd(scenario, name)
                + building_cost_per_machine_usd(scenario, name),
                floor_area_m2_per_machine=building_area_per_machine_m2(scenario, name),
                max_machines=int(max_machines),
                sizes=_stage_sizes(scenario, name, recipes_at.get(i) or UpstreamRecipes.at([{}], i),
                                   pattern_scenarios, (hours, variable, energy), derating.get(name, 1.0)),
            )
        )
    problem = OptimisationProblem(
        stages=stages,
        groups=groups,
        shift_patterns=patterns,
        plant_fixed_usd_per_year=np.array([sum(plant_fixed_cost(sp).values()) for sp in pattern_scenarios]),
        plant_capex_usd=0.0,
        # what a sheet leaving the line delivers, by the shared definition (twin.cell_output) on the
        # baseline recipe's sample; a candidate scales the good pieces by its piece factor
        # (DecisionGroup.piece_factor); its energy per good cell stays the baseline's (a candidate that
        # changes the electrolyte changes it little: its ASR)
        kWh_per_good_sheet=output.cell_energy_Wh / 1e3 * output.good_pieces_per_sheet
        / scenario.cell.format.layers_per_cell,
        good_pieces_per_sheet=output.good_pieces_per_sheet,
        cell_energy_Wh=output.cell_energy_Wh,
        target_output_GWh_per_year=scenario.plant.target_output_GWh_per_year,
        capex_budget_usd=space.capex_budget_usd if space else None,
        energy_cap_MWh_per_year=space.energy_cap_MWh_per_year if space else None,
        floor_area_cap_m2=space.floor_area_cap_m2 if space else None,
        # no floor unless one above 0 is asked (optimisation.min_quality_margin): a check scraps its
        # out-of-spec sheets and the yields price them
        min_quality_margin=(space.min_quality_margin if space is not None and space.min_quality_margin > 0
                            else -math.inf),
    )
    if progress is not None:
        progress(1.0)
    return ProblemBuild(
        problem=problem,
        candidate_steps=all_steps,
        pattern_scenarios=pattern_scenarios,
        evaluation_time_s=time.perf_counter() - started,
    )


__all__ = ["ProblemBuild", "build_problem", "evaluated_line", "line_output", "piece_factors",
           "sheet_yields_on_evaluate_basis", "shift_patterns", "with_pattern"]
