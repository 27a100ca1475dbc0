"""How a fraction a person reads is written: one format for every table, sentence and page.

``evaluate``, ``simulate``, ``optimise``, ``sweep``, ``invest``, ``compare`` and the HTML report all print
their fractions through these two functions, so the same figure reads the same everywhere (simulate's
overall yield printed 0.8096 where evaluate printed 81.62 %).
"""

from __future__ import annotations

from twin.no_output import figure

# yields and shares of the output (overall yield, a step's piece or sheet yield, cell piece yield, escape
# factor, scrap shares): two decimals, the scale of evaluate's sampling error (+-0.65 % on oxide_baseline)
PERCENT = ".2%"
# shares of a station's time (utilization, availability, OEE, blocked, starved, bottleneck share): whole
# percent, so the stations' tables fit an 80-column terminal
TIME_SHARE = ".0%"


def percent(value) -> str:
    """A yield or share of output as percent with two decimals ('81.62%'); 'n/a' for None, inf or NaN."""
    return figure(value, PERCENT)


def time_share(value) -> str:
    """A share of a station's time as whole percent ('55%'); 'n/a' for None, inf or NaN."""
    return figure(value, TIME_SHARE)


__all__ = ["PERCENT", "TIME_SHARE", "PLANT_ROW_LABEL", "percent", "plant_usd_per_kwh", "time_share"]

# the by-step cost's entry for the plant's shared items (costs.plant_items), which belong to no step
PLANT_ROW_LABEL = "plant (shared items)"


def plant_usd_per_kwh(by_step: dict, step_names) -> float | None:
    """USD/kWh of the plant's shared items in ``cost.by_step`` (twin.cost.linear_model.PLANT_STEP), or None when
    there is none or a step of ``step_names`` carries that name: the row evaluate's and optimise's by-step tables
    add so their USD/kWh column sums to the total (it fell 7.1 USD/kWh short on the gigafactory)."""
    from twin.cost.linear_model import PLANT_STEP

    return None if PLANT_STEP in step_names else by_step.get(PLANT_STEP)


def category_table(by_category: dict, title: str):
    """USD/kWh by cost category, one row per category (eight category columns cut their names, "materi…", at 80
    columns): the table evaluate and optimise print."""
    from rich.table import Table

    categories = Table(title=title)
    categories.add_column("category", no_wrap=True)
    categories.add_column("USD/kWh", justify="right", no_wrap=True)
    for name, value in by_category.items():
        categories.add_row(name, figure(value, ",.1f"))
    return categories


# The one-sentence definition printed under every table that shows ``yield.cell_piece_yield`` (evaluate.
# cell_piece_yield: 1 - pieces dead on the finished sheets / pieces on them): a reader multiplied the step
# yields before the end-of-line test (96.74 %) and could not reconcile the 95.94 % it printed.
CELL_PIECE_YIELD_DEFINITION = (
    "cell piece yield (finished sheets): of the cell pieces on the sheets that finished the route, the share no "
    "defect killed and no check rejected one by one (the end-of-line test's rejects included); sheets scrapped "
    "whole and the cellmates of rejected pieces are left out, so it is not a product of the step yields.")
