"""Every library scenario runs end to end: evaluation with all result keys, and a short twin run."""

from pathlib import Path

import numpy as np
import pytest

from twin.evaluate import evaluate_scenario
from twin.results import missing_result_keys
from twin.scenario import apply_overrides, load_scenario, read_scenario_document, validate_scenario
from twin.sheet_physics import run_route

SCENARIOS = sorted(Path("scenarios").glob("*.yaml"))


@pytest.mark.integration
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_library_scenario_evaluates_with_every_result_key(path):
    result = evaluate_scenario(load_scenario(path))
    assert missing_result_keys(result) == []
    assert 0.0 < result["yield"]["overall"] <= 1.0
    assert result["throughput"]["gwh_per_year"] > 0
    assert result["cost"]["usd_per_kwh"] > 0
    assert result["bottleneck"] in {step for step in result["yield"]["sheet_yield_by_step"]}


@pytest.mark.component
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_variation_switched_on_still_runs(path):
    # each variation source at a moderate level, including batch-level ones such as hold-time scatter
    document = read_scenario_document(path)
    overrides = {f"variation.{name}": value for name, value in {
        "tape_thickness_cv": 0.03, "spray_thickness_cv": 0.03, "green_density_sd": 0.01, "particle_size_cv": 0.1,
        "furnace_setpoint_sd_K": 5.0, "furnace_load_spread_K": 10.0, "furnace_sheet_sd_K": 3.0,
        "hold_time_cv": 0.1, "li_excess_sd_wt_fraction": 0.005, "lamination_pressure_cv": 0.05,
        "interface_asr_cv": 0.1,
    }.items()}
    scenario = validate_scenario(apply_overrides(document, overrides))
    batch = run_route(scenario, 400, np.random.default_rng(1), unit_sheets=100)
    assert batch.alive.sum() + (~batch.alive).sum() == 400
    density = batch.state["relative_density"][batch.alive]
    assert np.all((density[np.isfinite(density)] > 0) & (density[np.isfinite(density)] <= 1))
