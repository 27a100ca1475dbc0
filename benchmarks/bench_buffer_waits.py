"""Each buffer's wait in the plant (twin.des) against the evaluation's per-sheet draw (twin.sheet_exposure).

Run from the repository root::

    python benchmarks/bench_buffer_waits.py oxide_baseline --days 60 --seeds 1 2 3

The scenario is a library name or a scenario file (``path/to/file.yaml``: e.g. a library scenario with its dry
room's dew point changed).

For every buffer (the one in front of each station but the first) it prints, in kiloseconds:

* ``plant wait``: each sheet's time from the upstream station finishing it to the downstream station
  taking it (blocked upstream + in the buffer), mean and 95th percentile over the measured days of all seeds;
* ``plant f2f``: finish to finish, the upstream station's completion to the downstream one's (the wait
  plus the downstream station's own time, breakdowns and shift pauses included): the increment of the
  sheet's line time (``line_time_s``) that the exposure books;
* ``eval wait`` / ``eval f2f``: the same from the evaluation's draw of 40,000 sheets (buffer level part,
  and the increment of the line time), stretched by the calendar's stops as the evaluation does;

then the plant's and the evaluation's overall yield and ``high_interface_asr`` scrap: the evaluation at the
scenario's seed (its 3,000 sheets) and, with ``--eval-seeds N``, the mean and standard error over N seeds
from the scenario's (a 0.7 % scrap is ~20 sheets of one sample: +-0.15 % of sampling noise).

The plant's accounting (first in, first out per buffer, on wrapped instances: nothing in twin.des changes)
is tests/twin/plant_buffer_waits.py, which the tests share.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.twin.plant_buffer_waits import measure_plant  # noqa: E402
from twin.des.calendar import SECONDS_PER_DAY  # noqa: E402
from twin.scenario import load_scenario  # noqa: E402


def weighted_stats(waits: list[float], counts: list[int]) -> tuple[float, float, float]:
    """(mean, 95th percentile, share over a day) of waits each held by ``counts`` sheets."""
    if not waits:
        return float("nan"), float("nan"), float("nan")
    w, c = np.asarray(waits), np.asarray(counts, dtype=float)
    order = np.argsort(w)
    cum = np.cumsum(c[order])
    return (float(np.average(w, weights=c)), float(w[order][np.searchsorted(cum, 0.95 * cum[-1])]),
            float(c[w > SECONDS_PER_DAY].sum() / c.sum()))


def sample_stats(waits: np.ndarray) -> tuple[float, float, float]:
    return float(waits.mean()), float(np.quantile(waits, 0.95)), float(np.mean(waits > SECONDS_PER_DAY))


def evaluate_waits(scenario, sheets: int = 40_000, seed: int = 5):
    """The evaluation's per-sheet draw, every step's buffer drawn and calendar-stretched: (waits, f2f) per buffer."""
    from twin import sheet_exposure

    start, stop = sheet_exposure.exposure_window(scenario)
    # every step in the window (the diagnostic wants every buffer: widen the window for this draw only)
    original = sheet_exposure.exposure_window
    sheet_exposure.exposure_window = lambda _scenario: (0, len(scenario.route) - 1)
    try:
        times = sheet_exposure.sheet_line_times_s(scenario, sheets, np.random.default_rng(seed), 500)
    finally:
        sheet_exposure.exposure_window = original
    f2f = np.diff(times, axis=0)
    # the station's own hold, in calendar time as the draw has it: subtract its scheduled value (the wait
    # column is the buffer's part; a stop that falls in the hold is booked to the wait)
    hold = _holds_s(sheet_exposure, scenario)
    return f2f - hold[1:, None], f2f


def _holds_s(sheet_exposure, scenario) -> np.ndarray:
    return sheet_exposure.buffer_waits(scenario).hold_s


def plant_figures(scenario, days: float, seeds: list[int]) -> dict:
    """Per buffer (wait, f2f) as (mean, p95, share over a day) [s], and the yields per seed."""
    names = [step.name for step in scenario.route]
    per_buffer = [([], [], [], []) for _ in names[1:]]
    yields, asr = [], []
    for seed in seeds:
        waits, finish, kpis = measure_plant(scenario, days, seed)
        for k in range(len(names) - 1):
            per_buffer[k][0].extend(waits[k].waits)
            per_buffer[k][1].extend(waits[k].counts)
            per_buffer[k][2].extend(finish[k].waits)
            per_buffer[k][3].extend(finish[k].counts)
        yields.append(kpis["yield"]["overall"])
        asr.append(kpis["yield"]["scrap_by_cause"].get("high_interface_asr", 0.0))
    return {"wait": [weighted_stats(b[0], b[1]) for b in per_buffer],
            "f2f": [weighted_stats(b[2], b[3]) for b in per_buffer], "yield": yields, "asr": asr,
            "days": days, "seeds": seeds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--days", type=float, default=60.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--plant-json", type=Path, default=None,
                        help="keep the plant's figures here (read them back if the file exists: the plant "
                             "does not change when only the evaluation's law does)")
    parser.add_argument("--eval-seeds", type=int, default=10,
                        help="evaluate over this many seeds from the scenario's own (mean +- s.e.)")
    args = parser.parse_args()
    # a library name, or a scenario file (e.g. a library scenario with its dry room's dew point changed)
    library = ROOT / "scenarios" / f"{args.scenario}.yaml"
    path = Path(args.scenario) if args.scenario.endswith((".yaml", ".yml")) else library
    scenario = load_scenario(path)
    names = [step.name for step in scenario.route]
    started = time.process_time()
    if args.plant_json is not None and args.plant_json.exists():
        plant = json.loads(args.plant_json.read_text())
    else:
        plant = plant_figures(scenario, args.days, args.seeds)
        if args.plant_json is not None:
            args.plant_json.write_text(json.dumps(plant))
    yields, asr = plant["yield"], plant["asr"]
    eval_wait, eval_f2f = evaluate_waits(scenario)
    from twin.evaluate import evaluate_scenario

    steady = evaluate_scenario(scenario)
    # a plant read back from --plant-json says what it was run for
    days, seeds = plant.get("days", args.days), plant.get("seeds", args.seeds)
    print(f"{args.scenario}: {days:g} d x seeds {seeds}, CPU {time.process_time() - started:.0f} s; "
          "waits in ks (mean / p95)")
    print(f"{'buffer before':28s} {'plant wait':>15s} {'eval wait':>15s} {'plant f2f':>15s} {'eval f2f':>15s}"
          f" {'f2f > 1 d: plant':>16s} {'eval':>7s}")
    for k, name in enumerate(names[1:]):
        pw, pf = plant["wait"][k], plant["f2f"][k]
        ew, ef = sample_stats(eval_wait[k]), sample_stats(eval_f2f[k])
        print(f"{name:28s} " + " ".join(f"{a / 1e3:7.1f}/{b / 1e3:7.1f}" for a, b, _ in (pw, ew, pf, ef))
              + f" {pf[2]:16.2%} {ef[2]:7.2%}")
    n = len(yields)
    sd = lambda x: float(np.std(x, ddof=1) / np.sqrt(n)) if n > 1 else float("nan")  # noqa: E731
    print(f"yield overall: plant {np.mean(yields):.4f} +- {sd(yields):.4f} (s.e.), evaluate "
          f"{steady['yield']['overall']:.4f} +- {steady['sampling_error']['yield_overall']['standard_error']:.4f}")
    print(f"high_interface_asr: plant {np.mean(asr):.4%} +- {sd(asr):.4%}, evaluate "
          f"{steady['yield']['scrap_by_cause'].get('high_interface_asr', 0.0):.4%}")
    if args.eval_seeds > 1:
        runs = [evaluate_scenario(scenario.model_copy(update={"seed": scenario.seed + i}))
                for i in range(args.eval_seeds)]
        seeded_yield = [run["yield"]["overall"] for run in runs]
        seeded_asr = [run["yield"]["scrap_by_cause"].get("high_interface_asr", 0.0) for run in runs]
        spread = lambda x: float(np.std(x, ddof=1) / np.sqrt(len(x)))  # noqa: E731
        print(f"evaluate over {args.eval_seeds} seeds: yield {np.mean(seeded_yield):.4f} +- "
              f"{spread(seeded_yield):.4f}, high_interface_asr {np.mean(seeded_asr):.4%} +- {spread(seeded_asr):.4%}")


if __name__ == "__main__":
    main()
