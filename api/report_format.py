"""A finished job as JSON, CSV (one ``key,value`` row per result leaf) or a self-contained HTML page.

Every string from a job is escaped (HTML) or neutralised against spreadsheet formula injection (CSV).
"""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

from api.schemas.responses import JobPublic
from twin.commands.formats import percent

# the headline's yields are written as every command and the report write them (percent, two decimals)
_PERCENT_KEYS = {"yield.overall", "yield.cell_piece_yield", "yield.escape_factor"}
_HEADLINE_KEYS = (
    ("throughput.good_cells_per_day", "good cells per day"),
    ("throughput.gwh_per_year", "GWh per year"),
    ("yield.overall", "overall yield"),
    ("yield.cell_piece_yield", "cell piece yield (finished sheets)"),
    ("yield.escape_factor", "escape factor (good share of the cell pieces shipped)"),
    ("cost.usd_per_kwh", "cost [USD/kWh]"),
    ("cost.usd_per_cell", "cost [USD/cell]"),
    ("cost.capex_usd", "capex [USD]"),
    ("bottleneck", "bottleneck"),
    ("energy_kwh_per_kwh", "energy [kWh per kWh of cells]"),
    ("throughput.target_shortfall.message", "plant target"),
    ("undefined_reason", "why per-kWh figures are empty"),
)


def flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested dicts/lists as (dotted key, leaf value) rows in document order."""
    rows: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            rows.extend(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            rows.extend(flatten(item, f"{prefix}[{index}]"))
    else:
        rows.append((prefix, value))
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _headline_text(key: str, value: Any) -> str:
    if key in _PERCENT_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return percent(value)
    return _cell_text(value)


def _csv_safe(text: str) -> str:
    # a leading =, +, -, @ makes spreadsheets evaluate the cell; numbers stay numbers
    if text and text[0] in "=+-@\t\r":
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def report_json(job: JobPublic) -> bytes:
    meta = job.model_dump(mode="json", exclude={"result"})
    return json.dumps({"job": meta, "result": job.result}, indent=2, allow_nan=False).encode("utf-8")


def report_csv(job: JobPublic) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["key", "value"])
    for key in ("id", "kind", "status", "scenario", "scenario_hash"):
        writer.writerow([f"job.{key}", _csv_safe(_cell_text(getattr(job, key)))])
    for key, value in flatten(job.result or {}):
        writer.writerow([_csv_safe(key), _csv_safe(_cell_text(value))])
    return buffer.getvalue().encode("utf-8")


def report_html(job: JobPublic) -> bytes:
    rows = dict(flatten(job.result or {}))
    headline = "".join(
        f"<tr><th>{html.escape(label)}</th><td>{html.escape(_headline_text(key, rows[key]))}</td></tr>"
        for key, label in _HEADLINE_KEYS
        if key in rows
    )
    detail = "".join(
        f"<tr><td>{html.escape(key)}</td><td>{html.escape(_cell_text(value))}</td></tr>"
        for key, value in rows.items()
    )
    params = ", ".join(f"{html.escape(str(k))}={html.escape(str(v))}" for k, v in job.params.items())
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>ssb-twin {html.escape(job.kind)} {html.escape(job.id)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:70em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.25em .6em;text-align:left}}th{{background:#f3f3f3}}</style></head>
<body><h1>{html.escape(job.kind.capitalize())} of scenario {html.escape(job.scenario)}</h1>
<p>Job {html.escape(job.id)}, status {html.escape(job.status)}; parameters: {params};
scenario hash <code>{html.escape(job.scenario_hash)}</code>.</p>
<h2>Headline</h2><table>{headline}</table>
<h2>All results</h2><table><tr><th>key</th><th>value</th></tr>{detail}</table>
</body></html>
"""
    return page.encode("utf-8")


RENDERERS = {
    "json": (report_json, "application/json"),
    "csv": (report_csv, "text/csv; charset=utf-8"),
    "html": (report_html, "text/html; charset=utf-8"),
}

__all__ = ["RENDERERS", "flatten", "report_csv", "report_html", "report_json"]
