"""Inspection time and method against detection: the optimiser's choice at each inspection station.

A quality check with ``detection_versus_time`` finds more the longer it looks at a sheet
(twin.inspection), so a slower inspection ships fewer escapes but needs more machines. For every such
check, each cycle time in ``optimisation.inspection_cycle_time_s`` is tried on the designed line: the
station is re-sized to carry the sheets it receives (whole machines) and ``evaluate`` prices the line,
escapes included. The cheapest $/kWh that still meets the plant target is kept (the cheapest overall
if none does); checks are taken one after another, each on the line the earlier choices left.

Likewise ``optimisation.inspection_methods`` offers methods with their resolution (optical, 2D X-ray, CT,
end-of-line electrical) and machine price per check: each is tried against the check's own method on the
designed line, the station re-sized for the method's scan or test time; a finer method finds more latent
defects (fewer escapes) but takes longer per sheet (more machines) and may cost more per machine.
"""

from __future__ import annotations

import math

from twin.capacity import station_timing
from twin.evaluate import evaluate_details
from twin.operations import operation_for
from twin.plant_metrics import TARGET_TOLERANCE
from twin.scenario import Scenario, apply_overrides, validate_scenario

MAX_MACHINES = 500  # the schema's bound on machines per station: a slower method past it misses the target


def _with_cycle_time(designed: Scenario, check: str, cycle_time_s: float, sheets_per_hour: float) -> Scenario:
    document = designed.model_dump(mode="json")
    document["line"]["stations"][check]["cycle_time_s"] = cycle_time_s
    return _resized(document, check, sheets_per_hour)


def _resized(document: dict, check: str, sheets_per_hour: float) -> Scenario:
    """The document with the check's station at the whole machines that carry ``sheets_per_hour``."""
    machines = _machines_for(validate_scenario(document), check, sheets_per_hour)
    return validate_scenario(apply_overrides(document, {f"line.stations.{check}.machines": machines}))


def _machines_for(trial: Scenario, check: str, sheets_per_hour: float) -> int:
    """Whole machines of the check's station in ``trial`` that carry ``sheets_per_hour``."""
    timing = station_timing(trial, check)
    per_machine = timing.sheets_per_hour_per_machine * timing.availability * timing.setup_factor
    # 1e-9 keeps an exact fit at its whole number of machines
    return min(MAX_MACHINES, max(1, math.ceil(sheets_per_hour / per_machine - 1e-9)))


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
        sheets_per_hour = _sheets_per_hour(designed, check)
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
        best = _pick(tried, target)
        designed = best if best is not None else designed
        trials.extend(record for _, record in tried)
    return designed, trials


def _sheets_per_hour(designed: Scenario, check: str) -> float:
    operation = evaluate_details(designed).flow.operation
    return operation.sheets_in_per_year[check] / operation.operating_hours_per_year


def _pick(tried: list[tuple[Scenario, dict]], target_GWh: float,
          capex_budget_usd: float | None = None) -> Scenario | None:
    """Mark and return the cheapest priced trial meeting the target (the cheapest priced if none does),
    among those within the capex budget when one is set (``optimisation.capex_budget_usd``: the MILP kept
    to it, a slower method's extra machines must too; all trials if none fits)."""
    priced = [item for item in tried if item[1]["usd_per_kwh"] is not None]
    if not priced:
        return None
    if capex_budget_usd is not None:
        priced = [item for item in priced if item[1]["capex_usd"] <= capex_budget_usd * (1.0 + 1e-9)] or priced
    meeting = [item for item in priced if item[1]["gwh_per_year"] >= target_GWh * (1.0 - TARGET_TOLERANCE)]
    best = min(meeting or priced, key=lambda item: item[1]["usd_per_kwh"])
    best[1]["chosen"] = True
    return best[0]


