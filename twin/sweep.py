"""Parameter sweeps: evaluate or simulate a scenario over a grid or a Latin hypercube of overrides.

A point is a set of dotted-path overrides (the paths the error messages use). Every point is validated
before any runs, so a bad value stops the sweep with the field named. Points run on a local process
pool (default), in this process (``workers=1``) or on a Dask cluster (``dask_scheduler``); each point's
result depends only on the scenario, its overrides and the seed, so every backend gives the same rows.
"""

from __future__ import annotations

import itertools
import json
import math
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from twin.scenario import ScenarioError, apply_overrides, validate_scenario

MODES = ("evaluate", "simulate")
MAX_POINTS = 10_000
# Result keys a sweep row carries (dotted path in the result -> column name)
METRICS = (
    ("throughput.gwh_per_year", "gwh_per_year"),
    ("throughput.good_cells_per_day", "good_cells_per_day"),
    ("yield.overall", "overall_yield"),
    ("cost.usd_per_kwh", "usd_per_kwh"),
    ("cost.usd_per_cell", "usd_per_cell"),
    ("cost.capex_usd", "capex_usd"),
    ("energy_kwh_per_kwh", "energy_kwh_per_kwh"),
    ("bottleneck", "bottleneck"),
)
METRIC_UNITS = {"gwh_per_year": "GWh/yr", "good_cells_per_day": "cells/day", "overall_yield": "fraction of pieces",
                "usd_per_kwh": "USD/kWh", "usd_per_cell": "USD/cell", "capex_usd": "USD",
                "energy_kwh_per_kwh": "kWh per kWh of cells"}


def grid_points(grid: dict[str, list]) -> list[dict[str, Any]]:
    """Every combination of the listed values (the first path varies slowest)."""
    _check_grid(grid)
    paths = list(grid)
    return [dict(zip(paths, combination, strict=True)) for combination in itertools.product(*grid.values())]


def lhs_points(grid: dict[str, list], samples: int, seed: int) -> list[dict[str, Any]]:
    """``samples`` Latin-hypercube points over each path's range (min to max of its listed values).

    A path whose listed values are all integers gets integers (rounded); non-numeric values have no range.
    """
    from scipy.stats import qmc  # imported on use: only sweeps need it

    _check_grid(grid)
    if not 1 <= samples <= MAX_POINTS:
        raise ValueError(f"lhs: {samples} samples must be in [1, {MAX_POINTS}]")
    bounds = {}
    for path, values in grid.items():
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values):
            raise ValueError(f"grid {path}: a Latin hypercube needs numbers (the range is min to max of "
                             f"the values), got {values!r}")
        bounds[path] = (min(values), max(values), all(isinstance(v, int) for v in values))
    unit = qmc.LatinHypercube(d=len(bounds), seed=seed).random(samples)
    points = []
    for row in unit:
        point = {}
        for (path, (low, high, integer)), u in zip(bounds.items(), row, strict=True):
            value = low + float(u) * (high - low)
            point[path] = int(round(value)) if integer else value
        points.append(point)
    return points


def _check_grid(grid: dict[str, list]) -> None:
    if not grid:
        raise ValueError("grid: give at least one path=v1,v2,... to sweep")
    for path, values in grid.items():
        if not isinstance(values, list) or not values:
            raise ValueError(f"grid {path}: needs at least one value")
    size = math.prod(len(values) for values in grid.values())
    if size > MAX_POINTS:
        raise ValueError(f"grid: {size} points (product of the value counts) is above the limit of {MAX_POINTS}")


def validate_points(document: dict, points: list[dict[str, Any]]) -> None:
    """Raise :class:`ScenarioError` naming the first point whose overrides give an invalid scenario."""
    for index, overrides in enumerate(points):
        try:
            validate_scenario(apply_overrides(document, overrides))
        except ScenarioError as exc:
            shown = ", ".join(f"{k}={v!r}" for k, v in overrides.items())
            raise ScenarioError([f"sweep point {index} ({shown}): {problem}" for problem in exc.problems]) from None


