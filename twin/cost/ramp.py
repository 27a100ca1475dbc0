"""The plant's ramp-up: learning (Wright's law) on the inputs that make scrap and downtime, run through the twin.

Yield and OEE are not typed per year. Each period of the ramp gets its own scenario, in which the
process-variation CVs/SDs, the killer-defect densities and the MTTR are the scenario's values times a
learning factor, and the MTBF is divided by one; that scenario is evaluated (twin.evaluate, steady
state) or simulated (twin.des.simulate), so the yield and the OEE of the period come out of the same
physics and plant model as every other figure.

Wright's law (T. P. Wright, J. Aeronautical Sci. 3 (1936) 122): every doubling of cumulative output
multiplies a quantity by (1 - learning rate), x(Q) = x1 (Q/Q1)^-b with b = -log2(1 - learning rate).
Here the quantity is the excess of an input over its steady-state value as a factor, floored at 1:
f(Q) = max(1, f_start (Q/Q1)^-b), with Q1 the sheets started in the first period (which runs at f_start)
and Q = Q1 + the sheets started before the period: the second period has seen one doubling.
Learning rates of ~20 % per doubling are measured for Li-ion cell prices over cumulative market size
(Ziegler & Trancik, Energy Environ. Sci. 14 (2021) 1635: 20 % all cells, 24 % cylindrical, 1992-2016).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from twin.scenario import Scenario, ScenarioError, validate_scenario
from twin.scenario.economics import Learning

FACTOR_NAMES = ("variation", "defect_density", "mttr", "mtbf")
# a factor within this of 1 counts as steady state (the remaining excess is below any sampled effect)
STEADY_TOLERANCE = 1e-3
# steady-state periods after the ramp are a year long: learning there is slow and each period costs a run
POST_RAMP_PERIODS_PER_YEAR = 1


def learning_exponent(learning_rate: float) -> float:
    """Wright's exponent b for a learning rate per doubling: (1 - rate) = 2^-b, b = -log2(1 - rate)."""
    return -math.log2(1.0 - learning_rate)


def wright_factor(start_factor: float, cumulative: float, first: float, exponent: float) -> float:
    """max(1, start x (cumulative / first)^-b): the input's excess over steady state after ``cumulative`` output."""
    if start_factor <= 1.0:
        return 1.0
    if first <= 0 or cumulative <= first:
        return start_factor
    return max(1.0, start_factor * (cumulative / first) ** (-exponent))


def learning_factors(learning: Learning | None, cumulative: float, first: float) -> dict[str, float]:
    if learning is None:
        return dict.fromkeys(FACTOR_NAMES, 1.0)
    b = learning_exponent(learning.learning_rate)
    starts = {"variation": learning.variation_start_factor, "defect_density": learning.defect_density_start_factor,
              "mttr": learning.mttr_start_factor, "mtbf": learning.mtbf_start_factor}
    return {name: wright_factor(starts[name], cumulative, first, b) for name in FACTOR_NAMES}


def scenario_with_factors(scenario: Scenario, factors: dict[str, float]) -> Scenario:
    """``scenario`` with its variation, defect densities and MTTR x factor, MTBF / factor (re-validated)."""
    if all(abs(f - 1.0) < 1e-12 for f in factors.values()):
        return scenario
    document = scenario.model_dump(mode="json")
    for name, value in document["variation"].items():
        document["variation"][name] = value * factors["variation"]
    for step in document["route"]:
        step["defect_density_per_m2"] = step.get("defect_density_per_m2", 0.0) * factors["defect_density"]
    for station in document["line"]["stations"].values():
        station["mttr_h"] = station["mttr_h"] * factors["mttr"]
        station["mtbf_h"] = station["mtbf_h"] / factors["mtbf"]
    try:
        return validate_scenario(document)
    except ScenarioError as exc:
        described = ", ".join(f"{k} x{v:.3g}" for k, v in factors.items())
        raise ScenarioError([f"investment.learning: the start-of-production inputs ({described}) leave the "
                             f"schema's range: {problem}" for problem in exc.problems]) from None


@dataclass(frozen=True)
class Period:
    """One period of the plant's life, evaluated with its own learning factors (figures per year of it)."""

    operating_year: int            # 0 = first year of production
    start_year: float              # start, in years since the start of production
    length_years: float
    factors: dict[str, float]
    cumulative_sheets_before: float
    sheets_started_per_year: float
    kwh_per_year: float
    gwh_per_year: float
    overall_yield: float
    bottleneck_oee: float
    mean_oee: float
    usd_per_kwh: float             # full cost per kWh of the period (as evaluate: capital charge included)
    total_usd_per_year: float      # full annual cost, capital charge included
    cash_opex_usd_per_year: float  # cash operating cost: no capital charge, no profit on investment
    variable_usd_per_year: float   # materials + energy (working capital is a share of it)


def _cash_split(evaluation) -> tuple[float, float]:
    """(cash opex, variable cost) per year of a steady evaluation: the cost without capital, building and profit."""
    from twin.cost.breakdown import annual_cost

    scenario = evaluation.scenario
    no_profit = scenario.model_copy(update={"costs": scenario.costs.model_copy(update={
        "overheads": scenario.costs.overheads.model_copy(update={"profit_on_investment": 0.0})})})
    cost = annual_cost(replace(evaluation.flow.operation, scenario=no_profit))
    categories = cost.by_category_usd_per_year
    cash = math.fsum(v for c, v in categories.items() if c not in ("capital", "building"))
    return cash, categories["materials"] + categories["energy"]


