"""Print the time of ``ssb-twin evaluate`` on the baseline: the whole process (interpreter start,
imports, loading, physics, tables; target < 1 s) and the warm ``evaluate_scenario`` call alone."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time

from twin.evaluate import evaluate_scenario
from twin.scenario import load_scenario


def whole_process(path: str, repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``python -m twin.cli evaluate PATH`` in fresh interpreters."""
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "twin.cli", "evaluate", path], check=True,
                       stdout=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "100"})
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def main(path: str = "scenarios/oxide_baseline.yaml", repeats: int = 5) -> None:
    walls, cpus = whole_process(path, repeats)
    print(f"ssb-twin evaluate {path} (whole process): median wall {statistics.median(walls):.2f} s, "  # noqa: T201
          f"CPU {statistics.median(cpus):.2f} s, min wall {min(walls):.2f} s over {repeats} runs")
    scenario = load_scenario(path)
    evaluate_scenario(scenario)  # warm imports and parameter caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        evaluate_scenario(scenario)
        times.append(time.perf_counter() - start)
    print(f"evaluate_scenario({scenario.name}) warm: median {statistics.median(times) * 1000:.0f} ms, "  # noqa: T201
          f"min {min(times) * 1000:.0f} ms over {repeats} runs")


if __name__ == "__main__":
    main(*sys.argv[1:2])
