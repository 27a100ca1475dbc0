"""``GET /reports/{id}`` as HTML: the same report ``ssb-twin report`` writes (twin.report.build_report).

A simulation's page shows the job's own twin result (no second simulation); an optimisation's page is
the report of the designed plant with the optimiser's headline above it; a sweep's page is its chart and
table. A done job never changes, so pages are kept in a small in-memory cache by job id.
"""

from __future__ import annotations

import html
import json
import logging
import threading
from collections import OrderedDict

from api.store import JobRecord

# Finished pages kept in memory (a page is ~0.5-1 MB of inline PNG; rendering one takes a few seconds)
CACHED_PAGES = 16
_cache: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()
# matplotlib's pyplot keeps global state: one page is drawn at a time
_render_lock = threading.Lock()
log = logging.getLogger("ssb_twin.api.reports")


def _preface(job: JobRecord) -> str:
    params = ", ".join(f"{html.escape(str(k))}={html.escape(str(v))}" for k, v in job.params.items()
                       if k != "points")
    return (f"<p class='muted'>{html.escape(job.kind.capitalize())} job {html.escape(job.id)}, status "
            f"{html.escape(job.status)}; parameters: {params or 'none'}; scenario hash "
            f"<code>{html.escape(job.scenario_hash)}</code>. The job's full result: "
            f"<a href='{html.escape(job.id)}.json'>JSON</a>, <a href='{html.escape(job.id)}.csv'>CSV</a>.</p>")


def _optimisation_summary(result: dict) -> str:
    rows = [("status", result.get("status")), ("objective", result.get("objective")),
            ("USD per kWh", (result.get("cost") or {}).get("usd_per_kwh")),
            ("GWh per year", (result.get("throughput") or {}).get("gwh_per_year")),
            ("twin check", (result.get("twin_check") or {}).get("status"))]
    cells = "".join(f"<tr><td>{html.escape(label)}</td><td>{html.escape(_text(value))}</td></tr>"
                    for label, value in rows if value is not None)
    return ("<h2>Optimisation</h2><table>" + cells + "</table><p class='muted'>The report below is of the "
            "designed plant (the scenario with the chosen recipe, machines and shift pattern).</p>")


def _text(value) -> str:
    return f"{value:,.4g}" if isinstance(value, float) else str(value)


def render(job: JobRecord) -> bytes:
    """The HTML page of a done job."""
    from twin.scenario import validate_scenario

    result = job.result or {}
    if job.kind == "sweep":
        from twin.sweep_output import sweep_html

        return sweep_html(result, f"Sweep of scenario {job.scenario_name}", _preface(job)).encode("utf-8")
    from twin.report.writer import build_report

    scenario = validate_scenario(json.loads(job.scenario_json))
    if job.kind == "simulation":
        return build_report(scenario, des_result=result, preface=_preface(job)).page.encode("utf-8")
    designed = result.get("designed_scenario")
    preface = _preface(job) + _optimisation_summary(result)
    if isinstance(designed, dict):
        scenario = validate_scenario(designed)
    else:
        preface += "<p class='note'>The optimiser found no design; the report is of the scenario as given.</p>"
    return build_report(scenario, preface=preface).page.encode("utf-8")


def job_report_html(job: JobRecord) -> bytes:
    """The page, from the cache when this job was rendered before."""
    with _lock:
        if job.id in _cache:
            _cache.move_to_end(job.id)
            return _cache[job.id]
    try:
        with _render_lock:
            page = render(job)
    except Exception:  # noqa: BLE001 - e.g. a job stored by an older version whose scenario no longer validates
        log.exception("report of job %s could not be drawn; serving the result table", job.id)
        from api.report_format import report_html
        from api.schemas.responses import job_public

        return report_html(job_public(job))
    with _lock:
        _cache[job.id] = page
        while len(_cache) > CACHED_PAGES:
            _cache.popitem(last=False)
    return page


__all__ = ["CACHED_PAGES", "job_report_html", "render"]
