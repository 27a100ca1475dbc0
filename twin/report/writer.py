"""Write the engineer's report: index.html (self-contained), results.json and CSV tables."""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import numpy as np

from twin.cost.plant_scale import cost_versus_scale
from twin.cost.sensitivity import cost_monte_carlo, tornado
from twin.evaluate import evaluate_details
from twin.report import charts
from twin.report.economics import economics_section
from twin.report.page import render_page
from twin.report.tables import write_tables
from twin.results import json_safe
from twin.scenario import Scenario
from twin.scenario.route import QualityCheck

# 200 cost samples put the p5/p95 of $/kWh within about +-1 % of their value (quantile standard error
# for a unimodal distribution); each sample costs a few ms because the sheet sample is reused.
MONTE_CARLO_SAMPLES = 200


def spec_limits(scenario: Scenario) -> dict[str, list[tuple[str, float]]]:
    """Spec limits of the route's quality checks, per reported quality figure."""
    limits: dict[str, list[tuple[str, float]]] = {"relative_density": [], "li_loss_fraction": [],
                                                  "electrolyte_asr_ohm_cm2": []}
    for step in scenario.route:
        if not isinstance(step, QualityCheck):
            continue
        if step.min_relative_density is not None:
            limits["relative_density"].append((f"{step.name} min", step.min_relative_density))
        if step.max_li_loss_fraction is not None:
            limits["li_loss_fraction"].append((f"{step.name} max", step.max_li_loss_fraction))
        if step.max_electrolyte_asr_ohm_cm2 is not None:
            limits["electrolyte_asr_ohm_cm2"].append((f"{step.name} max", step.max_electrolyte_asr_ohm_cm2))
    return limits


def _twin_section(scenario: Scenario, simulate_days: float | None, steady: dict) -> tuple[dict | None, str]:
    """Run the discrete-event twin when asked; returns (result or None, html fragment)."""
    if simulate_days is None:
        return None, "<p class='note'>Discrete-event simulation not requested (use <code>--simulate-days N</code>).</p>"
    from twin.des import simulate

    try:
        des = simulate(scenario, simulate_days)
    except Exception as exc:  # noqa: BLE001 - the rest of the report stays useful; the failure is shown in it
        return None, (f"<p class='note'>The discrete-event twin failed: {html.escape(type(exc).__name__)}: "
                      f"{html.escape(str(exc))}. The figures above are the steady-state evaluation.</p>")
    parts = [f"<p>Discrete-event twin over {simulate_days:g} days (seed {scenario.seed}).</p>"]
    rows = [("good cells per day", steady["throughput"]["good_cells_per_day"],
             des.get("throughput", {}).get("good_cells_per_day")),
            ("overall yield", steady["yield"]["overall"], des.get("yield", {}).get("overall")),
            ("USD per kWh", steady["cost"]["usd_per_kwh"], des.get("cost", {}).get("usd_per_kwh"))]
    parts.append("<table><tr><th></th><th>steady state</th><th>twin</th></tr>" + "".join(
        f"<tr><td>{html.escape(n)}</td><td>{_fmt(a)}</td><td>{_fmt(b)}</td></tr>" for n, a, b in rows) + "</table>")
    daily = (des.get("series") or {}).get("good_cells_per_day") or []
    if daily:
        # series.good_cells_per_day[i] is day i of the run, warm-up days included (twin.des)
        png = charts.timeseries_chart([i + 1 for i in range(len(daily))], daily, "good cells per day",
                                      steady["throughput"]["good_cells_per_day"])
        parts.append(f"<img alt='throughput over time' src='data:image/png;base64,{png}'>")
    else:
        parts.append("<p class='note'>The twin's result has no series.good_cells_per_day to plot.</p>")
    return des, "\n".join(parts)


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "n/a"
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return html.escape(str(value))


def batch_measured_mask(batch):
    """Sheets not lost to a killer defect (their state reflects the full recipe they went through)."""
    from twin.sheet_physics import CAUSE_INDEX

    return batch.scrap_cause != CAUSE_INDEX["defect"]


