"""optimise prints the scenario paths a user types to apply its design (``--set PATH=VALUE``), not the names of
its search space; the printed command reproduces the design's evaluation exactly."""

from __future__ import annotations

import json
import shlex

import pytest
import yaml

from twin.cli import main
from twin.commands.design_paths import design_set_paths, recipe_set_path, set_value_text
from twin.commands.optimise import apply_design_command
from twin.commands.optimise_tables import print_result
from twin.scenario import load_scenario
from twin.scenario.loader import parse_yaml_value

BASELINE = "scenarios/oxide_baseline.yaml"


@pytest.mark.unit
def test_recipe_labels_are_the_paths_of_the_fields_they_set():
    scenario = load_scenario(BASELINE)
    # the optimiser's peak temperature and hold are those of the profile's hottest segment (index 1 here)
    assert [segment.temperature_C for segment in scenario.step("electrolyte_sintering").profile][1] == max(
        segment.temperature_C for segment in scenario.step("electrolyte_sintering").profile)
    assert recipe_set_path(scenario, "electrolyte_sintering.sintering_peak_temperature_C") == \
        "route.electrolyte_sintering.profile[1].temperature_C"
    assert recipe_set_path(scenario, "electrolyte_sintering.sintering_hold_time_min") == \
        "route.electrolyte_sintering.profile[1].hold_time_min"
    assert recipe_set_path(scenario, "electrolyte_sintering.cover_powder") == "route.electrolyte_sintering.cover_powder"
    assert recipe_set_path(scenario, "li_lamination.lamination_pressure_MPa") == "route.li_lamination.pressure_MPa"


@pytest.mark.unit
@pytest.mark.parametrize("value", [1e-05, 0.1, 29.333333333333332, 1e20, -3, 0, True, False, None, "xray_2d",
                                   "1e3", "true", "a: b", [1.0, "a"], {"gap_mm": 2.5, "open": [1, 2]}])
def test_a_value_is_written_so_set_reads_it_back(value):
    assert parse_yaml_value(set_value_text(value)) == value


@pytest.mark.unit
def test_a_block_the_file_leaves_out_is_given_whole():
    read = {"route": [{"name": "fire", "peak_C": 1100.0, "confinement": None}], "line": {"machines": 2}}
    written = {"route": [{"name": "fire", "peak_C": 1120.0, "confinement": {"gap_mm": 2.0}}], "line": {"machines": 3}}
    document = {"route": [{"name": "fire", "peak_C": 1100}], "line": {"machines": 2}}
    assert design_set_paths(read, written, document) == [
        ("route.fire.peak_C", 1120.0), ("route.fire.confinement", {"gap_mm": 2.0}), ("line.machines", 3)]
    assert design_set_paths(read, read, document) == []


@pytest.mark.integration
def test_the_printed_design_reproduces_the_optimised_evaluation(optimised, tmp_path, capsys):
    scenario, result = optimised
    path = tmp_path / "small_grid.yaml"
    path.write_text(yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False), encoding="utf-8")
    command = apply_design_command(str(path), (), scenario, result)
    words = shlex.split(command)
    assert words[:3] == ["ssb-twin", "evaluate", str(path)]
    sets = [words[i + 1] for i, word in enumerate(words) if word == "--set"]
    # the recipe table prints each chosen field under the path the command sets
    print_result(result, scenario, command)
    printed = capsys.readouterr().out
    for recipe in result["design"]["recipes"].values():
        for label, value in recipe.items():
            assert f"{recipe_set_path(scenario, label)}={set_value_text(value)}" in sets
            assert recipe_set_path(scenario, label) in printed
    assert command in " ".join(printed.split())
    # typed back through evaluate's --set, the paths give the design optimise evaluated, number for number
    with pytest.raises(SystemExit) as done:
        main(["evaluate", str(path), *[arg for item in sets for arg in ("--set", item)], "--json", "-"])
    assert done.value.code == 0
    evaluated = json.loads(capsys.readouterr().out)
    assert evaluated["cost"]["usd_per_kwh"] == pytest.approx(result["cost"]["usd_per_kwh"], rel=1e-12)
    assert evaluated["yield"]["overall"] == pytest.approx(result["yield"]["overall"], rel=1e-12)
    assert evaluated["throughput"]["gwh_per_year"] == pytest.approx(result["throughput"]["gwh_per_year"], rel=1e-12)
