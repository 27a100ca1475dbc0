"""Check a design in the discrete-event twin, and derate what the static model got wrong.

The MILP sees steady-state capacities; blocking, starving and breakdown interactions only show in the
twin (``twin.des.simulate``). When the twin's output falls short of the target, the twin's bottleneck
station gets its effective capacity scaled by twin output / planned output, and the MILP is solved
again, until the twin confirms the target or the rounds run out.
"""

from __future__ import annotations

from collections.abc import Callable

# The twin's output is a mean over replications; 1 % below target is within its replication noise
# at 3 replications of 30 days for the shipped scenarios (assumption; widen for shorter runs).
CONFIRM_RELATIVE_TOLERANCE = 0.01
MAX_ROUNDS = 4


def twin_simulator() -> Callable:
    """The plant twin used to check a design (``twin.des.simulate``; tests substitute a stand-in)."""
    from twin.des import simulate

    return simulate


def twin_output(simulate: Callable, designed, days: float, replications: int, seed: int,
                workers: int | None = None, progress: Callable[[float], None] | None = None) -> dict:
    # progress (simulated days of the check) only when asked: stand-in twins need not take it
    extra = {"progress": progress} if progress is not None else {}
    result = simulate(designed, days=days, replications=replications, seed=seed, workers=workers, **extra)
    stations = result.get("stations", {})
    return {
        "gwh_per_year": float(result["throughput"]["gwh_per_year"]),
        "good_cells_per_day": float(result["throughput"].get("good_cells_per_day", float("nan"))),
        "bottleneck": _main_bottleneck(result.get("bottleneck")),
        "utilization": {name: float(s.get("utilization", float("nan"))) for name, s in stations.items()},
    }


def _main_bottleneck(bottleneck) -> str | None:
    """The twin reports a station name, or shares of time each station was the bottleneck."""
    if isinstance(bottleneck, dict):
        shares = {k: v for k, v in bottleneck.items() if isinstance(v, (int, float))}
        return max(shares, key=shares.get) if shares else None
    return bottleneck


def confirms(twin_GWh: float, target_GWh: float) -> bool:
    return twin_GWh >= target_GWh * (1.0 - CONFIRM_RELATIVE_TOLERANCE)


__all__ = ["CONFIRM_RELATIVE_TOLERANCE", "MAX_ROUNDS", "confirms", "twin_output", "twin_simulator"]
