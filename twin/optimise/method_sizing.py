"""Each inspection method priced on a line sized for it, not on a line sized for another method.

A finer check finds defects before a cell is built on them, so the line it sits in needs fewer sheets
started and fewer machines upstream. Priced on a line the MILP sized for another method (only the check's own
station re-sized), two methods of nearly equal cost each look dearer on the other's line: the gigafactory's
4.6 and 2.3 um optical arrays made the loop of twin.optimise.line_basis alternate until its solve limit, and
its trials table priced rows on a line with another cell check than the design's.

:func:`line_sizer` gives twin.optimise.inspection_choice the sizing it needs: for a trial (the design's line with
one method at a check, that check re-sized), the line sized for it on the design's recipes and shift pattern,
with yields, good pieces and check stations measured by evaluate on the trial's line
(twin.optimise.line_basis.measured_basis, twin.optimise.chosen_checks). With recipes and shifts fixed the
stations are independent once the target fixes the flows, so the MILP's sizing is the fewest whole machines
of the cheapest size per station (twin.optimise.problem.cheapest_sizes), checked against the caps; where a cap
binds (or the objective is the most output) the MILP is solved on the kept recipes instead.

Sized lines are kept by (shift pattern, recipes, inspection, derating): the next solve, sized for the method
chosen, and its trials read the same lines, so the choice is made once per design and the loop ends by
agreement. The method a solve was itself sized for is that solve's own line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from twin.evaluate import Evaluation, evaluate_details
from twin.optimise.chosen_checks import chosen_check_stages, inspection_key, with_checks_of_key
from twin.optimise.coefficients import ProblemBuild, line_output
from twin.optimise.design import design_scenario
from twin.optimise.inspection_choice import with_checks_as_designed
from twin.optimise.line_basis import LineBasis, measured_basis, rebased
from twin.optimise.problem import OptimisationProblem, cheapest_sizes, design_figures
from twin.scenario import Scenario


@dataclass(frozen=True)
class SizedLine:
    """One inspection's line, sized for it: the scenario, its evaluation and the basis it was sized on."""

    designed: Scenario
    evaluation: Evaluation
    basis: LineBasis          # the basis it was sized on (evaluate of the trial's line)
    sized: bool = True        # False: no line on these recipes carries the target with it (priced as tried)
    # once a solve was sized on ``basis`` (the next solve after the method was chosen): its own line and evaluation,
    # which the trials of that solve and later ones read (the MILP's line, equal to the sizing's but for ties)
    solved: tuple | None = None


def sized_key(pattern: int, choice, inspection: str | None, derating: dict[str, float]) -> tuple:
    """The key a sized line is kept by: shift pattern, candidate per group, inspection key, derating."""
    return int(pattern), tuple(int(c) for c in choice), inspection, tuple(sorted(derating.items()))


def line_sizer(scenario: Scenario, build: ProblemBuild, problem: OptimisationProblem, kept: list, found: dict,
               derating: dict[str, float], objective: str, solve_number: int,
               cache: dict) -> Callable[[Scenario], tuple[Scenario, Evaluation, bool]]:
    """The sizing twin.optimise.inspection_choice.sizing_each_method hands the trials of one solved design.

    ``problem``: the derated and re-based problem the design was solved on (``found``, its candidate indices
    ``kept``); ``cache``: sized lines kept across solves (:func:`sized_key` -> :class:`SizedLine`)."""
    design = found["design"]
    choice = [int(c) for c in design.choice]
    full_choice = [int(kept[g][c]) for g, c in enumerate(choice)]
    checks = list(dict.fromkeys(o.check for o in scenario.optimisation.inspection_methods))
    unrebased = problem.sampled   # derated, before any re-basing: the basis of a trial is measured against it

    def size(trial: Scenario) -> tuple[Scenario, Evaluation, bool]:
        key = inspection_key(scenario, trial, checks)
        cache_key = sized_key(design.pattern, choice, key, derating)
        sized = cache.get(cache_key)
        if sized is not None and sized.basis is problem.line_basis and sized.solved is None:
            # this solve is the sizing of that line (the basis it was sized on, recipes kept): the MILP's own line
            line = with_checks_of_key(
                design_scenario(scenario, build, full_choice, design.pattern, design.machines, design.sizes), key)
            sized = cache[cache_key] = replace(sized, solved=(line, evaluate_details(line)))
        if sized is not None and sized.solved is not None:
            return sized.solved[0], sized.solved[1], True
        if sized is None:
            sized = cache[cache_key] = _sized(scenario, build, unrebased, trial, key, checks, choice, full_choice,
                                              design.pattern, derating, objective, solve_number)
        return sized.designed, sized.evaluation, sized.sized

    return size


def _sized(scenario: Scenario, build: ProblemBuild, unrebased: OptimisationProblem, trial: Scenario,
           key: str | None, checks: list[str], choice: list[int], full_choice: list[int], pattern: int,
           derating: dict[str, float], objective: str, solve_number: int) -> SizedLine:
    """The line sized for ``trial``'s inspection: evaluate of the trial measures the basis, the sizing uses it."""
    measured = evaluate_details(trial)
    stages = chosen_check_stages(scenario, build.pattern_scenarios, trial, checks) if key is not None else ()
    # the chosen checks' good pieces and cell energy on the scenario's own recipes over the candidate sample's
    # (design_report.at_chosen_inspection reads the MILP's figures with them)
    pieces_ratio, energy_ratio = 1.0, 1.0
    as_designed = with_checks_as_designed(scenario, trial, checks) if key is not None else None
    if as_designed is not None and unrebased.good_pieces_per_sheet > 0 and unrebased.cell_energy_Wh > 0:
        chosen = line_output(as_designed)
        pieces_ratio = chosen.good_pieces_per_sheet / unrebased.good_pieces_per_sheet
        energy_ratio = chosen.cell_energy_Wh / unrebased.cell_energy_Wh
    output = measured.flow.output
    basis = replace(measured_basis(unrebased, choice, measured.flow.step_yield, output.good_pieces_per_sheet,
                                   output.cell_energy_Wh, pieces_ratio, energy_ratio, solve_number, stages, key),
                    kept_design=(int(pattern), tuple(choice)))
    problem = rebased(unrebased, basis)
    machines, sizes = _sizing(problem, choice, pattern, objective)
    if machines is None:   # no design on these recipes with this inspection: priced as the trial stands
        return SizedLine(trial, measured, basis, sized=False)
    line = with_checks_of_key(design_scenario(scenario, build, full_choice, pattern, machines, sizes), key)
    return SizedLine(line, evaluate_details(line), basis)


def _sizing(problem: OptimisationProblem, choice: list[int], pattern: int, objective: str):
    """Machines and sizes per station of the cheapest line for ``choice`` on ``pattern`` (None, None: none)."""
    if objective != "max_output":
        target = problem.target_output_GWh_per_year
        sizes = cheapest_sizes(problem, choice, pattern, target)
        figures = design_figures(problem, choice, pattern, target, sizes=sizes)
        if figures.feasible:
            return figures.machines, sizes
    # a cap binds (stations no longer independent) or the most output is asked: the MILP on the kept recipes
    from twin.optimise.optimiser import _solve_design

    found = _solve_design(problem, objective, pattern=pattern, choice=tuple(choice), diagnose=False)
    if not found["outcome"].optimal:
        return None, None
    return found["design"].machines, found["design"].sizes


__all__ = ["SizedLine", "line_sizer", "sized_key"]
