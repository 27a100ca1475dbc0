"""The engineer's report: one writer for ``ssb-twin report`` and the API's ``GET /reports/{id}`` (HTML).

:func:`build_report` evaluates the scenario and renders the page; :func:`write_report` also writes
index.html (self-contained), results.json and CSV tables. The API passes a finished job's twin result
(``des_result``) instead of simulating again, so both show the same charts.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from twin.capacity_grading import true_capacity_fraction
from twin.commands.formats import percent
from twin.cost.model_sensitivity import model_monte_carlo
from twin.cost.plant_scale import cost_versus_scale
from twin.cost.sensitivity import cost_monte_carlo, tornado
from twin.evaluate import Evaluation, evaluate_details
from twin.inspection import SPEC_CHECKS, THICKNESS_SPEC
from twin.operations import operation_for
from twin.piece_yield import sheet_steps
from twin.plant_gap import twin_difference_sentence
from twin.progress import staged
from twin.quality_checkpoints import checked_values, reported_limit
from twin.report import charts
from twin.report.economics import economics_section
from twin.report.funnel import piece_funnel
from twin.report.page import render_page
from twin.report.tables import write_tables
from twin.results import json_safe
from twin.scenario import Scenario

# 200 cost samples put the p5/p95 of $/kWh within about +-1 % of their value (quantile standard error
# for a unimodal distribution); each sample costs a few ms because the sheet sample is reused.
MONTE_CARLO_SAMPLES = 200
# The steady-state parts (evaluation, sensitivity, charts: ~2.5 s on the baseline) cost about as much
# as this many simulated days of the baseline's twin (~0.25 s a day): the progress bar's split.
STEADY_EQUIVALENT_DAYS = 10.0

# Axis labels (with units) of the figures the quality checks judge, by result key.
QUALITY_LABELS = {
    "relative_density": "electrolyte relative density [-]",
    "li_loss_fraction": "Li loss [fraction of the green tape's Li]",
    "electrolyte_asr_ohm_cm2": "electrolyte ASR [ohm cm2]",
    "ionic_conductivity_S_per_cm": "ionic conductivity [S/cm]",
    "interface_asr_ohm_cm2": "Li/electrolyte interface ASR [ohm cm2]",
    "cathode_relative_density": "cathode relative density [-]",
    "areal_capacity_mAh_per_cm2": "areal capacity [mAh/cm2]",
    "critical_current_density_mA_per_cm2": "critical current density [mA/cm2]",
    "electrolyte_thickness_deviation_fraction": "electrolyte thickness deviation [fraction of target]",
    "delivered_capacity_fraction_of_design": "delivered capacity at the rated rate [fraction of the design]",
}

MODEL_MONTE_CARLO_SAMPLES = 30   # each draw re-runs the sheet physics (~0.1-0.3 s); 30 give the 5-95 % band to a few %


@dataclass
class Report:
    """A rendered report: the page and what results.json and the CSV tables hold."""

    page: str
    full: dict
    evaluation: Evaluation
    tornado_bars: list
    scale_points: list


def quality_charts(scenario: Scenario, evaluation: Evaluation) -> list[tuple[str, str]]:
    """``[(alt text, png)]``: per check and spec, the distribution that check judged and its limit."""
    figures = []
    checkpoints = evaluation.checkpoints or {}
    for step in scenario.route:
        if not operation_for(step).is_quality_check or step.name not in checkpoints:
            continue
        alive, values = checkpoints[step.name]
        measured = values[:, alive]
        for spec in (*SPEC_CHECKS, THICKNESS_SPEC):
            limit = getattr(step, spec)
            if limit is None:
                continue
            key, reported = checked_values(scenario, step, spec, measured)
            sense = "max" if spec.startswith("max") or spec == THICKNESS_SPEC else "min"
            png = charts.quality_histogram(reported, QUALITY_LABELS.get(key, key), reported_limit(spec, float(limit)),
                                           sense, title=f"{step.name}: {key}")
            figures.append((f"{step.name} {key}", png))
        if step.capacity_grading is not None:   # the grade on what the cells deliver (twin.capacity_grading)
            key = "delivered_capacity_fraction_of_design"
            png = charts.quality_histogram(true_capacity_fraction(scenario, measured), QUALITY_LABELS.get(key, key),
                                           step.capacity_grading.min_capacity_fraction, "min",
                                           title=f"{step.name}: {key}")
            figures.append((f"{step.name} {key}", png))
    return figures


def twin_section(scenario: Scenario, steady: dict, des: dict | None, simulate_days: float | None,
                 error: str | None = None) -> str:
    """HTML of the discrete-event twin's part: headline against steady state and good cells per day."""
    if error is not None:
        return (f"<p class='note'>The discrete-event twin failed: {html.escape(error)}. The figures above are the "
                "steady-state evaluation.</p>")
    if des is None:
        return "<p class='note'>Discrete-event simulation not requested (use <code>--simulate-days N</code>).</p>"
    run = des.get("des") or {}
    days = run.get("days", simulate_days)
    warmup = float(run.get("warmup_days") or 0.0)
    parts = [f"<p>Discrete-event twin over {_fmt(days)} measured days after {warmup:g} days of warm-up, "
             f"{run.get('replications', 1)} replication(s), seed {run.get('seed', scenario.seed)}.</p>"]
    twin_yield = des.get("yield", {})
    # (label, steady state, twin, how it is written): yields in percent, as every table prints them
    rows = [("good cells per day", steady["throughput"]["good_cells_per_day"],
             des.get("throughput", {}).get("good_cells_per_day"), _fmt),
            ("overall yield", steady["yield"]["overall"], twin_yield.get("overall"), _percent),
            ("cell piece yield (finished sheets)", steady["yield"].get("cell_piece_yield"),
             twin_yield.get("cell_piece_yield"), _percent),
            # the good share of the pieces shipped: overall = product of the step yields below x this
            ("escape factor", steady["yield"].get("escape_factor"), twin_yield.get("escape_factor"), _percent),
            ("escaped share of pieces started", steady["yield"].get("escaped_share"),
             twin_yield.get("escaped_share"), _percent),
            ("USD per kWh", steady["cost"]["usd_per_kwh"], des.get("cost", {}).get("usd_per_kwh"), _fmt)]
    parts.append("<table><tr><th></th><th>steady state</th><th>twin</th></tr>" + "".join(
        f"<tr><td>{html.escape(n)}</td><td>{write(a)}</td><td>{write(b)}</td></tr>" for n, a, b, write in rows)
        + "</table>")
    parts.append(_step_yield_table(scenario, steady, des))
    difference = twin_difference_sentence(steady, des)   # the gap and its cause (twin.plant_gap)
    if difference:
        parts.append(f"<p class='note'>{html.escape(difference)}</p>")
    points = measured_series(des)
    if points:
        png = charts.timeseries_chart([p[0] for p in points], [p[1] for p in points], "good cells [cells/day]",
                                      steady["throughput"]["good_cells_per_day"], measured_days=days)
        parts.append(f"<img alt='throughput over time' src='data:image/png;base64,{png}'>")
    else:
        parts.append("<p class='note'>The twin's result has no measured days of series.good_cells_per_day "
                     "to plot.</p>")
    return "\n".join(parts)


