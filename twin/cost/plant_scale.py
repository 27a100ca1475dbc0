"""How $/kWh falls with plant output: each station sized to the target with the cheapest machine size x count.

Two effects make a bigger plant cheaper per kWh. Indivisibility: a plant of 0.1 GWh/yr still needs one
whole caster, one inspection station, one packaging line, each partly idle; as output grows,
ceil(required rate / rate per machine) approaches the exact ratio (the sawtooth of integer machines).
Machine size: where a station offers sizes (``line.stations.X.sizes``, twin.scenario.machine_sizes), a
bigger machine carries more sheets for less than proportionally more capex, labour and floor
(exponents below 1, BatPaC V5 cost-notes §1.2), so a big plant buys few big machines instead of many
clones. Stations are independent once the yields fix every station's flow, so the cheapest plant picks,
station by station, the size whose whole machines carry the flow at the least yearly cost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from twin.capacity import station_timing
from twin.cost.breakdown import annual_cost
from twin.cost.line_flow import LineOutput, overall_yield, reach_fractions, sized_line_flow
from twin.cost.linear_model import station_fixed_cost_per_machine, step_variable_cost_per_sheet
from twin.scenario import Scenario
from twin.scenario.machine_sizes import installed_size, size_choices, with_sizes

# The span of the curve: a pilot line to BatPaC V5's 50 GWh/yr baseline plant (cost-notes §1.2); five
# points a decade show the sawtooth of whole machines between the decades.
SCALE_RANGE_GWH = (0.01, 50.0)
POINTS_PER_DECADE = 5


@dataclass(frozen=True)
class ScalePoint:
    target_GWh_per_year: float
    usd_per_kwh: float
    capex_usd: float
    machines_total: int
    by_category_usd_per_kwh: dict[str, float]
    bottleneck: str
    machines: dict[str, int] = field(default_factory=dict)     # per station
    sizes: dict[str, float] = field(default_factory=dict)      # installed size per sized station (its axis' unit)


@dataclass(frozen=True)
class SizeOption:
    """One machine size of a station: its rate and its yearly cost per machine and per sheet."""

    size: float
    sheets_per_hour_per_machine: float    # after availability and shift setup
    fixed_usd_per_machine_year: float
    variable_usd_per_sheet: float


def default_targets_GWh(scenario: Scenario | None = None) -> list[float]:
    """Outputs from 0.01 to 50 GWh/yr, POINTS_PER_DECADE a decade (a point and the POINTS_PER_DECADE-th after
    it are exactly a decade apart), ending at 50."""
    low, high = SCALE_RANGE_GWH
    steps = math.floor(math.log10(high / low) * POINTS_PER_DECADE + 1e-9)
    targets = [low * 10.0 ** (k / POINTS_PER_DECADE) for k in range(steps + 1)]
    return targets + ([high] if targets[-1] < high * (1 - 1e-9) else [])


def station_size_options(scenario: Scenario, step_name: str, pick_sizes: bool = True) -> list[SizeOption]:
    """The sizes a station may be built in (only the installed one without sizes or with ``pick_sizes`` off)."""
    station = scenario.line.stations[step_name]
    sizes = size_choices(station) if pick_sizes and station.sizes is not None else [installed_size(station)]
    options = []
    for size in sizes:
        sized = with_sizes(scenario, {step_name: size}) if station.sizes is not None else scenario
        timing = station_timing(sized, step_name, machines=1)
        options.append(SizeOption(
            size=size,
            sheets_per_hour_per_machine=timing.sheets_per_hour_per_machine * timing.availability * timing.setup_factor,
            fixed_usd_per_machine_year=math.fsum(station_fixed_cost_per_machine(sized, step_name).values()),
            variable_usd_per_sheet=math.fsum(step_variable_cost_per_sheet(sized, step_name).values()),
        ))
    return options


def cheapest_size(options: list[SizeOption], sheets_per_hour: float, hours_per_year: float) -> tuple[SizeOption, int]:
    """The size and whole-machine count that carry ``sheets_per_hour`` at the least yearly cost (first on a tie)."""
    best = None
    for option in options:
        # 1e-9 keeps an exact fit (e.g. 2.0000000001 machines from round-off) at 2
        count = max(1, math.ceil(sheets_per_hour / option.sheets_per_hour_per_machine - 1e-9))
        cost = (count * option.fixed_usd_per_machine_year
                + sheets_per_hour * hours_per_year * option.variable_usd_per_sheet)
        if best is None or cost < best[0]:
            best = (cost, option, count)
    return best[1], best[2]


def cost_versus_scale(scenario: Scenario, step_yield: dict[str, float],
                      targets_GWh_per_year: list[float] | None = None,
                      output: LineOutput | None = None, pick_sizes: bool = True) -> list[ScalePoint]:
    """$/kWh of plants sized for each target output, with the scenario's recipe, step yields and the
    output per sheet (good and escaped pieces, delivered energy) that recipe makes.

    ``pick_sizes``: each sized station takes its cheapest size x count at each target; False clones the
    installed machine (the curve before machine sizes)."""
    targets = default_targets_GWh(scenario) if targets_GWh_per_year is None else targets_GWh_per_year
    output = LineOutput.of_design(scenario) if output is None else output
    kWh_per_sheet_started = (overall_yield(scenario, step_yield) * output.good_pieces_per_sheet
                             * output.cell_energy_Wh / scenario.cell.format.layers_per_cell / 1e3)
    if kWh_per_sheet_started <= 0:
        raise ValueError("the line delivers no energy (no good cells, or cells that deliver 0 Wh): "
                         "no plant size meets a target")
    hours = scenario.line.shifts.hours_per_year
    reach = reach_fractions(scenario, step_yield)
    options = {step.name: station_size_options(scenario, step.name, pick_sizes) for step in scenario.route}
    points = []
    for target in targets:
        start_rate = target * 1e6 / kWh_per_sheet_started / hours
        sizes, machines = {}, {}
        for name, choices in options.items():
            option, machines[name] = cheapest_size(choices, start_rate * reach[name], hours)
            if scenario.line.stations[name].sizes is not None:
                sizes[name] = option.size
        plant = with_sizes(scenario, sizes, machines)
        flow = sized_line_flow(plant, step_yield, target, output=output)
        cost = annual_cost(flow.operation)
        points.append(ScalePoint(
            target_GWh_per_year=float(target), usd_per_kwh=cost.usd_per_kwh, capex_usd=cost.capex_usd,
            machines_total=int(sum(flow.operation.machines.values())),
            by_category_usd_per_kwh=cost.by_category_usd_per_kwh, bottleneck=flow.bottleneck,
            machines=dict(flow.operation.machines), sizes=sizes,
        ))
    return points


__all__ = ["SCALE_RANGE_GWH", "ScalePoint", "SizeOption", "cheapest_size", "cost_versus_scale",
           "default_targets_GWh", "station_size_options"]
