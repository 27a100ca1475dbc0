"""Print the time of ``ssb-twin evaluate`` on the baseline: the whole process (interpreter start,
imports, loading, physics, tables; target < 1 s), the warm ``evaluate_scenario`` call alone, and one
evaluation as an /evaluate worker gets it (a freshly unpickled scenario with a new seed each call, CPU
time; the uncached /evaluate p99 at 20 clients needs it well under ~15 ms, docs/performance.md)."""

from __future__ import annotations

import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import time

from api.worker import SeedVariantInput, evaluate_in_worker, keep_freed_memory
from twin.evaluate import evaluate_scenario
from twin.scenario import (
    apply_overrides,
    canonical_json,
    load_scenario,
    read_scenario_document,
    scenario_hash,
    validate_scenario,
)
from twin.scenario.loader import hash_of_canonical_json


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

    for seed_override, label in ((False, "new seed per call"), (True, "new seed per call as a seed override")):
        worker_cpu_ms = in_worker(path, seed_override=seed_override)
        print(f"evaluate_in_worker({scenario.name}), {label}: median {statistics.median(worker_cpu_ms):.2f} ms "  # noqa: T201
              f"CPU (medians of 7 rounds of 20 calls: {min(worker_cpu_ms):.2f}-{max(worker_cpu_ms):.2f} ms)")


def in_worker(path: str, rounds: int = 7, calls: int = 20, seed_override: bool = False) -> list[float]:
    """CPU ms of ``api.worker.evaluate_in_worker`` as the pool runs it: the scenario pickled and unpickled
    (every part a new object, as in a worker), its hash made by the server, a different seed each call;
    the median of each round of ``calls``. ``seed_override``: each seed sent as an ``overrides`` seed, so
    the server also sends the scenario's hash without the seed and the worker reuses the parts of the
    scenario it evaluated before (``api.worker.seed_variant``), handed the seed alone with the seed-less
    scenario pickled once (``api.worker.SeedVariantInput``, as the server sends it); else a whole scenario
    object per request.
    The process first takes the pool worker's malloc settings (``api.worker.keep_freed_memory``, as the
    pool's initializer does)."""
    keep_freed_memory()
    document = read_scenario_document(path)
    made = []
    for seed in range(1_000_000, 1_000_000 + rounds * calls + 1):
        scenario = validate_scenario(apply_overrides(document, {"seed": seed}))
        made.append((pickle.dumps(scenario), scenario_hash(scenario), canonical_json(scenario)))
    # the server's key of the scenario without its seed (api.scenario_input.ResolvedScenario.seedless_key)
    seedless = json.loads(made[0][2])
    seedless.pop("seed")
    key = hash_of_canonical_json(json.dumps(seedless, sort_keys=True, separators=(",", ":"))) if seed_override else None
    evaluate_in_worker(pickle.loads(made[0][0]), made[0][1], "api.services", key)  # imports, first-call tables
    if seed_override:  # what the pool hands over for a seed variant: the seed, with the base pickled once
        made = [(pickle.dumps(SeedVariantInput(made[0][0], seed)), digest, text)
                for seed, (_, digest, text) in enumerate(made, start=1_000_000)]
    medians = []
    for round_index in range(rounds):
        times = []
        for blob, digest, _ in made[1 + round_index * calls: 1 + (round_index + 1) * calls]:
            scenario = pickle.loads(blob)
            start = time.process_time()
            evaluate_in_worker(scenario, digest, "api.services", key)
            times.append(time.process_time() - start)
        medians.append(statistics.median(times) * 1000)
    return medians


if __name__ == "__main__":
    main(*sys.argv[1:2])
