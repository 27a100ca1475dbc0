"""The report's charts: matplotlib figures rendered to inline base64 PNG (no files, no CDN)."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # headless: reports are written on servers and in CI
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402

from twin.cost.breakdown import REPORTED_CATEGORIES as CATEGORIES  # noqa: E402

CATEGORY_COLOURS = {
    "materials": "#4e79a7", "energy": "#f28e2b", "labour": "#59a14f", "capital": "#e15759",
    "building": "#b07aa1", "maintenance": "#9c755f", "overhead": "#bab0ac", "escapes": "#ff9da7",
}


def figure_png_base64(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def cost_breakdown_chart(by_step_category: dict[str, dict[str, float]]) -> str:
    """Stacked horizontal bars: $/kWh of each step, split by category."""
    steps = list(by_step_category)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(steps) + 1.5))
    left = np.zeros(len(steps))
    for category in CATEGORIES:
        values = np.array([by_step_category[s].get(category, 0.0) for s in steps])
        ax.barh(steps, values, left=left, color=CATEGORY_COLOURS[category], label=category)
        left += values
    ax.invert_yaxis()
    ax.set_xlabel("cost [USD per kWh of good cells]")
    ax.set_title("Cost by process step and category")
    _legend_beside(ax)
    ax.grid(axis="x", alpha=0.3)
    return figure_png_base64(fig)


def yield_funnel_chart(stages: list[tuple[str, float]]) -> str:
    """Good cell pieces after each step, % of the pieces started (the basis of ``yield.overall``)."""
    names = [name for name, _ in stages]
    shares = np.array([share for _, share in stages]) * 100.0
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(names) + 1.5))
    colours = ["#4e79a7"] * (len(names) - 1) + ["#59a14f"]
    ax.barh(names, shares, color=colours)
    for index, value in enumerate(shares):
        ax.text(value, index, f" {value:.2f} %", va="center", fontsize=8)
    ax.invert_yaxis()
    low = float(shares.min()) if shares.size else 0.0
    ax.set_xlim(max(0.0, low - max(2.0, 0.1 * (100.0 - low))), 100.0 + max(1.5, 0.12 * (100.0 - low)))
    ax.set_xlabel("good cell pieces after the step [% of cell pieces started]")
    ax.set_title("Yield funnel (last bar = overall yield)")
    ax.grid(axis="x", alpha=0.3)
    return figure_png_base64(fig)


def utilization_chart(stations: dict[str, dict], bottleneck: str) -> str:
    """Busy / broken-down-or-setup / idle share of each station's scheduled time."""
    names = list(stations)
    busy = np.array([min(stations[n]["utilization"], 1.0) * stations[n]["availability"] for n in names])
    down = np.array([1.0 - stations[n]["availability"] for n in names])
    idle = np.clip(1.0 - busy - down, 0.0, 1.0)
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(names) + 1.5))
    ax.barh(names, busy, color="#59a14f", label="processing")
    ax.barh(names, down, left=busy, color="#e15759", label="down (failures, maintenance, setup)")
    ax.barh(names, idle, left=busy + down, color="#d3d3d3", label="idle (starved or spare capacity)")
    ax.invert_yaxis()
    for tick in ax.get_yticklabels():
        if tick.get_text() == bottleneck:
            tick.set_fontweight("bold")
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(xmax=1.0))
    ax.set_xlabel("share of scheduled time [%]")
    ax.set_title(f"Station states (bottleneck: {bottleneck})")
    _legend_beside(ax)
    return figure_png_base64(fig)


def quality_histogram(values: np.ndarray, label: str, limit: float | None = None, sense: str = "",
                      title: str = "") -> str:
    """Histogram of a per-sheet quality figure as one check measured it, with that check's spec limit.

    One spec per chart, named in the legend (not as text on the plot, where two limits collide).
    """
    finite = values[np.isfinite(values)]
    fig, ax = plt.subplots(figsize=(5, 3))
    if finite.size:
        ax.hist(finite, bins=40, color="#4e79a7", alpha=0.85, label="sheets measured")
    if limit is not None and np.isfinite(limit):
        ax.axvline(limit, color="#e15759", linestyle="--", label=f"spec {sense} {limit:.4g}")
    ax.set_xlabel(label)
    ax.set_ylabel("sheets in sample [count]")
    if title:
        ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="best")
    return figure_png_base64(fig)


