"""Independent replications of the plant model: seeds, backends and confidence intervals.

Seeds: replication ``r`` uses child ``r`` of ``np.random.SeedSequence(seed).spawn(R)``, whichever
backend runs it, so results are identical in-process, in a local process pool or on a Dask cluster.
Backends: ``workers == 1`` runs in this process; otherwise a ``concurrent.futures.ProcessPoolExecutor``
(the default, ``workers`` defaults to the CPU count); with a ``dask_scheduler`` address the
replications are submitted to that ``dask.distributed`` cluster (imported only then: Dask is optional).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from twin.des.calendar import SECONDS_PER_DAY
from twin.scenario import Scenario

SCHEDULER_ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx)://[A-Za-z0-9_.\-\[\]:/]+$")
CONFIDENCE_LEVEL = 0.95
# Headline KPIs that get a confidence interval across replications (dotted paths into the result).
HEADLINE_KPIS = (
    "throughput.good_cells_per_day", "throughput.m2_per_hour", "throughput.gwh_per_year", "yield.overall",
    "cost.usd_per_kwh", "cost.usd_per_cell", "energy_kwh_per_kwh", "wip.mean_sheets", "lead_time.mean_h",
)


def replication_seeds(seed: int, replications: int) -> list[np.random.SeedSequence]:
    return np.random.SeedSequence(seed).spawn(replications)


def run_replication(scenario: Scenario, days: float, warmup_days: float,
                    replication_seed: np.random.SeedSequence, with_physics: bool = True,
                    progress: Callable[[float], None] | None = None) -> dict:
    """Build, run and measure one replication (a top-level function: it travels to workers)."""
    from twin.des.costing import add_cost
    from twin.des.plant import build_plant, run_plant
    from twin.des.statistics import replication_kpis

    horizon_s = (days + warmup_days) * SECONDS_PER_DAY
    plant = build_plant(scenario, replication_seed, horizon_s, warmup_days * SECONDS_PER_DAY, with_physics)
    run_plant(plant, horizon_s, progress)
    return add_cost(scenario, replication_kpis(plant, horizon_s))


def run_replications(scenario: Scenario, days: float, warmup_days: float, seed: int, replications: int,
                     workers: int | None = None, dask_scheduler: str | None = None,
                     progress: Callable[[float], None] | None = None, with_physics: bool = True) -> list[dict]:
    """Run the replications on the chosen backend; results in replication order."""
    seeds = replication_seeds(seed, replications)
    if dask_scheduler is not None:
        return _run_on_dask(scenario, days, warmup_days, seeds, dask_scheduler, progress, with_physics)
    workers = min(replications, workers if workers is not None else (os.cpu_count() or 1))
    if workers <= 1:
        results = []
        for index, child in enumerate(seeds):
            def within(fraction: float, index: int = index) -> None:
                if progress is not None:
                    progress((index + fraction) / replications)
            results.append(run_replication(scenario, days, warmup_days, child, with_physics, within))
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_replication, scenario, days, warmup_days, child, with_physics) for child in seeds]
        results = []
        for done, future in enumerate(futures, start=1):
            results.append(future.result())
            if progress is not None:
                progress(done / replications)
    return results


def _run_on_dask(scenario, days, warmup_days, seeds, address, progress, with_physics) -> list[dict]:
    try:
        from dask.distributed import Client
    except ImportError as exc:  # pragma: no cover - the test extras install Dask
        raise RuntimeError("dask_scheduler needs the optional dependency: pip install 'ssb-twin[dask]'") from exc
    with Client(address, set_as_default=False) as client:
        futures = [client.submit(run_replication, scenario, days, warmup_days, child, with_physics, pure=False)
                   for child in seeds]
        results = []
        for done, future in enumerate(futures, start=1):
            results.append(future.result())
            if progress is not None:
                progress(done / len(seeds))
    return results


def valid_scheduler_address(address: str) -> bool:
    return bool(SCHEDULER_ADDRESS.match(address))


# -- combining replications --
def mean_of(values: list):
    """Mean across replications, recursively: numbers averaged, lists element-wise, strings by majority."""
    first = values[0]
    if isinstance(first, dict):
        return {key: mean_of([v[key] for v in values if isinstance(v, dict) and key in v]) for key in first}
    if isinstance(first, list):
        length = min(len(v) for v in values)
        return [mean_of([v[i] for v in values]) for i in range(length)]
    if isinstance(first, bool) or first is None or isinstance(first, str):
        if all(isinstance(v, str) for v in values):
            return max(sorted(set(values)), key=values.count)
        return first
    numbers = [float(v) for v in values if v is not None]
    if not numbers:
        return None
    return math.fsum(numbers) / len(numbers)


def lookup(result: dict, dotted: str):
    node = result
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def confidence_intervals(results: list[dict], keys: tuple[str, ...] = HEADLINE_KPIS) -> dict[str, dict]:
    """Student-t 95 % confidence interval of the mean of each KPI across replications (R > 1)."""
    intervals = {}
    count = len(results)
    if count < 2:
        return intervals
    from scipy import stats  # imported here: ~0.5 s of imports that only replicated runs need

    t_factor = float(stats.t.ppf(0.5 + CONFIDENCE_LEVEL / 2.0, count - 1))
    for key in keys:
        values = [lookup(result, key) for result in results]
        if any(v is None or not math.isfinite(float(v)) for v in values):
            continue
        array = np.asarray(values, dtype=float)
        mean = float(array.mean())
        half_width = t_factor * float(array.std(ddof=1)) / math.sqrt(count)
        intervals[key] = {"mean": mean, "half_width": half_width, "low": mean - half_width,
                          "high": mean + half_width, "level": CONFIDENCE_LEVEL, "replications": count}
    return intervals


__all__ = ["CONFIDENCE_LEVEL", "HEADLINE_KPIS", "confidence_intervals", "lookup", "mean_of", "replication_seeds",
           "run_replication", "run_replications", "valid_scheduler_address"]
