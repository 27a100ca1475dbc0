"""Solid-state scenarios against the Li-ion reference plant (BatPaC V5 parity), in one table and one chart.

The reference is ``scenarios/liion_batpac_reference.yaml``: BatPaC V5's 50 GWh/yr NMC811/graphite plant
run through the same unit operations, cost model and delivered-energy definition as every SSB scenario,
so the rows differ by process and plant, not by accounting. DOE's BatPaC-based pack estimate is shown as
a sanity band for the reference only: it is a pack (cells + modules + pack hardware, usable energy), the
twin prices cells.
"""

from __future__ import annotations

import html
import math

from twin.cost.breakdown import REPORTED_CATEGORIES

REFERENCE_SCENARIO = "liion_batpac_reference"
# US DOE Vehicle Technologies Office, FOTW #1272 (January 2023): the cost of an EV Li-ion battery pack,
# estimated with BatPaC, fell to US$153/kWh (usable energy) in 2022 (2022 USD).
DOE_PACK_ESTIMATE = {
    "usd_per_kwh": 153.0,
    "year": 2022,
    "basis": "pack, usable energy",
    "source": "US DOE Vehicle Technologies Office, Fact of the Week #1272 (Jan 2023): BatPaC-based EV battery "
              "pack cost estimate, US$153/kWh in 2022",
}


def comparison_row(name: str, result: dict, reference: dict | None) -> dict:
    """One row: a scenario's headline figures from its result keys, and its cost against the reference."""
    cost = result.get("cost") or {}
    usd = cost.get("usd_per_kwh")
    reference_usd = ((reference or {}).get("cost") or {}).get("usd_per_kwh")
    gwh = (result.get("throughput") or {}).get("gwh_per_year")
    capex = cost.get("capex_usd")
    return {
        "scenario": name,
        "is_reference": name == REFERENCE_SCENARIO,
        "usd_per_kwh": usd,
        "times_reference": usd / reference_usd if usd is not None and reference_usd else None,
        "gwh_per_year": gwh,
        "capex_usd": capex,
        # capital intensity: US$ of capex per kWh/yr of capacity (BatPaC baseline: ~84 USD per kWh/yr)
        "capex_usd_per_kwh_per_year": capex / (gwh * 1e6) if capex is not None and gwh else None,
        "overall_yield": (result.get("yield") or {}).get("overall"),
        "delivered_cell_energy_wh": (result.get("cell") or {}).get("delivered_cell_energy_wh"),
        "specific_energy_wh_per_kg": (result.get("cell") or {}).get("specific_energy_wh_per_kg"),
        "by_category_usd_per_kwh": {c: (cost.get("by_category") or {}).get(c) for c in REPORTED_CATEGORIES},
        "undefined_reason": result.get("undefined_reason"),
    }


def comparison(results: dict[str, dict]) -> dict:
    """The comparison block: rows (reference first, then by $/kWh) and the reference against DOE's estimate."""
    reference = results.get(REFERENCE_SCENARIO)
    rows = [comparison_row(name, result, reference) for name, result in results.items()]
    rows.sort(key=lambda row: (not row["is_reference"], row["usd_per_kwh"] is None, row["usd_per_kwh"] or 0.0))
    block = {"reference": REFERENCE_SCENARIO, "rows": rows, "doe_pack_estimate": dict(DOE_PACK_ESTIMATE)}
    if reference is not None:
        usd = (reference.get("cost") or {}).get("usd_per_kwh")
        block["reference_cells_over_doe_pack"] = usd / DOE_PACK_ESTIMATE["usd_per_kwh"] if usd is not None else None
        block["note"] = ("The reference prices cells (materials, processing, BatPaC overheads, plant-wide items); "
                         "DOE's figure is a whole pack, so the cells should come in below it: a sanity band, not "
                         "a validation.")
    return block


def evaluate_library(names: list[str] | None = None, progress=None) -> dict[str, dict]:
    """Evaluate library scenarios (default: all) and the reference: ``{name: result}``."""
    from twin.evaluate import evaluate_scenario
    from twin.scenario.library import library_names, load_library_scenario

    chosen = list(names) if names else library_names()
    if REFERENCE_SCENARIO not in chosen:
        chosen.insert(0, REFERENCE_SCENARIO)
    results = {}
    for done, name in enumerate(chosen):
        results[name] = evaluate_scenario(load_library_scenario(name))
        if progress is not None:
            progress((done + 1) / len(chosen))
    return results


