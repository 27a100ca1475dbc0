"""The report's techno-economics: investment case (cash flows, ramp), Sobol indices, location and plant items."""

from __future__ import annotations

import html
import math

import matplotlib.pyplot as plt
import numpy as np

from twin.commands.formats import percent, time_share
from twin.report.charts import figure_png_base64
from twin.scenario import Scenario
from twin.scenario.location import LOCATIONS, PRESET_FIELDS

# Sobol base sample of the report: 32 x (inputs + 2) runs, ~5 s for the baseline; the CLI's
# ``ssb-twin sensitivity --sobol N`` takes a larger N when the confidence half-widths are too wide.
REPORT_SOBOL_BASE_SAMPLES = 32


def cash_flow_chart(years: list[dict]) -> str:
    """Net cash flow per year (bars) and cumulative (line); $/kWh and yield of each operating year beside it."""
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 3.6))
    index = [y["year"] for y in years]
    net = np.array([y["net_cash_flow_usd"] for y in years]) / 1e6
    colours = ["#e15759" if v < 0 else "#59a14f" for v in net]
    ax.bar(index, net, color=colours, label="net cash flow")
    ax.plot(index, np.cumsum(net), color="black", marker="o", markersize=3, label="cumulative")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel("year (0 = start of construction)")
    ax.set_ylabel("USD M")
    ax.set_title("Cash flows")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    operating = [y for y in years if y["kwh"] > 0]
    ax2.plot(
        [y["year"] for y in operating],
        [y["usd_per_kwh"] for y in operating],
        color="#4e79a7",
        marker="o",
        markersize=3,
        label="USD/kWh (full cost)",
    )
    ax2.set_xlabel("year")
    ax2.set_ylabel("USD per kWh", color="#4e79a7")
    right = ax2.twinx()
    right.plot(
        [y["year"] for y in operating],
        [y["overall_yield"] for y in operating],
        color="#f28e2b",
        marker="s",
        markersize=3,
        label="overall yield",
    )
    right.plot(
        [y["year"] for y in operating],
        [y["bottleneck_oee"] for y in operating],
        color="#59a14f",
        marker="^",
        markersize=3,
        label="bottleneck OEE",
    )
    right.set_ylabel("yield, OEE")
    right.legend(fontsize=8, loc="lower right")
    ax2.set_title("Ramp-up: cost, yield and OEE from the twin")
    ax2.grid(alpha=0.3)
    return figure_png_base64(fig)