def _step_yield_table(scenario: Scenario, steady: dict, des: dict) -> str:
    """Each step's yield in good cell pieces (steady state and twin) and the twin's sheet yield, blank after
    the cutting step (no sheet is left there): the figures of yield_by_step.csv."""
    twin_yields = des.get("yield") or {}
    pieces = twin_yields.get("piece_yield_by_step") or {}
    sheets = twin_yields.get("sheet_yield_by_step") or {}
    steady_pieces = steady["yield"].get("piece_yield_by_step") or {}
    with_sheets = sheet_steps(scenario)
    rows = "".join(
        f"<tr><td>{html.escape(step.name)}</td><td>{_percent(steady_pieces.get(step.name))}</td>"
        f"<td>{_percent(pieces.get(step.name))}</td>"
        f"<td>{_percent(sheets.get(step.name)) if step.name in with_sheets else ''}</td></tr>"
        for step in scenario.route)
    return ("<table><tr><th>step</th><th>yield, steady state</th><th>yield, twin</th><th>sheet yield, twin</th></tr>"
            + rows + "</table><p class='muted'>yield: share of the cell pieces entering the step that it keeps "
            "(the overall yield's unit); sheet yield: share of the sheets not scrapped whole, blank after cutting."
            "</p>")


def _percent(value) -> str:
    return percent(value)


