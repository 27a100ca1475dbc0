"""The HTML page of the report: one self-contained file, inline CSS and images, no scripts."""

from __future__ import annotations

import html
import math

from twin.commands.formats import percent, time_share
from twin.commands.output_notes import output_notes
from twin.cost.breakdown import REPORTED_CATEGORIES as CATEGORIES
from twin.piece_yield import sheet_steps

STYLE = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;\
margin:2em auto;color:#222;padding:0 1em}
h1{margin-bottom:0}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
.kpis{display:flex;flex-wrap:wrap;gap:.8em;margin:1em 0}
.kpi{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:150px}
.kpi .v{font-size:1.5em;font-weight:600}.kpi .l{font-size:.8em;color:#666}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}\
td,th{border:1px solid #ddd;padding:.25em .6em;text-align:right}
td:first-child,th:first-child{text-align:left}.note{color:#805b00;background:#fff8e1;padding:.5em;border-radius:4px}
img{max-width:100%}.grid{display:flex;flex-wrap:wrap;gap:1em}.muted{color:#666;font-size:.85em}
"""


def _num(value, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    if abs(value) >= 1e4:
        return f"{value:,.0f}"
    return f"{value:,.{digits}g}"


def _img(png: str | None, alt: str) -> str:
    if png is None:
        return f"<p class='note'>No {html.escape(alt)} chart: there is no good output to divide by.</p>"
    return f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{png}'>"


def _percent(value) -> str:
    """A yield or share of output, as every command prints it (twin.commands.formats)."""
    return html.escape(percent(value))


def _time_share(value) -> str:
    """A share of a station's time, as every command prints it (twin.commands.formats)."""
    return html.escape(time_share(value))


def _kpi(label: str, value: str) -> str:
    return f"<div class='kpi'><div class='v'>{value}</div><div class='l'>{html.escape(label)}</div></div>"


def _cost_table(cost: dict) -> str:
    head = ("<tr><th>step</th>" + "".join(f"<th>{c}</th>" for c in CATEGORIES)
            + "<th>total</th><th>scrap value</th></tr>")
    rows = []
    scrap = cost.get("scrap_value_usd_per_kwh", {})
    for step, categories in cost["by_step_category_usd_per_kwh"].items():
        cells = "".join(f"<td>{_num(categories.get(c, 0.0), 3)}</td>" for c in CATEGORIES)
        rows.append(f"<tr><td>{html.escape(step)}</td>{cells}<td><b>{_num(_total(categories.values()), 3)}</b></td>"
                    f"<td>{_num(scrap.get(step, 0.0), 3)}</td></tr>")
    totals = "".join(f"<td><b>{_num(cost['by_category'][c], 3)}</b></td>" for c in CATEGORIES)
    rows.append(f"<tr><td><b>total</b></td>{totals}<td><b>{_num(cost['usd_per_kwh'], 4)}</b></td><td></td></tr>")
    return "<table>" + head + "".join(rows) + "</table>"


def _total(values):
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def _stations_table(stations: dict, bottleneck: str) -> str:
    head = ("<tr><th>station</th><th>machines</th><th>utilization</th><th>availability</th><th>OEE</th>"
            "<th>capacity, sheets/h</th><th>energy, MWh/yr</th></tr>")
    rows = []
    for name, s in stations.items():
        label = f"<b>{html.escape(name)} (bottleneck)</b>" if name == bottleneck else html.escape(name)
        rows.append(f"<tr><td>{label}</td><td>{s['machines']}</td><td>{_time_share(s['utilization'])}</td>"
                    f"<td>{_time_share(s['availability'])}</td><td>{_time_share(s['oee'])}</td>"
                    f"<td>{_num(s['capacity_sheets_per_hour'])}</td>"
                    f"<td>{_num(s['energy_kwh_per_year'] / 1000.0)}</td></tr>")
    return "<table>" + head + "".join(rows) + "</table>"


def _quality_table(quality: dict) -> str:
    from twin.results import mean_is_heavy_tail

    # the median first: a mean outside p5..p95 is set by a few sheets' tail, and says so
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{_num(v.get('p50'))}</td><td>{_num(v['mean'])}"
                   f"{' (mean of a heavy tail)' if mean_is_heavy_tail(v) else ''}</td><td>{_num(v['p5'])}</td>"
                   f"<td>{_num(v['p95'])}</td></tr>" for k, v in quality.items())
    return ("<table><tr><th>good sheets</th><th>median</th><th>mean</th><th>p5</th><th>p95</th></tr>" + rows
            + "</table>")


def _largest_plant(points: list[dict]) -> str:
    """One sentence on the largest plant of the scale curve: machines and cost, picked sizes against clones."""
    if not points or not any(p["sizes"] for p in points):
        return ""
    top = points[-1]
    sizes = ", ".join(f"{html.escape(name)} {size:g}" for name, size in top["sizes"].items())
    return (f"<p>At {_num(top['target_gwh_per_year'], 3)} GWh/yr: {top['machines']} machines at "
            f"{_num(top['usd_per_kwh'])} USD/kWh with the sizes picked ({sizes}); cloning the installed machines "
            f"takes {top['cloned_machines']} machines at {_num(top['cloned_usd_per_kwh'])} USD/kWh.</p>")


def _inspection_table(quality_at_check: dict) -> str:
    """Each check's inspection method: resolution, POD a50/a90, time, and what it found (expected)."""
    rows = []
    for check, block in quality_at_check.items():
        found = block.get("inspection")
        if not found:
            continue
        key = next(k for k in ("pixel_um", "voxel_um", "threshold_leak_uA") if k in found)
        rows.append(f"<tr><td>{html.escape(check)}</td><td>{html.escape(found['method'])}</td>"
                    f"<td>{html.escape(key)} {_num(found[key], 3)}</td><td>{_num(found['a50_um'], 3)}</td>"
                    f"<td>{_num(found['a90_um'], 3)}</td><td>{_num(found['time_per_sheet_s'], 3)}</td>"
                    f"<td>{_num(found['latent_defect_pieces'], 4)}</td><td>{_num(found['detected_pieces'], 4)}</td>"
                    f"<td>{_num(found['missed_pieces'], 4)}</td></tr>")
    if not rows:
        return ""
    return ("<h2>Inspection methods</h2><table><tr><th>check</th><th>method</th><th>resolution</th><th>a50, um</th>"
            "<th>a90, um</th><th>s per sheet</th><th>cell pieces with latent defect</th><th>detected (POD)</th>"
            "<th>missed</th></tr>" + "".join(rows) + "</table><p class='muted'>In cell pieces of the measured "
            "sheets: detected and missed are each piece weighted by the method's POD at its sheet's largest "
            "latent defect, summed; missed defects ship as escapes unless a later check finds them.</p>")


def render_page(scenario, result: dict, full: dict, figures: dict, twin_html: str, evaluation,
                preface: str = "", extra_html: str = "") -> str:
    """The whole report as one HTML string; ``preface`` (HTML) goes under the title (the API's job line),
    ``extra_html`` (techno-economics) before the plant-scale curve."""
    throughput, cost, yields = result["throughput"], result["cost"], result["yield"]
    mc = full["sensitivity"]["monte_carlo"]
    kpis = "".join([
        _kpi("USD per kWh", _num(cost["usd_per_kwh"], 4)),
        _kpi("USD per cell", _num(cost["usd_per_cell"], 4)),
        _kpi("USD per m2 of cell layer", _num(cost["usd_per_m2"], 4)),
        _kpi("good cells per calendar day", _num(throughput["good_cells_per_day"])),
        _kpi("GWh per year", _num(throughput["gwh_per_year"], 3)),
        _kpi("overall yield", _percent(yields["overall"])),
        _kpi("cell piece yield (finished sheets)", _percent(yields.get("cell_piece_yield"))),
        _kpi("bottleneck", html.escape(result["bottleneck"])),
        _kpi("capex, USD M", _num(cost["capex_usd"] / 1e6, 4)),
        _kpi("energy, kWh per kWh of cells", _num(result["energy_kwh_per_kwh"], 3)),
        _kpi("USD/kWh p5-p95 (cost inputs)", f"{_num(mc['p5'], 3)} - {_num(mc['p95'], 3)}"),
    ])
    notes = "".join(f"<p class='note'>{html.escape(note)}</p>" for note in output_notes(result))
    if throughput.get("target_shortfall", {}).get("short") and not result.get("undefined_reason"):
        notes += ("<p class='note'>The bottleneck is " + html.escape(result["bottleneck"])
                  + "; see 'cost versus plant scale' for a line sized to the target.</p>")
    scrap = "".join(f"<tr><td>{html.escape(c)}</td><td>{_percent(v)}</td></tr>"
                    for c, v in yields["scrap_by_cause"].items() if v > 0)
    # evaluate's shares are of the cell pieces started (sheet-equivalents, twin.piece_yield): with the
    # escaped and the good pieces they add up to 1, so they are shown with them
    basis = "share of cell pieces started" if yields.get("piece_yield_by_step") else "share of started sheets"
    if yields.get("piece_yield_by_step"):
        scrap += (f"<tr><td>escaped (shipped in a cell holding a missed bad piece)</td>"
                  f"<td>{_percent(yields['escaped_share'])}</td></tr>"
                  f"<tr><td>good (overall yield)</td><td>{_percent(yields['overall'])}</td></tr>")
    scrap_table = (f"<table><tr><th>where the pieces go</th><th>{basis}</th></tr>" + scrap
                   + "</table>") if scrap else "<p>No sheets scrapped in the sample.</p>"
    steps = yields.get("piece_yield_by_step")
    with_sheets = sheet_steps(scenario)
    if steps:
        scrap_table += ("<table><tr><th>step</th><th>yield (good pieces)</th><th>sheet yield</th></tr>" + "".join(
            f"<tr><td>{html.escape(name)}</td><td>{_percent(steps[name])}</td>"
            f"<td>{_percent(sheet) if name in with_sheets else ''}</td></tr>"   # no sheet left after cutting
            for name, sheet in yields["sheet_yield_by_step"].items())
            + f"<tr><td>escape factor</td><td>{_percent(yields['escape_factor'])}</td><td></td></tr></table>")
    shares = yields.get("scrap_shares") or []
    if shares:
        scrap_table += (f"<table><tr><th>step</th><th>cause</th><th>{basis}</th></tr>" + "".join(
            f"<tr><td>{html.escape(e['step'])}</td><td>{html.escape(e['cause'])}</td><td>{_percent(e['fraction'])}</td></tr>"
            for e in shares) + "</table>")
    sections = [
        f"<h1>{html.escape(scenario.name)}</h1><p class='muted'>{html.escape(scenario.description)}</p>{preface}",
        f"<p class='muted'>Scenario hash {result['scenario_hash'][:16]}, seed {scenario.seed}; costs in "
        f"{scenario.costs.currency} {scenario.costs.currency_year}; "
        f"{yields['sample_sheets']} sheets sampled through the "
        f"route physics; {throughput['operating_hours_per_year']:.0f} operating hours per year.</p>",
        f"<div class='kpis'>{kpis}</div>{notes}",
        "<h2>Cost breakdown</h2>", _img(figures.get("cost"), "cost by step and category"), _cost_table(cost),
        "<p class='muted'>Materials are bought for every sheet entering a step, so scrap carries the value added up to "
        "where it failed; 'scrap value' is that lost value per kWh of good cells. Overheads are the BatPaC V5 rates "
        "(variable overhead, GSA, R&amp;D, launch, working capital, profit, warranty); capital and building are "
        "annualised with the capital recovery factor.</p>",
        "<h2>Yield</h2>", _img(figures.get("funnel"), "yield funnel"), scrap_table,
        "<h2>Stations</h2>", _img(figures.get("stations"), "station states"),
        _stations_table(result["stations"], result["bottleneck"]),
        "<p class='muted'>OEE = availability x performance x quality, where quality is the station's sheet "
        "yield (sheets leaving it good / sheets entering): the cell pieces it loses on sheets that go on are in "
        "its yield (Yield above), not in its OEE.</p>",
        "<h2>Quality against spec</h2>", _quality_table(result["quality"]),
        "<p class='muted'>Each chart is one spec of one quality check, over the sheets that check measured "
        "as they were then (later firings still change the electrolyte).</p>",
        "<div class='grid'>" + "".join(_img(png, alt) for alt, png in figures.get("quality", [])) + "</div>",
        _inspection_table(result.get("quality_at_check") or {}),
        "<h2>Throughput over time (discrete-event twin)</h2>", twin_html,
        "<h2>Sensitivity</h2>", _img(figures.get("tornado"), "tornado"),
        f"<p>Monte Carlo over the cost inputs ({mc['samples']} seeded samples, each input from the law "
        "<code>ssb-twin sensitivity</code> draws it from; yields held at this evaluation's, where the sensitivity "
        "command also varies process variation and defect density): "
        f"p5 {_num(mc['p5'])}, p50 {_num(mc['p50'])}, p95 {_num(mc['p95'])} USD/kWh.</p>",
        _img(figures.get("monte_carlo"), "Monte Carlo"),
        extra_html,
        "<h2>Cost versus plant scale</h2>", _img(figures.get("scale"), "scale"), _largest_plant(full["plant_scale"]),
        "<p class='muted'>Each point sizes every station of this line for the output with whole machines "
        "(ceil of required capacity / capacity per machine) at the evaluated yields; a station that offers machine "
        "sizes (line.stations.*.sizes) takes the size whose whole machines carry the flow at the least yearly cost "
        "(capex, labour and floor area scale by the size ratio to each station's exponents), and the dotted line "
        "clones the installed machine instead. For context: BatPaC V5's "
        "Li-ion reference plant (50 GWh/yr) carries about 21 USD/kWh of capital-related cost (cost-notes §1.2).</p>",
        "<p class='muted'>Files: results.json, cost_by_step.csv, yield_by_step.csv, stations.csv, tornado.csv, "
        "plant_scale.csv, plant_scale_stations.csv.</p>",
    ]
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>ssb-twin report: "
            f"{html.escape(scenario.name)}</title><style>{STYLE}</style></head><body>" + "\n".join(sections)
            + "</body></html>")


__all__ = ["render_page"]
