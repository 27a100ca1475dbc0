"""Inspection time against detection: the optimiser's choice of each inspection station's cycle time.

A quality check with ``detection_versus_time`` finds more the longer it looks at a sheet
(twin.inspection), so a slower inspection ships fewer escapes but needs more machines. For every such
check, each cycle time in ``optimisation.inspection_cycle_time_s`` is tried on the designed line: the
station is re-sized to carry the sheets it receives (whole machines) and ``evaluate`` prices the line,
escapes included. The cheapest $/kWh that still meets the plant target is kept (the cheapest overall
if none does); checks are taken one after another, each on the line the earlier choices left.
"""

from __future__ import annotations

import math

from twin.capacity import station_timing
from twin.evaluate import evaluate_details
from twin.operations import operation_for
from twin.plant_metrics import TARGET_TOLERANCE
from twin.scenario import Scenario, apply_overrides, validate_scenario


def _with_cycle_time(designed: Scenario, check: str, cycle_time_s: float, sheets_per_hour: float) -> Scenario:
    document = designed.model_dump(mode="json")
    station = document["line"]["stations"][check]
    station["cycle_time_s"] = cycle_time_s
    trial = validate_scenario(document)
    timing = station_timing(trial, check)
    per_machine = timing.sheets_per_hour_per_machine * timing.availability * timing.setup_factor
    # 1e-9 keeps an exact fit at its whole number of machines
    machines = max(1, math.ceil(sheets_per_hour / per_machine - 1e-9))
    return validate_scenario(apply_overrides(document, {f"line.stations.{check}.machines": machines}))


def choose_inspection_times(designed: Scenario, options_s: list[float]) -> tuple[Scenario, list[dict]]:
    """The designed scenario with each time-dependent inspection at its best cycle time, and the trials.

    Returns ``(scenario, trials)``; each trial is ``{check, cycle_time_s, machines, detection_probability,
    usd_per_kwh, gwh_per_year, escape_ppm, chosen}``.
    """
    from twin.inspection import inspection_detection_probability

    checks = [step.name for step in designed.route
              if operation_for(step).is_quality_check and step.detection_versus_time is not None]
    trials: list[dict] = []
    target = designed.plant.target_output_GWh_per_year
    for check in checks:
        base = evaluate_details(designed)
        operation = base.flow.operation
        sheets_per_hour = operation.sheets_in_per_year[check] / operation.operating_hours_per_year
        tried = []
        for cycle_time_s in options_s:
            trial = _with_cycle_time(designed, check, cycle_time_s, sheets_per_hour)
            result = evaluate_details(trial).result
            usd = result["cost"]["usd_per_kwh"]
            tried.append((trial, {
                "check": check, "cycle_time_s": cycle_time_s, "machines": trial.line.stations[check].machines,
                "detection_probability": inspection_detection_probability(trial, trial.step(check)),
                "usd_per_kwh": usd, "gwh_per_year": result["throughput"]["gwh_per_year"],
                "escape_ppm": result["yield"]["escape_ppm"], "chosen": False,
            }))
        priced = [item for item in tried if item[1]["usd_per_kwh"] is not None]
        if not priced:
            trials.extend(record for _, record in tried)
            continue
        meeting = [item for item in priced if item[1]["gwh_per_year"] >= target * (1.0 - TARGET_TOLERANCE)]
        best = min(meeting or priced, key=lambda item: item[1]["usd_per_kwh"])
        best[1]["chosen"] = True
        designed = best[0]
        trials.extend(record for _, record in tried)
    return designed, trials


__all__ = ["choose_inspection_times"]