def measured_series(des: dict, key: str = "good_cells_per_day") -> list[tuple[float, float]]:
    """``[(day after warm-up, value)]`` of a twin's daily series, the warm-up days left out.

    ``series[key][d]`` is day d of the run, warm-up included; a measured day is plotted at its end,
    counted from the end of the warm-up (so a 14-day run ends at day 14).
    """
    warmup = float((des.get("des") or {}).get("warmup_days") or 0.0)
    daily = (des.get("series") or {}).get(key) or []
    first = math.ceil(warmup - 1e-9)
    return [(d + 1 - warmup, float(value)) for d, value in enumerate(daily) if d >= first and value is not None]


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "n/a"
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return html.escape(str(value))


def reference_section(scenario: Scenario, result: dict) -> tuple[str, dict | None]:
    """This scenario next to the Li-ion reference plant (twin.reference_comparison): HTML and its block."""
    from twin.evaluate import evaluate_scenario
    from twin.reference_comparison import REFERENCE_SCENARIO, comparison, comparison_chart, comparison_html
    from twin.scenario import ScenarioError
    from twin.scenario.library import load_library_scenario

    results = {scenario.name: result}
    if scenario.name != REFERENCE_SCENARIO:
        try:
            results[REFERENCE_SCENARIO] = evaluate_scenario(load_library_scenario(REFERENCE_SCENARIO))
        except ScenarioError as exc:  # a scenario folder without the reference: say so, keep the report
            return (f"<p class='note'>No Li-ion reference to compare with: {html.escape(str(exc))}</p>", None)
    block = comparison(results)
    return comparison_html(block, comparison_chart(block)), block


def simulated_days(scenario: Scenario, simulate_days: float) -> float:
    """Days the report's twin simulates: the measured days plus the default warm-up."""
    from twin.des.simulate import default_warmup_days

    return simulate_days + default_warmup_days(scenario)


def steady_share(days_simulated: float) -> float:
    """Share of the report's progress taken by the steady-state parts when the twin runs ``days_simulated``."""
    return STEADY_EQUIVALENT_DAYS / (STEADY_EQUIVALENT_DAYS + days_simulated)


def _run_twin(scenario: Scenario, simulate_days: float, progress) -> tuple[dict | None, str | None]:
    from twin.des import simulate

    try:
        return simulate(scenario, simulate_days, progress=progress), None
    except Exception as exc:  # noqa: BLE001 - the rest of the report stays useful; the failure is shown in it
        return None, f"{type(exc).__name__}: {exc}"


