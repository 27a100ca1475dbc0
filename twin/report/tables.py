"""CSV tables written next to the report (one table per file, header row, plain numbers)."""

from __future__ import annotations

import csv
from pathlib import Path

from twin.cost.breakdown import REPORTED_CATEGORIES as CATEGORIES


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def cost_rows(cost_block: dict) -> list[list]:
    rows = []
    for step, categories in cost_block["by_step_category_usd_per_kwh"].items():
        values = [categories.get(c, 0.0) for c in CATEGORIES]
        # at zero output every per-kWh figure is None (twin.no_output): the CSV cell stays empty
        total = None if any(v is None for v in values) else sum(values)
        rows.append([step] + values + [total])
    return rows


def yield_rows(result: dict, with_sheets: set[str], twin: dict | None = None) -> tuple[list[str], list[list]]:
    """(header, rows) of yield_by_step.csv: per step its yield in good cell pieces (the overall yield's unit,
    twin.piece_yield) and its sheet yield, empty after the cutting step (``with_sheets``: no sheet is left
    there, twin.piece_yield.sheet_steps); with a twin's result (simulate), its two columns beside them."""
    header = ["step", "yield", "sheet_yield"]
    blocks = [result["yield"]]
    if twin is not None:
        header += ["twin_yield", "twin_sheet_yield"]
        blocks.append(twin.get("yield") or {})
    rows = []
    for step in result["yield"]["sheet_yield_by_step"]:
        row = [step]
        for block in blocks:
            row += [(block.get("piece_yield_by_step") or {}).get(step),
                    (block.get("sheet_yield_by_step") or {}).get(step) if step in with_sheets else None]
        rows.append(row)
    return header, rows


def write_tables(out_dir: Path, result: dict, tornado_bars, scale_points, with_sheets: set[str],
                 twin: dict | None = None) -> list[Path]:
    """cost_by_step.csv, yield_by_step.csv, stations.csv, tornado.csv, plant_scale.csv, plant_scale_stations.csv.

    ``with_sheets``: the steps whose input is still whole sheets (twin.piece_yield.sheet_steps); ``twin``: the
    plant twin's result shown in the report, if any (its yields go beside evaluate's)."""
    written = [
        write_csv(out_dir / "cost_by_step.csv",
                  ["step", *[f"{c}_usd_per_kwh" for c in CATEGORIES], "total_usd_per_kwh"],
                  cost_rows(result["cost"])),
        write_csv(out_dir / "yield_by_step.csv", *yield_rows(result, with_sheets, twin)),
        write_csv(out_dir / "stations.csv",
                  ["station", "machines", "utilization", "availability", "oee", "capacity_sheets_per_hour",
                   "energy_kwh_per_year"],
                  [[n, v["machines"], v["utilization"], v["availability"], v["oee"], v["capacity_sheets_per_hour"],
                    v["energy_kwh_per_year"]] for n, v in result["stations"].items()]),
        write_csv(out_dir / "tornado.csv", ["input", "low", "high", "usd_per_kwh_low", "usd_per_kwh_high"],
                  [[b.label, b.low_input, b.high_input, b.usd_per_kwh_low, b.usd_per_kwh_high] for b in tornado_bars]),
        write_csv(out_dir / "plant_scale.csv",
                  ["target_gwh_per_year", "usd_per_kwh", "capex_usd", "machines", "bottleneck"],
                  [[p.target_GWh_per_year, p.usd_per_kwh, p.capex_usd, p.machines_total, p.bottleneck]
                   for p in scale_points]),
        # per output and station: the machines and, for a sized station, the size picked (empty otherwise)
        write_csv(out_dir / "plant_scale_stations.csv",
                  ["target_gwh_per_year", "station", "machines", "size"],
                  [[p.target_GWh_per_year, name, count, p.sizes.get(name, "")]
                   for p in scale_points for name, count in p.machines.items()]),
    ]
    return written


__all__ = ["cost_rows", "write_csv", "write_tables", "yield_rows"]
