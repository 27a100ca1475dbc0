"""The optimisation problem as plain numbers: what the MILP sees, and the exact figures of a design.

Everything physical has been evaluated before this point (``twin.optimise.candidates``): per route
step and per recipe candidate a yield, machine time, variable cost and energy per sheet. The MILP is
exact on these numbers, and :func:`design_figures` recomputes any chosen design from them without a
solver, so the two can be compared (and enumerated) in tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np


@dataclass(frozen=True)
class ShiftPattern:
    """A working pattern the plant may run; changes hours per year and labour per machine."""

    shifts_per_day: int
    days_per_week: int
    hours_per_shift: float
    holidays_per_year: int

    @property
    def label(self) -> str:
        return f"{self.shifts_per_day}x{self.hours_per_shift:g}h, {self.days_per_week} d/wk"

    @property
    def hours_per_year(self) -> float:
        working_days = 365.0 * self.days_per_week / 7.0 - self.holidays_per_year
        return max(working_days, 0.0) * self.shifts_per_day * self.hours_per_shift


@dataclass
class StageSize:
    """One machine size a station may be built in (twin.scenario.machine_sizes): its own rates and prices."""

    size: float  # in the unit of the station's size axis
    machine_hours_per_sheet: np.ndarray  # by candidate, as StageData
    variable_cost_usd_per_sheet: np.ndarray  # by candidate (web trim and run energy may follow the size)
    energy_kWh_per_sheet: np.ndarray  # by candidate
    fixed_cost_usd_per_machine_year: np.ndarray  # by shift pattern
    capex_usd_per_machine: float
    floor_area_m2_per_machine: float
    energy_kWh_per_machine_year: np.ndarray | None = None  # by shift pattern

    def selected(self, idx: np.ndarray) -> StageSize:
        """The size with its candidate arrays restricted to ``idx`` (pruning)."""
        return replace(self, machine_hours_per_sheet=self.machine_hours_per_sheet[idx],
                       variable_cost_usd_per_sheet=self.variable_cost_usd_per_sheet[idx],
                       energy_kWh_per_sheet=self.energy_kWh_per_sheet[idx])


@dataclass
class StageData:
    """One route step (one station). Arrays are indexed by the candidate of ``group`` (length 1 if none).

    The arrays describe the installed machine; ``sizes`` (empty when the station offers none) lists every
    size the MILP may pick instead, the installed one among them.
    """

    step_name: str
    group: int | None
    yield_fraction: np.ndarray  # good sheets out / sheets in [-]
    machine_hours_per_sheet: np.ndarray  # scheduled machine-hours per sheet in (availability, setup included)
    variable_cost_usd_per_sheet: np.ndarray  # usd per sheet entering the step
    energy_kWh_per_sheet: np.ndarray  # kWh per sheet entering the step
    fixed_cost_usd_per_machine_year: np.ndarray  # by shift pattern
    capex_usd_per_machine: float
    floor_area_m2_per_machine: float
    max_machines: int
    energy_kWh_per_machine_year: np.ndarray | None = None  # idle draw + conditioning, by shift pattern
    sizes: list[StageSize] = field(default_factory=list)

    @property
    def candidates(self) -> int:
        return int(self.yield_fraction.shape[0])

    def fixed_energy_kWh(self, pattern: int) -> float:
        return (
            0.0
            if self.energy_kWh_per_machine_year is None
            else float(self.energy_kWh_per_machine_year[pattern])
        )

    def at_size(self, z: int | None) -> StageData:
        """The stage built in its size ``z`` (None: as installed), as a stage without size choice."""
        if z is None or not self.sizes:
            return self
        size = self.sizes[z]
        return replace(self, machine_hours_per_sheet=size.machine_hours_per_sheet,
                       variable_cost_usd_per_sheet=size.variable_cost_usd_per_sheet,
                       energy_kWh_per_sheet=size.energy_kWh_per_sheet,
                       fixed_cost_usd_per_machine_year=size.fixed_cost_usd_per_machine_year,
                       capex_usd_per_machine=size.capex_usd_per_machine,
                       floor_area_m2_per_machine=size.floor_area_m2_per_machine,
                       energy_kWh_per_machine_year=size.energy_kWh_per_machine_year, sizes=[])


@dataclass
class DecisionGroup:
    """Route steps whose recipes are chosen together: one candidate = one recipe for all of them."""

    name: str
    step_names: tuple[str, ...]  # the steps whose recipe the candidate sets
    span: tuple[int, int]  # first and last route index whose figures depend on the candidate
    recipes: list[dict[str, float | bool]]  # one per candidate: "step.field" -> value
    # min relative margin of the candidate's worst 1 % sheet to every spec of its span's checks [-]
    # (twin.optimise.quality_margins)
    quality_margin: np.ndarray
    quality_means: dict[str, np.ndarray] = field(default_factory=dict)  # property -> per candidate
    # per candidate: its good cell pieces per sheet leaving the span over the baseline recipe's, on the same
    # sample (twin.optimise.candidates.good_pieces_per_sheet_left): scales the line's good pieces per sheet
    # (None: 1 for every candidate)
    piece_factor: np.ndarray | None = None

    @property
    def candidates(self) -> int:
        return len(self.recipes)

    def piece_factors(self) -> np.ndarray:
        """The per-candidate piece factor (ones when none was measured)."""
        return np.ones(self.candidates) if self.piece_factor is None else np.asarray(self.piece_factor, dtype=float)


@dataclass
class OptimisationProblem:
    stages: list[StageData]
    groups: list[DecisionGroup]
    shift_patterns: list[ShiftPattern]
    plant_fixed_usd_per_year: np.ndarray  # by shift pattern
    plant_capex_usd: float
    kWh_per_good_sheet: float  # delivered kWh per sheet leaving the line good (twin.cell_output, baseline sample);
    # a design's is this times the piece factors of its chosen candidates (good_pieces_factor)
    target_output_GWh_per_year: float
    capex_budget_usd: float | None = None
    energy_cap_MWh_per_year: float | None = None
    floor_area_cap_m2: float | None = None
    min_quality_margin: float = 0.0         # -inf: no floor (optimisation.min_quality_margin unset)
    good_pieces_per_sheet: float = 1.0      # good cell pieces per sheet leaving the line (defects, escapes off)
    cell_energy_Wh: float = 0.0             # delivered energy of one good cell (baseline sample)
    # set by twin.optimise.line_basis.rebased: the factors that moved the yields onto evaluate of a designed
    # line (a LineBasis), and the problem as the candidate sample gave it; None: not re-based
    line_basis: object | None = None
    before_rebasing: OptimisationProblem | None = None

    @property
    def sampled(self) -> OptimisationProblem:
        """The problem as the candidate sample gave it (before any re-basing on evaluate of a design)."""
        return self if self.before_rebasing is None else self.before_rebasing

    def stage_index(self, step_name: str) -> int:
        return next(i for i, stage in enumerate(self.stages) if stage.step_name == step_name)

    def good_pieces_factor(self, choice: list[int]) -> float:
        """Product of the chosen candidates' piece factors: a design's good pieces per sheet leaving the line
        over the baseline recipes' (``good_pieces_per_sheet``); each group's measured with the others at baseline."""
        return float(np.prod([g.piece_factors()[c] for g, c in zip(self.groups, choice, strict=True)]))

    def design_good_pieces_per_sheet(self, choice: list[int]) -> float:
        return self.good_pieces_per_sheet * self.good_pieces_factor(choice)

    def design_kWh_per_good_sheet(self, choice: list[int]) -> float:
        return self.kWh_per_good_sheet * self.good_pieces_factor(choice)


@dataclass
class DesignFigures:
    """The exact operating and cost figures of one design at one output."""

    feasible: bool
    reason: str
    sheets_in_per_year: np.ndarray
    sheets_good_out_per_year: np.ndarray
    machines: np.ndarray
    annual_cost_usd: float
    capex_usd: float
    energy_MWh_per_year: float
    floor_area_m2: float
    output_GWh_per_year: float
    overall_yield: float          # sheet yields only (sheets scrapped whole)
    good_pieces_per_sheet: float = 0.0  # good cell pieces per sheet leaving the line, with the design's recipes


def design_figures(
    problem: OptimisationProblem,
    choice: list[int],
    pattern: int,
    output_GWh_per_year: float,
    machines: np.ndarray | None = None,
    sizes: list[int | None] | None = None,
) -> DesignFigures:
    """Flows, machines and cost of a design making ``output_GWh_per_year``.

    ``choice[g]`` is the candidate of group g. Flows are back-propagated from the output through the
    step yields; with ``machines=None`` each station gets the fewest machines that carry its flow
    (what a cost-minimising design does). ``sizes[i]`` is the size index of station i (None or no list:
    as installed). Caps and machine limits decide ``feasible``.
    """
    stages = [s.at_size(None if sizes is None else sizes[i]) for i, s in enumerate(problem.stages)]
    candidate = [0 if s.group is None else choice[s.group] for s in stages]
    yields = np.array([s.yield_fraction[k] for s, k in zip(stages, candidate, strict=False)])
    overall_yield = float(np.prod(yields))
    kWh_per_sheet = problem.design_kWh_per_good_sheet(choice)
    sheets_in = np.zeros(len(stages))
    sheets_out = np.zeros(len(stages))
    reason = ""
    if kWh_per_sheet > 0:
        flow = output_GWh_per_year * 1e6 / kWh_per_sheet
    else:
        flow = math.inf if output_GWh_per_year > 0 else 0.0
        if output_GWh_per_year > 0:
            reason = "the chosen recipes leave no good cell piece on a sheet"
    for i in range(len(stages) - 1, -1, -1):
        sheets_out[i] = flow
        if yields[i] <= 0.0:
            if flow > 0 and not reason:
                reason = f"step {stages[i].step_name} scraps every sheet with this recipe"
            flow = math.inf if flow > 0 else 0.0
        else:
            flow = flow / yields[i]
        sheets_in[i] = flow
    hours = problem.shift_patterns[pattern].hours_per_year
    needed = np.array(
        [
            s.machine_hours_per_sheet[k] * sheets_in[i] / hours if hours > 0 else math.inf
            for i, (s, k) in enumerate(zip(stages, candidate, strict=False))
        ]
    )
    if machines is None:
        # 1e-9 forgives round-off when a station is loaded exactly to a whole number of machines
        machines = np.ceil(np.where(np.isfinite(needed), needed - 1e-9, 1e300)).astype(float)
        machines = np.maximum(machines, 0.0)
    machines = np.asarray(machines, dtype=float)
    feasible = not reason
    for i, stage in enumerate(stages):
        if feasible and machines[i] > stage.max_machines:
            feasible, reason = (
                False,
                f"station {stage.step_name} needs {needed[i]:.2f} machines, limit {stage.max_machines}",
            )
        if feasible and machines[i] + 1e-9 < needed[i]:
            feasible, reason = (
                False,
                f"station {stage.step_name} has {machines[i]:g} machines, needs {needed[i]:.2f}",
            )
    finite_in = np.where(np.isfinite(sheets_in), sheets_in, 0.0)
    cost = float(problem.plant_fixed_usd_per_year[pattern])
    energy_kWh = 0.0
    for i, (stage, k) in enumerate(zip(stages, candidate, strict=False)):
        cost += machines[i] * stage.fixed_cost_usd_per_machine_year[pattern]
        cost += finite_in[i] * stage.variable_cost_usd_per_sheet[k]
        energy_kWh += finite_in[i] * stage.energy_kWh_per_sheet[k] + machines[i] * stage.fixed_energy_kWh(
            pattern
        )
    capex = problem.plant_capex_usd + float(
        sum(m * s.capex_usd_per_machine for m, s in zip(machines, stages, strict=False))
    )
    floor = float(sum(m * s.floor_area_m2_per_machine for m, s in zip(machines, stages, strict=False)))
    for g, group in enumerate(problem.groups):
        if feasible and group.quality_margin[choice[g]] < problem.min_quality_margin:
            feasible, reason = False, f"recipe of {group.name} misses the quality margin"
    if feasible and problem.capex_budget_usd is not None and capex > problem.capex_budget_usd * (1 + 1e-9):
        feasible, reason = False, "capex budget"
    if (
        feasible
        and problem.energy_cap_MWh_per_year is not None
        and energy_kWh / 1e3 > problem.energy_cap_MWh_per_year * (1 + 1e-9)
    ):
        feasible, reason = False, "energy cap"
    if feasible and problem.floor_area_cap_m2 is not None and floor > problem.floor_area_cap_m2 * (1 + 1e-9):
        feasible, reason = False, "floor area cap"
    return DesignFigures(
        feasible=feasible,
        reason=reason,
        sheets_in_per_year=sheets_in,
        sheets_good_out_per_year=sheets_out,
        machines=machines,
        annual_cost_usd=cost,
        capex_usd=capex,
        energy_MWh_per_year=energy_kWh / 1e3,
        floor_area_m2=floor,
        output_GWh_per_year=output_GWh_per_year,
        overall_yield=overall_yield,
        good_pieces_per_sheet=problem.design_good_pieces_per_sheet(choice),
    )


def cheapest_sizes(problem: OptimisationProblem, choice: list[int], pattern: int,
                   output_GWh_per_year: float) -> list[int | None]:
    """Per station, the size whose fewest whole machines carry the design's flow at the least yearly cost.

    Stations are independent once the recipes fix the flows (a size changes no yield), so this is the
    cost-minimising size choice without caps: the enumeration the MILP is tested against.
    """
    chosen: list[int | None] = []
    for i, stage in enumerate(problem.stages):
        if not stage.sizes:
            chosen.append(None)
            continue
        costs = [design_figures(problem, choice, pattern, output_GWh_per_year,
                                sizes=[z if j == i else None for j in range(len(problem.stages))])
                 for z in range(len(stage.sizes))]
        chosen.append(min(range(len(costs)), key=lambda z, costs=costs: costs[z].annual_cost_usd))
    return chosen


__all__ = [
    "DecisionGroup",
    "DesignFigures",
    "OptimisationProblem",
    "ShiftPattern",
    "StageData",
    "StageSize",
    "cheapest_sizes",
    "design_figures",
]
