"""The investment case: yearly cash flows of the plant, NPV, IRR, payback and levelised cost per kWh.

Conventions (stated once, used by the CLI, the report and the API):

- year 0 is the first construction year; flows are booked at the end of their year and discounted by
  (1 + r)^-t, t = year index (the numpy-financial ``npv`` convention: the first flow is not discounted);
- pre-tax, real (constant ``costs.currency_year`` dollars): no tax, no inflation;
- capex = installed equipment + building + plant items (land, site services, QA lab, IT), spent in the
  construction years by ``investment.capex_schedule``; land is sold back at its price in the last year;
- cash opex = the cost model's yearly cost without its capital and building charges (which stand for the
  capex here) and without the BatPaC profit terms (a return, which the discount rate carries);
- working capital = ``working_capital_fraction`` x the year's variable cost (materials + energy): its
  increase is spent, and all of it comes back in the last year (BatPaC V5: 15 %);
- revenue = delivered kWh of good cells x ``investment.cell_price_usd_per_kwh``;
- levelised cost = sum of discounted (capex + cash opex) / sum of discounted kWh (the levelised cost of
  Lechner et al., Commun. Eng. 3 (2024) 155, cost-notes), the price at which NPV would be zero
  without working capital.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.optimize import brentq

from twin.cost.ramp import Period


def npv(rate: float, flows: Sequence[float]) -> float:
    """Net present value, sum_t flows[t] / (1 + rate)^t (t from 0) [USD]."""
    return math.fsum(flow / (1.0 + rate) ** t for t, flow in enumerate(flows))


def irr(flows: Sequence[float]) -> float | None:
    """The rate at which NPV = 0, or None when the flows never change sign or no rate in (-99 %, 1000 %) does it.

    NPV is bracketed on a grid and the root refined by Brent's method; with one sign change (an
    investment followed by returns) the root is unique (Descartes' rule of signs).
    """
    grid = [-0.99, -0.5, -0.2, 0.0, 0.05, 0.1, 0.2, 0.4, 0.7, 1.0, 2.0, 5.0, 10.0]
    values = [npv(r, flows) for r in grid]
    for (low, v_low), (high, v_high) in zip(zip(grid, values, strict=True), zip(grid[1:], values[1:], strict=True),
                                            strict=False):
        if v_low == 0.0:
            return low
        if v_low * v_high < 0:
            return float(brentq(lambda r: npv(r, flows), low, high, xtol=1e-12, rtol=1e-12))
    return None


def payback_years(flows: Sequence[float]) -> float | None:
    """Years from the start of construction until the cumulative cash flow turns non-negative, or None.

    Within the year it turns, linear in that year's flow (spread evenly over the year): t + (-cumulative
    before t) / flows[t]. Flows [-100, 40, 40, 40] pay back at 3 + 20/40 = 3.5 years.
    """
    cumulative = 0.0
    spent = False
    for t, flow in enumerate(flows):
        before = cumulative
        cumulative += flow
        spent = spent or cumulative < 0
        if spent and cumulative >= 0 and before < 0:
            return t + (-before / flow)
    return None


def levelised_cost(rate: float, costs: Sequence[float], kwh: Sequence[float]) -> float | None:
    """sum_t cost_t (1+r)^-t / sum_t kWh_t (1+r)^-t [USD/kWh]; None without output."""
    energy = npv(rate, kwh)
    return npv(rate, costs) / energy if energy > 0 else None


@dataclass(frozen=True)
class YearFlows:
    year: int                      # 0 = first construction year
    phase: str                     # construction | ramp | learning (after the ramp years, not yet steady) | steady
    capex_usd: float
    cash_opex_usd: float
    revenue_usd: float
    working_capital_change_usd: float
    residual_usd: float            # land sold back, working capital recovered (last year)
    kwh: float
    full_cost_usd: float           # the cost model's yearly cost (capital charge included), 0 in construction
    overall_yield: float | None
    bottleneck_oee: float | None

    @property
    def net_cash_flow_usd(self) -> float:
        return (self.revenue_usd + self.residual_usd - self.capex_usd - self.cash_opex_usd
                - self.working_capital_change_usd)

    @property
    def usd_per_kwh(self) -> float | None:
        """Full cost per kWh of the year (as evaluate), None in years without output."""
        return self.full_cost_usd / self.kwh if self.kwh > 0 else None


def year_flows(*, capex_usd: float, land_usd: float, capex_schedule: Sequence[float], periods: Sequence[Period],
               operating_years: int, ramp_years: float, cell_price_usd_per_kwh: float,
               working_capital_fraction: float) -> list[YearFlows]:
    """Yearly cash flows from the capex, its schedule and the evaluated periods of the operating life."""
    years: list[YearFlows] = []
    for t, share in enumerate(capex_schedule):
        years.append(YearFlows(t, "construction", capex_usd * share, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, None, None))
    working_capital = 0.0
    construction = len(capex_schedule)
    for year in range(operating_years):
        inside = [p for p in periods if p.operating_year == year]
        kwh = math.fsum(p.kwh_per_year * p.length_years for p in inside)
        cash = math.fsum(p.cash_opex_usd_per_year * p.length_years for p in inside)
        full = math.fsum(p.total_usd_per_year * p.length_years for p in inside)
        variable = math.fsum(p.variable_usd_per_year * p.length_years for p in inside)
        started = math.fsum(p.sheets_started_per_year * p.length_years for p in inside)
        # the year's yield and bottleneck OEE: period values weighted by the sheets started in them
        weights = [p.sheets_started_per_year * p.length_years for p in inside]
        overall = (math.fsum(w * p.overall_yield for w, p in zip(weights, inside, strict=True)) / started
                   if started > 0 else None)
        oee = (math.fsum(p.bottleneck_oee * p.length_years for p in inside) / sum(p.length_years for p in inside)
               if inside else None)
        needed = working_capital_fraction * variable
        change = needed - working_capital
        working_capital = needed
        last = year == operating_years - 1
        residual = (land_usd + working_capital) if last else 0.0
        # without construction years the capex is spent in the first operating year
        spend = capex_usd if (year == 0 and not capex_schedule) else 0.0
        years.append(YearFlows(construction + year, _phase(year, ramp_years, inside), spend, cash,
                               kwh * cell_price_usd_per_kwh, change, residual, kwh, full, overall, oee))
    return years


def _phase(year: int, ramp_years: float, inside: Sequence[Period]) -> str:
    """ramp inside the stated ramp years; after them "steady" only when every period of the year runs at its
    steady-state inputs (learning factors within STEADY_TOLERANCE of 1), else "learning": the Wright's-law
    excess of scrap and downtime is still falling, so the year's yield is below evaluate's steady state."""
    from twin.cost.ramp import STEADY_TOLERANCE

    if year < ramp_years - 1e-9:
        return "ramp"
    learning = any(abs(f - 1.0) > STEADY_TOLERANCE for p in inside for f in p.factors.values())
    return "learning" if learning else "steady"


__all__ = ["YearFlows", "irr", "levelised_cost", "npv", "payback_years", "year_flows"]