def _lookup(result: dict, dotted: str):
    node: Any = result
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, dict):  # the twin's bottleneck is a share per station: name the largest
        shares = {k: v for k, v in node.items() if isinstance(v, (int, float))}
        return max(shares, key=shares.get) if shares else None
    if isinstance(node, float) and not math.isfinite(node):
        return None
    return node


def run_point(scenario_json: str, overrides: dict[str, Any], mode: str, days: float, replications: int,
              seed: int | None) -> dict[str, Any]:
    """One sweep point: its overrides and the metrics (a top-level function: it travels to workers)."""
    document = json.loads(scenario_json)
    row: dict[str, Any] = dict(overrides)
    try:
        scenario = validate_scenario(apply_overrides(document, overrides))
        if mode == "evaluate":
            from twin.evaluate import evaluate_scenario

            result = evaluate_scenario(scenario)
        else:
            from twin.des import simulate

            result = simulate(scenario, days, replications, seed, workers=1)
        row.update({column: _lookup(result, key) for key, column in METRICS})
        row["error"] = None
    except (ScenarioError, ValueError, ArithmeticError) as exc:  # physics domain errors are ValueErrors
        row.update({column: None for _, column in METRICS})
        row["error"] = f"{type(exc).__name__}: {exc}"
    return row


def run_sweep(document: dict, points: list[dict[str, Any]], mode: str = "evaluate", days: float = 7.0,
              replications: int = 1, seed: int | None = None, workers: int | None = None,
              dask_scheduler: str | None = None, progress: Callable[[float], None] | None = None,
              sampling: str = "grid") -> dict:
    """Run every point; returns ``{"mode", "sampling", "paths", "backend", "rows"}``, rows in point order.

    ``progress`` receives the share of points done (one step per point).
    """
    if mode not in MODES:
        raise ValueError(f"mode: {mode!r} is not one of {', '.join(MODES)}")
    if not points:
        raise ValueError("points: the sweep has no points")
    if len(points) > MAX_POINTS:
        raise ValueError(f"points: {len(points)} is above the limit of {MAX_POINTS}")
    validate_points(document, points)
    scenario_json = json.dumps(document)
    args = [(scenario_json, point, mode, float(days), int(replications), seed) for point in points]
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done / len(points))

    rows: list[dict | None] = [None] * len(points)
    if dask_scheduler is not None:
        backend = "dask"
        _run_on_dask(dask_scheduler, args, rows, step)
    else:
        workers = min(len(points), workers if workers is not None else (os.cpu_count() or 1))
        if workers <= 1:
            backend = "in_process"
            for index, arguments in enumerate(args):
                rows[index] = run_point(*arguments)
                step()
        else:
            backend = "process_pool"
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(run_point, *arguments): index for index, arguments in enumerate(args)}
                for future in as_completed(futures):
                    rows[futures[future]] = future.result()
                    step()
    paths = list(dict.fromkeys(path for point in points for path in point))
    return {"mode": mode, "sampling": sampling, "paths": paths, "backend": backend, "points": len(points),
            "rows": [{"point": index, **row} for index, row in enumerate(rows)]}


def _run_on_dask(address: str, args: list[tuple], rows: list, step: Callable[[], None]) -> None:
    try:
        from dask.distributed import Client
    except ImportError as exc:  # pragma: no cover - the test extras install Dask
        raise RuntimeError("dask_scheduler needs the optional dependency: pip install 'ssb-twin[dask]'") from exc
    with Client(address, set_as_default=False) as client:
        futures = [client.submit(run_point, *arguments, pure=False) for arguments in args]
        # collected in point order (all run concurrently on the cluster); progress moves a point at a time
        for index, future in enumerate(futures):
            rows[index] = future.result()
            step()


__all__ = ["MAX_POINTS", "METRICS", "METRIC_UNITS", "MODES", "grid_points", "lhs_points", "run_point", "run_sweep",
           "validate_points"]
