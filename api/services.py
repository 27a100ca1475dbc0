"""The default service module: the ``twin`` entry points the API runs (docs/architecture.md contract).

``SSB_TWIN_SERVICE_MODULE`` may name another module with the same three functions (tests use fakes to
exercise the job machinery alone). Imports are lazy so the API starts even while a ``twin`` module is
still being written; a job then fails with a clear reason instead of the server refusing to start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twin.scenario import Scenario


def evaluate(scenario: Scenario) -> dict[str, Any]:
    """Steady-state cost/yield/throughput (``twin.evaluate.evaluate_scenario``)."""
    from twin.evaluate import evaluate_scenario

    return evaluate_scenario(scenario)


def simulate(
    scenario: Scenario,
    *,
    days: float,
    replications: int,
    seed: int | None,
    warmup_days: float | None,
    progress: Callable[[float], None],
) -> dict[str, Any]:
    """Discrete-event plant simulation (``twin.des.simulate``), single-process inside the worker."""
    from twin.des import simulate as des_simulate

    # workers=1: the job runner already bounds parallelism (one process per job, SSB_TWIN_WORKERS jobs)
    return des_simulate(
        scenario,
        days=days,
        replications=replications,
        seed=seed,
        warmup_days=warmup_days,
        progress=progress,
        workers=1,
    )


def optimise(
    scenario: Scenario,
    *,
    objective: str,
    twin_check: bool,
    replications: int,
    days: float,
    progress: Callable[[float], None],
) -> dict[str, Any]:
    """Recipe and line optimisation (``twin.optimise.optimise``)."""
    from twin.optimise import optimise as run_optimise

    return run_optimise(
        scenario,
        objective=objective,
        progress=progress,
        twin_check=twin_check,
        replications=replications,
        days=days,
        workers=1,
    )


def sweep(
    scenario: Scenario,
    *,
    points: list[dict[str, Any]],
    mode: str,
    days: float,
    replications: int,
    seed: int | None,
    sampling: str,
    progress: Callable[[float], None],
) -> dict[str, Any]:
    """Evaluate or simulate ``scenario`` at every point of overrides (``twin.sweep.run_sweep``)."""
    from twin.sweep import run_sweep

    # workers=1: one process per job, as for simulations; progress moves one point at a time
    return run_sweep(scenario.model_dump(mode="json"), points, mode, days, replications, seed, workers=1,
                     progress=progress, sampling=sampling)



def invest(scenario: Scenario, *, simulate_days: float | None, progress: Callable[[float], None]) -> dict[str, Any]:
    """The investment case (``twin.cost.investment.investment_case``) under the key ``investment``."""
    from twin.cost.investment import investment_case

    return {"scenario": scenario.name, "investment": investment_case(scenario, simulate_days=simulate_days,
                                                                     progress=progress)}


def sensitivity(scenario: Scenario, *, sobol: int, monte_carlo: int, physics_sheets: int,
                progress: Callable[[float], None]) -> dict[str, Any]:
    """Sobol indices and a Monte Carlo of $/kWh (``twin.cost.sobol``); a zero size skips that part."""
    from twin.cost import sobol as global_sensitivity

    result: dict[str, Any] = {"scenario": scenario.name}
    if sobol:
        result["sobol"] = global_sensitivity.sobol_sensitivity(
            scenario, base_samples=sobol, physics_sheets=physics_sheets,
            progress=lambda f: progress(0.8 * f if monte_carlo else f))
    if monte_carlo:
        result["monte_carlo"] = global_sensitivity.monte_carlo(
            scenario, samples=monte_carlo, physics_sheets=physics_sheets,
            progress=lambda f: progress(0.8 + 0.2 * f if sobol else f))
    progress(1.0)
    return result


__all__ = ["evaluate", "invest", "optimise", "sensitivity", "simulate", "sweep"]
