"""Fast steady-state evaluation of a scenario: physics, yields, capacity, bottleneck and cost.

One pass, well under a second: a seeded Monte Carlo sample of sheets goes through the route's physics
and the variation model (twin.sheet_physics), which gives every step's yield and the quality
distributions; the yield cascade and the station capacities (twin.capacity) give the bottleneck and
the flows; the process-based cost model (twin.cost) prices them. Throughput is the line's own capacity,
not the plant target: the plant-scale curve (twin.cost.plant_scale) answers "what if we built to target".
"""

from __future__ import annotations

import dataclasses
import math
import sys
import types
from dataclasses import dataclass

import numpy as np

from twin.capacity import station_timings
from twin.cell_output import FinishedOutput, cell_block, cellmate_sheets_by_step, finished_output, good_sheet_mask
from twin.cost.breakdown import CostBreakdown, annual_cost, energy_figures
from twin.cost.line_flow import LineFlow, LineOutput, line_flow, overall_yield
from twin.escape_sources import escape_attribution, escape_sources
from twin.moisture_loss import moisture_loss
from twin.no_output import batch_scrap_counts, mark_undefined, no_output_reason, scrap_shares
from twin.operations import operation_for
from twin.piece_yield import CELLMATE_CAUSE, DeadPieceLedger, PieceAccount, piece_account, sheet_steps
from twin.plant_gap import CAPACITY_BASIS, near_bottlenecks
from twin.plant_metrics import bottleneck as bottleneck_of
from twin.plant_metrics import per_calendar_day, steady_station_figures, target_shortfall
from twin.quality_checkpoints import quality_at_checks
from twin.results import escape_block, quality_from_state, sheet_yields_read
from twin.sampling_error import sampling_error
from twin.scenario import Scenario, scenario_hash
from twin.sheet_physics import SCRAP_CAUSES, SheetBatch, good_cell_pieces, run_route
from twin.through_defect_output import through_defect_block

# Sample size of the Monte Carlo: 3000 sheets put the 5th/95th percentiles of the quality
# distributions within about +-0.01 of their quantile level, and a 1 % scrap rate within +-0.2 %
# (binomial standard error), while the physics pass stays near half a second.
SAMPLE_SHEETS = 3000
# Batch-level draws (kiln set point, hold time) are shared inside a group; 6 groups per firing step
# sample the set-point scatter without paying the profile integration for every real kiln load.
BATCH_GROUPS = 6
# Blocks of the sample for its sampling error (twin.sampling_error) and its strata of defect draws
# (twin.expected_outcomes): the firing groups, so blocks are independent (own kiln draws). Finer blocks
# give a steadier standard error but stratify less (oxide_baseline, 40 seeds: 6 blocks, USD/kWh sd 2.5 and
# the standard error's own spread 30 %; 12 blocks, 3.2 and 24 %; 30 blocks, 3.9 and 17 %).
SAMPLE_BLOCKS = BATCH_GROUPS


@dataclass
class Evaluation:
    """Everything the evaluation computed; ``result`` holds the shared result keys."""

    scenario: Scenario
    batch: SheetBatch
    flow: LineFlow
    cost: CostBreakdown
    result: dict
    checkpoints: dict[str, tuple[np.ndarray, np.ndarray]] | None = None  # per check: (alive entering, state)
    pieces: PieceAccount | None = None       # where the sample's pieces went (None: a batch passed in)


def sample_route(scenario: Scenario, rng: np.random.Generator, sheets: int = SAMPLE_SHEETS,
                 batch_groups: int = BATCH_GROUPS, checkpoints: dict | None = None, after_step=None) -> SheetBatch:
    """Push a sample of sheets through the route; firing steps share batch draws within groups.

    Rare outcomes are carried as expectations (twin.expected_outcomes: stratified defect draws, expected
    detection after the last latent-making step): the one estimator of every command that samples."""
    return run_route(scenario, sheets, rng, unit_sheets=math.ceil(sheets / batch_groups), checkpoints=checkpoints,
                     after_step=after_step, expected_outcomes=True,
                     estimator_block_sheets=sample_block_sheets(sheets, batch_groups))


