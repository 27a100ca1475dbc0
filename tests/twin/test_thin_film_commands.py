"""Both thin-film library scenarios run through every command: validate, evaluate, simulate, report."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from twin.cli import build_cli

SCENARIOS = ("scenarios/thinfilm_microbattery.yaml", "scenarios/thinfilm_web.yaml")


@pytest.mark.integration
@pytest.mark.parametrize("path", SCENARIOS)
def test_thin_film_scenario_runs_through_every_command(path, tmp_path):
    cli = build_cli()
    runner = CliRunner()
    assert runner.invoke(cli, ["validate", path]).exit_code == 0
    evaluated = runner.invoke(cli, ["evaluate", path, "--json", str(tmp_path / "evaluate.json")])
    assert evaluated.exit_code == 0, evaluated.output
    result = json.loads((tmp_path / "evaluate.json").read_text())
    assert result["cost"]["usd_per_kwh"] > 0 and result["cost"]["usd_per_cell"] > 0
    assert result["cell"]["delivered_capacity_mAh_per_cm2"]["mean"] > 0.2
    vacuum = [name for name in result["energy"]["by_station_kwh_per_kwh"] if "coater" in name or "deposition" in name]
    assert vacuum and all(result["energy"]["by_station_kwh_per_kwh"][name] > 0 for name in vacuum)
    simulated = runner.invoke(cli, ["simulate", path, "--days", "5", "--replications", "1",
                                    "--seed", "1", "--json", str(tmp_path / "simulate.json")])
    assert simulated.exit_code == 0, simulated.output
    assert json.loads((tmp_path / "simulate.json").read_text())["yield"]["overall"] > 0.8
    reported = runner.invoke(cli, ["report", path, "--out", str(tmp_path / "report")])
    assert reported.exit_code == 0, reported.output
    assert (tmp_path / "report" / "index.html").exists()


@pytest.mark.component
def test_a_simulated_window_shorter_than_two_ocv_screen_cycles_is_flagged(tmp_path):
    # 3 simulated days of a 7-day OCV screen gave 10-50 % more or fewer cells per day than evaluate: say so
    from twin.commands.simulate import short_window_note
    from twin.scenario import load_scenario

    scenario = load_scenario(SCENARIOS[0])
    assert short_window_note(scenario, 14.0) is None
    assert short_window_note(scenario, 13.9).startswith("Short run: the measured 13.9 d hold fewer than two "
                                                        "7.0-day cycles of ocv_screen")
    ran = CliRunner().invoke(build_cli(), ["simulate", SCENARIOS[0], "--days", "1", "--seed", "1"])
    assert ran.exit_code == 0, ran.output
    assert "use --days 14 or more" in " ".join(ran.output.split())


@pytest.mark.component
def test_simulate_prints_a_thin_film_lines_output_in_significant_figures(tmp_path):
    # the microbattery line makes ~7.7e-06 GWh/yr: simulate's table printed it as "0.0000" (four decimals) where
    # evaluate and optimise print four significant figures; its 2.4 M USD/kWh lacked thousands separators
    out = tmp_path / "simulate.json"
    ran = CliRunner().invoke(build_cli(), ["simulate", SCENARIOS[0], "--days", "1", "--seed", "1", "--json", str(out)])
    assert ran.exit_code == 0, ran.output
    result = json.loads(out.read_text())
    gwh, usd_per_kwh = result["throughput"]["gwh_per_year"], result["cost"]["usd_per_kwh"]
    assert 0 < gwh < 1e-4 and usd_per_kwh > 1e5
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in ran.output.splitlines()
            if line.count("│") == 3}
    assert rows["GWh per year"] == format(gwh, ".4g")
    assert rows["USD per kWh"] == format(usd_per_kwh, ",.1f")
