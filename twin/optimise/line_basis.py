"""The yields the MILP prices its design on must be the ones evaluate gives the line it designed.

The MILP prices a step without a recipe choice (a check after the recipe's span, e.g. the cell inspection
that reads the interface ASR) at evaluate's sheet yield of the scenario's own line, and a candidate's yield
as the small candidate sample's moved onto evaluate's basis with the baseline recipe as reference
(twin.optimise.coefficients.sheet_yields_on_evaluate_basis). Evaluate of the designed scenario runs the
design's own line: its machines and shifts set the bottleneck, the bottleneck each buffer's wait
(twin.buffer_levels), the wait the dry-room exposure and with it the interface-ASR scrap; and the chosen
recipe moves a later check's yield. So the MILP's promise could miss evaluate's figures of its own design
beyond the sampling error (pilot_line: overall yield 89.92 % promised, 88.50 % by evaluate, +-1.37 %).

:func:`agreeing_solve` measures each design by evaluate and, while the MILP's figures lie outside evaluate's
sampling error, re-bases the problem on that measurement (:class:`LineBasis`, :func:`rebased`) and solves
again: every step's sheet yield scaled by evaluate's over the MILP's for the design (each candidate keeps its
own difference to the designed recipe, as it kept it to the baseline recipe before: common random numbers),
the good pieces per sheet and the energy of a good cell likewise. It stops when they agree, when a solve
returns a design already measured (the next solve would repeat it), or after ``MAX_LINE_SOLVES`` solves.

The inspection is chosen after each solve (twin.optimise.inspection_choice). A design agrees only when it was
solved with the inspection chosen for it: otherwise the basis takes in the chosen checks (their stations,
twin.optimise.chosen_checks, and evaluate's yields and good pieces with them) and the MILP sizes the line
again, so the better yield of a bought inspection comes out as fewer machines, not as output above the target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from twin.no_output import counted
from twin.optimise.problem import OptimisationProblem

# Solves of the MILP, the first on the candidate sample's yields included. Assumption: each re-based solve
# costs one evaluate of the design (~0.5-1 s on the library lines); measured 30 Nov 2026, oxide_baseline,
# gigafactory and sulphide_spray agree at the first solve, pilot_line (both objectives) at the second, so four
# bound the cost and leave room for a change of design in between.
MAX_LINE_SOLVES = 4

AGREED = "agreed"
REPEATED = "design repeated"
# re-based on evaluate's yields of its own design, the MILP chose that design again: its figures are then
# evaluate's own, so the re-check agrees by construction and is no independent test of the MILP's model
FIXED_POINT = "same design on evaluate's yields"
LIMIT = "solve limit"
NO_DESIGN = "no design"


@dataclass(frozen=True)
class LineBasis:
    """Evaluate of one designed line over what the MILP had priced it at: factors on the problem's figures."""

    sheet_yield_factor: dict[str, float]  # step -> evaluate's sheet yield over the MILP's for the design
    pieces_factor: float                  # good cell pieces per sheet leaving the line: the same ratio
    cell_energy_factor: float             # delivered Wh of one good cell: the same ratio
    measured_on: int = 0                  # the solve (1-based) whose design was evaluated
    # the inspection chosen for that design, when not the scenario's own (twin.optimise.chosen_checks): its
    # check stations, its key, and its good pieces and cell energy on the baseline recipes over the own
    # checks' (the factors above then include it; design_report.at_chosen_inspection divides these out)
    checks: tuple = ()
    inspection_key: str | None = None
    inspection_pieces_ratio: float = 1.0
    inspection_energy_ratio: float = 1.0
    # (shift pattern, candidate per group) the next solve keeps, or None to let it choose. Set when a design
    # agreed with evaluate but was sized on other checks than those chosen for it: the chosen inspection moves
    # every candidate of a step by the same factor (and the check stations), so it changes how many machines
    # the line needs, not which recipe is cheaper per sheet; a full MILP solve costs ~3.2 s of CPU on the
    # gigafactory, one on kept recipes ~0.4 s (measured 30 Nov 2026).
    kept_design: tuple | None = None


def rebased(problem: OptimisationProblem, basis: LineBasis | None) -> OptimisationProblem:
    """The problem with its yields, pieces per sheet and cell energy moved onto ``basis`` (None: unchanged).

    Every candidate of a step is scaled by the step's factor (clipped to a yield of 1); ``problem`` must be
    the candidate sample's (never re-based: factors are measured against it, not compounded)."""
    if basis is None:
        return problem
    from twin.optimise.chosen_checks import with_chosen_checks

    if problem.before_rebasing is not None:
        raise ValueError("rebased: the problem is already re-based; pass the candidate sample's problem")
    stages = [replace(s, yield_fraction=np.minimum(s.yield_fraction * basis.sheet_yield_factor.get(s.step_name, 1.0),
                                                   1.0))
              for s in with_chosen_checks(problem, basis.checks).stages]
    return replace(
        problem,
        stages=stages,
        good_pieces_per_sheet=problem.good_pieces_per_sheet * basis.pieces_factor,
        cell_energy_Wh=problem.cell_energy_Wh * basis.cell_energy_factor,
        kWh_per_good_sheet=problem.kWh_per_good_sheet * basis.pieces_factor * basis.cell_energy_factor,
        line_basis=basis,
        before_rebasing=problem,
    )