def sample_block_sheets(sheets: int, batch_groups: int = BATCH_GROUPS) -> int:
    """Sheets per block of the sample (SAMPLE_BLOCKS of them, each inside one firing group)."""
    group = math.ceil(sheets / batch_groups)
    return max(1, math.ceil(group / max(1, SAMPLE_BLOCKS // batch_groups)))


def step_yields(scenario: Scenario, batch: SheetBatch) -> dict[str, float]:
    """Share of the sheets entering each step that leave it good."""
    yields = {}
    entering = batch.n
    for index, step in enumerate(scenario.route):
        scrapped = int(np.count_nonzero(batch.scrap_step == index))
        yields[step.name] = (entering - scrapped) / entering if entering else 1.0
        entering -= scrapped
    return yields


def cell_piece_yield(scenario: Scenario, batch: SheetBatch) -> float | None:
    """Share of the cell pieces on good sheets that defects left good (1 for one cell per sheet); None when no
    sheet was finished (a share of nothing: it printed 100.00 % on a line that made no cell)."""
    cells = scenario.cell.format.cells_per_sheet
    alive = int(np.count_nonzero(batch.alive))
    return good_cell_pieces(batch, cells) / (alive * cells) if alive else None


def scrap_by_cause(batch: SheetBatch) -> dict[str, float]:
    """Share of started sheets scrapped for each cause."""
    counts = np.bincount(batch.scrap_cause[batch.scrap_cause >= 0], minlength=len(SCRAP_CAUSES))
    return {cause: float(counts[i]) / batch.n for i, cause in enumerate(SCRAP_CAUSES)}


def scrap_by_check(scenario: Scenario, batch: SheetBatch) -> dict[str, float]:
    """Share of started sheets each quality check scrapped (found out of spec, or falsely rejected)."""
    counts = np.bincount(batch.scrap_step[batch.scrap_step >= 0], minlength=len(scenario.route))
    return {step.name: float(counts[i]) / batch.n for i, step in enumerate(scenario.route)
            if operation_for(step).is_quality_check}


def cellmate_shares(scenario: Scenario, batch: SheetBatch, output: LineOutput) -> dict[str, float]:
    """Share of started sheets lost as cellmates of a piece rejected after stacking, by the rejecting step
    (sheet-equivalents; twin.cell_output.cellmate_sheets_by_step)."""
    alive = int(np.count_nonzero(batch.alive))
    cellmate_sheets = output.cellmate_pieces_per_sheet * alive / scenario.cell.format.cells_per_sheet
    scrapped = np.bincount(batch.scrap_step[batch.scrap_step >= 0], minlength=len(scenario.route))
    by_step = cellmate_sheets_by_step(scenario, cellmate_sheets,
                                      {step.name: float(scrapped[i]) for i, step in enumerate(scenario.route)})
    return {name: sheets / batch.n for name, sheets in by_step.items()} if batch.n else {}


def sample_piece_account(scenario: Scenario, batch: SheetBatch, output: LineOutput,
                         ledger: DeadPieceLedger) -> PieceAccount:
    """The sample's pieces booked to the steps that lost them (twin.piece_yield), cellmates included."""
    alive = int(np.count_nonzero(batch.alive))
    cells = scenario.cell.format.cells_per_sheet
    cellmates = {name: share * batch.n * cells for name, share in cellmate_shares(scenario, batch, output).items()}
    return piece_account(scenario, batch, ledger, output.good_pieces_per_sheet * alive,
                         output.escaped_pieces_per_sheet * alive, cellmates)


def _piece_yield_keys(scenario: Scenario, batch: SheetBatch, flow: LineFlow, pieces: PieceAccount | None) -> dict:
    """Yield keys in good cell pieces (sheet-equivalents); sheet counts when no per-step record was kept."""
    if pieces is None:  # a batch run elsewhere: the per-step dead pieces were not recorded
        scrap_causes = scrap_by_cause(batch)
        cellmates = cellmate_shares(scenario, batch, flow.output)
        scrap_causes[CELLMATE_CAUSE] = math.fsum(cellmates.values())
        checks = scrap_by_check(scenario, batch)
        for name, share in cellmates.items():
            if name in checks:
                checks[name] += share
        return {"piece_yield_by_step": None, "scrap_by_cause": scrap_causes, "scrap_by_check": checks,
                "scrap_basis": "sheets scrapped whole per sheet started (per-step piece losses not recorded)"}
    started = pieces.started_pieces
    return {
        "piece_yield_by_step": pieces.step_yields(scenario),
        "escape_factor": pieces.escape_factor,
        "scrap_by_cause": pieces.lost_by_cause(),
        "scrap_by_check": {step.name: pieces.lost_at(step.name) / started if started else 0.0
                           for step in scenario.route if operation_for(step).is_quality_check},
        "escaped_share": pieces.escaped_pieces / started if started else 0.0,
        "scrap_basis": "sheet-equivalents: cell pieces lost / pieces per sheet, per sheet started",
    }


def _stations_block(flow: LineFlow) -> dict[str, dict]:
    """Per-station figures, defined in twin.plant_metrics (the same definitions as simulate)."""
    stations = {}
    hours = flow.operation.operating_hours_per_year
    for name, timing in flow.timings.items():
        machines = flow.operation.machines[name]
        availability = timing.availability * timing.setup_factor
        nominal = machines * timing.sheets_per_hour_per_machine
        rate_in = flow.operation.sheets_in_per_year[name] / hours
        stations[name] = {
            **steady_station_figures(timing, machines, rate_in, flow.step_yield[name]),
            "machines": machines,
            "capacity_sheets_per_hour": nominal * availability,
            # None when no sheet reaches the station (every sheet scrapped upstream): no limit to state
            "line_start_limit_sheets_per_hour": _finite_or_none(flow.start_limit_sheets_per_hour[name]),
            "cycle_time_s_per_sheet": (timing.unit_process_time_s + timing.unit_overhead_s) / timing.unit_sheets,
            "energy_kwh_per_year": flow.operation.energy_kWh_per_year[name],
        }
    return stations


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def result_from(scenario: Scenario, batch: SheetBatch, flow: LineFlow, cost: CostBreakdown,
                checkpoints: dict | None = None, pieces: PieceAccount | None = None,
                finished: FinishedOutput | None = None) -> dict:
    """Assemble the shared result keys (twin.results) from the evaluation's parts; ``finished``: the
    sample's finished output when the caller counted it already (else counted again here)."""
    operation = flow.operation
    hours = operation.operating_hours_per_year
    good_m2_per_year = cost.good_m2_per_year
    energy_per_kwh, energy_block = energy_figures(operation)
    # the final state of the good output: alive at the end and never found out of spec
    quality_good = quality_from_state(batch.state, good_sheet_mask(batch.values, batch.alive))
    result = {
        "scenario": scenario.name,
        "scenario_hash": scenario_hash(scenario),
        "throughput": {
            "good_cells_per_day": per_calendar_day(operation.good_cells_per_year),
            "m2_per_hour": good_m2_per_year / hours,
            "gwh_per_year": operation.gwh_per_year,
            "good_cells_per_year": operation.good_cells_per_year,
            "sheets_started_per_hour": flow.start_rate_sheets_per_hour,
            "operating_hours_per_year": hours,
            "target_gwh_per_year": scenario.plant.target_output_GWh_per_year,
            "cell_energy_wh": operation.cell_energy_Wh,
            "escaped_cells_per_day": per_calendar_day(operation.escaped_cells_per_year),
            # what the figure is: capacity before flow losses (twin.plant_gap), simulate gives the flow
            "basis": CAPACITY_BASIS,
        },
        "yield": {
            # good cell pieces per piece started: sheet yields x good pieces per piece on the sheets leaving
            "overall": overall_yield(scenario, flow.step_yield) * flow.output.good_pieces_per_sheet
            / scenario.cell.format.cells_per_sheet,
            # the sheets not scrapped whole, up to cutting (twin.results.sheet_yields_read; the flows keep all)
            "sheet_yield_by_step": sheet_yields_read(flow.step_yield, sheet_steps(scenario)),
            "cell_piece_yield": cell_piece_yield(scenario, batch),
            **_piece_yield_keys(scenario, batch, flow, pieces),
            # in-spec sheets rejected whole, per sheet started (sheets, not pieces: what an inspection rejects)
            **escape_block(operation.good_cells_per_year, operation.escaped_cells_per_year,
                           scrap_by_cause(batch)["false_reject"], flow.output.grading_escape_share),
            "escape_sources": escape_sources(scenario),
            # every escaped cell of the sample by its source, shares summing to 1 (twin.escape_sources)
            "escape_attribution": escape_attribution(scenario, batch.values, batch.alive, finished),
            "sample_sheets": batch.n,
        },
        "cell": cell_block(scenario, batch.values, batch.alive, finished),
        "quality": quality_good,
        "quality_at_check": quality_at_checks(scenario, checkpoints) if checkpoints else {},
        "cost": cost.result_block(),
        "stations": (stations := _stations_block(flow)),
        "bottleneck": (bottleneck := bottleneck_of({name: s["utilization"] for name, s in stations.items()})),
        # stations near-balanced with it: the plant may name one of them (twin.plant_gap)
        "near_bottlenecks": near_bottlenecks(stations, bottleneck),
        "energy_kwh_per_kwh": energy_per_kwh,
        "energy": energy_block,
    }
    # a sulphide line: what the zone air's moisture took of its conductivity (only where there is one)
    moisture = moisture_loss(scenario, batch.state, scrap_by_cause(batch), result["quality_at_check"])
    if moisture is not None:
        result["yield"]["moisture_loss"] = moisture
    # a separator thinner or thicker than its killer-defect density's reference (twin.through_defect_output)
    through = through_defect_block(scenario)
    if through is not None:
        result["yield"]["through_defects"] = through
    return result


def headline_sampling_error(scenario: Scenario, batch: SheetBatch, result: dict) -> dict:
    """The headline's sampling error over the sample's blocks (:func:`sample_block_sheets`;
    twin.sampling_error)."""
    cost, yields = result["cost"], result["yield"]
    headline = {"yield_overall": yields["overall"], "usd_per_kwh": cost.get("usd_per_kwh"),
                "escape_ppm": yields.get("escape_ppm")}
    return sampling_error(scenario, batch.values, batch.alive, sample_block_sheets(batch.n), headline,
                          (cost.get("by_category") or {}).get("escapes") or 0.0)


def evaluate_details(scenario: Scenario, *, step_yield: dict[str, float] | None = None,
                     batch: SheetBatch | None = None, sheets: int = SAMPLE_SHEETS) -> Evaluation:
    """Full evaluation; pass ``batch`` (a sample already run) to skip the physics, e.g. in a cost tornado;
    ``sheets``: the sample's size (a larger one tightens a small-output line's figures, twin.sampling_error)."""
    checkpoints: dict | None = None
    ledger: DeadPieceLedger | None = None
    if batch is None:
        checkpoints = {}
        ledger = DeadPieceLedger()
        batch = sample_route(scenario, np.random.default_rng(scenario.seed), sheets, checkpoints=checkpoints,
                             after_step=ledger)
    yields = step_yields(scenario, batch) if step_yield is None else step_yield
    finished = finished_output(scenario, batch.values, batch.alive)
    output = LineOutput.from_finished(scenario, finished)
    pieces = None if ledger is None else sample_piece_account(scenario, batch, output, ledger)
    if pieces is not None:  # the pieces lost one by one are scrap too (twin.cost.breakdown)
        output = dataclasses.replace(output, single_piece_sheets_per_sheet_started={
            step.name: pieces.single_pieces_at(step.name) / pieces.started_pieces for step in scenario.route})
    flow = line_flow(scenario, yields, timings=station_timings(scenario), output=output)
    cost = annual_cost(flow.operation)
    result = with_output_checks(result_from(scenario, batch, flow, cost, checkpoints, pieces, finished), scenario,
                                batch, flow, pieces)
    result["sampling_error"] = headline_sampling_error(scenario, batch, result)
    return Evaluation(scenario=scenario, batch=batch, flow=flow, cost=cost, result=result, checkpoints=checkpoints,
                      pieces=pieces)


def with_output_checks(result: dict, scenario: Scenario, batch: SheetBatch, flow: LineFlow | None = None,
                       pieces: PieceAccount | None = None) -> dict:
    """Add the target shortfall and the scrap shares; at zero output, why the per-kWh figures are undefined.

    With ``pieces`` the shares are sheet-equivalents of the cell pieces lost (twin.piece_yield), single
    pieces and cellmates included; else sheets scrapped whole (and the cellmates)."""
    throughput = result["throughput"]
    throughput["target_shortfall"] = target_shortfall(throughput["gwh_per_year"],
                                                      scenario.plant.target_output_GWh_per_year)
    if pieces is not None:
        shares = scrap_shares(pieces.lost_by_step_cause(), pieces.started_pieces, in_pieces=True)
    else:
        counts = batch_scrap_counts([step.name for step in scenario.route], batch.scrap_step, batch.scrap_cause,
                                    SCRAP_CAUSES)
        if flow is not None:
            for name, share in cellmate_shares(scenario, batch, flow.output).items():
                counts.setdefault(name, {})[CELLMATE_CAUSE] = share * batch.n
        shares = scrap_shares(counts, batch.n)
    result["yield"]["scrap_shares"] = shares
    reason = no_output_reason(shares, good_cells=throughput["good_cells_per_year"],
                              lost_pieces_note=bool(np.count_nonzero(batch.alive)))
    return mark_undefined(result, reason)


def evaluate_scenario(scenario: Scenario, sheets: int = SAMPLE_SHEETS) -> dict:
    """Steady-state result of ``scenario`` with the shared result keys (docs/architecture.md), from a sample
    of ``sheets`` sheets."""
    return evaluate_details(scenario, sheets=sheets).result


__all__ = ["BATCH_GROUPS", "Evaluation", "SAMPLE_BLOCKS", "SAMPLE_SHEETS", "evaluate_details", "evaluate_scenario",
           "sample_route", "scrap_by_cause", "scrap_by_check", "step_yields"]


class _CallableModule(types.ModuleType):
    """``import twin; twin.evaluate("oxide_baseline", overrides={...})``: the notebook API
    (twin.notebook.evaluate) under the module's own name, which the package attribute points to."""

    def __call__(self, scenario, overrides=None):
        from twin.notebook import evaluate

        return evaluate(scenario, overrides)


sys.modules[__name__].__class__ = _CallableModule
