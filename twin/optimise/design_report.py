"""A solved design as the user reads it: evaluate of the scenario the optimiser writes beside the MILP's figures.

The headline figures (throughput, yield, cost, stations, bottleneck) are ``evaluate`` of the designed scenario
(same seed), so ``ssb-twin evaluate`` of the written file agrees by construction; the MILP's own estimate
(priced at exactly the target) is kept under ``milp``, and the physics re-check compares the two
(twin.optimise.design.physics_recheck).
"""

from __future__ import annotations

import math

import numpy as np

from twin.evaluate import SAMPLE_SHEETS, Evaluation, evaluate_details
from twin.inspection import SPEC_CHECKS, THICKNESS_SPEC
from twin.operations import operation_for
from twin.optimise.candidates import QUALITY_SPECS, THICKNESS_DEVIATION, UNIT_SHEETS
from twin.optimise.chosen_checks import with_checks_of_key
from twin.optimise.coefficients import ProblemBuild, line_output
from twin.optimise.design import cost_of, design_scenario, physics_recheck, plant_operation
from twin.optimise.inspection_choice import (
    choose_inspection_methods,
    choose_inspection_times,
    with_checks_as_designed,
)
from twin.optimise.problem import OptimisationProblem
from twin.optimise.recipe_choice import recipe_choices
from twin.optimise.target_cost import cost_at_target
from twin.plant_metrics import per_calendar_day
from twin.quality_checkpoints import reported_key
from twin.scenario import Scenario, validate_scenario

# The candidate sample's means are held scaled to the spec's unit (candidates.QUALITY_SPECS: ohm cm2, mS/cm);
# the JSON names them by that unit, as the spec fields do, not by the SI state field they were read from
REPORTED_QUALITY_KEY = {key: spec_field.split("_", 1)[1] for key, _, spec_field, _ in QUALITY_SPECS}
# the mean sheet's thickness deviation is a fraction of the design thickness: named as quality_at_check names it
MEAN_SHEET_KEY = {**REPORTED_QUALITY_KEY, THICKNESS_DEVIATION: reported_key(THICKNESS_SPEC)}
# What a spec of the design reads from evaluate's quality_at_check (twin.quality_checkpoints: per sheet)
SPEC_FIGURES = ("limit", "sense", "out_of_spec_fraction", "tail_value", "tail_margin", "sheets_measured", "p50")
# The sheet-yield re-run's interval: 95 %, two-sided (z of the standard normal)
Z_95 = 1.959963984540054
SHEET_INTERVAL_METHOD = ("Wilson score 95 % interval of the sheets kept whole among the re-run's sheets, taken as "
                         "independent draws (they share a kiln load's draws in transfer units, so the spread may "
                         "be wider)")


