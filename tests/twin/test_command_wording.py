"""Wording of evaluate's and simulate's printed output: 80-column tables, separators, singular/plural, air."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from twin.commands.output_notes import output_notes
from twin.no_output import counted
from twin.plant_gap import calendar_sentence
from twin.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "oxide_baseline.yaml"
THIN_FILM = ROOT / "scenarios" / "thinfilm_web.yaml"


def _evaluate_at_80_columns(path: Path, command: str = "evaluate") -> str:
    env = dict(os.environ, COLUMNS="80")
    ran = subprocess.run([sys.executable, "-m", "twin.cli", command, str(path)], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=False)
    assert ran.returncode == 0, ran.stderr
    return ran.stdout


def _simulated(days: float, scheduled_hours: float) -> dict:
    return {"measured": {"days": days, "scheduled_hours": scheduled_hours},
            "throughput": {"operating_hours_per_year": 8160.0}}


@pytest.mark.integration
@pytest.mark.parametrize("name", ["oxide_baseline", "sulphide_milled", "thinfilm_microbattery"])
def test_evaluate_tables_fit_80_columns_with_every_header_whole(name):
    out = _evaluate_at_80_columns(ROOT / "scenarios" / f"{name}.yaml")
    tables = [line for line in out.splitlines() if line[:1] in "┌┏│┃└┡"]
    assert max(len(line) for line in tables) <= 80
    assert "…" not in out
    if name == "oxide_baseline":
        # the cost categories one per row, whole
        for category in ("materials", "building", "maintenance", "overhead", "escapes"):
            assert any(line.startswith(f"│ {category} ") for line in tables), category


@pytest.mark.integration
def test_evaluate_prints_large_energy_and_cost_with_thousands_separators():
    out = _evaluate_at_80_columns(ROOT / "scenarios" / "thinfilm_microbattery.yaml")
    # the microbattery line's 347,112.5 kWh per kWh of cells (evaluate, this model) once printed as 347112.5;
    # now to the cost's sampling error (+- ~0.4 %: hundreds), with its separators
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in out.splitlines() if line.count("│") == 3}
    assert rows["energy, kWh per kWh"] == "347,100"
    # a step's USD/kWh above 1,000 in whole dollars with separators
    assert "│ 771,626│" in out


@pytest.mark.unit
def test_counted_says_one_day_and_two_days():
    assert counted(1, "day") == "1 day"
    assert counted(1.0, "replication") == "1 replication"
    assert counted(2, "day") == "2 days"
    assert counted(0.5, "day") == "0.5 days"
    assert counted(3, "measured day") == "3 measured days"


@pytest.mark.unit
def test_the_calendar_sentence_names_air_only_where_the_route_exposes_the_electrolyte():
    # 1 measured day of which 0 h scheduled: 24 h of stops where the year's 600 h give 1.6 h
    result = _simulated(days=1.0, scheduled_hours=0.0)
    oxide = " ".join(output_notes(result, load_scenario(BASELINE)))
    thin = " ".join(output_notes(result, load_scenario(THIN_FILM)))
    assert ("Calendar window: the 1 measured day held 24 h of shift-calendar stops where the year averages 1.6 h: "
            "sheets waiting over a stop (air before lamination) and restarts weigh more") in oxide
    assert ("Calendar window: the 1 measured day held 24 h of shift-calendar stops where the year averages 1.6 h: "
            "sheets waiting over a stop and restarts weigh more") in thin
    assert "air" not in calendar_sentence(result, air_exposed=False)


@pytest.mark.integration
def test_simulate_titles_one_day_and_one_replication_in_the_singular():
    from click.testing import CliRunner

    from twin.cli import build_cli

    ran = CliRunner().invoke(build_cli(), ["simulate", str(THIN_FILM), "--days", "1", "--replications", "1",
                                           "--seed", "1"])
    assert ran.exit_code == 0, ran.output
    words = " ".join(ran.output.split())
    assert "thinfilm_web: 1 day x 1 replication (warm-up" in words
    assert "air before lamination" not in words


@pytest.mark.integration
def test_the_investment_years_fit_80_columns_whole():
    # the boxed year table cut the yields and phases at 80 columns ("53.4…", "constru…")
    out = _evaluate_at_80_columns(BASELINE, "invest")
    years = [line for line in out.splitlines() if line.split()[:1] and line.split()[0].isdigit()]
    assert len(years) == 12 and max(len(line) for line in years) <= 80
    assert "…" not in out
    assert years[0].split()[:2] == ["0", "construction"] and years[-1].split()[-1].endswith("%")


@pytest.mark.integration
def test_evaluate_prints_cost_to_its_sampling_error():
    # oxide_baseline's 762.3 USD/kWh has a 95 % error of +- 6 (the sampling-error sentence's "762 +- 6"): the
    # table's decimal said more than the sample knows
    out = _evaluate_at_80_columns(ROOT / "scenarios" / "oxide_baseline.yaml")
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in out.splitlines() if line.count("│") == 3}
    assert rows["USD per kWh"] == "762"
    assert "762 +- 6 USD/kWh" in out


@pytest.mark.unit
def test_cost_figures_round_to_the_cost_interval():
    from twin.commands.evaluate import cost_relative_error, to_cost_error

    # a 1050 C cathode firing with 20,000 sheets: 66,951.1 USD/kWh (37,000 to 121,000), 2,111.58 USD per cell,
    # 12,391.0 kWh per kWh once printed to the tenth beside that interval
    result = {"sampling_error": {"usd_per_kwh": {"value": 66951.1, "ci95_low": 37000.0, "ci95_high": 121000.0}}}
    relative = cost_relative_error(result)
    assert relative == pytest.approx((66951.1 - 37000.0) / 66951.1, rel=1e-12)
    assert to_cost_error(66951.1, relative, ",.1f") == "67,000"
    assert to_cost_error(2111.58, relative, ",.2f") == "2,100"
    assert to_cost_error(12391.0, relative, ",.1f") == "12,000"
    # no interval: the usual format
    assert cost_relative_error({}) is None
    assert to_cost_error(762.33, None, ",.1f") == "762.3"