def write_report(scenario: Scenario, out_dir, *, simulate_days: float | None = None, progress=None) -> Path:
    """Evaluate ``scenario`` and write ``index.html``, ``results.json`` and CSV tables into ``out_dir``.

    Returns the path of ``index.html``. ``progress`` (optional) receives a fraction in [0, 1].
    """
    report = progress or (lambda fraction: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    evaluation = evaluate_details(scenario)
    result = evaluation.result
    report(0.3)
    undefined = result.get("undefined_reason")
    if undefined:
        # no good output: nothing per kWh to vary, no plant size that makes cells (twin.no_output)
        bars, scale = [], []
        monte_carlo = {"samples": 0, "p5": None, "p50": None, "p95": None, "mean": None, "usd_per_kwh": []}
    else:
        bars = tornado(scenario, evaluation.batch)
        report(0.55)
        monte_carlo = cost_monte_carlo(scenario, evaluation.batch, np.random.default_rng([scenario.seed, 1]),
                                       samples=MONTE_CARLO_SAMPLES)
        report(0.75)
        scale = cost_versus_scale(scenario, evaluation.flow.step_yield, output=evaluation.flow.output)
    economics_html, economics = economics_section(scenario, result)
    des_result, twin_html = _twin_section(scenario, simulate_days, result)
    report(0.85)
    state = evaluation.batch.state
    limits = spec_limits(scenario)
    # Quality is shown for every sheet that was measured: those killed by a defect before they reached
    # the firing keep their green state and would only blur the distribution.
    measured = batch_measured_mask(evaluation.batch)
    state = {name: values[measured] for name, values in state.items()}
    figures = {
        "funnel": charts.yield_funnel_chart([s.name for s in scenario.route], evaluation.flow.reach_fraction,
                                            evaluation.flow.step_yield),
        "stations": charts.utilization_chart(result["stations"], result["bottleneck"]),
        "density": charts.quality_histogram(state["relative_density"], "relative density [-]",
                                            limits["relative_density"]),
        "li_loss": charts.quality_histogram(state["li_loss_fraction"], "Li loss fraction [-]",
                                            limits["li_loss_fraction"]),
        "asr": charts.quality_histogram(state["electrolyte_asr_ohm_m2"] * 1e4, "electrolyte ASR [ohm cm2]",
                                        limits["electrolyte_asr_ohm_cm2"]),
    }
    if not undefined:
        figures.update({
            "cost": charts.cost_breakdown_chart(result["cost"]["by_step_category_usd_per_kwh"]),
            "tornado": charts.tornado_chart(bars, result["cost"]["usd_per_kwh"]),
            "monte_carlo": charts.distribution_chart(monte_carlo["usd_per_kwh"], monte_carlo["p5"],
                                                     monte_carlo["p50"], monte_carlo["p95"]),
            "scale": charts.scale_chart(scale, result["throughput"]["gwh_per_year"]),
        })
    full = dict(result)
    full["sensitivity"] = {
        "tornado": [{"input": b.label, "low": b.low_input, "high": b.high_input, "usd_per_kwh_low": b.usd_per_kwh_low,
                     "usd_per_kwh_high": b.usd_per_kwh_high} for b in bars],
        "monte_carlo": {k: v for k, v in monte_carlo.items() if k != "usd_per_kwh"},
    }
    full["plant_scale"] = [{"target_gwh_per_year": p.target_GWh_per_year, "usd_per_kwh": p.usd_per_kwh,
                            "capex_usd": p.capex_usd, "machines": p.machines_total, "bottleneck": p.bottleneck}
                           for p in scale]
    full.update(economics)   # investment, sobol (twin.report.economics)
    if des_result is not None:
        full["des"] = des_result
    (out / "results.json").write_text(json.dumps(json_safe(full), indent=2, sort_keys=False), encoding="utf-8")
    write_tables(out, result, bars, scale)
    page = render_page(scenario, result, full, figures, twin_html, evaluation, extra_html=economics_html)
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    report(1.0)
    return index


__all__ = ["MONTE_CARLO_SAMPLES", "spec_limits", "write_report"]