def _ratio(measured: float, priced: float) -> float:
    # nothing priced (a step that scraps every sheet, no good piece): no reference, the factor stays 1
    return measured / priced if priced > 0 and measured >= 0 else 1.0


def measured_basis(problem: OptimisationProblem, choice: list[int], step_yield: dict[str, float],
                   good_pieces_per_sheet: float, cell_energy_Wh: float, inspection_pieces_ratio: float = 1.0,
                   inspection_energy_ratio: float = 1.0, solve: int = 0, checks: tuple = (),
                   inspection_key: str | None = None) -> LineBasis:
    """The basis that makes the MILP price design ``choice`` as evaluate measured it.

    ``problem``: the problem the design was solved on (its candidate sample's figures are used);
    ``step_yield``: evaluate's sheet yield of every step of the designed scenario; ``good_pieces_per_sheet``,
    ``cell_energy_Wh``: evaluate's line output (twin.cost.line_flow.LineOutput). The MILP's figures at the
    inspection chosen after it are its own times the ``inspection_*_ratio`` (design_report.at_chosen_inspection),
    so the measured pieces and energy are divided by those ratios: the MILP, times them, then reads evaluate's.
    With ``checks`` (the chosen inspection's stations and its ``inspection_key``) the basis takes the chosen
    inspection in instead: the factors are evaluate's over the candidate sample's, and the ratios (those of the
    chosen checks over the scenario's own, on the baseline recipes) are kept for at_chosen_inspection.
    """
    sampled = problem.sampled
    factors = {}
    for stage in sampled.stages:
        k = 0 if stage.group is None else choice[stage.group]
        factors[stage.step_name] = _ratio(float(step_yield[stage.step_name]), float(stage.yield_fraction[k]))
    within = bool(checks)   # the chosen inspection enters the MILP: its pieces and energy stay in the factors
    pieces = sampled.design_good_pieces_per_sheet(choice) * (1.0 if within else inspection_pieces_ratio)
    energy = sampled.cell_energy_Wh * (1.0 if within else inspection_energy_ratio)
    return LineBasis(sheet_yield_factor=factors, pieces_factor=_ratio(good_pieces_per_sheet, pieces),
                     cell_energy_factor=_ratio(cell_energy_Wh, energy), measured_on=solve, checks=tuple(checks),
                     inspection_key=inspection_key if within else None,
                     inspection_pieces_ratio=inspection_pieces_ratio if within else 1.0,
                     inspection_energy_ratio=inspection_energy_ratio if within else 1.0)


def agreeing_solve(attempt: Callable[[LineBasis | None, int], dict], max_solves: int = MAX_LINE_SOLVES,
                   basis: LineBasis | None = None) -> tuple[dict, dict]:
    """Solve, evaluate the design, re-base, solve again: until the MILP's figures agree with evaluate's.

    ``attempt(basis, solve)`` solves on ``basis`` (None: the candidate sample's yields) and evaluates the
    design; it returns a dict with ``optimal`` and, when optimal, ``agrees`` (the re-check within evaluate's
    sampling error), ``design_key`` (recipes, shift pattern, machines, sizes, inspection), ``basis`` (measured on
    this design, for the next solve; ``basis_of_design`` False when measured on another line) and ``summary``
    (its figures, for the record). Stops when a design agrees,
    when no design is found (the last design found, if any, is returned), when a design comes back that was
    measured already (its basis would give the same solve again) or after ``max_solves``. Returns (the last
    attempt, the record: ``status``, ``solves``, ``max_solves``, ``basis``: the returned design's basis)."""
    if max_solves < 1:
        raise ValueError(f"max_solves: {max_solves} must be at least 1")
    seen: set = set()
    summaries: list[dict] = []
    status = LIMIT
    current: dict = {}
    solved_on: LineBasis | None = None   # the basis the design returned was solved on
    measured_key = None   # the design the next solve's basis is measured on
    for solve in range(1, max_solves + 1):
        previous, current = current, attempt(basis, solve)
        if not current["optimal"]:
            status = NO_DESIGN
            # a re-based solve without a design: the last design found stands, with its re-check
            current = previous or current
            break
        solved_on = basis
        summaries.append({"solve": solve, "yields_from": _source(basis), **current["summary"]})
        # the design the basis was measured on, chosen again: priced on its own measured yields, it agrees by
        # construction, so that is told apart from an agreement the MILP's re-based model earned
        if basis is not None and current["design_key"] == measured_key:
            status = FIXED_POINT if current["agrees"] else REPEATED
            break
        if current["agrees"]:
            status = AGREED
            break
        if current["design_key"] in seen:
            status = REPEATED
            break
        # a basis measured on another line than this design (twin.optimise.method_sizing: the chosen method's trial
        # line) makes the next solve's agreement no construction
        measured_key = current["design_key"] if current.get("basis_of_design", True) else None
        seen.add(current["design_key"])
        basis = current["basis"]
    return current, {"status": status, "solves": summaries, "max_solves": max_solves,
                     "basis": None if solved_on is None else _basis_record(solved_on)}