def build_report(scenario: Scenario, *, simulate_days: float | None = None, des_result: dict | None = None,
                 preface: str = "", progress: Callable[[float], None] | None = None) -> Report:
    """Evaluate ``scenario``, run the twin for ``simulate_days`` (or show ``des_result``), render the page.

    ``progress`` receives the fraction done: the steady-state parts, then the twin by simulated day.
    ``preface`` is HTML put under the title (the API's job line).
    """
    twin_runs = simulate_days is not None and des_result is None
    steady_end = steady_share(simulated_days(scenario, simulate_days)) if twin_runs else 1.0
    steady = staged(progress, 0.0, steady_end)
    evaluation = evaluate_details(scenario)
    result = evaluation.result
    steady(0.1)
    undefined = result.get("undefined_reason")
    if undefined:
        # no good output: nothing per kWh to vary, no plant size that makes cells (twin.no_output)
        bars, scale, cloned = [], [], []
        monte_carlo = {"samples": 0, "p5": None, "p50": None, "p95": None, "mean": None, "usd_per_kwh": []}
        model_band = None
    else:
        bars = tornado(scenario, evaluation.batch)
        steady(0.2)
        monte_carlo = cost_monte_carlo(scenario, evaluation.batch, np.random.default_rng([scenario.seed, 1]),
                                       samples=MONTE_CARLO_SAMPLES)
        steady(0.3)
        # the physics' own uncertainty (one-point fits, assumed leakages): seeded, a stream of its own
        model_band = model_monte_carlo(scenario, np.random.default_rng([scenario.seed, 2]),
                                       samples=MODEL_MONTE_CARLO_SAMPLES)
        steady(0.45)
        scale = cost_versus_scale(scenario, evaluation.flow.step_yield, output=evaluation.flow.output)
        # the same curve with the installed machine cloned: what machine sizes save at each output
        cloned = cost_versus_scale(scenario, evaluation.flow.step_yield, output=evaluation.flow.output,
                                   pick_sizes=False)
    funnel = piece_funnel(scenario, result["yield"])
    economics_html, economics = economics_section(scenario, result)
    reference_html, reference_block = reference_section(scenario, result)
    steady(0.6)
    figures = {
        "funnel": charts.yield_funnel_chart(funnel),
        "stations": charts.utilization_chart(result["stations"], result["bottleneck"]),
        "quality": quality_charts(scenario, evaluation),
    }
    if not undefined:
        figures.update({
            "cost": charts.cost_breakdown_chart(result["cost"]["by_step_category_usd_per_kwh"]),
            "tornado": charts.tornado_chart(bars, result["cost"]["usd_per_kwh"]),
            "monte_carlo": charts.distribution_chart(monte_carlo["usd_per_kwh"], monte_carlo["p5"],
                                                     monte_carlo["p50"], monte_carlo["p95"]),
            "scale": charts.scale_chart(scale, result["throughput"]["gwh_per_year"], cloned),
        })
    steady(1.0)
    error = None
    if twin_runs:
        des_result, error = _run_twin(scenario, simulate_days, staged(progress, steady_end, 1.0))
    twin_html = twin_section(scenario, result, des_result, simulate_days, error)
    full = dict(result)
    full["yield_funnel"] = [{"stage": name, "good_piece_share": share} for name, share in funnel]
    full["sensitivity"] = {
        "tornado": [{"input": b.label, "low": b.low_input, "high": b.high_input, "usd_per_kwh_low": b.usd_per_kwh_low,
                     "usd_per_kwh_high": b.usd_per_kwh_high} for b in bars],
        "monte_carlo": {k: v for k, v in monte_carlo.items() if k != "usd_per_kwh"},
        "model_uncertainty": model_band,
    }
    full["plant_scale"] = [{"target_gwh_per_year": p.target_GWh_per_year, "usd_per_kwh": p.usd_per_kwh,
                            "capex_usd": p.capex_usd, "machines": p.machines_total, "bottleneck": p.bottleneck,
                            "machines_by_station": p.machines, "sizes": p.sizes,
                            "cloned_usd_per_kwh": c.usd_per_kwh, "cloned_machines": c.machines_total}
                           for p, c in zip(scale, cloned, strict=True)]
    full.update(economics)   # investment, sobol (twin.report.economics)
    full["reference_comparison"] = reference_block
    if des_result is not None:
        full["des"] = des_result
    page = render_page(scenario, result, full, figures, twin_html, evaluation, preface=preface,
                       extra_html=economics_html + reference_html)
    if progress is not None:
        progress(1.0)
    return Report(page=page, full=full, evaluation=evaluation, tornado_bars=bars, scale_points=scale)


def write_report(scenario: Scenario, out_dir, *, simulate_days: float | None = None, progress=None,
                 des_result: dict | None = None) -> Path:
    """Evaluate ``scenario`` and write ``index.html``, ``results.json`` and CSV tables into ``out_dir``.

    Returns the path of ``index.html``. ``progress`` (optional) receives a fraction in [0, 1];
    ``des_result`` (a ``simulate`` result) is shown instead of running the twin again.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = build_report(scenario, simulate_days=simulate_days, des_result=des_result, progress=progress)
    (out / "results.json").write_text(json.dumps(json_safe(report.full), indent=2, sort_keys=False),
                                      encoding="utf-8")
    write_tables(out, report.evaluation.result, report.tornado_bars, report.scale_points, sheet_steps(scenario),
                 report.full.get("des"))
    index = out / "index.html"
    index.write_text(report.page, encoding="utf-8")
    return index


__all__ = ["MONTE_CARLO_SAMPLES", "QUALITY_LABELS", "Report", "build_report", "measured_series", "quality_charts",
           "simulated_days", "steady_share", "twin_section", "write_report"]
