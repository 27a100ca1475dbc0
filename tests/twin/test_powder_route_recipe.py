"""Powder route, sintering aid and grain size as recipe inputs of the twin (issue 13)."""

from __future__ import annotations

import numpy as np
import pytest

from twin.evaluate import evaluate_scenario, sample_route
from twin.scenario import ScenarioError, load_scenario

BASELINE = "scenarios/oxide_baseline.yaml"
STEP = "route.electrolyte_sintering"


def _quality(overrides):
    return evaluate_scenario(load_scenario(BASELINE, overrides))["quality"]


def _fired_density(overrides) -> float:
    """Mean electrolyte density of every sheet sampled (scrapped ones too: a porous layer is all scrapped)."""
    scenario = load_scenario(BASELINE, overrides)
    return float(np.mean(sample_route(scenario, np.random.default_rng(1), sheets=300).state["relative_density"]))


@pytest.mark.integration
def test_grain_size_is_reported_and_grows_with_a_longer_hold():
    short = _quality({})["grain_size_um"]["mean"]
    long = _quality({f"{STEP}.profile[1].hold_time_min": 600})["grain_size_um"]["mean"]
    assert 1.0 < short < long


@pytest.mark.integration
def test_calcined_powder_fired_like_nano_powder_stays_porous():
    nano = _fired_density({})
    calcined = _fired_density({f"{STEP}.powder_route": "calcined", f"{STEP}.particle_size_um": 1.0})
    assert calcined < nano - 0.1


@pytest.mark.integration
def test_li3bo3_densifies_calcined_powder():
    base = {f"{STEP}.powder_route": "calcined", f"{STEP}.particle_size_um": 1.0}
    plain = _fired_density(base)
    aided = _fired_density(base | {f"{STEP}.sintering_aid": "li3bo3", f"{STEP}.sintering_aid_wt_fraction": 0.01})
    assert aided > plain + 0.1


@pytest.mark.integration
def test_li6zr2o7_adds_li_so_less_of_the_budget_is_lost():
    open_setter = {f"{STEP}.cover_powder": False}
    plain = _quality(open_setter)["li_loss_fraction"]["mean"]
    aided = _quality(open_setter | {f"{STEP}.sintering_aid": "li6zr2o7",
                                    f"{STEP}.sintering_aid_wt_fraction": 0.02})["li_loss_fraction"]["mean"]
    assert aided < plain


@pytest.mark.component
@pytest.mark.parametrize(("overrides", "message"), [
    ({f"{STEP}.sintering_aid": "li3bo3"}, "sintering_aid_wt_fraction: 0 must be above 0"),
    ({f"{STEP}.sintering_aid_wt_fraction": 0.01}, "must be 0 unless sintering_aid"),
    ({f"{STEP}.sintering_aid": "li2o_al2o3_liquid", f"{STEP}.li_excess_li2co3_wt_fraction": 0.0},
     "li_excess_li2co3_wt_fraction: 0 must be above 0"),
    ({f"{STEP}.powder_route": "sol_gel"}, "powder_route"),
])
def test_inconsistent_aid_recipes_are_refused_with_the_field(overrides, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario(BASELINE, overrides)
