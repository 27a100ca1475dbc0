"""``ssb-twin simulate FILE``: run the discrete-event plant twin and report KPIs."""

from __future__ import annotations

import math

import click

from twin.commands.json_output import json_option, write_json
from twin.run_limits import run_length_problems
from twin.scenario import load_scenario


def _check_flags(days, replications, warmup_days, workers, dask_scheduler) -> None:
    from twin.cli import InputError
    from twin.des.replications import valid_scheduler_address
    from twin.des.simulate import MAX_DAYS, MAX_REPLICATIONS

    if not math.isfinite(days) or not 0 < days <= MAX_DAYS:
        raise InputError(f"--days: {days:g} must be > 0 and <= {MAX_DAYS:g}")
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise InputError(f"--replications: {replications} must be in [1, {MAX_REPLICATIONS}]")
    if warmup_days is not None and (not math.isfinite(warmup_days) or not 0 <= warmup_days <= MAX_DAYS):
        raise InputError(f"--warmup-days: {warmup_days:g} must be >= 0 and <= {MAX_DAYS:g}")
    if workers is not None and workers < 1:
        raise InputError(f"--workers: {workers} must be >= 1")
    if dask_scheduler is not None and not valid_scheduler_address(dask_scheduler):
        raise InputError(f"--dask-scheduler: '{dask_scheduler}' is not a scheduler address; "
                         "expected tcp://host:port")


def _print_table(result: dict, scenario=None) -> None:
    from rich import box
    from rich.table import Table

    from twin.cli import stdout_console
    from twin.commands.formats import CELL_PIECE_YIELD_DEFINITION, PERCENT, TIME_SHARE, percent
    from twin.commands.output_notes import print_output_notes
    from twin.no_output import counted, figure

    throughput = result["throughput"]
    cost = result.get("cost") or {}
    intervals = result.get("confidence_intervals", {})

    def with_ci(key: str, value, fmt: str) -> str:
        text = figure(value, fmt)
        if key in intervals and value is not None and intervals[key].get("half_width") is not None:
            text += f" ± {figure(intervals[key]['half_width'], fmt)}"
        return text

    from twin.headline_condition import conditional_headline

    condition = conditional_headline(result)
    if condition:   # above the table: the headline is read first (twin.headline_condition)
        stdout_console_note(condition)
    # the labels and formats of evaluate's table for the same figures (one name, one format)
    head = Table(title=f"{result['scenario']}: {counted(result['des']['days'], 'day')} x "
                       f"{counted(result['des']['replications'], 'replication')} "
                       f"(warm-up {result['des']['warmup_days']:g} d)", show_header=False)
    head.add_row("good cells per calendar day",
                 with_ci("throughput.good_cells_per_day", throughput["good_cells_per_day"], ",.0f"))
    # four significant figures, as evaluate and optimise print it: a thin-film line's 7.7e-06 GWh/yr read 0.0000
    head.add_row("GWh per year", with_ci("throughput.gwh_per_year", throughput["gwh_per_year"], ".4g"))
    head.add_row("m2 per hour", with_ci("throughput.m2_per_hour", throughput["m2_per_hour"], ".1f"))
    head.add_row("overall yield", with_ci("yield.overall", result["yield"]["overall"], PERCENT))
    head.add_row("cell piece yield (finished sheets)",
                 with_ci("yield.cell_piece_yield", result["yield"].get("cell_piece_yield"), PERCENT))
    if cost:
        head.add_row("USD per kWh", with_ci("cost.usd_per_kwh", cost.get("usd_per_kwh"), ",.1f"))
    head.add_row("energy, kWh per kWh", with_ci("energy_kwh_per_kwh", result.get("energy_kwh_per_kwh"), ",.1f"))
    head.add_row("WIP mean sheets", with_ci("wip.mean_sheets", result["wip"]["mean_sheets"], ",.0f"))
    head.add_row("lead time mean h", with_ci("lead_time.mean_h", result["lead_time"]["mean_h"], ".1f"))
    head.add_row("bottleneck", str(result["bottleneck"]))
    stdout_console.print(head)
    # one line under the table, not a caption: rich centres a caption in the table's width
    stdout_console.print(CELL_PIECE_YIELD_DEFINITION, markup=False, highlight=False, soft_wrap=True)
    print_output_notes(result, scenario)
    # percentages and a borderless table: the eleven stations fit an 80-column terminal untruncated
    # the yield column in evaluate's unit: good cell pieces kept by the station (twin.piece_yield: whole sheets'
    # live pieces, single pieces under their cause, cellmates); the sheet yield is in the JSON
    # (yield.sheet_yield_by_step). The caption gives the escape factor that makes the column's product the overall
    yields = result["yield"]
    caption = None
    if yields.get("piece_yield_by_step") and yields.get("overall") is not None:
        caption = (f"product of the yield column x escape factor {percent(yields['escape_factor'])} (good "
                   f"share of the pieces shipped) = overall {percent(yields['overall'])}"
                   + (" on each replication (over replications: means)"
                      if (result.get("des") or {}).get("replications", 1) > 1 else ""))
    stations = Table(title="stations: % of scheduled time (blkd blocked, strv starved, bneck bottleneck "
                           "share); yield: % of the cell pieces entering the station that it keeps, as evaluate's; "
                           "OEE: availability x performance x sheet yield (whole sheets kept, not the yield "
                           "column); energy MWh", caption=caption, box=box.SIMPLE_HEAD, pad_edge=False,
                     collapse_padding=True)
    for column in ("station", "util", "avail", "OEE", "blkd", "strv", "yield", "bneck", "MWh"):
        stations.add_column(column, justify="left" if column == "station" else "right", no_wrap=True)
    piece_yields = result["yield"].get("piece_yield_by_step") or {}
    for name, values in result["stations"].items():
        stations.add_row(name, *[figure(values[key], TIME_SHARE) for key in
                                 ("utilization", "availability", "oee", "blocked_fraction", "starved_fraction")],
                         percent(piece_yields.get(name)), figure(values["bottleneck_share"], TIME_SHARE),
                         figure(values["energy_kwh"] / 1000 if values["energy_kwh"] is not None else None, ",.1f"))
    stdout_console.print(stations)
    if yields.get("unmeasured_steps"):
        stdout_console_note(f"Not measured: {yields['unmeasured_steps']} processed no sheet after the warm-up, so "
                            "its yield reads 100 % and the overall leaves out what it loses (the shipped sheets "
                            f"carry it: cell piece yield {percent(yields.get('cell_piece_yield'))}); "
                            "simulate more days.")


