"""``ssb-twin compare [SCENARIO...] [--json OUT] [--out DIR]``: scenarios against the Li-ion reference plant."""

from __future__ import annotations

import json
from pathlib import Path

import click

from twin.commands.json_output import json_option, write_json


def _evaluate_all(scenarios: tuple[str, ...], progress) -> dict[str, dict]:
    """Library names or YAML files (default: the whole library), with the Li-ion reference always in."""
    from twin.evaluate import evaluate_scenario
    from twin.reference_comparison import REFERENCE_SCENARIO, evaluate_library
    from twin.scenario import load_scenario

    files = [s for s in scenarios if s.endswith((".yaml", ".yml")) or Path(s).is_file()]
    names = [s for s in scenarios if s not in files]
    results = evaluate_library(names, progress=None) if names or not files else {}
    if files and REFERENCE_SCENARIO not in results:
        results.update(evaluate_library([REFERENCE_SCENARIO]))
    for path in files:
        scenario = load_scenario(path)
        results[scenario.name] = evaluate_scenario(scenario)
    if progress is not None:
        progress(1.0)
    return results


def register(group: click.Group) -> None:
    @group.command("compare")
    @click.argument("scenarios", nargs=-1)
    @json_option("Write the comparison block as JSON to this file ('-': stdout, the table then goes to stderr).")
    @click.option("--out", "out_dir", type=click.Path(file_okay=False),
                  help="Write compare.html (table and chart), comparison.json and comparison.csv here.")
    def compare(scenarios: tuple[str, ...], json_out: str | None, out_dir: str | None) -> int:
        """$/kWh, capex and yield of SCENARIOs (library names or YAML files; default the whole library) next
        to the Li-ion reference plant (BatPaC V5, liion_batpac_reference), with DOE's BatPaC pack estimate."""
        import csv

        from rich import box
        from rich.table import Table

        from twin.cli import stderr_console, stdout_console
        from twin.commands.formats import percent
        from twin.no_output import figure
        from twin.reference_comparison import comparison, comparison_chart, comparison_html
        from twin.results import json_safe

        with stderr_console.status("evaluating the scenarios and the Li-ion reference..."):
            block = comparison(_evaluate_all(scenarios, None))
        table = Table(title="against the Li-ion reference plant (BatPaC V5, 50 GWh/yr)", box=box.SIMPLE_HEAD,
                      pad_edge=False, collapse_padding=True)
        # nothing cut to "…" in an 80-column terminal: the figures stay whole, a long scenario name folds
        # onto a second line (whole: it is what a user types next) and the headers wrap
        table.add_column("scenario", justify="left", overflow="fold")
        for column in ("USD/kWh", "x ref", "GWh/yr", "capex\nUSD M", "USD per\nkWh/yr", "yield", "Wh/kg"):
            table.add_column(column, justify="right", no_wrap=True)
        for row in block["rows"]:
            table.add_row(row["scenario"] + (" *" if row["is_reference"] else ""),
                          figure(row["usd_per_kwh"], ",.1f"), figure(row["times_reference"], ".2f"),
                          figure(row["gwh_per_year"], ",.3g"),
                          figure(None if row["capex_usd"] is None else row["capex_usd"] / 1e6, ",.1f"),
                          figure(row["capex_usd_per_kwh_per_year"], ",.0f"), percent(row["overall_yield"]),
                          figure(row["specific_energy_wh_per_kg"], ",.0f"))
        stdout_console.print(table)
        doe = block["doe_pack_estimate"]
        stdout_console.print(f"* Li-ion reference cells are {figure(block.get('reference_cells_over_doe_pack'), '.0%')}"
                             f" of DOE's BatPaC-based pack estimate ({doe['usd_per_kwh']:g} USD/kWh usable, "
                             f"{doe['year']}): a sanity band only, cells against a pack.")
        safe = json_safe(block)
        write_json(json_out, safe)
        if out_dir:
            out = Path(out_dir)
            out.mkdir(parents=True, exist_ok=True)
            (out / "comparison.json").write_text(json.dumps(safe, indent=2), encoding="utf-8")
            page = ("<!doctype html><html><head><meta charset='utf-8'><title>against the Li-ion reference</title>"
                    "</head><body>" + comparison_html(block, comparison_chart(block)) + "</body></html>")
            (out / "compare.html").write_text(page, encoding="utf-8")
            with (out / "comparison.csv").open("w", newline="", encoding="utf-8") as handle:
                columns = [k for k in safe["rows"][0] if k != "by_category_usd_per_kwh"]
                writer = csv.writer(handle)
                writer.writerow(columns + [f"{c}_usd_per_kwh" for c in safe["rows"][0]["by_category_usd_per_kwh"]])
                for row in safe["rows"]:
                    writer.writerow([row[k] for k in columns] + list(row["by_category_usd_per_kwh"].values()))
            stdout_console.print(f"wrote {out / 'compare.html'}")
        return 0
