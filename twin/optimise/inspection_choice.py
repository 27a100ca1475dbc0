"""Inspection time and method against detection: the optimiser's choice at each inspection station.

A quality check with ``detection_versus_time`` finds more the longer it looks at a sheet
(twin.inspection), so a slower inspection ships fewer escapes but needs more machines. For every such
check, each cycle time in ``optimisation.inspection_cycle_time_s`` is tried on the designed line: the
station is re-sized to carry the sheets it receives (whole machines) and ``evaluate`` prices the line,
escapes included. The cheapest $/kWh that still meets the plant target is kept (the cheapest overall
if none does); checks are taken one after another, each on the line the earlier choices left.

Likewise ``optimisation.inspection_methods`` offers methods with their resolution (optical, 2D X-ray, CT,
end-of-line electrical) and machine price per check: each is tried against the check's own method, the
station re-sized for the method's scan or test time; a finer method finds more latent defects (fewer
escapes) but takes longer per sheet (more machines) and may cost more per machine. A finer check also
needs fewer sheets started upstream, so in the optimiser each method is priced on the whole line sized for
it (twin.optimise.method_sizing, handed over by :func:`sizing_each_method`): priced on a line sized for
another method, two methods of nearly equal cost each looked dearer on the other's line and the choice
alternated between solves.

Lines sized in whole machines overshoot the target by different amounts, so every trial is compared by its cost
at the plant's target (twin.optimise.target_cost: the line as sized, running only the sheets the target needs),
not per kWh of its own output, where a line's surplus spreads its fixed cost thinner; both are kept on the row.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Callable
from contextvars import ContextVar

from twin.capacity import station_timing
from twin.evaluate import Evaluation, evaluate_details
from twin.inspection_methods import method_figures
from twin.operations import operation_for
from twin.optimise.target_cost import cost_at_target
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
    usd_per_kwh, gwh_per_year, escape_ppm, meets_target, chosen, usd_per_kwh_at_target, surplus_fraction}``
    (``cheaper_only_by_overshoot`` on the trial that is cheapest per its own kWh but not at the target).
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
            evaluation = evaluate_details(trial)
            result = evaluation.result
            usd = result["cost"]["usd_per_kwh"]
            tried.append((trial, {
                "check": check, "cycle_time_s": cycle_time_s, "machines": trial.line.stations[check].machines,
                "detection_probability": inspection_detection_probability(trial, trial.step(check)),
                "usd_per_kwh": usd, "gwh_per_year": result["throughput"]["gwh_per_year"],
                "escape_ppm": result["yield"]["escape_ppm"],
                "meets_target": _meets(result["throughput"]["gwh_per_year"], target), "chosen": False,
                **_target_figures(evaluation, target),
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
    """Mark and return the cheapest priced trial at the target (``usd_per_kwh_at_target``,
    twin.optimise.target_cost) meeting the target (the cheapest priced if none does), among those within the
    capex budget when one is set (``optimisation.capex_budget_usd``: the MILP kept to it, a slower method's
    extra machines must too; all trials if none fits).

    The trial that would win on its own output's USD/kWh instead is marked ``cheaper_only_by_overshoot``: its
    line makes more than the target and the surplus, not the method, makes it look cheaper."""
    priced = [item for item in tried if item[1]["usd_per_kwh"] is not None]
    if not priced:
        return None
    if capex_budget_usd is not None:
        priced = [item for item in priced if item[1]["capex_usd"] <= capex_budget_usd * (1.0 + 1e-9)] or priced
    meeting = [item for item in priced if item[1]["gwh_per_year"] >= target_GWh * (1.0 - TARGET_TOLERANCE)]
    pool = meeting or priced
    best = min(pool, key=lambda item: item[1]["usd_per_kwh_at_target"])
    best[1]["chosen"] = True
    # ties at the target keep the first trial (the check's own method), as min does
    by_own_output = min(pool, key=lambda item: item[1]["usd_per_kwh"])
    if by_own_output is not best and by_own_output[1]["usd_per_kwh"] < best[1]["usd_per_kwh"]:
        by_own_output[1]["cheaper_only_by_overshoot"] = True
    return best[0]


def _target_figures(evaluation: Evaluation, target_GWh: float) -> dict:
    """A trial row's cost at the plant's target and its line's surplus over it (twin.optimise.target_cost)."""
    at_target = cost_at_target(evaluation, target_GWh)
    return {"usd_per_kwh_at_target": at_target.usd_per_kwh_at_target,
            "surplus_fraction": at_target.surplus_fraction}


