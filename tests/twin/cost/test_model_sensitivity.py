"""Model-parameter Monte Carlo: seeded, moves the physics it names, and neutral outside a draw."""

from __future__ import annotations

import numpy as np
import pytest

from twin.cost.model_sensitivity import MODEL_PARAMETERS, model_monte_carlo
from twin.evaluate import evaluate_scenario
from twin.model_uncertainty import KNOWN_FACTORS, model_factors
from twin.scenario import load_scenario

BASELINE = "scenarios/oxide_baseline.yaml"


@pytest.mark.integration
def test_li2o_flux_factor_scales_the_li_loss_and_is_neutral_afterwards():
    scenario = load_scenario(BASELINE)
    before = evaluate_scenario(scenario)["quality"]["li_loss_fraction"]["mean"]
    with model_factors({"li2o_flux": 2.0}):
        doubled = evaluate_scenario(scenario)["quality"]["li_loss_fraction"]["mean"]
    after = evaluate_scenario(scenario)["quality"]["li_loss_fraction"]["mean"]
    assert doubled == pytest.approx(2.0 * before, rel=0.02)
    assert after == before


@pytest.mark.integration
def test_band_is_seeded_and_brackets_the_point_estimate():
    scenario = load_scenario(BASELINE, {"route.electrolyte_sintering.cover_powder": False,
                                        "route.electrolyte_sintering.li_excess_li2co3_wt_fraction": 0.2})
    first = model_monte_carlo(scenario, np.random.default_rng(3), samples=12)
    again = model_monte_carlo(scenario, np.random.default_rng(3), samples=12)
    assert first == again
    band = first["overall_yield"]
    assert band["p5"] <= band["p50"] <= band["p95"]
    assert {p["name"] for p in first["parameters"]} == {p.name for p in MODEL_PARAMETERS}


@pytest.mark.unit
def test_unknown_factor_is_refused_with_the_known_names():
    with pytest.raises(ValueError, match="unknown; known: " + ", ".join(KNOWN_FACTORS)):
        with model_factors({"li_flux": 2.0}):
            pass
