"""``ssb-twin sensitivity FILE [--sobol N] [--monte-carlo M] [--location NAME] [--json OUT]``."""

from __future__ import annotations

import click

from twin.commands.json_output import json_option, write_json
from twin.cost.sobol import DEFAULT_BASE_SAMPLES, PHYSICS_SHEETS


def register(group: click.Group) -> None:
    @group.command("sensitivity")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--sobol", "base_samples", type=int, default=DEFAULT_BASE_SAMPLES, show_default=True,
                  help="Sobol base sample N (a power of 2); the model runs N x (inputs + 2) times. 0 skips it.")
    @click.option("--monte-carlo", "samples", type=int, default=200, show_default=True,
                  help="Monte Carlo samples over the same inputs (0 skips it).")
    @click.option("--physics-sheets", type=int, default=PHYSICS_SHEETS, show_default=True,
                  help="Sheets re-run through the physics per sample for the inputs that change yields.")
    @click.option("--location", default=None, metavar="NAME", help="Put the plant in a region preset first.")
    @json_option()
    @click.option("--set", "set_values", multiple=True, metavar="PATH=VALUE", help="Override a scenario field.")
    def sensitivity(file: str, base_samples: int, samples: int, physics_sheets: int, location: str | None,
                    json_out: str | None, set_values: tuple[str, ...]) -> int:
        """What matters for $/kWh of scenario FILE: Sobol indices (first, total order) and a Monte Carlo."""
        from rich.table import Table

        from twin.cli import InputError, stderr_console, stdout_console
        from twin.commands.invest import load_placed_scenario
        from twin.cost.sobol import monte_carlo, sobol_sensitivity
        from twin.no_output import figure

        if base_samples and (base_samples < 4 or base_samples > 4096 or base_samples & (base_samples - 1)):
            raise InputError(f"--sobol: {base_samples} is not a power of 2 in [4, 4096] (or 0 to skip)")
        if not 0 <= samples <= 100_000:
            raise InputError(f"--monte-carlo: {samples} is outside [0, 100000]")
        if not 100 <= physics_sheets <= 100_000:
            raise InputError(f"--physics-sheets: {physics_sheets} is outside [100, 100000]")
        scenario = load_placed_scenario(file, location, set_values)
        out: dict = {"scenario": scenario.name}
        if base_samples:
            with stderr_console.status("Sobol indices..."):
                out["sobol"] = sobol_sensitivity(scenario, base_samples=base_samples, physics_sheets=physics_sheets)
            table = Table(title=f"{scenario.name}: Sobol indices of USD/kWh "
                                f"({out['sobol']['model_runs']} model runs; +- is the 95 % bootstrap half-width)")
            for column in ("input", "range", "first order S1", "total order ST"):
                table.add_column(column, justify="left" if column in ("input", "range") else "right")
            for row in out["sobol"]["indices"]:
                table.add_row(row["input"] + (" (physics)" if row["physics"] else ""), row["range"],
                              f"{figure(row['S1'], '.3f')} +- {figure(row['S1_conf'], '.3f')}",
                              f"{figure(row['ST'], '.3f')} +- {figure(row['ST_conf'], '.3f')}")
            stdout_console.print(table)
            stdout_console.print(out["sobol"]["note"], highlight=False, soft_wrap=True)
            warning = out["sobol"]["precision"]["warning"]
            if warning:
                stdout_console.print(f"[bold red]{warning}[/]", highlight=False, soft_wrap=True)
        if samples:
            with stderr_console.status("Monte Carlo..."):
                out["monte_carlo"] = monte_carlo(scenario, samples=samples, physics_sheets=physics_sheets)
            mc = out["monte_carlo"]
            laws = "; ".join(f"{row['input']} {row['range']}" for row in mc["inputs"])
            stdout_console.print(f"Monte Carlo ({samples} samples over the inputs listed here, yields re-run by the "
                                 f"physics; uniform unless marked log-uniform: {laws}): USD/kWh p5 "
                                 f"{figure(mc['p5'], ',.1f')}, p50 {figure(mc['p50'], ',.1f')}, p95 "
                                 f"{figure(mc['p95'], ',.1f')}; no good output in "
                                 f"{figure(mc['undefined_fraction'], '.1%')} of samples", highlight=False)
        write_json(json_out, out)
        return 0
