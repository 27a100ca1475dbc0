"""BatPaC V5 overheads as linear rates on the base cost categories.

The rates (``costs.overheads``) and the way they combine follow the BatPaC V5 overhead multipliers as
written in the jbaars/Batt_Sust_Model port (``battery_cost.py``: ``labour_overhead_multiplier``,
``capital_overhead_multiplier``; cost-notes §1.1):

- direct labour L:   vo_L + gsa_L (1 + vo_L) + profit (launch_L + wc)(1 + vo_L)
- materials M:       profit (launch_M + wc)
- depreciation D:    vo_D + gsa_D + gsa_L vo_D + rnd + profit vo_D (launch_L + wc)
- other variable V (energy, maintenance): profit wc (working capital tied up in them)
- warranty w on everything, overhead included.

One deliberate difference: BatPaC also charges ``profit`` on the capital investment itself. Here the
return on capital is already in the capital recovery factor (``costs.capital.cost_of_capital``), so
charging profit on capital again would count it twice. With 10-year life and the BatPaC rates, the
remaining depreciation-linked overhead is 0.19 per $ of depreciation, as in the port's ``a`` term.

Every term is linear, so the overhead of a sum is the sum of the overheads: the optimiser's MILP can
carry it per machine and per sheet.
"""

from __future__ import annotations

from twin.scenario.costs import Overheads


def labour_overhead_rate(rates: Overheads) -> float:
    """Overhead per $ of direct labour, before warranty (BatPaC V5)."""
    burdened = 1.0 + rates.variable_overhead_on_labour
    return (rates.variable_overhead_on_labour + rates.gsa_on_labour * burdened
            + rates.profit_on_investment * (rates.launch_on_labour + rates.working_capital_on_variable_cost) * burdened)


def materials_overhead_rate(rates: Overheads) -> float:
    """Overhead per $ of materials, before warranty (BatPaC V5: launch cost and working capital earn profit)."""
    return rates.profit_on_investment * (rates.launch_on_materials + rates.working_capital_on_variable_cost)


def depreciation_overhead_rate(rates: Overheads) -> float:
    """Overhead per $ of straight-line depreciation, before warranty (BatPaC V5, without profit on capital)."""
    return (rates.variable_overhead_on_depreciation + rates.gsa_on_depreciation
            + rates.gsa_on_labour * rates.variable_overhead_on_depreciation + rates.rnd_on_depreciation
            + rates.profit_on_investment * rates.variable_overhead_on_depreciation
            * (rates.launch_on_labour + rates.working_capital_on_variable_cost))


def variable_overhead_rate(rates: Overheads) -> float:
    """Overhead per $ of other variable cost (energy, maintenance): profit on the working capital."""
    return rates.profit_on_investment * rates.working_capital_on_variable_cost


def overhead_usd(rates: Overheads, *, direct_labour: float, materials: float, depreciation: float,
                 other_variable: float, base_total: float) -> float:
    """Overhead [USD/yr or USD/sheet, same unit as the inputs] on one block of base costs.

    ``base_total`` is the sum of the base categories (materials, energy, labour, capital, building,
    maintenance) that the warranty is added to.
    """
    before_warranty = (direct_labour * labour_overhead_rate(rates) + materials * materials_overhead_rate(rates)
                       + depreciation * depreciation_overhead_rate(rates)
                       + other_variable * variable_overhead_rate(rates))
    return before_warranty + rates.warranty * (base_total + before_warranty)


__all__ = [
    "depreciation_overhead_rate",
    "labour_overhead_rate",
    "materials_overhead_rate",
    "overhead_usd",
    "variable_overhead_rate",
]