def _caps_broken(designed: Scenario, line: Scenario, capex_usd: float) -> list[str]:
    """The optimisation caps ``line`` breaks: "the capex budget" (optimisation.capex_budget_usd) and "the
    max machines per station" (optimisation.max_machines_per_station), as the trials table names them."""
    caps = designed.optimisation
    if caps is None:
        return []
    broken = []
    if caps.capex_budget_usd is not None and capex_usd > caps.capex_budget_usd * (1.0 + 1e-9):
        broken.append(f"the capex budget ({capex_usd / 1e6:,.0f} > {caps.capex_budget_usd / 1e6:,.0f} MUSD)")
    most = max(station.machines for station in line.line.stations.values())
    if caps.max_machines_per_station is not None and most > caps.max_machines_per_station:
        broken.append(f"the max machines per station ({most} > {caps.max_machines_per_station})")
    return broken


def choose_inspection_methods(designed: Scenario, options: list,
                              size_line: Callable[[Scenario], tuple[Scenario, Evaluation, bool]] | None = None,
                              ) -> tuple[Scenario, list[dict]]:
    """The designed scenario with each offered check at its best method and resolution, and the trials.

    ``options``: ``optimisation.inspection_methods`` entries (check, method, capex_usd, power_kW). Each
    check is tried with its own method (as designed) and every offered one, the others at their chosen
    methods; checks are taken in turn until no choice moves, so every check's rows are priced with the others
    at their final methods (the chosen rows then all price the returned design). ``size_line`` (default: the
    one :func:`sizing_each_method` set, else none) re-sizes the whole line for a trial's inspection; without
    it only the check's own station is re-sized. Returns ``(scenario, trials)``; each trial is ``{check,
    method, resolution_key, resolution, a50_um, a90_um, time_per_sheet_s, machines, capex_usd_per_machine,
    usd_per_kwh, gwh_per_year, escape_ppm, meets_target, sized_line, chosen, usd_per_kwh_at_target,
    surplus_fraction}`` (an electrical test adds ``test`` and ``test_time_h``; the trial cheapest per its own kWh
    but not at the target ``cheaper_only_by_overshoot``). ``usd_per_kwh``: per kWh of the line's own output;
    the choice is made on ``usd_per_kwh_at_target`` (twin.optimise.target_cost).
    """
    size_line = size_line or _SIZE_LINE.get()
    target = designed.plant.target_output_GWh_per_year
    budget = designed.optimisation.capex_budget_usd if designed.optimisation else None
    checks = list(dict.fromkeys(option.check for option in options))
    # each check's own method and machine price, as designed (the offered ones are tried against them)
    own = {check: (designed.step(check).method, designed.line.stations[check].capex_usd,
                   designed.line.stations[check].power_kW) for check in checks}
    # Each evaluation runs the whole sample route (~40 ms on the gigafactory; a re-sized line also its sizing),
    # so none is made twice: trials are kept by their scenario, and the first check starts from the designed
    # line's own evaluation.
    priced: dict[str, tuple[Scenario, Evaluation]] = {}
    current = evaluate_details(designed)
    if size_line is None:
        priced[designed.model_dump_json()] = (designed, current, False)
    rows: dict[str, list[dict]] = {}
    chosen_methods: dict[str, str] = {}
    # passes until no check's choice moves (the second re-prices the first checks with the later choices); the
    # bound guards against two checks pulling each other back and forth
    for _ in range(len(checks) + 1):
        moved = False
        for check in checks:
            operation = current.flow.operation
            sheets_per_hour = operation.sheets_in_per_year[check] / operation.operating_hours_per_year
            station = designed.line.stations[check]
            method, capex_usd, power_kW = own[check]
            candidates = ([(method, capex_usd, power_kW)] if method is not None else []) + [
                (option.method, option.capex_usd, option.power_kW if option.power_kW is not None else own[check][2])
                for option in options if option.check == check]
            tried = []
            for method, capex_usd, power_kW in candidates:
                document = designed.model_dump(mode="json")
                document["route"][[step["name"] for step in document["route"]].index(check)]["method"] = \
                    method.model_dump(mode="json")
                document["line"]["stations"][check].update(capex_usd=capex_usd, power_kW=power_kW)
                if document["line"]["stations"][check] == station.model_dump(mode="json") and \
                        designed.step(check).method == method:
                    trial = designed   # the check as it stands: its line as it is
                else:
                    trial = _resized(document, check, sheets_per_hour)
                line, evaluation, sized = _priced(trial, priced, size_line)
                result = evaluation.result
                figures = method_figures(line, method)
                gwh = result["throughput"]["gwh_per_year"]
                row = {
                    "check": check, "method": method.method, "resolution_key": figures["resolution_key"],
                    "resolution": figures["resolution"], "a50_um": figures["a50_m"] * 1e6,
                    "a90_um": figures["a90_m"] * 1e6, "time_per_sheet_s": figures["time_s"],
                    "machines": line.line.stations[check].machines, "capex_usd_per_machine": capex_usd,
                    "usd_per_kwh": result["cost"]["usd_per_kwh"], "gwh_per_year": gwh,
                    "escape_ppm": result["yield"]["escape_ppm"], "capex_usd": result["cost"]["capex_usd"],
                    "meets_target": _meets(gwh, target), "sized_line": sized, "chosen": False,
                    **_target_figures(evaluation, target),
                }
                if not sized and size_line is not None:   # no sized line carried it: the caps its line breaks
                    row["over_caps"] = _caps_broken(designed, line, result["cost"]["capex_usd"])
                if method.method == "eol_electrical":   # two tests of one resolution differ by test and time
                    row.update(test=method.test, test_time_h=method.test_time_h)
                tried.append(((line, evaluation), row))
            best = _pick(tried, target, budget)
            rows[check] = [row for _, row in tried]
            if best is None:
                continue
            chosen = next(row for _, row in tried if row["chosen"])
            label = json.dumps({k: chosen.get(k) for k in ("method", "resolution", "capex_usd_per_machine", "test",
                                                           "test_time_h")}, default=str)
            moved = moved or chosen_methods.get(check) != label
            chosen_methods[check] = label
            designed, current = best
        if not moved:
            break
    return designed, [row for check in checks for row in rows.get(check, [])]


