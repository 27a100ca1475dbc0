"""The investment case of a scenario: run the plant's life (twin.cost.ramp), price it (twin.cost.cashflow).

Result block ``investment`` (CLI ``ssb-twin invest``, the report, the API's ``/investments`` jobs):
``npv_usd``, ``irr``, ``payback_years`` (from the start of construction), ``levelised_usd_per_kwh``,
``discount_rate``, ``cell_price_usd_per_kwh``, ``capex_usd``, ``years`` (one row per year: phase, capex,
cash opex, revenue, working-capital change, residual, net cash flow, kWh, full-cost $/kWh, yield,
bottleneck OEE), ``periods`` (each evaluated period with its learning factors) and ``conventions``.
"""

from __future__ import annotations

import math

from twin.cost.cashflow import irr, levelised_cost, npv, payback_years, year_flows
from twin.cost.plant_items import plant_items_capex_usd
from twin.cost.ramp import learning_exponent, plant_periods
from twin.scenario import Scenario

CONVENTIONS = ("pre-tax, constant {year} {currency}; year 0 = first construction year, flows at year end, "
               "discounted (1+r)^-t; capex = equipment + building + plant items; cash opex = cost model "
               "without capital/building charges and profit; revenue = delivered kWh x cell price; net = revenue "
               "- capex - cash opex - working capital tied up that year + the residual (land and working "
               "capital back in the last year), the last two in the JSON (working_capital_change_usd, "
               "residual_usd); "
               "levelised cost = discounted (capex + cash opex) / discounted kWh")


def _steady_capex_usd(scenario: Scenario) -> float:
    """Installed equipment + building + plant items of the line as the scenario sizes it [USD]."""
    from twin.cost.breakdown import annual_cost
    from twin.cost.line_flow import line_flow

    yields = {step.name: 1.0 for step in scenario.route}   # capex depends on the machines, not on the yields
    return annual_cost(line_flow(scenario, yields).operation).capex_usd


def _flows(scenario: Scenario, periods: list) -> tuple[list, float, float]:
    """(yearly flows, levelised $/kWh, discount rate) of ``periods`` under the scenario's investment block."""
    investment = scenario.investment
    rate = investment.discount_rate if investment.discount_rate is not None else scenario.costs.capital.cost_of_capital
    working = (investment.working_capital_fraction if investment.working_capital_fraction is not None
               else scenario.costs.overheads.working_capital_on_variable_cost)
    years = year_flows(capex_usd=_steady_capex_usd(scenario), land_usd=scenario.costs.plant_items.land_usd,
                       capex_schedule=investment.capex_schedule, periods=periods,
                       operating_years=investment.operating_years, ramp_years=investment.ramp_years,
                       cell_price_usd_per_kwh=investment.cell_price_usd_per_kwh, working_capital_fraction=working)
    land = scenario.costs.plant_items.land_usd
    # levelised: capex and cash opex, less the land sold back at the end (working capital is not a cost)
    cost_flows = [y.capex_usd + y.cash_opex_usd - (land if i == len(years) - 1 else 0.0) for i, y in enumerate(years)]
    return years, levelised_cost(rate, cost_flows, [y.kwh for y in years]), rate