def tornado_chart(bars, base_usd_per_kwh: float) -> str:
    """Horizontal tornado: $/kWh at each input's low and high end around the base case."""
    labels = [bar.label for bar in bars]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(labels) + 1.5))
    for index, bar in enumerate(bars):
        ax.barh(index, bar.usd_per_kwh_low - base_usd_per_kwh, left=base_usd_per_kwh, color="#4e79a7")
        ax.barh(index, bar.usd_per_kwh_high - base_usd_per_kwh, left=base_usd_per_kwh, color="#f28e2b")
    ax.set_yticks(range(len(labels)), [f"{b.label} ({b.low_input} / {b.high_input})" for b in bars], fontsize=8)
    ax.axvline(base_usd_per_kwh, color="black", linewidth=0.8)
    ax.invert_yaxis()
    ax.set_xlabel("cost [USD per kWh] (blue: input low, orange: input high)")
    ax.set_title("Sensitivity of cell cost")
    return figure_png_base64(fig)


def distribution_chart(samples: list[float], p5: float, p50: float, p95: float) -> str:
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.hist([s for s in samples if np.isfinite(s)], bins=30, color="#59a14f", alpha=0.85)
    for value, name in ((p5, "p5"), (p50, "p50"), (p95, "p95")):
        ax.axvline(value, color="black", linestyle=":")
        ax.text(value, ax.get_ylim()[1] * 0.95, f" {name}", fontsize=7, va="top")
    ax.set_xlabel("cost [USD per kWh]")
    ax.set_ylabel("Monte Carlo samples [count]")
    return figure_png_base64(fig)


def scale_chart(points, current_GWh: float, cloned=None) -> str:
    """$/kWh over plant output; ``cloned`` (optional): the same outputs with the installed machine cloned."""
    fig, ax = plt.subplots(figsize=(7, 3.5))
    sized = any(p.sizes for p in points)
    ax.plot([p.target_GWh_per_year for p in points], [p.usd_per_kwh for p in points], marker="o",
            label="cheapest machine size x count" if sized else "whole machines")
    if sized and cloned:
        ax.plot([p.target_GWh_per_year for p in cloned], [p.usd_per_kwh for p in cloned], marker=".",
                color="#999999", linestyle=":", label="installed machine cloned")
    ax.axvline(current_GWh, color="#e15759", linestyle="--", label="this line")
    ax.set_xscale("log")
    ax.set_xlabel("plant output [GWh/yr] (stations built with whole machines"
                  + (" of the cheapest size)" if sized else ")"))
    ax.set_ylabel("cost [USD per kWh]")
    ax.set_title("Cost versus plant scale")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return figure_png_base64(fig)


def timeseries_chart(days: list[float], values: list[float], label: str, steady_state: float | None,
                     measured_days: float | None = None) -> str:
    """A daily series of the twin against the steady-state figure; x runs over the measured days."""
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.plot(days, values, color="#4e79a7", marker=".", label="discrete-event twin")
    if steady_state is not None:
        ax.axhline(steady_state, color="#e15759", linestyle="--", label="steady-state evaluation")
    ax.set_xlabel("day after warm-up [d]")
    ax.set_ylabel(label)
    if measured_days:
        ax.set_xlim(0, measured_days)
    _legend_beside(ax)
    ax.grid(alpha=0.3)
    return figure_png_base64(fig)


def sweep_chart(x: list, y: list[float], x_label: str, y_label: str, groups: list[str] | None = None) -> str:
    """A metric over one swept input; one line per value of the other inputs (``groups``).

    Non-numeric inputs (true/false, names) are placed as categories in the order they appear.
    """
    fig, ax = plt.subplots(figsize=(7, 3.5))
    if any(isinstance(v, (bool, str)) or not isinstance(v, (int, float)) for v in x):
        categories = list(dict.fromkeys(str(v) for v in x))
        x = [categories.index(str(v)) for v in x]
        ax.set_xticks(range(len(categories)), categories)
    labels = groups if groups is not None else [""] * len(x)
    for group in dict.fromkeys(labels):
        points = sorted((a, b) for a, b, g in zip(x, y, labels, strict=True) if g == group and b is not None)
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=group or None)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.grid(alpha=0.3)
    if any(labels):
        _legend_beside(ax)
    return figure_png_base64(fig)


def _legend_beside(ax) -> None:
    """Legend right of the axes, so it never covers bars, lines, the axis label or the title."""
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)


__all__ = [
    "cost_breakdown_chart", "distribution_chart", "figure_png_base64", "quality_histogram", "scale_chart",
    "sweep_chart", "timeseries_chart", "tornado_chart", "utilization_chart", "yield_funnel_chart",
]
