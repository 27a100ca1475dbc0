"""Limits on what one simulation run may ask for, shared by the CLI and the HTTP API.

The scenario schema bounds the size of a scenario (twin.scenario.limits); these bound the run length.
"""

from __future__ import annotations

from twin.scenario import Scenario

HOURS_PER_DAY = 24.0
# One hour of simulated time: the plant model's shortest timed events (roll changes, kiln loads, shift
# starts) are tens of minutes to hours long, so a shorter run measures no completed unit and reports
# nothing but start-up transients (5e-324 days ran 27 s and reported yield 1.0 with zero output).
MIN_SIMULATED_DAYS = 1.0 / HOURS_PER_DAY
# assumption: machine-days of one request (machines in the line x days x replications); the baseline's 64
# machines for 10 years of simulated time fit, a 1000-machine line for 400 days. A DES run holds a process
# per machine and its event count grows with the sheets those machines make.
MAX_MACHINE_DAYS = 400_000.0


def run_length_problems(scenario: Scenario | None, days: float, replications: int,
                        warmup_days: float | None = None) -> list[tuple[str, str]]:
    """(field, message) for each limit the run breaks; empty when it is within all of them."""
    problems: list[tuple[str, str]] = []
    if days < MIN_SIMULATED_DAYS:
        problems.append(("days", f"{days:g} days is below one hour of simulated time ({MIN_SIMULATED_DAYS:.4g} d): "
                                 "no kiln load, roll or shift completes in less, so nothing would be measured"))
    if warmup_days is not None and warmup_days > 0 and warmup_days < MIN_SIMULATED_DAYS:
        problems.append(("warmup_days", f"{warmup_days:g} days is below one hour ({MIN_SIMULATED_DAYS:.4g} d); "
                                        "use 0 for no warm-up"))
    if scenario is not None:
        machines = sum(station.machines for station in scenario.line.stations.values())
        load = machines * days * replications
        if load > MAX_MACHINE_DAYS:
            problems.append(("days", f"{machines} machines x {days:g} days x {replications} replications = "
                                     f"{load:.4g} machine-days is above the limit of {MAX_MACHINE_DAYS:g}; "
                                     "simulate fewer days or replications"))
    return problems


__all__ = ["MAX_MACHINE_DAYS", "MIN_SIMULATED_DAYS", "run_length_problems"]
