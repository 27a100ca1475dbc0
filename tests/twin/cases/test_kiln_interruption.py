"""A kiln breakdown mid-firing changes the load's thermal history (case: 111 failures, 12 h repairs).

Before: the firing resumed after the repair with the nominal profile, so density, Li loss and yield
were the same as with no failures. Now the load sees the cool-down during the repair and then what
the plant's policy does (resume after re-heat, refire, or scrap).
"""

from pathlib import Path

import numpy as np
import pytest

from twin.firing_interruption import FIRING_INTERRUPTIONS, Interruption, KilnInterruptions
from twin.scenario import apply_overrides, read_scenario_document, validate_scenario
from twin.sheet_firing import nominal_firing_profile
from twin.sheet_physics import SCRAP_CAUSES, apply_step, run_route, sample_conditions

CASE = Path(__file__).with_name("kiln_breakdown_mid_firing.yaml")
KILN = 2  # route index of electrolyte_sintering
# no killer defects: every sheet reaches and leaves the kiln, so the load's figures compare whole
NO_DEFECTS = {"route.electrolyte_casting.defect_density_per_m2": 0.0,
              "route.electrolyte_sintering.defect_density_per_m2": 0.0}
QUIET = {"variation.furnace_setpoint_sd_K": 0.0, "variation.furnace_load_spread_K": 0.0,
         "variation.furnace_sheet_sd_K": 0.0, "variation.hold_time_cv": 0.0, "variation.particle_size_cv": 0.0,
         "variation.li_excess_sd_wt_fraction": 0.0, "variation.green_density_sd": 0.0,
         "variation.tape_thickness_cv": 0.0, **NO_DEFECTS}


def _scenario(policy, quiet=True):
    overrides = dict(QUIET if quiet else NO_DEFECTS,
                     **{"line.stations.electrolyte_sintering.on_interrupted_firing": policy})
    return validate_scenario(apply_overrides(read_scenario_document(CASE), overrides))


def _fire(scenario, interruptions):
    rng = np.random.default_rng(11)
    batch = run_route(scenario.model_copy(update={"route": scenario.route[:KILN]}), 50, rng)
    conditions = sample_conditions(scenario, KILN, batch.n, np.random.default_rng(12))
    if interruptions:
        conditions[FIRING_INTERRUPTIONS] = tuple(interruptions)
    apply_step(scenario, KILN, batch, conditions)
    return batch


def _stop_at_peak_hold(scenario):
    # 12 h repair (the case's MTTR), 30 min into the 1130 C hold
    profile = nominal_firing_profile(scenario.route[KILN])
    peak_start = (600 - 25) / 2 * 60 + 60 * 60 + (1130 - 600) / 5 * 60
    assert profile.temperature_at(peak_start + 1800.0) == pytest.approx(1403.15)
    return [Interruption(peak_start + 1800.0, 12 * 3600.0)]


@pytest.mark.component
@pytest.mark.parametrize("policy", ["resume", "refire"])
def test_interrupted_load_gets_more_li_loss_and_density_than_an_uninterrupted_one(policy):
    scenario = _scenario(policy)
    nominal = _fire(scenario, None)
    interrupted = _fire(scenario, _stop_at_peak_hold(scenario))
    # a 12 h cool-down in a 27 h-time-constant furnace keeps the load above ~800 C for hours: more
    # work of sintering (denser) and more Li2O volatilised than the nominal firing
    loss_nominal = nominal.state["li_loss_fraction"].mean()
    loss_interrupted = interrupted.state["li_loss_fraction"].mean()
    assert loss_interrupted > 1.2 * loss_nominal
    assert interrupted.state["relative_density"].mean() > nominal.state["relative_density"].mean()


@pytest.mark.component
def test_refire_costs_more_li_than_resume():
    resume = _fire(_scenario("resume"), _stop_at_peak_hold(_scenario("resume")))
    refire = _fire(_scenario("refire"), _stop_at_peak_hold(_scenario("refire")))
    assert refire.state["li_loss_fraction"].mean() > resume.state["li_loss_fraction"].mean()


@pytest.mark.component
def test_scrap_policy_scraps_the_whole_load_with_its_own_cause():
    scenario = _scenario("scrap")
    batch = _fire(scenario, _stop_at_peak_hold(scenario))
    assert not batch.alive.any()
    assert {SCRAP_CAUSES[c] for c in batch.scrap_cause} == {"interrupted_firing"}
    assert np.all(batch.scrap_step == KILN)


@pytest.mark.unit
def test_plant_side_time_and_energy_of_an_interruption():
    scenario = _scenario("resume")
    step = scenario.route[KILN]
    profile = nominal_firing_profile(step)
    kiln = KilnInterruptions(scenario, step, profile, unit_overhead_s=90 * 60.0)
    stop_s = _stop_at_peak_hold(scenario)[0].time_into_history_s
    worked_s = stop_s + 45 * 60.0  # the loading half of the 90 min load/unload comes first
    record, left_s = kiln.interrupted(worked_s, 12 * 3600.0, [])
    assert record.time_into_history_s == pytest.approx(stop_s)
    # resume: the rest of the profile, plus the re-heat from the cooled temperature, plus unloading
    tau_s = 1200e3 * (1273.15 - 298.15) / 12e3
    cooled_drop_K = (1403.15 - 298.15) * (1.0 - np.exp(-12 * 3600.0 / tau_s))
    reheat_s = cooled_drop_K / (5.0 / 60.0)
    assert left_s == pytest.approx(profile.duration_s - stop_s + reheat_s + 45 * 60.0, rel=1e-6)
    assert kiln.extra_energy_kWh([record]) > 0.0  # the re-heat of the furnace mass
    # a stop during loading touches no firing
    assert kiln.interrupted(10 * 60.0, 3600.0, []) is None
    refire = KilnInterruptions(_scenario("refire"), step, profile, 90 * 60.0)
    _, refire_left_s = refire.interrupted(worked_s, 12 * 3600.0, [])
    assert refire_left_s > left_s
    scrap = KilnInterruptions(_scenario("scrap"), step, profile, 90 * 60.0)
    assert scrap.interrupted(worked_s, 12 * 3600.0, [])[1] == pytest.approx(45 * 60.0)
