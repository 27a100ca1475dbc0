"""``ssb-twin report FILE --out DIR [--simulate-days N]``: the engineer's HTML report, results.json and CSVs."""

from __future__ import annotations

import json

import click

# Two weeks of plant time: enough to see the line settle after warm-up, seconds of wall time.
DEFAULT_SIMULATE_DAYS = 14.0


def _phase(simulated_days: float | None, steady_share: float):
    """The bar's phase text: steady-state parts first, then the twin's simulated day (warm-up included)."""
    def describe(fraction: float) -> str:
        if simulated_days is None or fraction < steady_share:
            return "evaluation, sensitivity, charts"
        day = (fraction - steady_share) / (1.0 - steady_share) * simulated_days
        return f"twin: day {day:.0f} of {simulated_days:g} simulated"
    return describe


def register(group: click.Group) -> None:
    @group.command("report")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
                  help="Folder for index.html, results.json and the CSV tables (created if missing).")
    @click.option("--simulate-days", type=float, default=DEFAULT_SIMULATE_DAYS, show_default=True,
                  help="Run the discrete-event twin for N days and plot throughput over time (0 skips it).")
    @click.option("--set", "set_values", multiple=True, metavar="PATH=VALUE",
                  help="Override a scenario field (repeatable), as in evaluate.")
    def report(file: str, out_dir: str, simulate_days: float, set_values: tuple[str, ...]) -> int:
        """Write a self-contained report of scenario FILE (opens offline in any browser)."""
        from twin.cli import InputError, stdout_console
        from twin.commands.output_notes import print_output_notes
        from twin.progress import progress_bar
        from twin.report import write_report
        from twin.scenario import load_scenario

        if not 0 <= simulate_days <= 3650:
            raise InputError(f"--simulate-days: {simulate_days:g} is outside [0, 3650] days")
        from twin.commands.evaluate import parse_set_options

        scenario = load_scenario(file, overrides=parse_set_options(set_values) or None)
        days = simulate_days or None
        if days is None:
            with progress_bar("report", 1.0, "", describe=_phase(None, 0.0)) as bar:
                index = write_report(scenario, out_dir, simulate_days=None, progress=bar)
        else:
            from twin.report.writer import simulated_days, steady_share

            simulated = simulated_days(scenario, days)
            with progress_bar("report", 1.0, "", describe=_phase(simulated, steady_share(simulated))) as bar:
                index = write_report(scenario, out_dir, simulate_days=days, progress=bar)
        stdout_console.print(f"report written: {index}", highlight=False)
        print_output_notes(json.loads((index.parent / "results.json").read_text(encoding="utf-8")))
        return 0