def _meets(gwh_per_year: float | None, target_GWh: float) -> bool:
    return gwh_per_year is not None and gwh_per_year >= target_GWh * (1.0 - TARGET_TOLERANCE)


def _priced(trial: Scenario, priced: dict, size_line) -> tuple[Scenario, Evaluation, bool]:
    """The trial's line (re-sized for its inspection by ``size_line``, if given), its evaluation and whether the
    whole line was sized for it; once each."""
    key = trial.model_dump_json()
    if key not in priced:
        priced[key] = size_line(trial) if size_line is not None else (trial, evaluate_details(trial), False)
    return priced[key]


_SIZE_LINE: ContextVar = ContextVar("size_line", default=None)


@contextlib.contextmanager
def sizing_each_method(size_line: Callable[[Scenario], tuple[Scenario, Evaluation, bool]] | None):
    """While open, :func:`choose_inspection_methods` prices each trial on the line ``size_line`` sizes for it.

    The optimiser knows how to size a line (its MILP on the design's recipes and shifts,
    twin.optimise.method_sizing); the trials run inside the design's report, which calls
    :func:`choose_inspection_methods` without it, so the sizer is handed over here."""
    token = _SIZE_LINE.set(size_line)
    try:
        yield
    finally:
        _SIZE_LINE.reset(token)


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


__all__ = ["choose_inspection_methods", "choose_inspection_times", "sizing_each_method", "with_checks_as_designed"]
