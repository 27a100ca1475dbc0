"""CCD is rated per sheet at stacking and a quality check can scrap low-CCD sheets ("low_ccd")."""

import numpy as np
import pytest

from process_models.grain_growth import ccd_grain_size_factor
from process_models.parameters import load_material
from twin.scenario import apply_overrides, read_scenario_document, validate_scenario
from twin.scenario.errors import ScenarioError
from twin.scenario.route import QualityCheck
from twin.sheet_physics import SCRAP_CAUSES, apply_step, run_route


def _scenario(**overrides):
    return validate_scenario(apply_overrides(read_scenario_document("scenarios/oxide_baseline.yaml"), overrides))


@pytest.mark.component
def test_ccd_per_sheet_follows_density_and_temperature():
    scenario = _scenario()
    batch = run_route(scenario, 400, np.random.default_rng(5))
    state = batch.state
    alive = batch.alive
    ccd = state["critical_current_density_A_per_m2"][alive]
    assert np.all(np.isfinite(ccd)) and np.all(ccd > 0)
    # denser sheets have a higher CCD, sheet by sheet (rank correlation over the scatter)
    density = state["relative_density"][alive]
    asr = state["interface_asr_ohm_m2"][alive]
    normalised = ccd * np.exp(asr / 100e-4)  # take out the interface term (ASR_c = 100 ohm cm2)
    # and the grain-size term: hotter sheets are denser but also coarser-grained (process_models.grain_growth)
    normalised = normalised / ccd_grain_size_factor(state["grain_size_m"][alive], load_material("llzo_ta"))
    assert np.corrcoef(np.argsort(np.argsort(density)), np.argsort(np.argsort(normalised)))[0, 1] > 0.99
    warm = run_route(_scenario(**{"route[9].cycling_temperature_C": 60}), 400, np.random.default_rng(5))
    ratio = np.nanmean(warm.state["critical_current_density_A_per_m2"][warm.alive]) / np.nanmean(ccd)
    assert ratio == pytest.approx(np.exp(37e3 / 8.314462618 * (1 / 298.15 - 1 / 333.15)), rel=0.05)


@pytest.mark.component
def test_ccd_spec_scraps_low_ccd_sheets():
    scenario = _scenario()
    batch = run_route(scenario, 200, np.random.default_rng(7))
    ccd = batch.state["critical_current_density_A_per_m2"]
    limit_mA_per_cm2 = float(np.nanmedian(ccd[batch.alive])) / 10.0
    check = QualityCheck(kind="quality_check", name="ccd_check",
                         min_critical_current_density_mA_per_cm2=limit_mA_per_cm2)
    before = batch.alive.copy()
    apply_step(scenario, len(scenario.route) - 1, batch, {}, step=check)
    scrapped = before & ~batch.alive
    assert np.all(ccd[scrapped] < limit_mA_per_cm2 * 10.0)
    assert np.all(ccd[batch.alive] >= limit_mA_per_cm2 * 10.0)
    assert {SCRAP_CAUSES[c] for c in batch.scrap_cause[scrapped]} == {"low_ccd"}
    assert 0 < scrapped.sum() < before.sum()


@pytest.mark.unit
def test_ccd_spec_before_stacking_is_rejected():
    with pytest.raises(ScenarioError, match=r"route\[7\].quality_check.min_critical_current_density_mA_per_cm2"):
        _scenario(**{"route[7].min_critical_current_density_mA_per_cm2": 0.5})