def choose_inspection_methods(designed: Scenario, options: list) -> tuple[Scenario, list[dict]]:
    """The designed scenario with each offered check at its best method and resolution, and the trials.

    ``options``: ``optimisation.inspection_methods`` entries (check, method, capex_usd, power_kW). Each
    check is tried with its own method (as designed) and every offered one. Returns ``(scenario, trials)``;
    each trial is ``{check, method, resolution_key, resolution, a50_um, a90_um, time_per_sheet_s, machines,
    capex_usd_per_machine, usd_per_kwh, gwh_per_year, escape_ppm, chosen}``.
    """
    from twin.inspection_methods import method_figures

    trials: list[dict] = []
    target = designed.plant.target_output_GWh_per_year
    # Each evaluation runs the whole sample route (~40 ms on the gigafactory), so none is made twice: the
    # designed line's gives the first check its flow; a trial that is the designed line itself (its own
    # method at the machines it has) reuses it; the chosen trial's gives the next check its flow.
    current = evaluate_details(designed)
    for check in dict.fromkeys(option.check for option in options):
        operation = current.flow.operation
        sheets_per_hour = operation.sheets_in_per_year[check] / operation.operating_hours_per_year
        station = designed.line.stations[check]
        own = designed.step(check).method
        candidates = ([(own, station.capex_usd, station.power_kW)] if own is not None else []) + [
            (option.method, option.capex_usd, option.power_kW if option.power_kW is not None else station.power_kW)
            for option in options if option.check == check]
        tried = []
        evaluations = {}
        for method, capex_usd, power_kW in candidates:
            document = designed.model_dump(mode="json")
            document["route"][[step["name"] for step in document["route"]].index(check)]["method"] = \
                method.model_dump(mode="json")
            document["line"]["stations"][check].update(capex_usd=capex_usd, power_kW=power_kW)
            trial = _resized(document, check, sheets_per_hour)
            evaluation = current if trial == designed else evaluate_details(trial)
            result = evaluation.result
            figures = method_figures(trial, method)
            evaluations[id(trial)] = evaluation
            tried.append((trial, {
                "check": check, "method": method.method, "resolution_key": figures["resolution_key"],
                "resolution": figures["resolution"], "a50_um": figures["a50_m"] * 1e6,
                "a90_um": figures["a90_m"] * 1e6, "time_per_sheet_s": figures["time_s"],
                "machines": trial.line.stations[check].machines, "capex_usd_per_machine": capex_usd,
                "usd_per_kwh": result["cost"]["usd_per_kwh"], "gwh_per_year": result["throughput"]["gwh_per_year"],
                "escape_ppm": result["yield"]["escape_ppm"], "capex_usd": result["cost"]["capex_usd"],
                "chosen": False,
            }))
        best = _pick(tried, target, designed.optimisation.capex_budget_usd if designed.optimisation else None)
        if best is not None:
            designed, current = best, evaluations[id(best)]
        trials.extend(record for _, record in tried)
    return designed, trials


def with_checks_as_designed(scenario: Scenario, designed: Scenario, checks: list[str]) -> Scenario | None:
    """``scenario`` with the named checks' route steps and stations as in ``designed`` (the inspection chosen
    after the MILP on the scenario's own recipes), or None when they are the same there already."""
    document = scenario.model_dump(mode="json")
    names = [step["name"] for step in document["route"]]
    changed = []
    for check in checks:
        step = designed.step(check).model_dump(mode="json")
        station = designed.line.stations[check].model_dump(mode="json")
        station["machines"] = document["line"]["stations"][check]["machines"]
        if step != document["route"][names.index(check)] or station != document["line"]["stations"][check]:
            document["route"][names.index(check)] = step
            document["line"]["stations"][check] = station
            changed.append(check)
    if not changed:
        return None
    # The machine count changes the pieces too: a station's capacity sets the buffer levels around it and so
    # each sheet's wait in the air before its Li (twin.sheet_exposure). A slower method on the scenario's own
    # count would starve the line and leave the fired sheets waiting for hours, so the check gets the whole
    # machines that give it at least the capacity it has in the scenario.
    trial = validate_scenario(document)
    for check in changed:
        document["line"]["stations"][check]["machines"] = _machines_for(
            trial, check, station_timing(scenario, check).capacity_sheets_per_hour)
    return validate_scenario(document)


__all__ = ["choose_inspection_methods", "choose_inspection_times", "with_checks_as_designed"]