def _figures_from_evaluate(scenario: Scenario) -> dict:
    from twin.evaluate import evaluate_details

    evaluation = evaluate_details(scenario)
    result = evaluation.result
    cash, variable = _cash_split(evaluation)
    operation = evaluation.flow.operation
    return {"sheets_started_per_year": operation.sheets_started_per_year, "kwh_per_year": operation.kwh_per_year,
            "total_usd_per_year": evaluation.cost.total_usd_per_year, "cash_opex_usd_per_year": cash,
            "variable_usd_per_year": variable, "result": result}


def _figures_from_simulate(scenario: Scenario, days: float) -> dict:
    """A DES run of the period's scenario; the cash share of its cost is that of the steady evaluation."""
    from twin.des import simulate

    steady = _figures_from_evaluate(scenario)
    result = simulate(scenario, days)
    kwh = (result["throughput"]["gwh_per_year"] or 0.0) * 1e6
    per_kwh = result["cost"]["usd_per_kwh"]
    total = per_kwh * kwh if per_kwh is not None and kwh > 0 else steady["total_usd_per_year"]
    scale = total / steady["total_usd_per_year"] if steady["total_usd_per_year"] > 0 else 1.0
    started = steady["sheets_started_per_year"] * (kwh / steady["kwh_per_year"] if steady["kwh_per_year"] > 0 else 1.0)
    return {"sheets_started_per_year": started, "kwh_per_year": kwh, "total_usd_per_year": total,
            "cash_opex_usd_per_year": steady["cash_opex_usd_per_year"] * scale,
            "variable_usd_per_year": steady["variable_usd_per_year"] * scale, "result": result}


def _period(scenario: Scenario, factors: dict[str, float], operating_year: int, start: float, length: float,
            cumulative: float, simulate_days: float | None, cache: dict) -> Period:
    key = tuple(round(factors[name], 9) for name in FACTOR_NAMES)
    if key not in cache:
        changed = scenario_with_factors(scenario, factors)
        cache[key] = (_figures_from_simulate(changed, simulate_days) if simulate_days
                      else _figures_from_evaluate(changed))
    figures = cache[key]
    result = figures["result"]
    stations = result["stations"]
    oees = [s["oee"] for s in stations.values() if s.get("oee") is not None]
    bottleneck = stations.get(result["bottleneck"], {}).get("oee")
    usd_per_kwh = result["cost"]["usd_per_kwh"]
    return Period(
        operating_year=operating_year, start_year=start, length_years=length, factors=dict(factors),
        cumulative_sheets_before=cumulative, sheets_started_per_year=figures["sheets_started_per_year"],
        kwh_per_year=figures["kwh_per_year"], gwh_per_year=figures["kwh_per_year"] * 1e-6,
        overall_yield=result["yield"]["overall"] or 0.0,
        bottleneck_oee=bottleneck if bottleneck is not None else 0.0,
        mean_oee=float(np.mean(oees)) if oees else 0.0,
        usd_per_kwh=usd_per_kwh if usd_per_kwh is not None else math.nan,
        total_usd_per_year=figures["total_usd_per_year"], cash_opex_usd_per_year=figures["cash_opex_usd_per_year"],
        variable_usd_per_year=figures["variable_usd_per_year"])


def plant_periods(scenario: Scenario, *, simulate_days: float | None = None, progress=None) -> list[Period]:
    """Every period of the operating life: the ramp at ``periods_per_year``, then whole years.

    Period k's learning factors follow from the sheets started before it (the first period runs at
    the start factors); a period whose factors equal an earlier one's reuses its run.
    """
    investment = scenario.investment
    if investment is None:
        raise ScenarioError(["investment: missing; add an investment block (cell price, construction and ramp "
                             "years) to run the plant's life"])
    learning = investment.learning
    starts: list[tuple[int, float, float]] = []   # (operating year, start, length)
    t = 0.0
    ramp_step = 1.0 / investment.periods_per_year
    while t < investment.ramp_years - 1e-9:
        length = min(ramp_step, investment.ramp_years - t, math.floor(t + 1e-9) + 1.0 - t)
        starts.append((int(math.floor(t + 1e-9)), t, length))
        t += length
    while t < investment.operating_years - 1e-9:
        length = min(1.0 / POST_RAMP_PERIODS_PER_YEAR, math.floor(t + 1e-9) + 1.0 - t)
        starts.append((int(math.floor(t + 1e-9)), t, length))
        t += length
    periods: list[Period] = []
    cache: dict = {}
    cumulative = 0.0
    first = 0.0
    for index, (year, start, length) in enumerate(starts):
        factors = learning_factors(learning, first + cumulative, first) if index else \
            learning_factors(learning, 0.0, 0.0)
        period = _period(scenario, factors, year, start, length, cumulative, simulate_days, cache)
        if index == 0:
            first = period.sheets_started_per_year * length
        periods.append(period)
        cumulative += period.sheets_started_per_year * length
        if progress is not None:
            progress((index + 1) / len(starts))
    return periods


__all__ = ["FACTOR_NAMES", "Period", "learning_exponent", "learning_factors", "plant_periods",
           "scenario_with_factors", "wright_factor"]
