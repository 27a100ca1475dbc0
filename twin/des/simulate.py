"""``twin.des.simulate``: the plant twin's entry point (CLI ``ssb-twin simulate``, HTTP API, optimiser)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from twin.capacity import station_timings
from twin.des.calendar import SECONDS_PER_DAY
from twin.des.endpoints import SAMPLE_CAPACITY
from twin.des.replications import (
    HEADLINE_KPIS,
    confidence_intervals,
    lookup,
    mean_of,
    run_replications,
    valid_scheduler_address,
)
from twin.no_output import mark_undefined, no_output_reason, scrap_shares
from twin.operations import operation_for
from twin.plant_metrics import bottleneck as bottleneck_of
from twin.plant_metrics import target_shortfall
from twin.results import json_safe
from twin.run_limits import MIN_SIMULATED_DAYS
from twin.scenario import Scenario, scenario_hash

MAX_DAYS = 3650.0
MAX_REPLICATIONS = 1000
# Default warm-up: twice the time one unit needs to cross the empty line at nominal speed, whole
# days, at least one (assumption: Law 2015 §9.5.1 advises a warm-up of a few "turnover" times; the
# WIP series in the result lets the user check that the line has filled).
WARMUP_TRANSITS = 2.0


def default_warmup_days(scenario: Scenario) -> float:
    transit_s = sum(t.unit_process_time_s + t.unit_overhead_s for t in station_timings(scenario).values())
    # a tester holds each cell on its channel for the whole test (a capacity grade: a day or more), however
    # short its time per sheet over all its channels: the line is not full until the first cells leave it
    transit_s += sum(operation_for(step).cell_hold_s(scenario, step) for step in scenario.route)
    return float(max(1, math.ceil(WARMUP_TRANSITS * transit_s / SECONDS_PER_DAY)))


def check_arguments(days: float, replications: int, warmup_days: float | None, workers: int | None,
                    dask_scheduler: str | None) -> None:
    """Raise ValueError naming the argument, its value and the allowed range."""
    if not (isinstance(days, (int, float)) and math.isfinite(days) and MIN_SIMULATED_DAYS <= days <= MAX_DAYS):
        raise ValueError(f"days: {days!r} must be >= {MIN_SIMULATED_DAYS:.4g} (one hour) and <= {MAX_DAYS:g}")
    if not (isinstance(replications, int) and 1 <= replications <= MAX_REPLICATIONS):
        raise ValueError(f"replications: {replications!r} must be an integer in [1, {MAX_REPLICATIONS}]")
    if warmup_days is not None and not (math.isfinite(warmup_days) and 0 <= warmup_days <= MAX_DAYS):
        raise ValueError(f"warmup_days: {warmup_days!r} must be >= 0 and <= {MAX_DAYS:g}")
    if workers is not None and not (isinstance(workers, int) and workers >= 1):
        raise ValueError(f"workers: {workers!r} must be an integer >= 1")
    if dask_scheduler is not None and not valid_scheduler_address(dask_scheduler):
        raise ValueError(f"dask_scheduler: {dask_scheduler!r} is not a scheduler address; "
                         "expected tcp://host:port")


def simulate(scenario: Scenario, days: float, replications: int = 1, seed: int | None = None,
             warmup_days: float | None = None, progress: Callable[[float], None] | None = None,
             dask_scheduler: str | None = None, workers: int | None = None, *,
             with_physics: bool = True) -> dict:
    """Simulate the plant for ``days`` (after a warm-up) in ``replications`` independent runs.

    Returns the shared result keys (twin.results) averaged over replications, plus DES extras:
    per-station blocked/starved fractions, energy and ``bottleneck_share`` (active-period method),
    ``wip`` and ``lead_time`` distributions, ``series`` (good cells and energy per day),
    ``confidence_intervals`` (R > 1, Student t, 95 %) and ``replications`` (headline KPIs of each run).
    ``seed`` defaults to the scenario's; the same seed gives bit-identical results on every backend.
    ``bottleneck`` is the station with the highest mean utilisation; ``throughput.target_shortfall``
    and ``undefined_reason`` follow twin.plant_metrics / twin.no_output, as in ``evaluate``.
    ``with_physics=False`` skips the per-sheet physics (flows and timing only), for capacity studies
    and benchmarks.
    """
    check_arguments(days, replications, warmup_days, workers, dask_scheduler)
    seed = scenario.seed if seed is None else int(seed)
    warmup = default_warmup_days(scenario) if warmup_days is None else float(warmup_days)
    started = time.perf_counter()
    runs = run_replications(scenario, float(days), warmup, seed, replications, workers=workers,
                            dask_scheduler=dask_scheduler, progress=progress, with_physics=with_physics)
    result = mean_of(runs)
    result["scenario"] = scenario.name
    result["scenario_hash"] = scenario_hash(scenario)
    # the bottleneck of the averaged run: the station with the highest mean utilisation (twin.plant_metrics)
    result["bottleneck"] = bottleneck_of({name: station["utilization"] for name, station in result["stations"].items()})
    throughput = result["throughput"]
    throughput["target_gwh_per_year"] = scenario.plant.target_output_GWh_per_year
    throughput["target_shortfall"] = target_shortfall(throughput["gwh_per_year"],
                                                      scenario.plant.target_output_GWh_per_year)
    # in cell pieces, as evaluate's (twin.piece_yield): the same scenario gives one Pareto in one unit; the
    # shares of a piece started by step and cause that scrap_by_cause adds up (twin.des.statistics.yield_block)
    shares = scrap_shares(result["yield"]["scrap_by_step_cause"], 1.0, in_pieces=True)
    result["yield"]["scrap_shares"] = shares
    mark_undefined(result, no_output_reason(shares, good_cells=throughput["good_cells_per_year"]))
    result["confidence_intervals"] = confidence_intervals(runs)
    result["quality_basis"] = quality_basis(runs)
    result["replications"] = [{key: lookup(run, key) for key in HEADLINE_KPIS} | {"bottleneck": run["bottleneck"]}
                              for run in runs]
    result["sheet_balance"] = [run["sheet_balance"] for run in runs]
    result["des"] = {
        "days": float(days), "warmup_days": warmup, "replications": replications, "seed": seed,
        "backend": "dask" if dask_scheduler else ("process_pool" if (workers or 2) > 1 and replications > 1
                                                   else "in_process"),
        "with_physics": with_physics,
        "events": sum(run["des"]["events"] for run in runs),
        "wall_time_s": time.perf_counter() - started,
    }
    return json_safe(result)


def quality_basis(runs: list[dict]) -> str:
    """Which sheets the ``quality`` block (mean Li loss, density, ...) is over, and how many.

    Only the good output: a scrapped sheet (an interrupted kiln load under the scrap policy, a failed
    check) is not in it, so a policy that scraps more can read a better mean of fewer, luckier loads.
    """
    sheets = sum(float(run["throughput"]["good_sheets_measured"]) for run in runs)
    return (f"quality: over the sheets that left the line after warm-up ({sheets:,.0f} over {len(runs)} "
            f"replication{'s' if len(runs) > 1 else ''}) less those found out of spec; scrapped sheets are not "
            f"in it; from a systematic sample of at most {SAMPLE_CAPACITY:,} sheets a replication")


__all__ = ["check_arguments", "default_warmup_days", "quality_basis", "simulate"]
