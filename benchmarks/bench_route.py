"""Benchmark of the per-sheet physics alone: the scenario's route on sheets in chunks, no DES.

    python benchmarks/bench_route.py [--scenario scenarios/gigafactory.yaml] [--sheets 500000]
                                     [--chunks 2000 8192 32768]

Runs ``twin.sheet_physics.run_route`` (every step, every sheet its own draws, firings in units of the
chunk size) on ``--sheets`` sheets, one chunk at a time as the plant would, inside
``process_models.trusted_inputs`` as the plant does, and scales the time to the sheets the plant starts
in a year (``--sheets-per-year``, the gigafactory twin's figure by default). The difference between
chunk sizes is the per-call cost of numpy: it says how much of the plant twin's year is physics that
no DES design can remove at the scenario's unit sizes.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from process_models import trusted_inputs
from twin.scenario import load_scenario
from twin.sheet_physics import run_route

ROOT = Path(__file__).resolve().parents[1]


def seconds_per_year(scenario, sheets: int, chunk: int, sheets_per_year: float) -> float:
    rng = np.random.default_rng(scenario.seed)
    done = 0
    started = time.perf_counter()
    with trusted_inputs():
        while done < sheets:
            run_route(scenario, chunk, rng, unit_sheets=chunk)
            done += chunk
    return (time.perf_counter() - started) / done * sheets_per_year


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "gigafactory.yaml"))
    parser.add_argument("--sheets", type=int, default=500_000)
    parser.add_argument("--chunks", type=int, nargs="+", default=[2000, 8192, 32768])
    parser.add_argument("--sheets-per-year", type=float, default=1.457e7,
                        help="sheets the plant starts in a year (gigafactory twin: 1.457e7)")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    run_route(scenario, 1000, np.random.default_rng(0))  # build the cached profiles and tables first
    print(f"scenario {scenario.name}: {args.sheets:,} sheets, scaled to {args.sheets_per_year:,.0f} sheets a year")
    for chunk in args.chunks:
        seconds = seconds_per_year(scenario, args.sheets, chunk, args.sheets_per_year)
        per_million = seconds / args.sheets_per_year * 1e6
        print(f"  chunks of {chunk:6,d} sheets: {seconds:5.1f} s of physics per year, {per_million:.2f} s per 1e6 "
              f"sheets (all steps, per unit as the twin runs it; target < 0.5 s: "
              f"{'met' if per_million < 0.5 else 'NOT met'})")


if __name__ == "__main__":
    main()
