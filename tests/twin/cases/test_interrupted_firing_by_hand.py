"""An interrupted kiln load's Li loss and density, by hand from process_models against the twin.

Case (kiln breakdowns mid-firing, MTBF 5 h busy, 12 h repairs): with the refire policy the mean Li loss
read LOWER than with no failures (0.0059 against 0.00646). A re-fired load gets a second thermal history:
its Li loss must be the first partial firing's plus the refire's, its density never lower than before.
"""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from process_models import densification, li_loss
from process_models.firing_interruption import interrupted_firing_history, interrupted_firing_profile
from twin.firing_interruption import Interruption, cooling_time_constant_s
from twin.sheet_firing import nominal_firing_profile
from twin.sheet_layers import electrolyte_material

sys.path.insert(0, str(Path(__file__).parent))
from test_kiln_interruption import KILN, _fire, _scenario  # noqa: E402  (the case's quiet scenario)

DOWNTIME_S = 12 * 3600.0   # the case's MTTR
# 600 C at 2 C/min and 60 min there, then 1130 C at 5 C/min: the peak hold starts 31,410 s in
PEAK_HOLD_START_S = (600 - 25) / 2 * 60 + 60 * 60 + (1130 - 600) / 5 * 60


def _stretch(profile, start_s, end_s):
    times = np.asarray(profile.knot_time_s)
    knots = np.concatenate([[start_s], times[(times > start_s) & (times < end_s)], [end_s]])
    return type(profile)(tuple(knots - start_s), tuple(profile.temperature_at(knots)))


@pytest.mark.component
def test_refire_li_loss_and_work_are_first_partial_firing_plus_cool_down_plus_refire_by_hand():
    scenario = _scenario("refire")
    step = scenario.route[KILN]
    recipe = nominal_firing_profile(step)
    stop_s = PEAK_HOLD_START_S + 1800.0       # 30 min into the 1130 C hold
    nominal = _fire(scenario, None)
    refired = _fire(scenario, [Interruption(stop_s, DOWNTIME_S)])
    # by hand: the furnace cools as T_a + (T_stop - T_a) exp(-t / tau), tau = C (1273.15 - T_a) / Q_1000
    tau_s = 1200e3 * (1273.15 - 298.15) / 12e3
    assert cooling_time_constant_s(scenario, step) == pytest.approx(tau_s, rel=1e-12)
    cooled_K = 298.15 + (1403.15 - 298.15) * math.exp(-DOWNTIME_S / tau_s)
    rejoin_s = (600 - 25) / 2 * 60 + 3600 + (cooled_K - 873.15) / (5 / 60)  # on the ramp to 1130 C
    # the first partial firing with its cool-down: what a scrapped load saw
    first_partial = [interrupted_firing_profile(recipe, stop_s, DOWNTIME_S, tau_s, "scrap")]
    assert first_partial[0].knot_temperature_K[-1] == pytest.approx(cooled_K, rel=1e-12)
    refire = _stretch(recipe, rejoin_s, recipe.duration_s)
    material = electrolyte_material(scenario)

    def flux(profile):
        return math.exp(li_loss.log_integrated_li2o_flux(profile, material))

    def work(profile):
        return math.exp(densification.log_work_of_sintering(profile, material["msc_activation_energy_J_per_mol"]))

    # Li lost ~ (faces / fired thickness) x integral J dt, the same leakage for both loads
    flux_ratio = (sum(flux(p) for p in first_partial) + flux(refire)) / flux(recipe)
    thickness_ratio = nominal.state["electrolyte_thickness_m"] / refired.state["electrolyte_thickness_m"]
    expected_li = nominal.state["li_loss_fraction"] * thickness_ratio * flux_ratio
    # to rounding: the pieces are integrated on the same <= 1 K trapezoid grid the twin uses
    np.testing.assert_allclose(refired.state["li_loss_fraction"], expected_li, rtol=1e-9)
    work_ratio = (sum(work(p) for p in first_partial) + work(refire)) / work(recipe)
    np.testing.assert_allclose(refired.state["electrolyte_log_theta"] - nominal.state["electrolyte_log_theta"],
                               math.log(work_ratio), rtol=1e-9)
    # the refire more than doubles the loss: the 1130 C hold is fired twice, plus hours above 1000 C cooling
    assert flux_ratio > 2.0
    assert np.all(refired.state["relative_density"] > nominal.state["relative_density"])


@pytest.fixture(scope="module")
def nominal_with_scatter():
    return _fire(_scenario("refire", quiet=False), None)


@pytest.mark.component
@pytest.mark.parametrize("policy", ["resume", "refire"])
@pytest.mark.parametrize("stop_fraction", [0.1, 0.45, 0.62, 0.7, 0.85, 0.97])
def test_an_interrupted_sheet_never_reads_less_li_loss_or_density_than_uninterrupted(
        policy, stop_fraction, nominal_with_scatter):
    # the case's own furnace, particle and Li-excess scatter, sheet by sheet, exactly (no tolerance)
    scenario = _scenario(policy, quiet=False)
    recipe = nominal_firing_profile(scenario.route[KILN])
    stop_s = stop_fraction * recipe.duration_s
    stops = [Interruption(stop_s, DOWNTIME_S), Interruption(stop_s + DOWNTIME_S + 5000.0, DOWNTIME_S)]
    interrupted = _fire(scenario, stops)
    nominal = nominal_with_scatter.state
    assert np.all(interrupted.state["li_loss_fraction"] >= nominal["li_loss_fraction"])
    assert np.all(interrupted.state["relative_density"] >= nominal["relative_density"])
    assert np.all(interrupted.state["electrolyte_log_theta"] >= nominal["electrolyte_log_theta"])


@pytest.mark.unit
def test_sub_layer_cycles_count_one_cycle_n_times_and_match_the_whole_path():
    # the case's cathode: 12 rapid firings of 5 um sub-layers (25 -> 900 C -> 25 C each)
    from twin.sheet_firing import _firing_recipe

    step = _scenario("refire").route[5]
    assert step.name == "cathode_sintering" and step.cycles == 12
    recipe = _firing_recipe(step, 1.0)
    ((count, one_cycle),) = recipe.pieces
    assert count == 12.0
    assert recipe.path.duration_s == pytest.approx(12 * one_cycle.duration_s, rel=1e-12)
    material = electrolyte_material(_scenario("refire"))

    def work(profile):
        return densification.log_work_of_sintering(profile, material["msc_activation_energy_J_per_mol"])

    assert recipe.log_integral(work) == pytest.approx(work(recipe.path), rel=1e-12)
    # an interrupted cycled firing keeps the 12 cycles as its recipe piece: never less work, exactly
    stopped = interrupted_firing_history(recipe.path, [(recipe.path.duration_s / 2, DOWNTIME_S)], 7200.0,
                                         "refire", recipe_pieces=recipe.pieces)
    assert stopped.pieces[0] == (12.0, one_cycle)
    assert stopped.log_integral(work) >= recipe.log_integral(work)
