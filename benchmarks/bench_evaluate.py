"""Print the wall time of ``evaluate_scenario`` on the baseline (target: well under 1 s)."""

from __future__ import annotations

import statistics
import sys
import time

from twin.evaluate import evaluate_scenario
from twin.scenario import load_scenario


def main(path: str = "scenarios/oxide_baseline.yaml", repeats: int = 5) -> None:
    scenario = load_scenario(path)
    evaluate_scenario(scenario)  # warm imports and parameter caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        evaluate_scenario(scenario)
        times.append(time.perf_counter() - start)
    print(f"evaluate_scenario({scenario.name}): median {statistics.median(times) * 1000:.0f} ms, "  # noqa: T201
          f"min {min(times) * 1000:.0f} ms over {repeats} runs")


if __name__ == "__main__":
    main(*sys.argv[1:2])
