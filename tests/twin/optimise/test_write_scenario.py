"""``ssb-twin optimise --write-scenario``: the designed scenario as a YAML a user can evaluate, and recipe
values printed at engineering precision (exact in the JSON)."""

from __future__ import annotations

import json

import pytest

from twin.commands.optimise_tables import recipe_value


@pytest.mark.unit
@pytest.mark.parametrize("value, printed", [(29.333333333333332, "29.3"), (1100.0, "1100"), (0.05, "0.05"),
                                            (0.15000000000000002, "0.15"), (68.0, "68"), (0.0, "0"),
                                            (True, "True"), (1.2345e-4, "0.000123")])
def test_recipe_values_print_to_three_significant_figures(value, printed):
    assert recipe_value(value) == printed


@pytest.mark.component
def test_the_written_scenario_evaluates_to_the_promised_cost(tmp_path, run_cli, make_small_baseline_file):
    # 10, 23.33, 36.67, 50 min: holds that are not whole minutes
    source = make_small_baseline_file(tmp_path, sintering_hold_time_min={"min": 10, "max": 50, "points": 4})
    written, promised_json = tmp_path / "designed.yaml", tmp_path / "optimise.json"
    code, captured = run_cli(["optimise", str(source), "--no-twin-check", "--json", str(promised_json),
                             "--write-scenario", str(written)])
    assert code == 0
    promised = json.loads(promised_json.read_text())
    text = written.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")][:4]
    assert header[0].startswith(f"# written by ssb-twin optimise of scenario {promised['scenario']}")
    assert "objective min_cost" in header[0]
    assert f"{promised['cost']['usd_per_kwh']:,.1f} USD/kWh" in header[1]
    # the exact recipe is in the file and in the JSON; the table prints it to three figures
    hold = promised["design"]["recipes"]["electrolyte_sintering"]["electrolyte_sintering.sintering_hold_time_min"]
    assert min(abs(hold - grid) for grid in (10.0, 70 / 3, 110 / 3, 50.0)) < 1e-9
    assert f" {recipe_value(hold)} " in captured.out
    evaluated_json = tmp_path / "evaluate.json"
    code, _ = run_cli(["evaluate", str(written), "--json", str(evaluated_json)])
    assert code == 0
    evaluated = json.loads(evaluated_json.read_text())
    assert evaluated["cost"]["usd_per_kwh"] == pytest.approx(promised["cost"]["usd_per_kwh"], rel=1e-12)
    assert evaluated["yield"]["overall"] == pytest.approx(promised["yield"]["overall"], rel=1e-12)


@pytest.mark.component
def test_the_written_scenario_says_it_is_the_optimisers_design_and_what_it_changed(tmp_path, run_cli,
                                                                                  make_small_baseline_file):
    # the written pilot line's description still read "two box kilns, cover powder, two shifts five days"
    # while the file set 1 kiln, no cover powder and 3 shifts
    import yaml

    from twin.commands.design_paths import design_set_paths
    from twin.scenario import load_scenario

    source = make_small_baseline_file(tmp_path)
    written = tmp_path / "designed.yaml"
    code, _ = run_cli(["optimise", str(source), "--no-twin-check", "--write-scenario", str(written)])
    assert code == 0
    read = load_scenario(source).model_dump(mode="json")
    designed = load_scenario(written).model_dump(mode="json")
    description = yaml.safe_load(written.read_text(encoding="utf-8"))["description"]
    assert description.startswith(f"The optimiser's design (ssb-twin optimise, objective min_cost) of {read['name']}, "
                                  "changing ")
    changes = [(path, value) for path, value in design_set_paths(read, designed, read) if path != "description"]
    assert changes and all(f"{path}=" in description for path, _ in changes)
    assert description.endswith("The original's description: " + " ".join(read["description"].split()))
