"""Fake twin services for testing the API machinery alone (selected by SSB_TWIN_SERVICE_MODULE).

They are deterministic functions of the scenario so that tests can assert exact numbers; the durations
are driven by the request (``days``) so that jobs can be slow enough to cancel or interrupt.
"""

from __future__ import annotations

import os
import time

from process_models.errors import PhysicsDomainError

EVALUATE_CALLS = {"count": 0}  # only meaningful with evaluate_workers=0 (in-thread evaluation)
SECONDS_PER_SIMULATED_DAY = 0.02


def evaluate(scenario):
    EVALUATE_CALLS["count"] += 1
    if scenario.description.startswith("physics-fail"):
        raise PhysicsDomainError("green_relative_density=1.2 is outside (0, 1]")
    if scenario.description.startswith("crash"):
        raise RuntimeError("secret internal detail /etc/passwd")
    if scenario.description.startswith("die"):
        os._exit(1)  # a worker killed by a native crash or the OOM killer
    if scenario.description.startswith("slow:"):
        _compute_slowly(scenario)
    shifts = scenario.line.shifts.shifts_per_day
    return {
        "scenario": scenario.name,
        "throughput": {"good_cells_per_day": 1000.0 * shifts, "m2_per_hour": 10.0, "gwh_per_year": 0.5},
        "yield": {"overall": 0.9, "piece_yield_by_step": {}, "sheet_yield_by_step": {}, "scrap_by_cause": {}},
        "quality": {"relative_density": {"mean": float("nan"), "p5": 0.9, "p95": 0.99}},
        "cost": {
            "usd_per_kwh": 100.0 / shifts,
            "usd_per_m2": 1.0,
            "usd_per_cell": 2.0,
            "capex_usd": 1e8,
            "by_step": {},
            "by_category": {},
        },
        "stations": {},
        "bottleneck": scenario.route[0].name,
        "energy_kwh_per_kwh": 0.1,
    }


def simulate(scenario, *, days, replications, seed, warmup_days, progress):
    if scenario.description.startswith("crash"):
        raise RuntimeError("secret internal detail")
    if scenario.description.startswith("spawn-child"):
        _spawn_child(scenario)  # like a DES that starts its own process pool
    for replication in range(replications):
        time.sleep(days * SECONDS_PER_SIMULATED_DAY)
        progress((replication + 1) / replications)
    return {
        "scenario": scenario.name,
        "days": days,
        "replications": replications,
        "seed": scenario.seed if seed is None else seed,
        "throughput": {"good_cells_per_day": 42.0 * days},
    }


def optimise(scenario, *, objective, twin_check, replications, days, progress):
    if scenario.description.startswith("infeasible"):
        raise PhysicsDomainError("no candidate meets the capex budget")
    progress(0.5)
    return {"scenario": scenario.name, "objective": objective, "best": {"cost": {"usd_per_kwh": 90.0}}}


PID_DIR_VARIABLE = "SSB_TEST_FAKE_PID_DIR"


def evaluation_pid_file(seed: int) -> str:
    """Where ``evaluate`` records its worker's pid for a 'slow:<seconds>' scenario."""
    import tempfile
    from pathlib import Path

    # a folder per test run (tests/api/conftest.py sets it before any worker starts): pytest runs sharing a
    # machine read one another's pid files under one fixed name in /tmp
    folder = os.environ.get(PID_DIR_VARIABLE) or tempfile.gettempdir()
    return str(Path(folder) / f"ssb-twin-fake-evaluation-{seed}.pid")


def _compute_slowly(scenario) -> None:
    """A 'slow:<seconds>' description: an evaluation that takes that long (a heavy, uncached request)."""
    from pathlib import Path

    Path(evaluation_pid_file(scenario.seed)).write_text(str(os.getpid()))
    time.sleep(float(scenario.description.removeprefix("slow:")))


def child_pid_file(seed: int) -> str:
    """Where ``simulate`` records the pid of the helper process it starts for a 'spawn-child' scenario."""
    import tempfile
    from pathlib import Path

    return str(Path(tempfile.gettempdir()) / f"ssb-twin-fake-child-{seed}.pid")


def _spawn_child(scenario) -> None:
    import subprocess
    import sys
    from pathlib import Path

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    Path(child_pid_file(scenario.seed)).write_text(str(child.pid))
