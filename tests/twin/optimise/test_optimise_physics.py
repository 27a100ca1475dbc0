"""The optimiser on the baseline scenario with small recipe grids: physics, cost model and MILP agree."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twin.cost import annual_cost
from twin.optimise import optimise
from twin.optimise.coefficients import build_problem
from twin.optimise.design import design_scenario, plant_operation
from twin.optimise.model import build_model, fix_inputs
from twin.optimise.solve import extract_results, solve
from twin.scenario import ScenarioError, load_scenario, validate_scenario
from twin.sheet_physics import run_route

pytestmark = pytest.mark.component

BASELINE = "scenarios/oxide_baseline.yaml"


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE)


def test_milp_objective_equals_cost_model_of_the_chosen_design(optimised):
    _, result = optimised
    assert result["status"] == "optimal"
    assert result["milp"]["annual_cost_usd"] == pytest.approx(
        result["milp"]["cost_model_annual_cost_usd"], rel=1e-9
    )


def test_design_meets_target_and_specs_when_rerun_by_the_physics(optimised):
    scenario, result = optimised
    designed = validate_scenario(result["designed_scenario"])
    assert result["milp"]["gwh_per_year"] >= scenario.plant.target_output_GWh_per_year * (1 - 1e-9)
    batch = run_route(designed, 400, np.random.default_rng(11))
    inspection = designed.step("electrolyte_inspection")
    alive = batch.alive
    # every shipped sheet is in spec, and the recipe's mean sheet is in spec (quality constraint)
    assert np.all(batch.state["relative_density"][alive] >= inspection.min_relative_density)
    assert np.all(batch.state["li_loss_fraction"][alive] <= inspection.max_li_loss_fraction)
    mean_sheet = result["recipe_quality"]["electrolyte_sintering"]["mean_sheet"]
    assert mean_sheet["relative_density"] >= inspection.min_relative_density
    # no floor is set (optimisation.min_quality_margin): the worst 1 % may lie outside, the checks scrap it
    # yields inside the decision span are the physics' own on the shared sample, times the line basis's factor
    # when the design was solved on evaluate's yields of an earlier design (the line sized again with the
    # inspection chosen on it: twin.optimise.line_basis)
    factors = (result["design_line_yields"]["basis"] or {}).get("sheet_yield_factor", {})
    recheck = result["physics_recheck"]["sheets"]["by_step"]
    for step in (
        "electrolyte_casting",
        "electrolyte_drying",
        "electrolyte_sintering",
        "electrolyte_inspection",
    ):
        assert recheck[step]["milp"] == pytest.approx(min(recheck[step]["physics"] * factors.get(step, 1.0), 1.0),
                                                      abs=1e-12)


def test_milp_equals_enumeration_of_every_recipe_with_the_cost_model(baseline, make_small_grid):
    scenario = make_small_grid(baseline)
    build = build_problem(scenario)
    problem = build.problem
    m = build_model(problem)
    fix_inputs(m, target_output_GWh=problem.target_output_GWh_per_year)
    design = extract_results(m, solve(m))
    best = math.inf
    for c in range(problem.groups[0].candidates):
        if problem.groups[0].quality_margin[c] < problem.min_quality_margin:   # -inf: no floor set
            continue
        m2 = build_model(problem)
        fix_inputs(m2, target_output_GWh=problem.target_output_GWh_per_year)
        for other in range(problem.groups[0].candidates):
            m2.choose[0, other].fix(1 if other == c else 0)
        outcome = solve(m2)
        if not outcome.optimal:
            continue
        fixed = extract_results(m2, outcome)
        # the machine sizes the MILP picked with this recipe (the scenario offers sizes)
        designed = design_scenario(scenario, build, [c], fixed.pattern, fixed.machines, fixed.sizes)
        operation = plant_operation(
            designed,
            problem,
            [c],
            fixed.pattern,
            fixed.machines,
            fixed.sheets_in_per_year,
            fixed.sheets_good_out_per_year,
            fixed.sizes,
        )
        best = min(best, annual_cost(operation).total_usd_per_year)
    assert design.annual_cost_usd == pytest.approx(best, rel=1e-6)


def test_tightening_the_density_spec_never_lowers_the_cost(baseline, make_small_grid):
    costs = []
    for spec in (0.90, 0.93, 0.95):
        scenario = make_small_grid(baseline, **{"route.3.min_relative_density": spec})
        result = optimise(scenario, twin_check=False)
        # the first solve's: all three on the candidate sample's yields (a later solve is on evaluate's yields of
        # its own design, a different basis for each spec, where the order need not hold)
        costs.append(result["design_line_yields"]["solves"][0]["milp_annual_cost_usd"]
                     if result["status"] == "optimal" else math.inf)
    assert costs[0] < math.inf
    assert costs[0] <= costs[1] * (1 + 1e-9) and costs[1] <= costs[2] * (1 + 1e-9)


def test_unreachable_target_is_reported_infeasible_with_the_reason(baseline, make_small_grid):
    # 1 GWh/yr, not 2: since the capacity grading charges at the cells' rated C/20, 2 GWh/yr needs ~520 testers,
    # beyond even the diagnosis's relaxed ceiling (500 per station), so no machine count would be named
    scenario = make_small_grid(baseline, **{"plant.target_output_GWh_per_year": 1.0})
    result = optimise(scenario, twin_check=False)
    assert result["status"] == "infeasible"
    groups = {f["constraint_group"]: f["detail"] for f in result["infeasibility"]}
    assert "output_target" in groups and "reachable" in groups["output_target"]
    assert "machine_limits" in groups and "needs" in groups["machine_limits"]


def test_max_output_needs_a_budget_and_stays_within_it(baseline, make_small_grid):
    with pytest.raises(ScenarioError, match="optimisation.capex_budget_usd"):
        optimise(make_small_grid(baseline), objective="max_output", twin_check=False)
    outputs = []
    for budget in (30e6, 60e6):
        scenario = make_small_grid(baseline, **{"optimisation.capex_budget_usd": budget})
        result = optimise(scenario, objective="max_output", twin_check=False)
        assert result["status"] == "optimal"
        assert result["cost"]["capex_usd"] <= budget * (1 + 1e-9)
        outputs.append(result["milp"]["gwh_per_year"])
    assert 0 < outputs[0] <= outputs[1]


def test_pareto_output_front_cost_rises_with_output(baseline, make_small_grid):
    scenario = make_small_grid(baseline, **{"optimisation.pareto_points": 4})
    result = optimise(scenario, objective="pareto_output", twin_check=False)
    front = [p for p in result["pareto"] if p["status"] == "optimal"]
    assert len(front) == 4
    costs = [p["annual_cost_usd"] for p in front]
    assert all(b >= a for a, b in zip(costs, costs[1:], strict=False))
    assert front[-1]["output_GWh_per_year"] > front[0]["output_GWh_per_year"]


def test_pareto_quality_front_cost_never_falls_as_the_margin_rises(baseline, make_small_grid):
    scenario = make_small_grid(baseline, **{"optimisation.pareto_points": 3})
    result = optimise(scenario, objective="pareto_quality", twin_check=False)
    front = [p for p in result["pareto"] if p["status"] == "optimal"]
    assert front
    costs = [p["annual_cost_usd"] for p in front]
    assert all(b >= a * (1 - 1e-9) for a, b in zip(costs, costs[1:], strict=False))
    assert all(p["quality_margin"] >= p["required_quality_margin"] - 1e-12 for p in front)


def test_overall_yield_counts_cell_pieces_as_evaluate_does(optimised):
    # The shared result key: good cell pieces per piece started = sheet yield x the pieces defects left
    # on kept sheets (the baseline has two cells per sheet and killer defects, so it is below 1).
    from twin.cell_output import finished_output
    from twin.cost.line_flow import LineOutput
    from twin.optimise.candidates import baseline_sample
    from twin.sheet_conditions import expected_cell_piece_yield

    scenario, result = optimised
    designed = validate_scenario(result["designed_scenario"])
    milp = result["milp"]
    sheet_yield = math.prod(milp["by_step_yield"].values())
    # counted on the candidate sample by the shared definition (twin.cell_output): the good pieces on the kept
    # sheets are within three binomial standard errors of the analytical defect yield over the sample's pieces
    cells = designed.cell.format.cells_per_sheet
    sample = baseline_sample(scenario, designed.optimisation.candidate_sample_sheets)
    finished = finished_output(scenario, sample.finished.values, sample.finished.alive)
    expected = expected_cell_piece_yield(designed)
    pieces = designed.optimisation.candidate_sample_sheets * cells
    assert abs(finished.good_pieces / (finished.sheets * cells) - expected) <= 3 * math.sqrt(
        expected * (1 - expected) / pieces)
    # stacked into cells, the cellmates of the pieces the end-of-line test rejects are lost too; what a
    # sheet delivers is read from evaluate's own (larger) sample, the one evaluate's headline uses
    from twin.evaluate import sample_route

    delivered = sample_route(scenario, np.random.default_rng(scenario.seed))
    stacked = LineOutput.from_finished(scenario, finished_output(scenario, delivered.values, delivered.alive))
    # times the chosen candidate's own piece factor (its good pieces per sheet over the baseline recipe's on
    # the candidate sample: test_candidate_pieces)
    # and times the line basis's pieces factor when the design was solved on evaluate of an earlier one
    basis = result["design_line_yields"]["basis"] or {}
    assert milp["cell_piece_yield"] == pytest.approx(
        stacked.good_pieces_per_sheet / cells * milp["piece_factor"] * basis.get("pieces_factor", 1.0), rel=1e-12)
    assert stacked.cellmate_pieces_per_sheet > 0
    assert milp["cell_piece_yield"] < finished.good_pieces / (finished.sheets * cells)
    assert milp["overall_yield"] == pytest.approx(sheet_yield * milp["cell_piece_yield"], rel=1e-9)
    assert milp["overall_yield"] < sheet_yield


def test_the_milp_expects_the_output_evaluate_then_measures(optimised):
    # The MILP's output per sheet comes from evaluate's own sample, and its candidate sample's sheet yields
    # from evaluate's estimator (twin.sample_estimator), so the design it writes delivers what it expected,
    # once two known differences are taken out. (1) The MILP prices its line at exactly the target output,
    # evaluate runs the same line at its capacity: the sheets started differ by the bottleneck's spare hours
    # (here the electrolyte kilns at 96.8 %, +3.3 %), exactly while the inspection choice after the MILP re-sizes
    # a station that is not the bottleneck (here the X-ray; on sulphide_spray and gigafactory it is not so).
    # (2) What a started sheet delivers: +0.85 %
    # measured, which is the 25 um X-ray the inspection choice picks after the MILP (earlier finds save
    # cellmates, +1.5 %; with the MILP's own 50 um X-ray evaluate measures -0.65 %) less the sheets the
    # electrolyte check scraps for low density (0.67 % in evaluate's 3,000 sheets) that the 100-sheet
    # candidate sample at the chosen recipe does not catch (expected 0.6 sheets: a continuous spec the
    # estimator, which stratifies the defect draws only, does not change). Was rel 0.05 on the raw ratio.
    _, result = optimised
    milp = result["milp"]
    throughput = result["throughput"]
    at_capacity = 1.0 / max(milp["utilization"].values())
    started = throughput["sheets_started_per_hour"] * throughput["operating_hours_per_year"]
    assert started == pytest.approx(milp["sheets_started_per_year"] * at_capacity, rel=1e-9)
    assert result["yield"]["overall"] == pytest.approx(milp["overall_yield"], rel=0.015)
    assert throughput["gwh_per_year"] == pytest.approx(milp["gwh_per_year"] * at_capacity, rel=0.015)
    assert result["cost"]["usd_per_kwh"] == pytest.approx(milp["usd_per_kwh"], rel=0.03)
