"""The MILP re-based on evaluate of the line it designed (twin.optimise.line_basis): the factors, and the loop's
stopping rule."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from twin.optimise import line_basis
from twin.optimise.line_basis import (
    AGREED,
    FIXED_POINT,
    LIMIT,
    NO_DESIGN,
    REPEATED,
    LineBasis,
    agreeing_solve,
    agreement_sentence,
    measured_basis,
    rebased,
)
from twin.optimise.problem import design_figures

pytestmark = pytest.mark.unit


def _problem(make_problem):
    # 200 Wh per good cell, one cell per good sheet: kWh per good sheet 0.2, as small_problem's
    return replace(make_problem(np.random.default_rng(3)), good_pieces_per_sheet=1.0, cell_energy_Wh=200.0)


def test_a_design_re_based_on_its_own_measurement_reads_evaluates_figures(make_problem):
    problem = _problem(make_problem)
    choice, pattern = [2, 1], 0
    before = design_figures(problem, choice, pattern, 0.05)
    assert before.overall_yield > 0   # (feasibility, e.g. the quality margin, is not the point here)
    # what "evaluate" measured of that design: each step 2 % worse, 0.95 good pieces per sheet, 190 Wh a cell
    chosen = [s.yield_fraction[0 if s.group is None else choice[s.group]] for s in problem.stages]
    measured = {s.step_name: 0.98 * y for s, y in zip(problem.stages, chosen, strict=True)}
    basis = measured_basis(problem, choice, measured, 0.95, 190.0)
    after = design_figures(rebased(problem, basis), choice, pattern, 0.05)
    # exactly evaluate's: the yield cascade, the good pieces and the energy per good sheet
    assert after.overall_yield == pytest.approx(math.prod(measured.values()), rel=1e-12)
    assert after.good_pieces_per_sheet == pytest.approx(0.95, rel=1e-12)
    assert rebased(problem, basis).design_kWh_per_good_sheet(choice) == pytest.approx(0.95 * 190.0 / 1e3, rel=1e-12)
    # fewer good sheets per sheet started: more sheets enter the first step for the same output
    assert after.sheets_in_per_year[0] > before.sheets_in_per_year[0]


def test_other_candidates_keep_their_difference_and_no_yield_exceeds_one(make_problem):
    problem = _problem(make_problem)
    stage = problem.stages[1]
    basis = LineBasis({stage.step_name: 1.5}, 1.0, 1.0)
    moved = rebased(problem, basis).stages[1].yield_fraction
    assert moved.tolist() == np.minimum(stage.yield_fraction * 1.5, 1.0).tolist()
    assert moved.max() == 1.0
    # a step the basis does not name is left as it was
    assert rebased(problem, basis).stages[0].yield_fraction.tolist() == problem.stages[0].yield_fraction.tolist()


def test_factors_are_measured_against_the_candidate_sample_never_compounded(make_problem):
    problem = _problem(make_problem)
    basis = LineBasis({"step_0": 0.9}, 1.1, 0.9)
    once = rebased(problem, basis)
    assert once.sampled is problem and problem.sampled is problem
    assert rebased(problem, None) is problem
    with pytest.raises(ValueError, match="already re-based"):
        rebased(once, basis)
    # measured on the re-based problem, the factors still refer to the candidate sample's figures
    choice = [0, 0]
    measured = {s.step_name: float(s.yield_fraction[0]) for s in problem.stages}
    again = measured_basis(once, choice, measured, 1.0, 200.0)
    assert set(again.sheet_yield_factor.values()) == {1.0}
    assert (again.pieces_factor, again.cell_energy_factor) == (1.0, 1.0)


def test_a_step_that_kept_nothing_keeps_a_factor_of_one(make_problem):
    problem = _problem(make_problem)
    problem.stages[0].yield_fraction[:] = 0.0
    measured = {s.step_name: 0.5 for s in problem.stages}
    assert measured_basis(problem, [0, 0], measured, 1.0, 200.0).sheet_yield_factor["step_0"] == 1.0


def _attempts(outcomes):
    """A fake solve per outcome: (design, agrees) or None for no design; records the basis each was given."""
    given = []

    def attempt(basis, solve):
        given.append(basis)
        outcome = outcomes[solve - 1]
        if outcome is None:
            return {"optimal": False, "solve": solve}
        design, agrees = outcome
        return {"optimal": True, "agrees": agrees, "design_key": design, "solve": solve,
                "basis": LineBasis({}, 1.0, 1.0, measured_on=solve), "summary": {"design": design}}

    return attempt, given


@pytest.mark.parametrize("outcomes, status, solves, last", [
    ([("A", True)], AGREED, 1, 1),
    ([("A", False), ("B", True)], AGREED, 2, 2),
    # the design the basis was measured on, chosen again: agreement by construction, told apart
    ([("A", False), ("A", True)], FIXED_POINT, 2, 2),
    ([("A", False), ("B", False), ("B", True)], FIXED_POINT, 3, 3),
    ([("A", False), ("A", False)], REPEATED, 2, 2),
    # an earlier design chosen on a later design's yields and agreeing: a real agreement
    ([("A", False), ("B", False), ("A", True)], AGREED, 3, 3),
    ([("A", False), ("B", False), ("A", False), ("C", True)], REPEATED, 3, 3),
    ([("A", False), ("B", False), ("C", False), ("D", False), ("E", True)], LIMIT, 4, 4),
    ([("A", False), None], NO_DESIGN, 1, 1),
    ([None], NO_DESIGN, 0, 1),
])
def test_the_loop_stops_on_agreement_a_repeated_design_the_limit_or_no_design(outcomes, status, solves, last):
    attempt, given = _attempts(outcomes)
    final, record = agreeing_solve(attempt, max_solves=4)
    assert record["status"] == status
    assert len(record["solves"]) == solves
    assert final["solve"] == last                 # no design on a re-based solve: the last design found stands
    assert given[0] is None                       # the first solve on the candidate sample's yields
    assert [b.measured_on for b in given[1:]] == list(range(1, len(given)))   # each on the design before it
    assert len(given) <= 4


def test_the_limit_is_checked():
    with pytest.raises(ValueError, match="max_solves: 0 must be at least 1"):
        agreeing_solve(lambda basis, solve: {}, max_solves=0)
    assert line_basis.MAX_LINE_SOLVES >= 2


def _record(status, promised):
    return {"status": status, "max_solves": 4,
            "solves": [{"overall_yield_milp": p, "overall_yield_evaluate": 0.885} for p in promised]}


def test_the_sentence_says_what_the_loop_did():
    assert agreement_sentence(_record(AGREED, [0.885])) is None
    agreed = agreement_sentence(_record(AGREED, [0.8992, 0.885]))
    assert agreed.startswith("the MILP was solved 2 times, after the first each time on evaluate's yields of the line "
                             "it had designed")
    assert "solve 1 promised an overall yield of 89.92% where evaluate gave 88.50%" in agreed
    assert agreed.endswith("solve 2 agrees within evaluate's sampling error")
    limit = agreement_sentence(_record(LIMIT, [0.8992, 0.87, 0.90, 0.86]))
    assert limit.startswith("stopped WITHOUT AGREEING") and "the limit of 4 solves" in limit
    assert "a design it had chosen before" in agreement_sentence(_record(REPEATED, [0.8992, 0.87, 0.8992]))
    fixed = agreement_sentence(_record(FIXED_POINT, [0.954, 0.943]))
    assert fixed.startswith("solve 1 promised an overall yield of 95.40% where evaluate gave 88.50%; solve 2, priced "
                            "on evaluate's yields of that design, chose the same design again")
    assert "agrees by construction" in fixed and "not an independent test" in fixed and "twin check" in fixed
    # agreed at once, but sized on other checks than the inspection chosen on it: the sentence says so
    record = _record(AGREED, [0.885, 0.885])
    record["solves"][0].update(trustworthy=True, solved_with_chosen_inspection=False)
    record["solves"][1].update(trustworthy=True, solved_with_chosen_inspection=True)
    assert agreement_sentence(record) == (
        "the MILP was solved 2 times: after solve 1 the line was sized again with the inspection chosen on it (the "
        "checks' machines, yields and good pieces, on evaluate's yields of that line; recipes and shifts kept); "
        "solve 2 was sized with the inspection chosen for it and agrees within evaluate's sampling error")


def test_a_chosen_check_replaces_its_stage_and_keeps_the_derating(make_problem):
    import numpy as np

    from twin.optimise.chosen_checks import CheckStage, with_chosen_checks
    from twin.optimise.line_basis import LineBasis, rebased

    problem = make_problem(np.random.default_rng(3))
    check = CheckStage(step_name="step_4", hours_factor=4.0, variable_usd_per_sheet_change=0.5,
                       energy_kWh_per_sheet_change=0.0, capex_usd_per_machine=2.5e6, floor_area_m2_per_machine=30.0,
                       fixed_cost_usd_per_machine_year=np.array([1.0, 2.0]),
                       energy_kWh_per_machine_year=np.array([3.0, 4.0]))
    changed = with_chosen_checks(problem, (check,))
    before, after = problem.stages[4], changed.stages[4]
    assert after.machine_hours_per_sheet == pytest.approx(4.0 * before.machine_hours_per_sheet, rel=1e-15)
    assert after.variable_cost_usd_per_sheet == pytest.approx(before.variable_cost_usd_per_sheet + 0.5, rel=1e-15)
    assert after.capex_usd_per_machine == 2.5e6 and after.sizes == []
    assert changed.stages[:4] == problem.stages[:4]   # the other stations stay as built
    basis = LineBasis(sheet_yield_factor={}, pieces_factor=1.1, cell_energy_factor=1.0, checks=(check,),
                      inspection_key="chosen")
    moved = rebased(problem, basis)
    assert moved.stages[4].capex_usd_per_machine == 2.5e6
    assert moved.good_pieces_per_sheet == pytest.approx(1.1 * problem.good_pieces_per_sheet, rel=1e-15)


def test_a_basis_with_the_chosen_checks_keeps_their_pieces_in_its_factors(make_problem):
    import numpy as np

    from twin.optimise.line_basis import measured_basis

    problem = make_problem(np.random.default_rng(5))
    yields = {s.step_name: float(s.yield_fraction[0]) for s in problem.stages}
    measured = 1.2 * problem.design_good_pieces_per_sheet([0, 0])
    without = measured_basis(problem, [0, 0], yields, measured, problem.cell_energy_Wh, 1.2, 1.0)
    within = measured_basis(problem, [0, 0], yields, measured, problem.cell_energy_Wh, 1.2, 1.0,
                            checks=("stage",), inspection_key="chosen")
    # the MILP at its own checks reads the measurement through the ratio; with the chosen checks in, directly
    assert without.pieces_factor == pytest.approx(1.0, rel=1e-12) and without.inspection_key is None
    assert within.pieces_factor == pytest.approx(1.2, rel=1e-12)
    assert within.inspection_pieces_ratio == 1.2 and within.inspection_key == "chosen"


def test_an_alternating_inspection_choice_is_said_as_such_not_as_figures_outside():
    from twin.commands.optimise_wording import solves_words
    from twin.optimise.line_basis import inspection_alternates

    record = _record(LIMIT, [0.852, 0.865, 0.846, 0.866])
    for i, solve in enumerate(record["solves"]):
        solve.update(trustworthy=i > 0, solved_with_chosen_inspection=False, inspection_cycle=i >= 2)
    assert inspection_alternates(record)
    sentence = agreement_sentence(record)
    assert "kept going back to a method an earlier solve had sized the line for" in sentence
    assert "agree with evaluate within its sampling error" in sentence and "WITHOUT AGREEING" not in sentence
    assert solves_words(record) == "4 (the inspection choice alternates; the last design's figures agree)"
    # the last design outside evaluate's error: still the plain 'without agreeing'
    record["solves"][-1]["trustworthy"] = False
    assert not inspection_alternates(record)
    assert agreement_sentence(record).startswith("stopped WITHOUT AGREEING")