def _source(basis: LineBasis | None) -> str:
    return ("the candidate sample" if basis is None
            else f"evaluate of the design of solve {basis.measured_on}" if basis.measured_on
            else "evaluate of an earlier design")


def _basis_record(basis: LineBasis) -> dict:
    return {"measured_on_solve": basis.measured_on,
            "sheet_yield_factor": {name: float(f) for name, f in basis.sheet_yield_factor.items() if f != 1.0},
            "pieces_factor": float(basis.pieces_factor), "cell_energy_factor": float(basis.cell_energy_factor)}


def inspection_alternates(record: dict) -> bool:
    """The loop ran out of solves while the chosen inspection alternated between methods an earlier solve had
    sized the line for, the last design's figures agreeing with evaluate (optimiser: ``inspection_cycle``)."""
    solves = record.get("solves") or []
    return (record.get("status") == LIMIT and bool(solves) and bool(solves[-1].get("trustworthy"))
            and any(s.get("inspection_cycle") for s in solves))


def agreement_sentence(record: dict) -> str | None:
    """What the loop did, in a planner's words; None when the first solve agreed (nothing was re-based)."""
    solves = record.get("solves") or []
    status = record.get("status")
    if status == NO_DESIGN and solves:
        return (f"the MILP found no design on evaluate's yields of solve {len(solves)}'s design; the figures are "
                f"those of solve {len(solves)}")
    if not solves or (status == AGREED and len(solves) == 1):
        return None
    first = solves[0]
    # a solve that agreed with evaluate but was sized on other checks than those chosen for it (optimiser)
    resized = [i + 1 for i, s in enumerate(solves[:-1])
               if s.get("trustworthy", False) and not s.get("solved_with_chosen_inspection", True)]
    if status == AGREED and len(resized) == len(solves) - 1:
        return (f"the MILP was solved {counted(len(solves), 'time')}: after solve{'s' if len(resized) > 1 else ''} "
                f"{', '.join(str(i) for i in resized)} the line was sized again with the inspection chosen on it "
                "(the checks' machines, yields and good pieces, on evaluate's yields of that line; recipes and "
                f"shifts kept); solve {len(solves)} was sized with the inspection chosen for it and agrees within "
                "evaluate's sampling error")
    if inspection_alternates(record):
        return (f"the MILP was solved {counted(len(solves), 'time')}, each time after the first sizing the line with "
                "the inspection chosen on the design before, and the choice kept going back to a method an earlier "
                "solve had sized the line for (two methods of nearly equal cost on these lines): the last design's "
                "figures, with the method chosen on it, agree with evaluate within its sampling error, but its line "
                "was sized for the other method, so its machine counts may be one off at the check and its output "
                "off the target by that much (see GWh per year above)")
    was = (f"solve 1 promised an overall yield of {first['overall_yield_milp']:.2%} where evaluate gave "
           f"{first['overall_yield_evaluate']:.2%}")
    if status == AGREED:
        return (f"the MILP was solved {counted(len(solves), 'time')}, after the first each time on evaluate's yields "
                f"of the line it had designed (machines, shifts, bottleneck): {was}; solve {len(solves)} agrees within "
                "evaluate's sampling error")
    if status == FIXED_POINT:
        return (f"{was}; solve {len(solves)}, priced on evaluate's yields of that design, chose the same design again "
                "(the MILP finds it best on evaluate's own figures). The MILP's figures for it are then evaluate's "
                "own, so the re-check below agrees by construction: it is not an independent test of the MILP's "
                "model, which missed on solve 1. The independent test is the twin check (run without "
                "--no-twin-check)")
    why = ("it chose a design it had chosen before" if status == REPEATED
           else f"it reached the limit of {counted(record.get('max_solves', len(solves)), 'solve')}")
    return (f"stopped WITHOUT AGREEING: the MILP was solved {counted(len(solves), 'time')} (after the first, each "
            f"on evaluate's yields of the line it had designed) and {why}, its figures still outside evaluate's "
            f"sampling error ({was})")


__all__ = ["AGREED", "FIXED_POINT", "LIMIT", "LineBasis", "MAX_LINE_SOLVES", "NO_DESIGN", "REPEATED",
           "agreement_sentence", "inspection_alternates", "agreeing_solve", "measured_basis", "rebased"]
