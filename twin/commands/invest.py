"""``ssb-twin invest FILE [--location NAME] [--price P] [--simulate-days N] [--json OUT]``: the investment case."""

from __future__ import annotations

import click

from twin.commands.json_output import json_option, write_json


def load_placed_scenario(file: str, location: str | None, set_values: tuple[str, ...], extra: dict | None = None):
    """The scenario of FILE with ``--set`` overrides, placed at ``--location`` (every preset value written)."""
    from twin.commands.evaluate import parse_set_options
    from twin.scenario import apply_overrides, read_scenario_document, validate_scenario
    from twin.scenario.location import apply_location

    document = read_scenario_document(file)
    if location is not None:
        document = apply_location(document, location)
    overrides = {**parse_set_options(set_values), **(extra or {})}
    if overrides:
        document = apply_overrides(document, overrides)
    return validate_scenario(document)


def register(group: click.Group) -> None:
    @group.command("invest")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--location", default=None, metavar="NAME",
                  help="Put the plant in a region: labour, electricity, building and cost of capital from the "
                       "preset (united_states, germany, china).")
    @click.option("--price", "price", type=float, default=None, metavar="USD_PER_KWH",
                  help="Cell price; default investment.cell_price_usd_per_kwh of the scenario.")
    @click.option("--simulate-days", type=float, default=None,
                  help="Run each distinct period in the discrete-event twin for N days instead of evaluate.")
    @json_option("Write the investment block as JSON to this file ('-': stdout, the tables then go to stderr).")
    @click.option("--set", "set_values", multiple=True, metavar="PATH=VALUE", help="Override a scenario field.")
    def invest(file: str, location: str | None, price: float | None, simulate_days: float | None,
               json_out: str | None, set_values: tuple[str, ...]) -> int:
        """Plant life of scenario FILE: construction, ramp-up with learning, cash flows, NPV, IRR, payback."""
        from rich import box
        from rich.table import Table

        from twin.cli import InputError, stderr_console, stdout_console
        from twin.commands.formats import percent, time_share
        from twin.cost.investment import investment_case
        from twin.no_output import figure

        if simulate_days is not None and not 0.25 <= simulate_days <= 365:
            raise InputError(f"--simulate-days: {simulate_days:g} is outside [0.25, 365] days")
        extra = {"investment.cell_price_usd_per_kwh": price} if price is not None else None
        scenario = load_placed_scenario(file, location, set_values, extra)
        with stderr_console.status("running the plant's life period by period..."):
            case = investment_case(scenario, simulate_days=simulate_days)
        summary = Table(title=f"{scenario.name}: investment case", show_header=False)
        summary.add_column("figure")
        summary.add_column("value", justify="right")
        for label, value in (
            ("cell price, USD/kWh", figure(case["cell_price_usd_per_kwh"], ",.1f")),
            ("capex, USD M", figure(case["capex_usd"] / 1e6, ",.1f")),
            ("discount rate", figure(case["discount_rate"], ".1%")),
            ("NPV, USD M", figure(case["npv_usd"] / 1e6, ",.1f")),
            ("IRR", figure(case["irr"], ".1%")),
            ("payback, years from start of construction", figure(case["payback_years"], ".2f")),
            ("levelised cost, USD/kWh", figure(case["levelised_usd_per_kwh"], ",.1f")),
            ("lifetime output, GWh", figure(case["lifetime_gwh"], ",.3f")),
        ):
            summary.add_row(label, value)
        stdout_console.print(summary)
        # no column rules: eleven columns of figures fit an 80-column terminal whole ("53.4…" and "constru…"
        # with the boxed table)
        years = Table(title="by year (USD M)", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
        for column in ("year", "phase", "capex", "opex", "revenue", "net", "MWh", "USD/kWh", "yield", "OEE*"):
            years.add_column(column, justify="left" if column == "phase" else "right",
                             min_width=8 if column == "phase" else None)
        for y in case["years"]:
            years.add_row(str(y["year"]), y["phase"], figure(y["capex_usd"] / 1e6, ",.1f"),
                          figure(y["cash_opex_usd"] / 1e6, ",.1f"), figure(y["revenue_usd"] / 1e6, ",.1f"),
                          figure(y["net_cash_flow_usd"] / 1e6, ",.1f"), figure(y["kwh"] * 1e-3, ",.0f"),
                          figure(y["usd_per_kwh"], ",.1f"), percent(y["overall_yield"]),
                          time_share(y["bottleneck_oee"]))
        stdout_console.print(years)
        stdout_console.print(f"* OEE of the bottleneck station. {case['conventions']}.", highlight=False,
                             soft_wrap=True)
        stdout_console.print(case["steady_state"]["sentence"], highlight=False, soft_wrap=True)
        write_json(json_out, case)
        return 0
