"""Cash flows, NPV, IRR, payback and levelised cost on hand-computable cases; Wright's law exponent."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twin.cost.cashflow import irr, levelised_cost, npv, payback_years, year_flows
from twin.cost.ramp import Period, learning_exponent, wright_factor

pytestmark = pytest.mark.unit


def _period(year: int, kwh: float, cash: float, variable: float, length: float = 1.0, start: float | None = None):
    return Period(operating_year=year, start_year=year if start is None else start, length_years=length,
                  factors={}, cumulative_sheets_before=0.0, sheets_started_per_year=100.0, kwh_per_year=kwh,
                  gwh_per_year=kwh * 1e-6, overall_yield=0.9, bottleneck_oee=0.8, mean_oee=0.7,
                  usd_per_kwh=3.0, total_usd_per_year=30.0, cash_opex_usd_per_year=cash,
                  variable_usd_per_year=variable)


def test_year_flows_are_exact_on_a_hand_case():
    # capex 100 over two years; two operating years of 10 kWh at 5 USD/kWh, cash opex 20, variable cost 10;
    # working capital 10 % of variable = 1, spent in the first operating year and recovered in the last; land 7
    years = year_flows(capex_usd=100.0, land_usd=7.0, capex_schedule=[0.5, 0.5],
                       periods=[_period(0, 10.0, 20.0, 10.0), _period(1, 10.0, 20.0, 10.0)], operating_years=2,
                       ramp_years=1, cell_price_usd_per_kwh=5.0, working_capital_fraction=0.1)
    assert [y.phase for y in years] == ["construction", "construction", "ramp", "steady"]
    assert [y.net_cash_flow_usd for y in years] == pytest.approx([-50.0, -50.0, 50 - 20 - 1, 50 - 20 + 1 + 7],
                                                                 abs=1e-12)
    assert [y.kwh for y in years] == [0.0, 0.0, 10.0, 10.0]
    assert years[2].usd_per_kwh == pytest.approx(3.0)


def test_periods_shorter_than_a_year_add_up_to_the_year():
    quarters = [_period(0, 4.0 * (q + 1), 8.0, 0.0, length=0.25, start=q / 4) for q in range(4)]
    (year,) = year_flows(capex_usd=0.0, land_usd=0.0, capex_schedule=[], periods=quarters, operating_years=1,
                         ramp_years=1, cell_price_usd_per_kwh=2.0, working_capital_fraction=0.0)
    assert year.kwh == pytest.approx(0.25 * (4 + 8 + 12 + 16))
    assert year.cash_opex_usd == pytest.approx(8.0)


def test_npv_and_irr_match_the_closed_forms():
    flows = [-50.0, -50.0, 29.0, 38.0, 40.0, 45.0]
    rate = 0.1
    assert npv(rate, flows) == pytest.approx(sum(f / 1.1 ** t for t, f in enumerate(flows)), rel=1e-14)
    # numpy-financial's irr: the roots of sum f_t x^t with x = 1/(1+r); take the real positive one
    roots = np.roots(flows[::-1])
    real = [r.real for r in roots if abs(r.imag) < 1e-10 and r.real > 0]
    expected = [1.0 / x - 1.0 for x in real]
    assert len(expected) == 1
    assert irr(flows) == pytest.approx(expected[0], abs=1e-10)
    assert npv(irr(flows), flows) == pytest.approx(0.0, abs=1e-8)


def test_two_year_irr_is_the_closed_form_quadratic_root():
    # -100 + 60 x + 60 x^2 = 0, x = 1/(1+r): x = (-60 + sqrt(3600 + 24000)) / 120
    x = (-60.0 + math.sqrt(60.0**2 + 4 * 60.0 * 100.0)) / 120.0
    assert irr([-100.0, 60.0, 60.0]) == pytest.approx(1.0 / x - 1.0, abs=1e-12)


def test_irr_is_none_without_a_sign_change():
    assert irr([10.0, 20.0]) is None
    assert irr([-10.0, -20.0]) is None


def test_payback_interpolates_within_the_year():
    assert payback_years([-100.0, 40.0, 40.0, 40.0]) == pytest.approx(3.5)
    assert payback_years([-100.0, 10.0, 10.0]) is None


def test_levelised_cost_of_constant_flows_is_cost_over_energy():
    assert levelised_cost(0.08, [20.0] * 5, [4.0] * 5) == pytest.approx(5.0, rel=1e-14)
    # capex 100 at t=0, nothing else, 10 kWh in years 1 and 2 at 10 %: 100 / (10/1.1 + 10/1.21)
    assert levelised_cost(0.1, [100.0, 0.0, 0.0], [0.0, 10.0, 10.0]) == pytest.approx(100.0 / (10 / 1.1 + 10 / 1.21))
    assert levelised_cost(0.1, [1.0], [0.0]) is None


def test_learning_exponent_from_the_rate():
    # Wright: each doubling multiplies by (1 - rate) = 2^-b
    assert learning_exponent(0.2) == pytest.approx(math.log2(1 / 0.8), rel=1e-14)
    assert 2.0 ** -learning_exponent(0.15) == pytest.approx(0.85, rel=1e-14)
    b = learning_exponent(0.2)
    assert wright_factor(4.0, 2.0, 1.0, b) == pytest.approx(3.2, rel=1e-14)
    assert wright_factor(4.0, 4.0, 1.0, b) == pytest.approx(4.0 * 0.64, rel=1e-14)
    assert wright_factor(2.0, 1e9, 1.0, b) == 1.0          # floored at the steady-state value
    assert wright_factor(3.0, 0.0, 0.0, b) == 3.0          # the first period runs at the start factor
