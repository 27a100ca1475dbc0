"""``ssb-twin optimise``: flags, exit codes, JSON output; and the optimisation block of the schema."""

from __future__ import annotations

import json
import re

import pytest

from twin.scenario import ScenarioError, load_scenario, validate_scenario
from twin.scenario.optimisation_space import Grid


@pytest.mark.component
def test_optimise_writes_json_and_a_table(tmp_path, run_cli, make_small_baseline_file):
    out = tmp_path / "result.json"
    code, captured = run_cli(
        ["optimise", str(make_small_baseline_file(tmp_path)), "--no-twin-check", "--json", str(out)]
    )
    assert code == 0
    assert "chosen recipe" in captured.out and "binding limits" in captured.out
    result = json.loads(out.read_text())
    assert result["status"] == "optimal"
    assert result["candidates"]["electrolyte_sintering"]["generated"] == 2 * 2 * 1 * 2
    assert set(result["timing_s"]) >= {"candidate_evaluation", "model_build", "solve"}


@pytest.mark.component
def test_infeasible_target_exits_3_and_names_the_constraint(tmp_path, run_cli, make_small_baseline_file):
    path = make_small_baseline_file(tmp_path, max_machines_per_station=2)
    code, captured = run_cli(["optimise", str(path), "--no-twin-check"])
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
def test_bad_flags_exit_2_with_the_allowed_range(tmp_path, run_cli, flag, message):
    code, captured = run_cli(["optimise", "scenarios/oxide_baseline.yaml", *flag])
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

