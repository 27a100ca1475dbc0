"""Benchmark of the per-sheet physics alone: the scenario's route on sheets in chunks, no DES.

    python benchmarks/bench_route.py [--scenario scenarios/gigafactory.yaml] [--sheets 500000]
                                     [--chunks 2000 8192 32768] [--per-step]

Runs ``twin.sheet_physics.run_route`` (every step, every sheet its own draws, firings in units of the
chunk size) on ``--sheets`` sheets, one chunk at a time as the plant would, inside
``process_models.trusted_inputs`` as the plant does, and scales the time to the sheets the plant starts
in a year (``--sheets-per-year``, the gigafactory twin's figure by default). The difference between
chunk sizes is the per-call cost of numpy: it says how much of the plant twin's year is physics that
no DES design can remove at the scenario's unit sizes.

Each row gives the wall time (what the target reads), the process CPU time (what a shared machine's
load moves least) and the part spent in the steps' physics (``apply_step``, every step on the unit:
what the plant runs per unit), the rest being the per-sheet draws (``sample_conditions``) and the
route's bookkeeping. The load average is printed: the machine is shared.

``run_route`` is the evaluation's path: it splits its random streams per call and draws each step's
per-sheet scatter for the chunk alone, so a chunk also pays a run's set-up (~0.1 ms) and the draws of
its own sheets. The plant draws differently: each station's per-sheet scatter comes in blocks of
32,768 sheets (``StationConditions``), the state-free steps (casting, spraying, lamination) are
computed for a whole block ahead, and a step that changes no sheet is not called. The last rows
(``--plant-chunks``) run each unit through the plant's own per-unit call (``twin.des.plant``'s
physics of each station, with its draws, precomputed steps and per-unit piece bookkeeping), the scrap
dropped after each station as the plant drops it; only the DES around it is left out.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

import twin.sheet_physics as sheet_physics
from process_models import trusted_inputs
from twin.scenario import load_scenario
from twin.sheet_exposure import steady_line_times_s
from twin.sheet_physics import run_route

ROOT = Path(__file__).resolve().parents[1]


class _StepTimer:
    """``apply_step`` with its CPU time added up (the route looks it up in its module at each step), in
    all and per step: step name -> [CPU seconds, calls, sheets]."""

    def __init__(self, apply_step):
        self.apply_step = apply_step
        self.seconds = 0.0
        self.by_step: dict[str, list] = {}

    def __call__(self, scenario, step_index, batch, *args, **kwargs):
        started = time.process_time()
        try:
            return self.apply_step(scenario, step_index, batch, *args, **kwargs)
        finally:
            spent = time.process_time() - started
            self.seconds += spent
            tally = self.by_step.setdefault(scenario.route[step_index].name, [0.0, 0, 0])
            tally[0] += spent
            tally[1] += 1
            tally[2] += batch.n


def per_million(scenario, sheets: int, chunk: int) -> tuple[float, float, float]:
    """(wall, CPU, CPU in the steps' physics) seconds per 1e6 sheets in chunks of ``chunk`` sheets."""
    rng = np.random.default_rng(scenario.seed)
    timer = _StepTimer(sheet_physics.apply_step)
    sheet_physics.apply_step = timer
    # The plant reads each unit's line time off its clock (one subtraction); evaluate's per-sheet wait draws
    # (twin.sheet_exposure.sheet_line_times_s, the shift calendar mapped per sheet) are not part of what the
    # twin runs per unit: the mean waits stand in for them here
    steady = np.asarray(steady_line_times_s(scenario))[:, None]
    drawn_waits = sheet_physics.sheet_line_times_s
    sheet_physics.sheet_line_times_s = lambda _scenario, n, _rng, _block=None: np.broadcast_to(
        steady, (steady.shape[0], n))
    done = 0
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        with trusted_inputs():
            while done < sheets:
                run_route(scenario, chunk, rng, unit_sheets=chunk)
                done += chunk
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        sheet_physics.apply_step = timer.apply_step
        sheet_physics.sheet_line_times_s = drawn_waits
    scale = 1e6 / done
    return wall * scale, cpu * scale, timer.seconds * scale


def per_million_as_plant(scenario, sheets: int, chunk: int, by_step: dict | None = None) -> tuple[float, float, float]:
    """(wall, CPU, CPU in the steps' physics) seconds per 1e6 sheets through the plant's per-unit calls;
    ``by_step`` (a dict) receives each step's [CPU seconds, calls, sheets]."""
    from types import SimpleNamespace

    from twin.des.plant import _physics
    from twin.sheet_batch import SheetBatch

    timer = _StepTimer(sheet_physics.apply_step)
    sheet_physics.apply_step = timer     # the plant's physics looks it up when its station is built
    steady = np.asarray(steady_line_times_s(scenario), dtype=float)
    seed = np.random.SeedSequence(scenario.seed)
    try:
        # one station per step, as build_plant makes them (clock 0: a unit entered its mean line time ago)
        stations = [(index, _physics(scenario, index, seed, step.name, clock=lambda: 0.0))
                    for index, step in enumerate(scenario.route)]
        stations = [(index, unit) for index, unit in stations if unit is not None]
        done = 0
        wall, cpu = time.perf_counter(), time.process_time()
        while done < sheets:
            batch = SheetBatch.new(chunk)
            for index, process_unit in stations:
                process_unit(SimpleNamespace(n=batch.n, sheets=batch, entry_time_s=-steady[index]))
                if not batch.alive.all():   # the station drops its scrap before the next one
                    batch = batch.subset(batch.alive)
                    if batch.n == 0:
                        break
            done += chunk
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        sheet_physics.apply_step = timer.apply_step
    if by_step is not None:
        by_step.update(timer.by_step)
    scale = 1e6 / done
    return wall * scale, cpu * scale, timer.seconds * scale


def print_per_step(scenario, sheets: int, small: int, large: int = 32_768) -> None:
    """Each step's physics per call as a fixed cost plus a cost per sheet (a line through the plant's
    per-unit calls at two unit sizes), and the share of its CPU at the small size that is the fixed cost:
    what one compiled call per unit could at most remove from it without faster arithmetic."""
    runs = []
    for chunk in (small, large):
        tallies: dict[str, list] = {}
        per_million_as_plant(scenario, max(sheets, chunk), chunk, tallies)
        runs.append(tallies)
    print(f"  per step, the plant's per-unit calls at {small:,} and {large:,} sheets (CPU):")
    print(f"    {'step':28s} {'us a call':>10s} {'fixed us':>9s} {'ns a sheet':>10s} {'fixed share':>11s}")
    started = -(-max(sheets, small) // small) * small   # the sheets the small run started (whole units)
    fixed_total = per_sheet_total = 0.0
    for name, (seconds, calls, count) in runs[0].items():
        if name not in runs[1]:
            continue
        big_seconds, big_calls, big_count = runs[1][name]
        mean_small, mean_large = count / calls, big_count / big_calls
        per_call_small, per_call_large = seconds / calls, big_seconds / big_calls
        if mean_large <= mean_small:   # a step whose units do not grow with the chunk: no line to fit
            continue
        per_sheet = (per_call_large - per_call_small) / (mean_large - mean_small)
        fixed = per_call_small - per_sheet * mean_small
        print(f"    {name:28s} {per_call_small * 1e6:10.0f} {fixed * 1e6:9.0f} {per_sheet * 1e9:10.1f} "
              f"{fixed / per_call_small:11.0%}")
        fixed_total += fixed * calls
        per_sheet_total += per_sheet * count
    print(f"    all steps, per 1e6 sheets started: fixed costs {fixed_total * 1e6 / started:.2f} s, "
          f"costs per sheet {per_sheet_total * 1e6 / started:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "gigafactory.yaml"))
    parser.add_argument("--sheets", type=int, default=500_000)
    parser.add_argument("--chunks", type=int, nargs="+", default=[2000, 8192, 32768])
    parser.add_argument("--plant-chunks", type=int, nargs="*", default=[2000],
                        help="unit sizes run through the plant's per-unit physics calls (none: skip)")
    parser.add_argument("--sheets-per-year", type=float, default=1.457e7,
                        help="sheets the plant starts in a year (gigafactory twin: 1.457e7)")
    parser.add_argument("--per-step", action="store_true",
                        help="also split each step's physics into a fixed cost per call and a cost per sheet")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    run_route(scenario, 1000, np.random.default_rng(0))  # build the cached profiles and tables first
    print(f"scenario {scenario.name}: {args.sheets:,} sheets, scaled to {args.sheets_per_year:,.0f} sheets a year; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for chunk in args.chunks:
        wall, cpu, physics = per_million(scenario, args.sheets, chunk)
        year = wall * args.sheets_per_year / 1e6
        print(f"  chunks of {chunk:6,d} sheets: {year:5.1f} s of physics per year, {wall:.2f} s per 1e6 "
              f"sheets (all steps, per unit as the twin runs it; target < 0.5 s: "
              f"{'met' if wall < 0.5 else 'NOT met'}); CPU {cpu:.2f} s per 1e6, of which the steps' "
              f"physics {physics:.2f} s and the draws and bookkeeping {cpu - physics:.2f} s")
    for chunk in args.plant_chunks:
        wall, cpu, physics = per_million_as_plant(scenario, args.sheets, chunk)
        print(f"  the plant's per-unit calls, units of {chunk:6,d} sheets: {wall:.2f} s per 1e6 sheets (target "
              f"< 0.5 s: {'met' if wall < 0.5 else 'NOT met'}); CPU {cpu:.2f} s per 1e6, of which the steps' "
              f"physics {physics:.2f} s and the block draws, computed-ahead steps and piece bookkeeping "
              f"{cpu - physics:.2f} s")
    if args.per_step:
        print_per_step(scenario, args.sheets, args.plant_chunks[0] if args.plant_chunks else 2000)


if __name__ == "__main__":
    main()
