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


def write_tables(out_dir: Path, result: dict, tornado_bars, scale_points) -> list[Path]:
    """cost_by_step.csv, yield_by_step.csv, stations.csv, tornado.csv, plant_scale.csv, plant_scale_stations.csv."""
    written = [
        write_csv(out_dir / "cost_by_step.csv",
                  ["step", *[f"{c}_usd_per_kwh" for c in CATEGORIES], "total_usd_per_kwh"],
                  cost_rows(result["cost"])),
        # yield in good cell pieces (the overall yield's unit, twin.piece_yield) beside the sheet yield
        write_csv(out_dir / "yield_by_step.csv", ["step", "yield_good_pieces", "sheet_yield"],
                  [[s, (result["yield"].get("piece_yield_by_step") or {}).get(s), y]
                   for s, y in result["yield"]["by_step"].items()]),
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


__all__ = ["cost_rows", "write_csv", "write_tables"]
