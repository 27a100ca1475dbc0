"""``ssb-twin report FILE --out DIR [--simulate-days N]``: the engineer's HTML report, results.json and CSVs."""

from __future__ import annotations

import json

import click

# Two weeks of plant time: enough to see the line settle after warm-up, seconds of wall time.
DEFAULT_SIMULATE_DAYS = 14.0


def register(group: click.Group) -> None:
    @group.command("report")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
                  help="Folder for index.html, results.json and the CSV tables (created if missing).")
    @click.option("--simulate-days", type=float, default=DEFAULT_SIMULATE_DAYS, show_default=True,
                  help="Run the discrete-event twin for N days and plot throughput over time (0 skips it).")
    def report(file: str, out_dir: str, simulate_days: float) -> int:
        """Write a self-contained report of scenario FILE (opens offline in any browser)."""
        from twin.cli import InputError, stderr_console, stdout_console
        from twin.commands.output_notes import print_output_notes
        from twin.report import write_report
        from twin.scenario import load_scenario

        if not 0 <= simulate_days <= 3650:
            raise InputError(f"--simulate-days: {simulate_days:g} is outside [0, 3650] days")
        scenario = load_scenario(file)
        with stderr_console.status("evaluating, simulating, sensitivity, charts..."):
            index = write_report(scenario, out_dir, simulate_days=simulate_days or None)
        stdout_console.print(f"report written: {index}", highlight=False)
        print_output_notes(json.loads((index.parent / "results.json").read_text(encoding="utf-8")))
        return 0
