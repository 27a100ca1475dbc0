"""``ssb-twin evaluate FILE [--json OUT] [--set path=value ...] [--sheets N]``: fast steady-state cost, yield and
throughput."""

from __future__ import annotations

import click
import yaml

from twin.commands.json_output import json_option, write_json


def parse_set_options(values: tuple[str, ...]) -> dict:
    """``path=value`` strings -> overrides; the value is read as YAML (numbers, true/false, lists)."""
    from twin.cli import InputError
    from twin.scenario.loader import parse_yaml_value

    overrides = {}
    for item in values:
        path, sep, text = item.partition("=")
        if not sep or not path.strip():
            raise InputError(f"--set {item!r}: expected dotted.path=value, e.g. --set costs.labour.usd_per_hour=35")
        try:
            overrides[path.strip()] = parse_yaml_value(text)
        except yaml.YAMLError:
            raise InputError(f"--set {item!r}: the value {text!r} is not a number, true/false, text or list") from None
    return overrides


def _usd_per_kwh(value) -> str:
    """A step's USD/kWh: a decimal below 1,000, whole dollars above (a thin-film line's 771,625.3 truncated the
    table at 80 columns, and the tenth of a dollar says nothing at that size)."""
    from twin.no_output import figure

    large = value is not None and abs(value) >= 1000.0
    return figure(value, ",.0f" if large else ",.1f")


def _per_mass_or_volume(value) -> str:
    """Wh/kg or Wh/L: whole units from 100 up (a cell's 130 or 707), three figures below (a thin-film
    microcell's 8.45 read 8)."""
    from twin.no_output import figure

    large = value is not None and abs(value) >= 100.0
    return figure(value, ",.0f" if large else ".3g")


# the sample's limits: two sheets per block of each of the six firing groups at least (twin.sampling_error needs
# two blocks); at most 100,000 sheets (~20 s and ~50 MB of sheet state: assumption, an interactive command)
MIN_SAMPLE_SHEETS = 12
MAX_SAMPLE_SHEETS = 100_000
SAMPLE_SHEETS = 3000   # twin.evaluate.SAMPLE_SHEETS (not imported here: the CLI starts without numpy)


def _yield_to_its_error(result: dict) -> str:
    """The overall yield to the precision its sampling error supports, with the error: '81.6% +- 0.6' (two
    decimals read as if the +-0.6 points were not there); two decimals when there is no error."""
    from twin.figures import percent_to_error, to_error

    overall = result["yield"]["overall"]
    interval = (result.get("sampling_error") or {}).get("yield_overall") or {}
    if overall is None or interval.get("ci95_high") is None:
        from twin.commands.formats import percent

        return percent(overall)
    half = interval["ci95_high"] - interval["value"]
    _, error = to_error(overall * 100.0, half * 100.0)
    return f"{percent_to_error(overall, half)} +- {error}"


def cost_relative_error(result: dict) -> float | None:
    """The USD/kWh's 95 % sampling error relative to its value (the interval's shorter side, as the sampling
    error sentence rounds it, twin.sampling_error); None without one."""
    interval = (result.get("sampling_error") or {}).get("usd_per_kwh") or {}
    value, low, high = (interval.get(key) for key in ("value", "ci95_low", "ci95_high"))
    if value is None or low is None or high is None or not value > 0.0:
        return None
    return min(value - low, high - value) / value


def to_cost_error(value, relative_error: float | None, fmt: str) -> str:
    """A cost-like figure rounded to the USD/kWh's relative sampling error (twin.figures.to_error): 762.3 +- 6
    reads 762, 66,951.1 with 37,000 to 121,000 reads 67,000; ``fmt`` without an error. USD per cell and energy
    per kWh share the cost's denominator (the good output the sample gives), so they carry its relative error
    (the energy per cell's spread in it too, so at least as wide as their own)."""
    from twin.figures import to_error
    from twin.no_output import figure

    if value is None or relative_error is None or not relative_error > 0.0:
        return figure(value, fmt)
    rounded, _ = to_error(value, abs(value) * relative_error)
    return rounded if rounded != "n/a" else figure(value, fmt)