def comparison_chart(block: dict) -> str:
    """Stacked horizontal bars of $/kWh by category per scenario, the reference marked, DOE's pack estimate
    as a dashed line; a base64 PNG (twin.report.charts)."""
    from twin.report import charts

    plt = charts.plt
    rows = [row for row in block["rows"] if row["usd_per_kwh"] is not None]
    names = [("* " if row["is_reference"] else "") + row["scenario"] for row in rows]
    fig, ax = plt.subplots(figsize=(8.5, 0.42 * len(rows) + 1.8))
    left = [0.0] * len(rows)
    for category in REPORTED_CATEGORIES:
        values = [row["by_category_usd_per_kwh"].get(category) or 0.0 for row in rows]
        ax.barh(names, values, left=left, color=charts.CATEGORY_COLOURS[category], label=category)
        left = [a + b for a, b in zip(left, values, strict=True)]
    doe = block["doe_pack_estimate"]
    ax.axvline(doe["usd_per_kwh"], color="black", linestyle="--", linewidth=1,
               label=f"DOE BatPaC pack estimate {doe['year']} ({doe['usd_per_kwh']:g})")
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("cost [USD per kWh of delivered cell energy] (log scale)")
    ax.set_title("Solid-state scenarios against the Li-ion reference (* BatPaC V5 plant)")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    ax.grid(axis="x", alpha=0.3, which="both")
    return charts.figure_png_base64(fig)


def _fmt(value, spec: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return format(value, spec)


def _row_html(row: dict) -> str:
    label = html.escape(row["scenario"]) + (" (Li-ion reference)" if row["is_reference"] else "")
    capex_m = row["capex_usd"] / 1e6 if row["capex_usd"] is not None else None
    cells = [label, _fmt(row["usd_per_kwh"], ",.1f"), _fmt(row["times_reference"], ".2f"),
             _fmt(row["gwh_per_year"], ",.3g"), _fmt(capex_m, ",.1f"), _fmt(row["capex_usd_per_kwh_per_year"], ",.0f"),
             _fmt(row["overall_yield"], ".1%"), _fmt(row["delivered_cell_energy_wh"], ",.3g"),
             _fmt(row["specific_energy_wh_per_kg"], ",.0f")]
    tag = "<tr class='reference'>" if row["is_reference"] else "<tr>"
    return tag + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def comparison_html(block: dict, chart_png: str | None = None) -> str:
    """The comparison table (and chart) as an HTML section."""
    head = ("<tr><th>scenario</th><th>USD/kWh</th><th>x Li-ion reference</th><th>GWh/yr</th><th>capex, USD M</th>"
            "<th>capex per kWh/yr</th><th>overall yield</th><th>cell Wh delivered</th><th>Wh/kg</th></tr>")
    body = "".join(_row_html(row) for row in block["rows"])
    doe = block["doe_pack_estimate"]
    parts = ["<h2>Against the Li-ion reference plant</h2>",
             "<p>The Li-ion reference is BatPaC V5's 50 GWh/yr NMC811/graphite plant run through the same unit "
             "operations, cost model and delivered-energy definition (scenarios/liion_batpac_reference.yaml).</p>",
             f"<table>{head}{body}</table>"]
    ratio = block.get("reference_cells_over_doe_pack")
    if ratio is not None:
        parts.append(f"<p class='note'>Li-ion reference cells: {_fmt(ratio, '.0%')} of DOE's BatPaC-based pack "
                     f"estimate of {doe['usd_per_kwh']:g} USD/kWh ({doe['year']}, {html.escape(doe['basis'])}; "
                     f"{html.escape(doe['source'])}). {html.escape(block.get('note', ''))}</p>")
    if chart_png:
        parts.append(f"<img alt='USD per kWh against the Li-ion reference' src='data:image/png;base64,{chart_png}'>")
    return "\n".join(parts)


__all__ = ["DOE_PACK_ESTIMATE", "REFERENCE_SCENARIO", "comparison", "comparison_chart", "comparison_html",
           "comparison_row", "evaluate_library"]