def steady_state_comparison(scenario: Scenario, periods: list, years: list, levelised: float | None,
                            simulate_days: float | None = None) -> dict:
    """How the plant's life compares with evaluate's steady state, and why they differ.

    Three figures split the gap: the levelised cost of the life as run (learning included), the levelised
    cost of the same life at steady-state inputs from the first day (the same evaluation every period:
    the gap to it is what learning costs), and evaluate's full cost per kWh (an annualised capital charge
    and profit on investment instead of discounted capex: the gap to it is the definition, not the plant)."""
    from twin.cost.ramp import STEADY_TOLERANCE

    without_learning = scenario.model_copy(
        update={"investment": scenario.investment.model_copy(update={"learning": None})})
    steady_periods = plant_periods(without_learning, simulate_days=simulate_days)
    _, steady_levelised, _ = _flows(without_learning, steady_periods)
    steady = steady_periods[0]
    last = periods[-1]
    left = {name: f for name, f in last.factors.items() if abs(f - 1.0) > STEADY_TOLERANCE}
    ramp_end = [p for p in periods if p.start_year < scenario.investment.ramp_years - 1e-9][-1]
    operating = [y for y in years if y.phase != "construction"]
    learning_years = [y.year for y in operating if y.phase == "learning"]
    figures = {
        "steady_usd_per_kwh": steady.usd_per_kwh, "steady_overall_yield": steady.overall_yield,
        "levelised_at_steady_inputs_usd_per_kwh": steady_levelised,
        "ramp_end_factors": dict(ramp_end.factors), "final_factors": dict(last.factors),
        "final_overall_yield": last.overall_yield, "learning_years": learning_years,
        "reaches_steady_state": not left,
    }
    if left:
        lagging = ", ".join(f"{name.replace('_', ' ')} x{f:.2f}" for name, f in left.items())
        reach = (f"Learning does not reach evaluate's steady state in the plant's life: in its last year the "
                 f"inputs are still {lagging} their steady values, yield {last.overall_yield:.1%} against "
                 f"evaluate's {steady.overall_yield:.1%}; years {learning_years[0]}-{learning_years[-1]} after the "
                 f"{scenario.investment.ramp_years:g} ramp years are labelled 'learning', not 'steady'."
                 if learning_years else
                 f"Learning does not reach evaluate's steady state in the plant's life (inputs still {lagging}).")
    else:
        reach = "Learning reaches evaluate's steady state within the plant's life."
    figures["sentence"] = (
        f"{reach} Levelised cost {_usd(levelised)} USD/kWh as run; {_usd(steady_levelised)} for the same life at "
        f"steady-state inputs from the first day (the difference is what learning costs); evaluate's "
        f"{_usd(steady.usd_per_kwh)} is a yearly full cost (capital charge and profit on investment instead of "
        "discounted capex and cash opex), a different definition.")
    return figures


def _usd(value: float | None) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:,.1f}"


def investment_case(scenario: Scenario, *, simulate_days: float | None = None, progress=None) -> dict:
    """Cash flows, NPV, IRR, payback and levelised $/kWh of ``scenario``'s ``investment`` block, and how the
    life compares with evaluate's steady state (``steady_state``: :func:`steady_state_comparison`)."""
    periods = plant_periods(scenario, simulate_days=simulate_days, progress=progress)
    investment = scenario.investment
    years, levelised, rate = _flows(scenario, periods)
    capex = _steady_capex_usd(scenario)
    flows = [y.net_cash_flow_usd for y in years]
    learning = investment.learning
    return {
        "cell_price_usd_per_kwh": investment.cell_price_usd_per_kwh,
        "discount_rate": rate,
        "capex_usd": capex,
        "plant_items_capex_usd": plant_items_capex_usd(scenario),
        "npv_usd": npv(rate, flows),
        "irr": irr(flows),
        "payback_years": payback_years(flows),
        "levelised_usd_per_kwh": levelised,
        "steady_state": steady_state_comparison(scenario, periods, years, levelised, simulate_days),
        "lifetime_gwh": math.fsum(y.kwh for y in years) * 1e-6,
        "learning": None if learning is None else {
            "learning_rate": learning.learning_rate, "exponent_b": learning_exponent(learning.learning_rate),
            "start_factors": {"variation": learning.variation_start_factor,
                              "defect_density": learning.defect_density_start_factor,
                              "mttr": learning.mttr_start_factor, "mtbf": learning.mtbf_start_factor}},
        "years": [{"year": y.year, "phase": y.phase, "capex_usd": y.capex_usd, "cash_opex_usd": y.cash_opex_usd,
                   "revenue_usd": y.revenue_usd, "working_capital_change_usd": y.working_capital_change_usd,
                   "residual_usd": y.residual_usd, "net_cash_flow_usd": y.net_cash_flow_usd, "kwh": y.kwh,
                   "usd_per_kwh": y.usd_per_kwh, "overall_yield": y.overall_yield,
                   "bottleneck_oee": y.bottleneck_oee} for y in years],
        "periods": [{"operating_year": p.operating_year, "start_year": p.start_year, "length_years": p.length_years,
                     "factors": p.factors, "gwh_per_year": p.gwh_per_year, "overall_yield": p.overall_yield,
                     "bottleneck_oee": p.bottleneck_oee, "mean_oee": p.mean_oee, "usd_per_kwh": p.usd_per_kwh}
                    for p in periods],
        "evaluated_by": f"simulate ({simulate_days:g} days per distinct period)" if simulate_days else "evaluate",
        "conventions": CONVENTIONS.format(year=scenario.costs.currency_year, currency=scenario.costs.currency),
    }


__all__ = ["investment_case", "steady_state_comparison"]