def design_report(
    scenario: Scenario,
    build: ProblemBuild,
    problem: OptimisationProblem,
    kept: list[np.ndarray],
    found: dict,
    n_sheets: int,
) -> tuple[dict, Evaluation]:
    """The design's figures (evaluate of the written scenario) beside the MILP's, and that evaluation."""
    design = found["design"]
    full_choice = [int(kept[g][c]) for g, c in enumerate(design.choice)]
    designed = design_scenario(scenario, build, full_choice, design.pattern, design.machines, design.sizes)
    # the MILP priced the checks its line basis holds (the inspection chosen on an earlier design): so is its cost
    basis = problem.line_basis
    operation = plant_operation(
        with_checks_of_key(designed, basis.inspection_key if basis is not None else None),
        problem,
        design.choice,
        design.pattern,
        design.machines,
        design.sheets_in_per_year,
        design.sheets_good_out_per_year,
        design.sizes,
    )
    cost = cost_of(operation)
    pattern = problem.shift_patterns[design.pattern]
    step_yield = {
        s.step_name: (
            design.sheets_good_out_per_year[i] / design.sheets_in_per_year[i]
            if design.sheets_in_per_year[i] > 0
            else 0.0
        )
        for i, s in enumerate(problem.stages)
    }
    first = design.sheets_in_per_year[0]
    # the design's good pieces per sheet leaving the line: the baseline's x its candidates' piece factors
    piece_yield = problem.design_good_pieces_per_sheet(design.choice) / designed.cell.format.cells_per_sheet
    milp_gwh = design.output_GWh_per_year
    # what the MILP expected of its design: flows at the target, yields from the candidate sample (re-based on
    # evaluate of an earlier design after the first solve: twin.optimise.line_basis)
    milp = {
        "usd_per_kwh": design.annual_cost_usd / (milp_gwh * 1e6) if milp_gwh > 0 else None,
        "annual_cost_usd": design.annual_cost_usd,
        "cost_model_usd_per_kwh": cost["usd_per_kwh"],
        "cost_model_annual_cost_usd": cost["total_usd_per_year"],
        "capex_usd": cost["capex_usd"],
        "gwh_per_year": milp_gwh,
        "good_cells_per_day": per_calendar_day(operation.good_cells_per_year),
        "sheets_started_per_year": float(first),
        # as evaluate: good cell pieces per piece started (sheet yields x the pieces defects left)
        "overall_yield": (float(design.sheets_good_out_per_year[-1] / first) * piece_yield) if first > 0 else 0.0,
        "by_step_yield": step_yield,
        "cell_piece_yield": piece_yield,
        # the chosen candidates' good pieces per sheet over the baseline recipes' (DecisionGroup.piece_factor)
        "piece_factor": problem.good_pieces_factor(design.choice),
        "utilization": operation.utilization,
    }
    inspection_trials: list[dict] = []
    space = scenario.optimisation
    if space is not None and space.inspection_cycle_time_s:
        # after the MILP: each time-dependent inspection's cycle time, priced by evaluate with its escapes
        designed, inspection_trials = choose_inspection_times(designed, space.inspection_cycle_time_s)
    method_trials: list[dict] = []
    if space is not None and space.inspection_methods:
        # each offered method and resolution at its check, the station re-sized, priced with its escapes
        designed, method_trials = choose_inspection_methods(designed, space.inspection_methods)
    milp.update(at_chosen_inspection(scenario, designed, problem, milp,
                                      [t["check"] for t in inspection_trials + method_trials]))
    # the headline is evaluate of the scenario the optimiser writes, so both commands agree by construction
    evaluation = evaluate_details(validate_scenario(designed.model_dump(mode="json")))
    headline = evaluation.result
    recheck = physics_recheck(designed, problem, design.choice, n_sheets, headline, milp)
    recheck["sheets"].update(sheet_yield_interval(recheck["sheets"]["sheet_yield_physics"], sample_sheets(n_sheets),
                                                  float(np.prod(list(evaluation.flow.step_yield.values())))))
    return {
        "designed_scenario": designed,
        "design": {
            "recipes": {g.name: g.recipes[c] for g, c in zip(problem.groups, design.choice, strict=False)},
            "shift_pattern": {
                "shifts_per_day": pattern.shifts_per_day,
                "days_per_week": pattern.days_per_week,
                "hours_per_shift": pattern.hours_per_shift,
                "hours_per_year": pattern.hours_per_year,
            },
            "machines": {name: station.machines for name, station in designed.line.stations.items()},
            # the size picked for each station that offers sizes, in its axis' unit
            "sizes": {s.step_name: s.sizes[z].size for s, z in zip(problem.stages, design.sizes or [], strict=False)
                      if z is not None},
            "inspection": inspection_trials,
            "inspection_methods": method_trials,
        },
        "throughput": headline["throughput"],
        "yield": headline["yield"],
        "cost": headline["cost"],
        "stations": headline["stations"],
        "bottleneck": headline["bottleneck"],
        # as evaluate: the stations near-balanced with the bottleneck, named in the capacity note (twin.plant_gap)
        "near_bottlenecks": headline["near_bottlenecks"],
        "energy_kwh_per_kwh": headline["energy_kwh_per_kwh"],
        "undefined_reason": headline["undefined_reason"],
        "utilization": {name: station["utilization"] for name, station in headline["stations"].items()},
        "headline_source": "evaluate of designed_scenario (same seed)",
        "milp": milp,
        # the design priced as the choice prices it: the line as sized making only the target (twin.optimise.
        # target_cost), the basis the MILP's estimate and the start-vs-design table are compared on
        "cost_at_target": (at_target := cost_at_target(evaluation, scenario.plant.target_output_GWh_per_year)
                           .as_dict()),
        "milp_gap": milp_gap(headline, milp, at_target["usd_per_kwh"]),
        # evaluate's 95 % intervals of the design's headline (twin.sampling_error): trials closer than this tie
        "sampling_error": headline.get("sampling_error"),
        # the shared result keys of the written scenario, as evaluate gives them
        "quality": headline["quality"],
        "quality_at_check": headline["quality_at_check"],
        "cell": headline["cell"],
        # each chosen recipe's specs judged per sheet, as the checks apply them (evaluate of the design), and
        # the MILP's own view on the candidate sample: the worst 1 % sheet's margin, which min_quality_margin
        # and pruning judge (twin.optimise.quality_margins), and the mean sheet's properties
        "recipe_quality": {
            g.name: {
                "specs": (specs := design_specs(designed, g.span, headline["quality_at_check"])),
                "tightest_spec": tightest_spec(specs),
                "candidate_tail_margin": float(g.quality_margin[c]),
                "mean_sheet": {MEAN_SHEET_KEY.get(k, k): float(v[c]) for k, v in g.quality_means.items()},
            }
            for g, c in zip(problem.groups, design.choice, strict=False)
        },
        # what became of each group's candidates: kept, tied, beaten, below the margin; the one chosen
        "recipe_choice": recipe_choices(build.problem, kept, design.choice),
        "energy_MWh_per_year": design.energy_MWh_per_year,
        "floor_area_m2": design.floor_area_m2,
        "binding_constraints": found["shadow_prices"],
        "physics_recheck": recheck,
    }, evaluation