def register(group: click.Group) -> None:
    @group.command("evaluate")
    @click.argument("file", type=click.Path(dir_okay=False))
    @json_option()
    @click.option("--set", "set_values", multiple=True, metavar="PATH=VALUE",
                  help="Override a scenario field, e.g. "
                       "--set route.electrolyte_sintering.li_excess_li2co3_wt_fraction=0.15")
    @click.option("--sheets", type=click.IntRange(MIN_SAMPLE_SHEETS, MAX_SAMPLE_SHEETS), default=SAMPLE_SHEETS,
                  show_default=True,
                  help="Sheets in the Monte Carlo sample; more tighten a line with few good sheets (~0.2 s per "
                       "1,000 sheets).")
    def evaluate(file: str, json_out: str | None, set_values: tuple[str, ...], sheets: int) -> int:
        """Steady-state evaluation of scenario FILE: yield, bottleneck, throughput and cost (~0.9 s CPU)."""
        from rich.table import Table

        from twin.cell_rating import c_rate_text
        from twin.cli import stdout_console
        from twin.commands.formats import (
            CELL_PIECE_YIELD_DEFINITION,
            PLANT_ROW_LABEL,
            category_table,
            percent,
            plant_usd_per_kwh,
            time_share,
        )
        from twin.commands.output_notes import print_output_notes
        from twin.evaluate import evaluate_scenario
        from twin.headline_condition import conditional_headline
        from twin.no_output import figure
        from twin.piece_yield import sheet_steps
        from twin.scenario import load_scenario

        scenario = load_scenario(file, overrides=parse_set_options(set_values) or None)
        result = evaluate_scenario(scenario, sheets)
        throughput, cost = result["throughput"], result["cost"]
        cell = result.get("cell") or {}
        rate = c_rate_text(scenario.cell.rating.c_rate_per_h)
        relative = cost_relative_error(result)   # USD/kWh, per cell and energy to the sample's error (JSON exact)
        summary = Table(title=f"{scenario.name}: steady-state evaluation", show_header=False)
        summary.add_column("figure")
        summary.add_column("value", justify="right")
        for label, value in (
            ("good cells per calendar day", figure(throughput["good_cells_per_day"], ",.0f")),
            ("GWh per year", f"{figure(throughput['gwh_per_year'], '.4g')}  "
                             f"(target {figure(throughput['target_gwh_per_year'], 'g')})"),
            ("overall yield", _yield_to_its_error(result)),
            ("cell piece yield (finished sheets)", percent(result["yield"]["cell_piece_yield"])),
            ("bottleneck", result["bottleneck"]),
            ("USD per kWh", to_cost_error(cost["usd_per_kwh"], relative, ",.1f")),
            ("USD per cell", to_cost_error(cost["usd_per_cell"], relative, ",.2f")),
            ("USD per m2 of cell layer", figure(cost["usd_per_m2"], ",.2f")),
            # what a good cell holds: delivered at its rating (the energy the cost is per), beside the design
            (f"Wh per cell, delivered at {rate}", f"{figure(cell.get('delivered_cell_energy_wh'), '.4g')}  "
                                                  f"(design {figure(cell.get('design_cell_energy_wh'), '.4g')})"),
            ("Wh per kg, finished cell", _per_mass_or_volume(cell.get("specific_energy_wh_per_kg"))),
            ("Wh per L, finished cell", _per_mass_or_volume(cell.get("energy_density_wh_per_l"))),
            ("capex, USD M", figure(cost["capex_usd"] / 1e6, ",.1f")),
            ("energy, kWh per kWh", to_cost_error(result["energy_kwh_per_kwh"], relative, ",.1f")),
        ):
            summary.add_row(label, value)
        condition = conditional_headline(result)
        if condition:   # above the table: the headline is read first (twin.headline_condition)
            stdout_console.print(condition, style="bold yellow", markup=False, highlight=False, soft_wrap=True)
        stdout_console.print(summary)
        # one line under the table, not a caption: rich centres a caption in the table's width
        stdout_console.print(CELL_PIECE_YIELD_DEFINITION, markup=False, highlight=False, soft_wrap=True)
        print_output_notes(result, scenario)
        # "yield" is in the overall yield's unit (good cell pieces, twin.piece_yield): the product of the
        # column x the escape factor in the caption is the overall yield; "sheet yield" counts whole sheets
        yields = result["yield"]
        piece_yields = yields.get("piece_yield_by_step") or {}
        caption = None
        if piece_yields:
            caption = (f"yield: good cell pieces kept by the step; their product x escape factor "
                       f"{percent(yields['escape_factor'])} (good share of the pieces shipped) = overall "
                       f"{percent(yields['overall'])}. sheets: sheet yield (not scrapped whole), blank after "
                       "cutting (no sheet left); util.: utilization; OEE: availability x performance x sheet yield "
                       "(its quality counts whole sheets, not the pieces lost on sheets that go on); mach.: "
                       "machines.")
        # no padding inside the outer border: two more characters that the longest step names need at 80 columns
        steps = Table(title="by step", caption=caption, pad_edge=False)
        # the step names stay whole in an 80-column terminal; the headers of the figures wrap instead
        # (the bottleneck's " *" widens only its own name: the longest library names, sulphide_milled's, then fit)
        longest = max(len(name) + (2 if name == result["bottleneck"] else 0)
                      for name in yields["sheet_yield_by_step"])
        steps.add_column("step", justify="left", no_wrap=True, min_width=longest)
        for column in ("yield", "sheets", "util.", "OEE", "mach.", "USD/kWh"):
            steps.add_column(column, justify="right", no_wrap=True)
        with_sheets = sheet_steps(scenario)
        for name, sheet_yield in yields["sheet_yield_by_step"].items():
            station = result["stations"][name]
            marker = " *" if name == result["bottleneck"] else ""
            steps.add_row(name + marker, percent(piece_yields.get(name)),
                          percent(sheet_yield) if name in with_sheets else "",
                          time_share(station["utilization"]), time_share(station["oee"]),
                          str(station["machines"]), _usd_per_kwh(cost["by_step"][name]))
        plant = plant_usd_per_kwh(cost["by_step"], result["stations"])
        if plant is not None:   # the shared plant items: the column then sums to the total
            steps.add_row(PLANT_ROW_LABEL, "", "", "", "", "", _usd_per_kwh(plant))
        stdout_console.print(steps)
        stdout_console.print(category_table(cost["by_category"], "by category"))
        write_json(json_out, result)
        return 0