# assumption: a window of two cycles of the slowest batch station evens out its lumpy releases; 30 days
# of the 7-day-ageing Li-ion reference plant agree with evaluate within 2 %, 3 days were 25 % low
WINDOW_CYCLES = 2.0


def short_window_note(scenario, days: float) -> str | None:
    """A warning when the measured days hold fewer than two cycles of the slowest station (None otherwise)."""
    from twin.capacity import station_timings

    timings = station_timings(scenario)
    name, slowest = max(timings.items(), key=lambda item: item[1].unit_process_time_s)
    cycle_days = slowest.unit_process_time_s / 86400.0
    if days >= WINDOW_CYCLES * cycle_days:
        return None
    return (f"Short run: the measured {days:g} d hold fewer than two {cycle_days:.1f}-day cycles of {name} (its loads "
            f"leave in lumps), so output per day and USD/kWh can differ a lot from evaluate's steady state; "
            f"use --days {math.ceil(WINDOW_CYCLES * cycle_days):d} or more.")


def stdout_console_note(note: str) -> None:
    from twin.cli import stdout_console

    stdout_console.print(note, style="bold yellow", markup=False, highlight=False, soft_wrap=True)


def register(group: click.Group) -> None:
    @group.command("simulate")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--days", type=float, default=30.0, show_default=True, help="Measured days per replication.")
    @click.option("--replications", type=int, default=1, show_default=True, help="Independent replications.")
    @click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None,
                  help="Random seed (default: the scenario's seed).")
    @click.option("--set", "set_values", multiple=True, metavar="PATH=VALUE",
                  help="Override a scenario field (repeatable), as in evaluate: --set line.stations.cutting.machines=2")
    @json_option()
    @click.option("--warmup-days", type=float, default=None, help="Days simulated before measuring (default: auto).")
    @click.option("--dask-scheduler", default=None, help="Run replications on this Dask cluster (tcp://host:port).")
    @click.option("--workers", type=int, default=None, help="Local worker processes (1 = in this process).")
    def simulate_command(file, days, replications, seed, set_values, json_out, warmup_days, dask_scheduler,
                         workers) -> int:
        """Simulate the plant in FILE over time: throughput, yield, quality, OEE, bottleneck, cost."""
        from twin.cli import InputError
        from twin.des import simulate
        from twin.progress import progress_bar

        _check_flags(days, replications, warmup_days, workers, dask_scheduler)
        from twin.commands.evaluate import parse_set_options

        scenario = load_scenario(file, overrides=parse_set_options(set_values) or None)
        for flag, message in run_length_problems(scenario, days, replications, warmup_days):
            raise InputError(f"--{flag.replace('_', '-')}: {message}")
        from twin.des.simulate import default_warmup_days

        warmup = default_warmup_days(scenario) if warmup_days is None else warmup_days
        total_days = (days + warmup) * replications
        # the bar counts simulated days (warm-up included) of all replications; with a process pool or
        # Dask it moves a replication at a time, in this process a simulated day at a time
        with progress_bar("simulating", total_days, "simulated days") as bar:
            result = simulate(scenario, days, replications, seed, warmup_days, progress=bar,
                              dask_scheduler=dask_scheduler, workers=workers)
        _print_table(result, scenario)
        note = short_window_note(scenario, days)
        if note:
            stdout_console_note(note)
        write_json(json_out, result)
        return 0
