"""A sweep's results as files (CSV, Parquet, PNG chart) and as an HTML page (the API's report)."""

from __future__ import annotations

import csv
import html
import math
from pathlib import Path

from twin.sweep import METRIC_UNITS, METRICS

DEFAULT_METRIC = "usd_per_kwh"


def columns(result: dict) -> list[str]:
    return ["point", *result["paths"], *[column for _, column in METRICS], "error"]


def to_frame(result: dict):
    """The rows as a pandas DataFrame, one column per swept path and metric."""
    import pandas as pd

    return pd.DataFrame(result["rows"], columns=columns(result))


def write_csv(result: dict, path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns(result), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(result["rows"])
    return path


def write_parquet(result: dict, path: Path) -> Path:
    frame = to_frame(result)
    # a swept path may hold mixed types (true/false next to numbers): Parquet needs one type a column
    for path_column in result["paths"]:
        if frame[path_column].map(type).nunique() > 1:
            frame[path_column] = frame[path_column].astype(str)
    frame.to_parquet(path, index=False)
    return path


def chart_png(result: dict, metric: str = DEFAULT_METRIC) -> str:
    """``metric`` against the first swept path, one line per combination of the other paths."""
    from twin.report import charts

    paths = result["paths"]
    first, others = paths[0], paths[1:]
    rows = result["rows"]
    x = [row.get(first) for row in rows]
    y = [row.get(metric) for row in rows]
    groups = [", ".join(f"{p}={row.get(p)}" for p in others) for row in rows] if others else None
    if result.get("sampling") == "lhs":
        groups = None  # a Latin hypercube has no lines to follow: the points are shown on one curve sorted by x
    unit = METRIC_UNITS.get(metric, "")
    return charts.sweep_chart(x, y, first, f"{metric} [{unit}]" if unit else metric, groups)


def write_outputs(result: dict, out_dir, metric: str = DEFAULT_METRIC) -> list[Path]:
    """sweep.csv, sweep.parquet and sweep.png (``metric`` over the first swept path) in ``out_dir``."""
    import base64

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_csv(result, out / "sweep.csv"), write_parquet(result, out / "sweep.parquet")]
    png = out / "sweep.png"
    png.write_bytes(base64.b64decode(chart_png(result, metric)))
    written.append(png)
    return written


def sweep_html(result: dict, title: str, preface: str = "", metric: str = DEFAULT_METRIC) -> str:
    """A self-contained page: the chart and the table of every point."""
    from twin.report.page import STYLE

    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns(result))
    body = "".join("<tr>" + "".join(f"<td>{_cell(row.get(c))}</td>" for c in columns(result)) + "</tr>"
                   for row in result["rows"])
    chart = f"<img alt='{html.escape(metric)} over the sweep' src='data:image/png;base64,{chart_png(result, metric)}'>"
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>{preface}"
            f"<p class='muted'>{result['points']} points, mode {html.escape(result['mode'])}, backend "
            f"{html.escape(result['backend'])}.</p>{chart}<table><tr>{head}</tr>{body}</table></body></html>")


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.4g}" if math.isfinite(value) else "n/a"
    return html.escape(str(value))


__all__ = ["DEFAULT_METRIC", "chart_png", "columns", "sweep_html", "to_frame", "write_csv", "write_outputs",
           "write_parquet"]
