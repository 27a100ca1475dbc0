"""Co-sintering step: both layers fired in one profile; mismatch -> delamination (cover plate) or camber."""

from __future__ import annotations

import numpy as np
import pytest

from process_models import co_sintering
from twin.evaluate import evaluate_scenario, sample_route
from twin.scenario import ScenarioError, load_scenario
from twin.sheet_batch import CAUSE_INDEX

SCENARIO = "scenarios/oxide_cosintered.yaml"


def _sample(overrides=None, sheets=400):
    scenario = load_scenario(SCENARIO, overrides or {})
    return sample_route(scenario, np.random.default_rng(5), sheets=sheets)


@pytest.mark.integration
def test_both_layers_densify_in_the_one_firing():
    batch = _sample()
    # the sheets that came through the firing (a sheet every piece of which a defect killed is scrapped
    # before it, at its green density: the stratified defect draws of the evaluation's sample make that
    # count its expectation, where the counted draws of seed 5 happened to hit none)
    firing = [step.name for step in load_scenario(SCENARIO).route].index("co_sintering")
    fired = (batch.scrap_step < 0) | (batch.scrap_step > firing)
    assert fired.sum() > 0.95 * batch.n
    assert np.nanmin(batch.state["relative_density"][fired]) > 0.9
    assert np.nanmin(batch.state["cathode_relative_density"][fired]) > 0.9
    assert np.all(np.isfinite(batch.state["electrolyte_log_theta"][fired]))


@pytest.mark.integration
def test_mismatch_is_the_difference_of_the_free_shrinkages():
    # without scatter both tapes are the same garnet at the same green density: no mismatch, nothing scrapped
    flat = {"variation.green_density_sd": 0.0, "variation.particle_size_cv": 0.0}
    batch = _sample(flat)
    np.testing.assert_allclose(batch.state["laminate_shrinkage_mismatch"], 0.0, atol=1e-12)
    # a denser cathode tape shrinks less than the electrolyte: negative mismatch of the predicted size
    denser = _sample(flat | {"route.cathode_casting.green_relative_density": 0.62})
    fired = denser.state["cathode_relative_density"]
    expected = co_sintering.free_linear_shrinkage(0.62, fired) - co_sintering.free_linear_shrinkage(
        0.55, denser.state["relative_density"])
    np.testing.assert_allclose(denser.state["laminate_shrinkage_mismatch"], expected, rtol=1e-9)
    assert np.all(expected < 0)


@pytest.mark.integration
def test_a_tight_interface_limit_delaminates_and_no_cover_plate_cambers():
    tight = _sample({"route.co_sintering.max_shrinkage_mismatch": 0.0001})
    delaminated = tight.scrap_cause == CAUSE_INDEX["delamination"]
    assert delaminated.mean() > 0.9
    free = _sample({"route.co_sintering.cover_plate": False})
    cambered = free.scrap_cause == CAUSE_INDEX["camber"]
    assert cambered.mean() > 0.9  # an asymmetric 100 um laminate with ~1 % mismatch curls
    assert np.all(free.state["laminate_camber_m"][cambered] > 1e-3)


@pytest.mark.integration
def test_scenario_evaluates_to_its_target():
    scenario = load_scenario(SCENARIO)
    result = evaluate_scenario(scenario)
    assert result["throughput"]["gwh_per_year"] >= scenario.plant.target_output_GWh_per_year
    assert result["cost"]["usd_per_kwh"] > 0


@pytest.mark.component
def test_co_sintering_needs_both_tapes_before_it():
    with pytest.raises(ScenarioError, match="co_sintering: needs both the electrolyte and the cathode"):
        load_scenario(SCENARIO, {"route.cathode_casting.layer": "electrolyte",
                                 "route.cathode_drying.layer": "electrolyte"})
