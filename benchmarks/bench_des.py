"""Benchmark of the plant twin: one simulated year with per-sheet state, against a naive model.

    python benchmarks/bench_des.py [--scenario scenarios/gigafactory.yaml] [--days 365] [--naive-hours 2]
                                   [--no-physics] [--breakdown-days 60]

Prints wall time, SimPy events/s, sheets/s and peak memory (resource.getrusage) of ``twin.des`` on one
core (one replication, in-process), then the same figures for a naive model of the same line in which
every sheet is its own SimPy process (stations as ``simpy.Resource``, the route's physics applied to
each sheet alone) over a shorter horizon, and the per-sheet speed ratio. Targets (issue 14): < 8 s and
< 1 GB for a year of a ~1 GWh/yr plant; ratio >= 100. ``--scale-days D`` also runs D days of the plant
with every station's machines multiplied by ``--scale`` (5) and prints the CPU time ratio to the 1x plant
(target: a 5x plant < 5.5x the 1x plant's time).
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import numpy as np
import simpy

from twin.capacity import station_timings
from twin.des.plant import build_plant, run_plant
from twin.des.statistics import replication_kpis
from twin.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports kB


def bench_twin(scenario, days: float, with_physics: bool) -> dict:
    horizon_s = days * 86400.0
    started = time.perf_counter()
    started_cpu = time.process_time()
    plant = build_plant(scenario, np.random.SeedSequence(scenario.seed), horizon_s, 0.0, with_physics)
    run_plant(plant, horizon_s)
    kpis = replication_kpis(plant, horizon_s)
    wall_s = time.perf_counter() - started
    cpu_s = time.process_time() - started_cpu
    sheets = sum(station.sheets_in for station in plant.stations)
    units = sum(station.units_done for station in plant.stations)
    return {"wall_s": wall_s, "cpu_s": cpu_s, "units": units, "events": plant.env.events_scheduled,
            "sheet_steps": sheets,
            "sheets_started": plant.ledger.started_total, "gwh_per_year": kpis["throughput"]["gwh_per_year"]}


def breakdown(scenario, days: float) -> None:
    """Where the simulated days go: the flow alone, plus carrying per-sheet arrays, plus the physics,
    and each station's physics per call (timed around its ``process_unit``). CPU seconds of this process:
    on the shared machine wall time also counts other users' load."""
    horizon_s = days * 86400.0
    walls = {}
    per_station: dict[str, list[float]] = {}
    for mode in ("flow only", "arrays, no physics", "full"):
        plant = build_plant(scenario, np.random.SeedSequence(scenario.seed), horizon_s, 0.0, mode != "flow only")
        for station in plant.stations:
            if mode == "arrays, no physics":
                station.process_unit = None
            elif mode == "full" and station.process_unit is not None:
                timed = per_station.setdefault(station.spec.name, [0, 0, 0.0])

                def wrapped(unit, interruptions=None, *, physics=station.process_unit, timed=timed):
                    started = time.process_time()
                    # the station passes a kiln's interruptions as a second argument (twin.des.station)
                    physics(unit) if interruptions is None else physics(unit, interruptions)
                    timed[0] += 1
                    timed[1] += unit.n
                    timed[2] += time.process_time() - started

                station.process_unit = wrapped
        started = time.process_time()
        run_plant(plant, horizon_s)
        walls[mode] = time.process_time() - started
    scale = 365.0 / days
    print(f"breakdown over {days:g} days, scaled to a year (CPU): flow {walls['flow only'] * scale:.1f} s, "
          f"carrying per-sheet arrays {(walls['arrays, no physics'] - walls['flow only']) * scale:.1f} s, "
          f"physics {(walls['full'] - walls['arrays, no physics']) * scale:.1f} s")
    for name, (calls, sheets, seconds) in per_station.items():
        print(f"  {name:24s} {calls * scale:8,.0f} calls/yr of {sheets / max(calls, 1):6,.0f} sheets: "
              f"{seconds / max(calls, 1) * 1e6:5.0f} us per call, {seconds * scale:5.2f} s/yr")


def bench_naive(scenario, hours: float, with_physics: bool) -> dict:
    """Every sheet a SimPy process walking the route; machines are Resource slots."""
    from twin.sheet_physics import SheetBatch, apply_step, sample_conditions

    env = simpy.Environment()
    timings = list(station_timings(scenario).values())
    resources = [simpy.Resource(env, capacity=t.machines) for t in timings]
    per_sheet_s = [(t.unit_process_time_s + t.unit_overhead_s) / t.unit_sheets for t in timings]
    rng = np.random.default_rng(scenario.seed)
    counters = {"events": 0, "sheet_steps": 0, "started": 0}

    def sheet():
        state = SheetBatch.new(1) if with_physics else None
        for index, (machine, time_s) in enumerate(zip(resources, per_sheet_s, strict=True)):
            with machine.request() as slot:
                yield slot
                yield env.timeout(time_s)
                counters["events"] += 2
            counters["sheet_steps"] += 1
            if with_physics:
                apply_step(scenario, index, state, sample_conditions(scenario, index, 1, rng))
                if not state.alive[0]:
                    return

    def release():
        interval_s = per_sheet_s[0] / timings[0].machines
        while True:
            env.process(sheet())
            counters["started"] += 1
            yield env.timeout(interval_s)

    env.process(release())
    started = time.perf_counter()
    env.run(until=hours * 3600.0)
    return {"wall_s": time.perf_counter() - started, "events": counters["events"],
            "sheet_steps": counters["sheet_steps"], "sheets_started": counters["started"]}


