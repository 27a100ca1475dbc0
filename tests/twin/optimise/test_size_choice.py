"""The optimiser picks a machine size and count per station: exact against enumeration, never dearer
than cloning the smallest machine, and the designed scenario runs the sizes it picked."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from twin.optimise.model import build_model, fix_inputs
from twin.optimise.problem import StageSize, cheapest_sizes, design_figures
from twin.optimise.pruning import prune_problem
from twin.optimise.solve import extract_results, solve

SIZE_FACTORS = (1.0, 2.0, 4.0)


def with_sizes(problem, rng, stations=(0, 2, 3)):
    """Give the named stages three sizes: time per sheet / size, prices x size ** exponent (0.7-0.95),
    and a per-sheet cost that moves a little with the size (web trim)."""
    for i in stations:
        stage = problem.stages[i]
        sizes = []
        for z, factor in enumerate(SIZE_FACTORS):
            trim = 1.0 if z == 0 else float(rng.uniform(0.95, 1.1))
            sizes.append(StageSize(
                size=factor,
                machine_hours_per_sheet=stage.machine_hours_per_sheet / factor,
                variable_cost_usd_per_sheet=stage.variable_cost_usd_per_sheet * trim,
                energy_kWh_per_sheet=stage.energy_kWh_per_sheet * trim,
                fixed_cost_usd_per_machine_year=stage.fixed_cost_usd_per_machine_year * factor ** 0.7,
                capex_usd_per_machine=stage.capex_usd_per_machine * factor ** 0.95,
                floor_area_m2_per_machine=stage.floor_area_m2_per_machine * factor ** 0.95,
            ))
        stage.sizes = sizes
    return problem


def enumerate_best(problem, target_GWh, sized=True):
    """Cheapest feasible design over every recipe, shift pattern and (with ``sized``) size combination."""
    best = None
    size_ranges = [range(len(s.sizes)) if (s.sizes and sized) else [None] for s in problem.stages]
    ranges = [range(g.candidates) for g in problem.groups] + [range(len(problem.shift_patterns))]
    for combo in itertools.product(*ranges):
        for sizes in itertools.product(*size_ranges):
            figures = design_figures(problem, list(combo[:-1]), combo[-1], target_GWh, sizes=list(sizes))
            if figures.feasible and (best is None or figures.annual_cost_usd < best.annual_cost_usd):
                best = figures
    return best


def milp(problem, target_GWh, **caps):
    m = build_model(problem)
    fix_inputs(m, target_output_GWh=target_GWh, min_quality_margin=-1.0, **caps)
    return m, solve(m)


@pytest.mark.unit
@pytest.mark.parametrize("seed", range(6))
def test_milp_size_and_count_equal_exhaustive_enumeration(seed, make_problem):
    # 5 GWh/yr: tens of machines a station, where a bigger size can pay for itself
    rng = np.random.default_rng(300 + seed)
    problem = with_sizes(make_problem(rng, target_GWh=5.0, max_machines=60), rng)
    problem.min_quality_margin = -1.0
    best = enumerate_best(problem, 5.0)
    m, outcome = milp(problem, 5.0)
    if best is None:
        assert outcome.termination == "infeasible"
        return
    design = extract_results(m, outcome)
    assert design.annual_cost_usd == pytest.approx(best.annual_cost_usd, rel=1e-6)
    # the extracted design re-priced by the problem's own figures gives the same cost
    again = design_figures(problem, design.choice, design.pattern, 5.0, machines=design.machines, sizes=design.sizes)
    assert again.feasible
    assert again.annual_cost_usd == pytest.approx(design.annual_cost_usd, rel=1e-6)


@pytest.mark.unit
@pytest.mark.parametrize("seed", range(6))
def test_picking_sizes_is_never_dearer_than_cloning_the_smallest_machine(seed, make_problem):
    rng = np.random.default_rng(300 + seed)
    problem = with_sizes(make_problem(rng, target_GWh=5.0, max_machines=60), rng)
    problem.min_quality_margin = -1.0
    cloned = enumerate_best(problem, 5.0, sized=False)   # every station on its installed (smallest) size
    assert cloned is not None
    design = extract_results(*milp(problem, 5.0))
    assert design.annual_cost_usd <= cloned.annual_cost_usd * (1 + 1e-9)
    # at this output the picked sizes save money: some station is built bigger than its installed size
    if design.annual_cost_usd < cloned.annual_cost_usd * (1 - 1e-9):
        assert any(z not in (None, 0) for z in design.sizes)


@pytest.mark.unit
def test_cheapest_sizes_is_the_cost_minimising_size_without_caps(make_problem):
    rng = np.random.default_rng(7)
    problem = with_sizes(make_problem(rng, target_GWh=0.5, max_machines=500), rng)
    sizes = cheapest_sizes(problem, [0, 0], 0, 0.5)
    chosen = design_figures(problem, [0, 0], 0, 0.5, sizes=sizes).annual_cost_usd
    for combo in itertools.product(*[range(len(s.sizes)) if s.sizes else [None] for s in problem.stages]):
        assert chosen <= design_figures(problem, [0, 0], 0, 0.5, sizes=list(combo)).annual_cost_usd * (1 + 1e-12)


@pytest.mark.unit
def test_pruning_keeps_the_sized_optimum(make_problem):
    rng = np.random.default_rng(11)
    problem = with_sizes(make_problem(rng, target_GWh=0.3, candidates=(6, 5), max_machines=8), rng, stations=(1, 2, 3))
    problem.min_quality_margin = -1.0
    reduced, _ = prune_problem(problem)
    full, reduced_outcome = milp(problem, 0.3), milp(reduced, 0.3)
    if not full[1].optimal:
        assert not reduced_outcome[1].optimal
        return
    assert extract_results(*reduced_outcome).annual_cost_usd == pytest.approx(
        extract_results(*full).annual_cost_usd, rel=1e-6)


@pytest.mark.component
def test_optimise_picks_sizes_on_the_baseline_and_the_design_runs_them(make_small_grid):
    from twin.evaluate import evaluate_scenario
    from twin.optimise import optimise
    from twin.scenario import load_scenario, validate_scenario

    scenario = make_small_grid(load_scenario("scenarios/oxide_baseline.yaml"))
    document = scenario.model_dump(mode="json")
    for station in document["line"]["stations"].values():
        station.pop("sizes", None)
    document["sources"] = {k: v for k, v in document["sources"].items() if not k.endswith(".sizes")}
    cloning = optimise(validate_scenario(document), twin_check=False)
    sized = optimise(scenario, twin_check=False)
    assert sized["status"] == cloning["status"] == "optimal"
    # the references are the smallest sizes on offer: the size choice can only lower the MILP's cost
    assert sized["milp"]["annual_cost_usd"] <= cloning["milp"]["annual_cost_usd"] * (1 + 1e-9)
    assert sized["milp"]["annual_cost_usd"] < cloning["milp"]["annual_cost_usd"]
    picked = sized["design"]["sizes"]
    assert any(picked[name] != scenario.line.stations[name].sizes.options[0] for name in picked)
    designed = validate_scenario(sized["designed_scenario"])
    for name, size in picked.items():
        station = designed.line.stations[name]
        reference = 1.0 if station.sizes.axis == "parallel_heads" else getattr(station, station.sizes.axis)
        assert (station.sizes.size or reference) == size
    # the headline is evaluate of that scenario: the sized machines, their capex
    assert sized["cost"] == evaluate_scenario(designed)["cost"]
    assert sized["milp"]["annual_cost_usd"] == pytest.approx(sized["milp"]["cost_model_annual_cost_usd"], rel=1e-9)
