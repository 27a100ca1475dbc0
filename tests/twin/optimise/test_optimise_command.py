"""``ssb-twin optimise``: flags, exit codes, JSON output; and the optimisation block of the schema."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from twin.cli import main
from twin.scenario import ScenarioError, load_scenario, validate_scenario
from twin.scenario.optimisation_space import Grid


def _small_file(tmp_path, **optimisation):
    document = yaml.safe_load(open("scenarios/oxide_baseline.yaml", encoding="utf-8"))
    document["optimisation"].update(
        {
            "sintering_peak_temperature_C": {"min": 1120, "max": 1150, "points": 2},
            "sintering_hold_time_min": {"min": 10, "max": 30, "points": 2},
            "li_excess_li2co3_wt_fraction": {"min": 0.0, "max": 0.0, "points": 1},
            "candidate_sample_sheets": 50,
            "max_machines_per_station": 40,
            **optimisation,
        }
    )
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def _run(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    return exit_info.value.code, capsys.readouterr()


@pytest.mark.component
def test_optimise_writes_json_and_a_table(tmp_path, capsys):
    out = tmp_path / "result.json"
    code, captured = _run(
        ["optimise", str(_small_file(tmp_path)), "--no-twin-check", "--json", str(out)], capsys
    )
    assert code == 0
    assert "chosen recipe" in captured.out and "binding limits" in captured.out
    result = json.loads(out.read_text())
    assert result["status"] == "optimal"
    assert result["candidates"]["electrolyte_sintering"]["generated"] == 2 * 2 * 1 * 2
    assert set(result["timing_s"]) >= {"candidate_evaluation", "model_build", "solve"}


@pytest.mark.component
def test_infeasible_target_exits_3_and_names_the_constraint(tmp_path, capsys):
    path = _small_file(tmp_path, max_machines_per_station=2)
    code, captured = _run(["optimise", str(path), "--no-twin-check"], capsys)
    assert code == 3
    assert "infeasible because of output_target" in captured.out


@pytest.mark.unit
@pytest.mark.parametrize(
    "flag, message",
    [
        (["--days", "-3"], "--days -3: must be in (0, 3650] days"),
        (["--replications", "0"], "--replications 0: must be in [1, 100]"),
    ],
)
def test_bad_flags_exit_2_with_the_allowed_range(tmp_path, capsys, flag, message):
    code, captured = _run(["optimise", "scenarios/oxide_baseline.yaml", *flag], capsys)
    assert code == 2
    assert message in captured.err


@pytest.mark.unit
def test_grid_values_are_evenly_spaced():
    assert Grid(min=1050, max=1200, points=4).values() == [1050.0, 1100.0, 1150.0, 1200.0]
    assert Grid(min=2, max=2, points=1).values() == [2.0]


@pytest.mark.unit
@pytest.mark.parametrize(
    "field, value, message",
    [
        ("candidate_sample_sheets", 5, "candidate_sample_sheets"),
        ("shift_patterns", [[5, 7]], "shifts_per_day 5 is outside [1, 4]"),
        ("min_quality_margin", -0.1, "min_quality_margin"),
    ],
)
def test_optimisation_block_rejects_bad_values_by_name(field, value, message):
    document = load_scenario("scenarios/oxide_baseline.yaml").model_dump(mode="json")
    document["optimisation"][field] = value
    with pytest.raises(ScenarioError, match=re.escape(message)):
        validate_scenario(document)


@pytest.mark.unit
def test_sintering_steps_must_name_a_sintering_step():
    from twin.optimise.recipe_space import recipe_axes

    document = load_scenario("scenarios/oxide_baseline.yaml").model_dump(mode="json")
    document["optimisation"]["sintering_steps"] = ["cutting"]
    with pytest.raises(
        ScenarioError, match=r"optimisation.sintering_steps\[0\]: 'cutting' is not a sintering step"
    ):
        recipe_axes(validate_scenario(document))