def sobol_chart(indices: list[dict]) -> str:
    labels = [row["input"] for row in indices]
    y = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(labels) + 1.5))
    ax.barh(
        y - 0.2,
        [row["S1"] for row in indices],
        height=0.4,
        xerr=[row["S1_conf"] for row in indices],
        color="#4e79a7",
        label="first order S1",
    )
    ax.barh(
        y + 0.2,
        [row["ST"] for row in indices],
        height=0.4,
        xerr=[row["ST_conf"] for row in indices],
        color="#f28e2b",
        label="total order ST",
    )
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("share of the variance of USD/kWh (error bars: 95 % bootstrap)")
    ax.set_title("Sobol indices")
    ax.legend(fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return figure_png_base64(fig)


def _usd(value, scale: float = 1.0, digits: str = ",.1f") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return format(value / scale, digits)


def _img(png: str, alt: str) -> str:
    return f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{png}'>"


def _location_html(scenario: Scenario) -> str:
    name = scenario.costs.location
    if name is None:
        return (
            "<p class='muted'>No location preset (<code>costs.location</code>); presets: "
            + ", ".join(sorted(LOCATIONS))
            + " (<code>--location NAME</code> on invest and sensitivity).</p>"
        )
    preset = LOCATIONS[name]
    rows = []
    for key, path in PRESET_FIELDS.items():
        used = scenario
        for part in path:
            used = getattr(used, part)
        rows.append(
            f"<tr><td>{html.escape(key)}</td><td>{preset.values[key]:g}</td><td>{used:g}</td>"
            f"<td>{html.escape(preset.sources[key])}</td></tr>"
        )
    return (
        f"<p>Location preset <b>{html.escape(name)}</b> ({html.escape(preset.description)}, "
        f"{preset.currency_year}).</p><table><tr><th>field</th><th>preset</th><th>used</th><th>source</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def economics_section(scenario: Scenario, result: dict) -> tuple[str, dict]:
    """HTML of the techno-economics section and the entries it adds to results.json."""
    from twin.cost.investment import investment_case
    from twin.cost.sobol import sobol_sensitivity
    from twin.scenario import ScenarioError

    parts = ["<h2>Location and plant-level costs</h2>", _location_html(scenario)]
    cost = result["cost"]
    items = scenario.costs.plant_items
    parts.append(
        f"<p>Plant items: land {_usd(items.land_usd, 1e6)} M, site services "
        f"{_usd(items.site_services_capex_usd, 1e6)} M, QA lab {_usd(items.qa_lab_capex_usd, 1e6)} M "
        f"({items.qa_lab_staff_per_shift:g} staff per shift), IT {_usd(items.it_capex_usd, 1e6)} M + "
        f"{_usd(items.it_usd_per_year, 1e6, ',.2f')} M/yr, insurance {items.insurance_fraction_of_capex:.2%} "
        f"of capex a year: {_usd(cost['by_step'].get('plant'), 1, ',.2f')} USD/kWh in the 'plant' row. "
        f"Recycling credit for scrap: {_usd(cost.get('recycling_credit_usd_per_kwh'), 1, ',.2f')} USD/kWh "
        + (
            "(off: no <code>costs.recycling</code>)."
            if scenario.costs.recycling is None
            else "(netted out of each step's materials; whole sheets scrapped only: the cell pieces a defect kills "
            "on a kept sheet are not credited)."
        )
        + "</p>"
    )
    extra: dict = {}
    if result.get("undefined_reason"):
        parts.append("<p class='note'>No investment case or Sobol indices: there is no good output.</p>")
        return "\n".join(parts), extra
    parts.append("<h2>Investment case</h2>")
    if scenario.investment is None:
        parts.append(
            "<p class='muted'>No <code>investment</code> block in the scenario (cell price, construction "
            "and ramp years, learning): no cash flows.</p>"
        )
    else:
        try:
            case = investment_case(scenario)
        except ScenarioError as exc:
            parts.append(f"<p class='note'>{html.escape(str(exc))}</p>")
        else:
            extra["investment"] = case
            parts.append(
                f"<p>Cell price {_usd(case['cell_price_usd_per_kwh'])} USD/kWh, capex {_usd(case['capex_usd'], 1e6)} "
                f"M USD, discount rate {case['discount_rate']:.1%}: <b>NPV {_usd(case['npv_usd'], 1e6)} M USD</b>, "
                f"IRR {'n/a' if case['irr'] is None else format(case['irr'], '.1%')}, payback "
                f"{_usd(case['payback_years'], 1, '.2f')} years from the start of construction, levelised cost "
                f"{_usd(case['levelised_usd_per_kwh'])} USD/kWh over {case['lifetime_gwh']:.3g} GWh.</p>"
            )
            parts.append(_img(cash_flow_chart(case["years"]), "cash flows"))
            parts.append(
                "<table><tr><th>year</th><th>phase</th><th>capex</th><th>cash opex</th><th>revenue</th>"
                "<th>net</th><th>MWh</th><th>USD/kWh</th><th>yield</th><th>bottleneck OEE</th></tr>"
                + "".join(
                    f"<tr><td>{y['year']}</td><td>{y['phase']}</td><td>{_usd(y['capex_usd'], 1e6, ',.2f')}</td>"
                    f"<td>{_usd(y['cash_opex_usd'], 1e6, ',.2f')}</td><td>{_usd(y['revenue_usd'], 1e6, ',.2f')}"
                    f"</td><td>{_usd(y['net_cash_flow_usd'], 1e6, ',.2f')}</td><td>{_usd(y['kwh'], 1e3, ',.0f')}"
                    f"</td><td>{_usd(y['usd_per_kwh'])}</td><td>{html.escape(percent(y['overall_yield']))}</td>"
                    f"<td>{html.escape(time_share(y['bottleneck_oee']))}</td></tr>"
                    for y in case["years"]
                )
                + "</table><p class='muted'>USD M except MWh, USD/kWh, yield and OEE. "
                + html.escape(case["conventions"])
                + ". Learning: "
                + (
                    "none"
                    if case["learning"] is None
                    else f"{case['learning']['learning_rate']:.0%} per doubling of cumulative sheets started "
                    f"(Wright exponent b = {case['learning']['exponent_b']:.3f}) on the start-of-production "
                    "factors " + ", ".join(f"{k} x{v:g}" for k, v in case["learning"]["start_factors"].items())
                )
                + "; yield and OEE of each period come from the twin's evaluation of that period's "
                "scenario.</p>"
            )
    parts.append("<h2>What matters: Sobol indices</h2>")
    try:
        sobol = sobol_sensitivity(scenario, base_samples=REPORT_SOBOL_BASE_SAMPLES)
    except ScenarioError as exc:
        parts.append(f"<p class='note'>{html.escape(str(exc))}</p>")
    else:
        extra["sobol"] = sobol
        parts.append(_img(sobol_chart(sobol["indices"]), "Sobol indices"))
        parts.append(
            "<table><tr><th>input</th><th>range</th><th>S1</th><th>ST</th></tr>"
            + "".join(
                f"<tr><td>{html.escape(r['input'])}{' (physics)' if r['physics'] else ''}</td><td>{r['range']}</td>"
                f"<td>{r['S1']:.3f} &plusmn; {r['S1_conf']:.3f}</td>"
                f"<td>{r['ST']:.3f} &plusmn; {r['ST_conf']:.3f}</td></tr>"
                for r in sobol["indices"]
            )
            + "</table>"
        )
        parts.append(
            f"<p class='muted'>{sobol['model_runs']} model runs (Saltelli sampling, base {sobol['base_samples']}; "
            f"SALib). {html.escape(sobol['note'])}. Wider base samples: "
            "<code>ssb-twin sensitivity FILE --sobol 256</code>.</p>"
        )
    return "\n".join(parts), extra


__all__ = ["REPORT_SOBOL_BASE_SAMPLES", "cash_flow_chart", "economics_section", "sobol_chart"]