def scaled_plant(scenario, factor: int):
    """The same line with every station's machine count multiplied by ``factor`` (a plant ``factor`` times
    the output: the first station pulls raw material as fast as its machines take it)."""
    stations = {name: station.model_copy(update={"machines": station.machines * factor})
                for name, station in scenario.line.stations.items()}
    plant = scenario.plant.model_copy(
        update={"target_output_GWh_per_year": scenario.plant.target_output_GWh_per_year * factor})
    return scenario.model_copy(update={"line": scenario.line.model_copy(update={"stations": stations}),
                                       "plant": plant})


def scaling(scenario, days: float, factor: int) -> None:
    """Time ``days`` of the plant at 1x and at ``factor`` x its machines. The ratio is judged on CPU seconds
    of this process (the machine is shared: wall time also counts other users' load); wall is printed too."""
    base = bench_twin(scenario, days, True)
    big = bench_twin(scaled_plant(scenario, factor), days, True)
    ratio = big["cpu_s"] / base["cpu_s"]
    sheets_ratio = big["sheet_steps"] / max(base["sheet_steps"], 1)
    units_ratio = big["units"] / max(base["units"], 1)
    target = 1.1 * factor
    print(f"scaling over {days:g} days: 1x plant {base['cpu_s']:.2f} s CPU ({base['wall_s']:.2f} s wall, "
          f"{base['gwh_per_year']:.2f} GWh/yr), {factor}x plant {big['cpu_s']:.2f} s CPU ({big['wall_s']:.2f} s "
          f"wall, {big['gwh_per_year']:.2f} GWh/yr, {sheets_ratio:.2f}x the sheet-steps in {units_ratio:.2f}x the "
          f"units): CPU time ratio {ratio:.2f} (target < {target:g}: {'met' if ratio < target else 'NOT met'}), "
          f"wall ratio {big['wall_s'] / base['wall_s']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "gigafactory.yaml"))
    parser.add_argument("--days", type=float, default=365.0)
    parser.add_argument("--naive-hours", type=float, default=2.0)
    parser.add_argument("--no-physics", action="store_true", help="flows and timing only (no per-sheet state)")
    parser.add_argument("--breakdown-days", type=float, default=0.0,
                        help="also split this many days into flow, array carrying and per-station physics")
    parser.add_argument("--scale-days", type=float, default=0.0,
                        help="also time this many days of the plant at 1x and at --scale x its machines")
    parser.add_argument("--scale", type=int, default=5)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    physics = not args.no_physics
    print(f"scenario {scenario.name}  per-sheet physics: {physics}")
    twin = bench_twin(scenario, args.days, physics)
    # CPU seconds beside the wall: on a shared machine the wall time also counts other users' load
    print(f"twin.des  {args.days:g} days: wall {twin['wall_s']:.2f} s (CPU {twin['cpu_s']:.2f} s), "
          f"{twin['units']:,} units, {twin['events']:,} events "
          f"({twin['events'] / twin['wall_s']:,.0f}/s), {twin['sheets_started']:,} sheets started, "
          f"{twin['sheet_steps']:,} sheet-steps ({twin['sheet_steps'] / twin['wall_s']:,.0f}/s), "
          f"{twin['gwh_per_year']:.3f} GWh/yr, peak memory {peak_memory_mb():.0f} MB")
    if args.days >= 365:
        met = twin["wall_s"] < 8.0 and peak_memory_mb() < 1024
        print(f"target one year < 8 s wall and < 1 GB: {'met' if met else 'NOT met'}")
    naive = bench_naive(scenario, args.naive_hours, physics)
    print(f"naive     {args.naive_hours:g} h: wall {naive['wall_s']:.2f} s, {naive['events']:,} events "
          f"({naive['events'] / naive['wall_s']:,.0f}/s), {naive['sheets_started']:,} sheets started, "
          f"{naive['sheet_steps']:,} sheet-steps ({naive['sheet_steps'] / naive['wall_s']:,.0f}/s)")
    ratio = (twin["sheet_steps"] / twin["wall_s"]) / (naive["sheet_steps"] / naive["wall_s"])
    print(f"per-sheet speed ratio twin/naive: {ratio:,.0f}x (target >= 100x)")
    if args.breakdown_days > 0:
        breakdown(scenario, args.breakdown_days)
    if args.scale_days > 0:
        scaling(scenario, args.scale_days, args.scale)


if __name__ == "__main__":
    main()