def at_chosen_inspection(scenario: Scenario, designed: Scenario, problem: OptimisationProblem, milp: dict,
                          checks: list[str]) -> dict:
    """The MILP's yield and output with the inspection chosen after it (inspection_choice): what a sheet
    leaving the line delivers is read again from evaluate's sample of the scenario's own recipes with the
    chosen checks, and scales the MILP's good pieces (the candidates' piece factors stay). The MILP's cost and
    machines stay as solved: the re-sized check station is priced by evaluate only. When the problem's line basis
    holds an inspection chosen earlier (twin.optimise.line_basis), the MILP's figures include that one already,
    and only the change from it to this choice scales them (none when the same checks are chosen again)."""
    as_designed = with_checks_as_designed(scenario, designed, list(dict.fromkeys(checks))) if checks else None
    sampled = problem.sampled   # the ratio is the checks' on the baseline recipes, not a re-based line's
    base = sampled.good_pieces_per_sheet * sampled.cell_energy_Wh
    if as_designed is None or base <= 0:
        pieces, output = 1.0, 1.0
    else:
        chosen = line_output(as_designed)
        pieces = chosen.good_pieces_per_sheet / sampled.good_pieces_per_sheet
        output = chosen.good_pieces_per_sheet * chosen.cell_energy_Wh / base
    basis = problem.line_basis
    if basis is not None and basis.inspection_key is not None:
        pieces /= basis.inspection_pieces_ratio
        output /= basis.inspection_pieces_ratio * basis.inspection_energy_ratio
    return {"overall_yield_chosen_inspection": milp["overall_yield"] * pieces,
            "cell_piece_yield_chosen_inspection": milp["cell_piece_yield"] * pieces,
            "gwh_per_year_chosen_inspection": milp["gwh_per_year"] * output}


def design_specs(designed: Scenario, span: tuple[int, int], quality_at_check: dict) -> list[dict]:
    """Every spec of the checks in ``span`` as evaluate of the design measured it, per sheet: ``{check, spec,
    key, limit, sense, out_of_spec_fraction, tail_value, tail_margin, sheets_measured, p50}`` (``quality_at_check``'s
    figures, twin.quality_checkpoints: the out-of-spec share by the scrap causes' own test, the worst 1 % sheet
    and its relative distance inside the limit), in the key's unit."""
    specs = []
    for i in range(span[0], span[1] + 1):
        check = designed.route[i]
        if not operation_for(check).is_quality_check:
            continue
        block = quality_at_check.get(check.name) or {}
        for spec in (*SPEC_CHECKS, THICKNESS_SPEC):
            measured = block.get(reported_key(spec)) if getattr(check, spec, None) is not None else None
            if measured is not None:
                specs.append({"check": check.name, "spec": spec, "key": reported_key(spec),
                              **{name: measured.get(name) for name in SPEC_FIGURES}})
    return specs


