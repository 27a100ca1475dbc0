"""The optimiser's candidate sweep draws its conditions through evaluate's estimator (twin.sample_estimator).

Defect draws stratified in each transfer unit, the same adjusted draws for every candidate at a step (common
random numbers), and at a check with an inspection method detection carried as an expectation on exactly
the sheets no later latent-making step's defect can hit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from twin.expected_outcomes import EXPECTED_DETECTION
from twin.optimise import candidates
from twin.optimise.recipe_space import candidate_recipes, plan_groups, recipe_axes, with_recipes
from twin.scenario import load_scenario
from twin.sheet_conditions import defect_piece_loss_survival

pytestmark = pytest.mark.component

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_SHEETS = 200


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(ROOT / "scenarios" / "oxide_baseline.yaml")


def _index(scenario, name):
    return [step.name for step in scenario.route].index(name)


def _joined(unit_conditions, key):
    return np.concatenate([conditions[key] for conditions in unit_conditions])


def test_every_candidate_gets_the_same_stratified_defect_draws(baseline):
    # the sintering step makes killer defects; two firing recipes of the grid draw the same defects
    sintering = _index(baseline, "electrolyte_sintering")
    plan = next(p for p in plan_groups(baseline, recipe_axes(baseline)) if sintering in p.decision_steps)
    steps, _ = candidate_recipes(baseline, plan)
    first, last = steps[0][sintering], steps[-1][sintering]
    assert first != last
    units = candidates._units(SAMPLE_SHEETS)
    draws = [_joined(candidates._conditions(with_recipes(baseline, {sintering: step}), sintering, units, step),
                     "defect_draw") for step in (first, last)]
    np.testing.assert_array_equal(draws[0], draws[1])
    # one draw per stratum of [0, 1) in every 50-sheet unit (Latin hypercube in one dimension)
    for start in range(0, SAMPLE_SHEETS, candidates.UNIT_SHEETS):
        unit = draws[0][start:start + candidates.UNIT_SHEETS]
        np.testing.assert_array_equal(np.sort(np.floor(unit * unit.size)), np.arange(unit.size))


def test_a_check_expects_detection_on_the_sheets_no_later_defect_can_hit(baseline):
    units = candidates._units(SAMPLE_SHEETS)
    lamination = _index(baseline, "li_lamination")   # debris: the last latent-making step
    survival = defect_piece_loss_survival(baseline, baseline.route[lamination])
    hit_probability = survival[survival.shape[0] - 1, 0]
    debris = _joined(candidates._conditions(baseline, lamination, units, None), "defect_draw")
    may_be_hit = debris < hit_probability
    assert 0 < may_be_hit.sum() < SAMPLE_SHEETS   # 3 of the 200 sheets with this seed
    # the optical check before lamination keeps a draw on exactly those, across its four units
    before = _index(baseline, "electrolyte_inspection")
    expected = _joined(candidates._conditions(baseline, before, units, None), EXPECTED_DETECTION)
    np.testing.assert_array_equal(expected, ~may_be_hit)
    # the X-ray check after it expects detection on every sheet
    after = _index(baseline, "cell_inspection")
    assert _joined(candidates._conditions(baseline, after, units, None), EXPECTED_DETECTION).all()
