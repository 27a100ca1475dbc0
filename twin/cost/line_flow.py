"""Yield cascade, station capacities and bottleneck: the steady-state flows the cost model prices.

A sheet started at the first step reaches step s with probability f_s = prod_{k<s} y_k (the yield
cascade). A station that processes C_s sheets per scheduled hour therefore limits the start rate to
C_s / f_s; the smallest of these is the line's throughput and its station is the bottleneck. The same
cascade sizes a plant for a target output: machines_s = ceil(start rate x f_s / capacity per machine).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from twin.capacity import StationTiming, operating_hours_per_year, station_timings
from twin.cell_output import FinishedOutput, design_cell_energy_Wh
from twin.cost.linear_model import station_energy_kWh_per_year
from twin.operation import PlantOperation
from twin.scenario import Scenario


@dataclass(frozen=True)
class LineOutput:
    """What one sheet leaving the last step alive yields, on average (twin.cell_output definitions)."""

    good_pieces_per_sheet: float
    escaped_pieces_per_sheet: float
    cell_energy_Wh: float                  # delivered energy of one good cell
    escaped_pieces_per_sheet_by_step: dict[str, float] = field(default_factory=dict)
    # pieces lost with a cell a step after stacking rejected for another of its pieces (cellmates)
    cellmate_pieces_per_sheet: float = 0.0
    # pieces each step killed one by one on sheets that went on, in sheet-equivalents per sheet STARTED
    # (twin.piece_yield; empty when not recorded): priced as scrap like whole sheets (twin.cost.breakdown)
    single_piece_sheets_per_sheet_started: dict[str, float] = field(default_factory=dict)
    # share of the escaped cells a capacity grade passed below it (FinishedOutput.lot_escaped_by_step)
    grading_escape_share: float = 0.0

    @classmethod
    def of_design(cls, scenario: Scenario) -> LineOutput:
        """Every piece good and delivering the design energy: an idealised line (tests, what-ifs)."""
        return cls(float(scenario.cell.format.cells_per_sheet), 0.0, design_cell_energy_Wh(scenario))

    @classmethod
    def from_finished(cls, scenario: Scenario, finished: FinishedOutput) -> LineOutput:
        """From the sheets a sample (evaluate) or a run (the twin) finished; design energy if none finished."""
        if finished.sheets == 0:
            return cls(0.0, 0.0, design_cell_energy_Wh(scenario))
        layers = scenario.cell.format.layers_per_cell
        # a cell with one escaped layer is an escaped cell; one with a layer rejected after stacking is lost whole
        finished = finished.assembled(layers)
        energy = finished.delivered_Wh / finished.good_pieces * layers if finished.good_pieces > 0 else 0.0
        names = [step.name for step in scenario.route]
        return cls(finished.good_pieces / finished.sheets, finished.escaped_pieces / finished.sheets, energy,
                   {names[index]: pieces / finished.sheets for index, pieces in finished.escaped_by_step},
                   finished.cellmate_pieces / finished.sheets,
                   grading_escape_share=finished.lot_escaped_pieces / finished.escaped_pieces
                   if finished.escaped_pieces > 0.0 else 0.0)


@dataclass(frozen=True)
class LineFlow:
    """A plant operation plus the figures that explain it."""

    operation: PlantOperation
    timings: dict[str, StationTiming]
    step_yield: dict[str, float]
    reach_fraction: dict[str, float]         # share of started sheets that enter each step
    start_limit_sheets_per_hour: dict[str, float]  # start rate each station alone would allow
    start_rate_sheets_per_hour: float
    bottleneck: str
    output: LineOutput | None = None         # what a sheet leaving the line yields (None: the design)


def reach_fractions(scenario: Scenario, step_yield: dict[str, float]) -> dict[str, float]:
    """f_s: share of started sheets that enter each step (product of upstream yields)."""
    fraction = 1.0
    reach: dict[str, float] = {}
    for step in scenario.route:
        reach[step.name] = fraction
        fraction *= step_yield[step.name]
    return reach


def overall_yield(scenario: Scenario, step_yield: dict[str, float]) -> float:
    return math.prod(step_yield[step.name] for step in scenario.route)


def _operation(scenario: Scenario, timings: dict[str, StationTiming], step_yield: dict[str, float],
               machines: dict[str, int], start_rate: float, output: LineOutput) -> PlantOperation:
    hours = operating_hours_per_year(scenario)
    reach = reach_fractions(scenario, step_yield)
    sheets_in = {name: start_rate * reach[name] * hours for name in reach}
    good_out = {name: sheets_in[name] * step_yield[name] for name in reach}
    utilization = {}
    energy = {}
    for name, timing in timings.items():
        capacity = machines[name] * timing.sheets_per_hour_per_machine * timing.availability * timing.setup_factor
        utilization[name] = sheets_in[name] / hours / capacity if capacity > 0 else math.inf
        energy[name] = station_energy_kWh_per_year(scenario, name, machines[name], sheets_in[name])
    last = scenario.route[-1].name
    layers = scenario.cell.format.layers_per_cell
    return PlantOperation(
        scenario=scenario,
        operating_hours_per_year=hours,
        machines=dict(machines),
        sheets_in_per_year=sheets_in,
        sheets_good_out_per_year=good_out,
        good_cells_per_year=good_out[last] * output.good_pieces_per_sheet / layers,
        cell_energy_Wh=output.cell_energy_Wh,
        escaped_cells_per_year=good_out[last] * output.escaped_pieces_per_sheet / layers,
        escaped_cells_by_step={name: good_out[last] * pieces / layers
                               for name, pieces in output.escaped_pieces_per_sheet_by_step.items()},
        cellmate_sheets_per_year=good_out[last] * output.cellmate_pieces_per_sheet
        / scenario.cell.format.cells_per_sheet,
        single_piece_sheets_per_year={name: start_rate * hours * share
                                      for name, share in output.single_piece_sheets_per_sheet_started.items()},
        energy_kWh_per_year=energy,
        utilization=utilization,
    )


def line_flow(scenario: Scenario, step_yield: dict[str, float], machines: dict[str, int] | None = None,
              timings: dict[str, StationTiming] | None = None, output: LineOutput | None = None) -> LineFlow:
    """The line run at its own capacity (independent of the plant target): bottleneck and flows.

    ``output``: what a sheet leaving the line yields (good and escaped pieces, delivered cell energy),
    from the per-sheet state of a sample or a run; None prices the design (an idealised line)."""
    output = LineOutput.of_design(scenario) if output is None else output
    timings = station_timings(scenario) if timings is None else timings
    machines = {name: t.machines for name, t in timings.items()} if machines is None else machines
    reach = reach_fractions(scenario, step_yield)
    limits = {}
    for name, timing in timings.items():
        per_machine = timing.sheets_per_hour_per_machine * timing.availability * timing.setup_factor
        limits[name] = machines[name] * per_machine / reach[name] if reach[name] > 0 else math.inf
    bottleneck = min(limits, key=limits.get)
    start_rate = limits[bottleneck]
    return LineFlow(
        operation=_operation(scenario, timings, step_yield, machines, start_rate, output),
        timings=timings, step_yield=dict(step_yield), reach_fraction=reach, start_limit_sheets_per_hour=limits,
        start_rate_sheets_per_hour=start_rate, bottleneck=bottleneck, output=output,
    )


def sized_line_flow(scenario: Scenario, step_yield: dict[str, float], target_GWh_per_year: float,
                    timings: dict[str, StationTiming] | None = None, output: LineOutput | None = None) -> LineFlow:
    """A plant sized for ``target_GWh_per_year``: machines = ceil(required rate / rate per machine).

    The plant makes exactly the target; the rounding up leaves the other stations below full load.
    """
    timings = station_timings(scenario) if timings is None else timings
    output = LineOutput.of_design(scenario) if output is None else output
    # delivered kWh per sheet started: sheet yields x good pieces per sheet leaving x energy per piece
    kWh_per_sheet_started = (overall_yield(scenario, step_yield) * output.good_pieces_per_sheet
                             * output.cell_energy_Wh / scenario.cell.format.layers_per_cell / 1e3)
    if kWh_per_sheet_started <= 0:
        raise ValueError("the line delivers no energy (no good cells, or cells that deliver 0 Wh): "
                         "no plant size meets a target")
    hours = operating_hours_per_year(scenario)
    start_rate = target_GWh_per_year * 1e6 / kWh_per_sheet_started / hours
    reach = reach_fractions(scenario, step_yield)
    machines = {}
    for name, timing in timings.items():
        per_machine = timing.sheets_per_hour_per_machine * timing.availability * timing.setup_factor
        # 1e-9 keeps an exact fit (e.g. 2.0000000001 machines from round-off) at 2
        machines[name] = max(1, math.ceil(start_rate * reach[name] / per_machine - 1e-9))
    limits = {name: machines[name] * timings[name].sheets_per_hour_per_machine * timings[name].availability
              * timings[name].setup_factor / reach[name] for name in timings}
    utilisation_limit = {name: start_rate / limit for name, limit in limits.items()}
    bottleneck = max(utilisation_limit, key=utilisation_limit.get)
    return LineFlow(
        operation=_operation(scenario, timings, step_yield, machines, start_rate, output),
        timings=timings, step_yield=dict(step_yield), reach_fraction=reach, start_limit_sheets_per_hour=limits,
        start_rate_sheets_per_hour=start_rate, bottleneck=bottleneck, output=output,
    )


__all__ = ["LineFlow", "LineOutput", "line_flow", "overall_yield", "reach_fractions", "sized_line_flow"]