def tightest_spec(specs: list[dict]) -> dict | None:
    """The spec that puts the most sheets out of spec (:func:`design_specs`); among specs that put out as many
    (none, often), the one whose worst 1 % sheet is closest to the limit (a tail margin of None comes last).
    None when no spec is measured."""
    def order(spec: dict) -> tuple[float, float]:
        tail = spec.get("tail_margin")
        return -(spec.get("out_of_spec_fraction") or 0.0), tail if tail is not None else math.inf
    return min(specs, key=order) if specs else None


def sample_sheets(n_sheets: int) -> int:
    """Sheets the candidate sample runs: whole transfer units of UNIT_SHEETS (twin.optimise.candidates)."""
    return UNIT_SHEETS * max(1, math.ceil(n_sheets / UNIT_SHEETS))


def wilson_interval(kept: int, sheets: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval of a binomial share ``kept`` / ``sheets`` (Wilson 1927, JASA 22:209): centre
    (k + z^2/2) / (n + z^2), half-width z / (n + z^2) sqrt(k (n - k) / n + z^2 / 4). It holds k / n for every k
    (unlike the normal interval at k = 0 or n) and stays inside [0, 1]."""
    if sheets <= 0:
        raise ValueError(f"sheets: {sheets} must be positive")
    if not 0 <= kept <= sheets:
        raise ValueError(f"kept: {kept} must lie in [0, {sheets}]")
    z2 = z * z
    centre = (kept + z2 / 2.0) / (sheets + z2)
    half = z / (sheets + z2) * math.sqrt(kept * (sheets - kept) / sheets + z2 / 4.0)
    return max(0.0, centre - half), min(1.0, centre + half)


def sheet_yield_interval(sheet_yield: float, sheets: int, evaluate_sheet_yield: float) -> dict:
    """The re-run's whole-sheet yield (``sheet_yield`` of ``sheets``) with its 95 % interval, and whether
    evaluate's whole-sheet yield of the design (``evaluate_sheet_yield``, its 3,000-sheet sample) lies inside:
    ``{sheets_started, sheets_kept_whole, sheet_yield_ci95_low, sheet_yield_ci95_high, interval_method,
    sheet_yield_evaluate, evaluate_within}``."""
    kept = min(max(round(sheet_yield * sheets), 0), sheets)
    low, high = wilson_interval(kept, sheets)
    return {"sheets_started": sheets, "sheets_kept_whole": kept, "sheet_yield_ci95_low": low,
            "sheet_yield_ci95_high": high, "interval_method": SHEET_INTERVAL_METHOD,
            "sheet_yield_evaluate": evaluate_sheet_yield,
            "evaluate_within": bool(low <= evaluate_sheet_yield <= high)}


def milp_gap(headline: dict, milp: dict, usd_per_kwh_at_target: float | None = None) -> dict:
    """Relative difference of the headline (evaluate) from the MILP's estimate, with the reasons it exists;
    ``usd_per_kwh_at_target``: evaluate's design priced at the target as the MILP prices it (twin.optimise.
    target_cost), so ``usd_per_kwh_at_target`` compares like with like (``usd_per_kwh``: at the line's own
    output, another basis)."""
    def relative(a, b):
        return a / b - 1.0 if a is not None and b else None
    return {
        "usd_per_kwh": relative(headline["cost"]["usd_per_kwh"], milp["usd_per_kwh"]),
        "usd_per_kwh_at_target": relative(usd_per_kwh_at_target, milp["usd_per_kwh"]),
        "gwh_per_year": relative(headline["throughput"]["gwh_per_year"], milp["gwh_per_year"]),
        "why": "the MILP prices its line at exactly the target output with yields from its candidate sample; "
               "evaluate runs the same line at its own capacity (whole machines leave spare capacity) with "
               f"yields from a {SAMPLE_SHEETS}-sheet sample",
    }


__all__ = ["at_chosen_inspection", "design_report", "design_specs", "milp_gap", "sheet_yield_interval", "tightest_spec",
           "wilson_interval"]
