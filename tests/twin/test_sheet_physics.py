"""The route applied to per-sheet arrays: bookkeeping, determinism and the direction of physics."""

import numpy as np
import pytest

from tests.twin.immediate_defects import immediate_defect_document
from twin.scenario import apply_overrides, validate_scenario
from twin.sheet_physics import (
    CAUSE_INDEX,
    SCRAP_CAUSES,
    SheetBatch,
    apply_step,
    run_route,
    sample_conditions,
)

BASELINE = "scenarios/oxide_baseline.yaml"
QUIET = {  # no process variation: every sheet sees the nominal recipe
    "variation.tape_thickness_cv": 0.0, "variation.spray_thickness_cv": 0.0, "variation.green_density_sd": 0.0,
    "variation.particle_size_cv": 0.0, "variation.furnace_setpoint_sd_K": 0.0,
    "variation.furnace_load_spread_K": 0.0, "variation.furnace_sheet_sd_K": 0.0,
    "variation.li_excess_sd_wt_fraction": 0.0, "variation.lamination_pressure_cv": 0.0,
    "variation.interface_asr_cv": 0.0,
}


def scenario_with(**overrides):
    # the killer-defect and spec mechanics, on the baseline without its sized defects and methods
    return validate_scenario(apply_overrides(immediate_defect_document(BASELINE), overrides))


@pytest.fixture(scope="module")
def baseline():
    return scenario_with()


@pytest.mark.component
def test_every_sheet_is_good_or_scrapped_once(baseline):
    batch = run_route(baseline, 3000, np.random.default_rng(3))
    scrapped = ~batch.alive
    assert batch.n == 3000
    assert np.all(batch.scrap_step[scrapped] >= 0) and np.all(batch.scrap_cause[scrapped] >= 0)
    assert np.all(batch.scrap_step[batch.alive] == -1) and np.all(batch.scrap_cause[batch.alive] == -1)
    assert batch.alive.sum() + scrapped.sum() == 3000


@pytest.mark.component
def test_same_seed_same_sheets_other_seed_other_sheets(baseline):
    first = run_route(baseline, 1500, np.random.default_rng(11))
    again = run_route(baseline, 1500, np.random.default_rng(11))
    other = run_route(baseline, 1500, np.random.default_rng(12))
    for name in first.state:
        np.testing.assert_array_equal(first.state[name], again.state[name])
    np.testing.assert_array_equal(first.alive, again.alive)
    assert not np.array_equal(first.state["relative_density"], other.state["relative_density"], equal_nan=True)


@pytest.mark.component
def test_cooler_sintering_lowers_density_and_raises_density_scrap():
    hot = scenario_with(**QUIET, **{"route.electrolyte_sintering.profile[1].temperature_C": 1130})
    cool = scenario_with(**QUIET, **{"route.electrolyte_sintering.profile[1].temperature_C": 1050})
    hot_batch = run_route(hot, 500, np.random.default_rng(1))
    cool_batch = run_route(cool, 500, np.random.default_rng(1))
    assert np.nanmean(cool_batch.state["relative_density"]) < np.nanmean(hot_batch.state["relative_density"])
    density_scrap = CAUSE_INDEX["low_density"]
    assert (cool_batch.scrap_cause == density_scrap).sum() > (hot_batch.scrap_cause == density_scrap).sum()


@pytest.mark.component
def test_removing_cover_powder_raises_li_loss():
    covered = run_route(scenario_with(**QUIET), 300, np.random.default_rng(2))
    open_setter = run_route(scenario_with(**QUIET, **{"route.electrolyte_sintering.cover_powder": False}), 300,
                            np.random.default_rng(2))
    assert np.nanmean(open_setter.state["li_loss_fraction"]) > np.nanmean(covered.state["li_loss_fraction"])


@pytest.mark.unit
def test_load_spread_spans_the_kiln_stack():
    scenario = scenario_with(**{**QUIET, "variation.furnace_load_spread_K": 10.0})
    index = [s.name for s in scenario.route].index("electrolyte_sintering")
    conditions = sample_conditions(scenario, index, 101, np.random.default_rng(0))
    offsets = conditions["temperature_offset_K"]
    assert offsets[0] == pytest.approx(-5.0) and offsets[-1] == pytest.approx(5.0)
    assert np.all(np.diff(offsets) > 0)


@pytest.mark.component
def test_killer_defects_follow_poisson_yield():
    # One cell per sheet: Y = exp(-D A): D = 0.5 /m2, A = 0.06 m2 -> P(scrap) = 1 - exp(-0.03) = 2.956 %
    scenario = scenario_with(**QUIET, **{"cell.format.cells_per_sheet": 1})
    batch = SheetBatch.new(200_000)
    conditions = sample_conditions(scenario, 0, batch.n, np.random.default_rng(5))
    apply_step(scenario, 0, batch, conditions)
    scrapped = 1 - batch.alive.mean()
    expected = 1 - np.exp(-0.5 * 0.06)
    sigma = np.sqrt(expected * (1 - expected) / batch.n)
    assert abs(scrapped - expected) < 4 * sigma
    assert set(np.unique(batch.scrap_cause[~batch.alive])) == {CAUSE_INDEX["defect"]}


@pytest.mark.component
def test_defects_on_a_multi_cell_sheet_kill_only_the_pieces_they_hit():
    # Two cells per sheet (baseline): each piece is lost with p = 1 - exp(-D A / 2); the sheet is
    # scrapped only when both are lost (p^2); P(exactly one lost) = 2 p (1 - p).
    scenario = scenario_with(**QUIET)
    batch = SheetBatch.new(400_000)
    apply_step(scenario, 0, batch, sample_conditions(scenario, 0, batch.n, np.random.default_rng(6)))
    p = 1 - np.exp(-0.5 * 0.06 / 2)
    for observed, expected in (
        (1 - batch.alive.mean(), p * p),
        (np.mean(batch.state["dead_cell_pieces"] == 1), 2 * p * (1 - p)),
    ):
        assert abs(observed - expected) < 4 * np.sqrt(expected * (1 - expected) / batch.n)
    # a second step hits only the remaining pieces: lost pieces never exceed the cells on a sheet
    apply_step(scenario, 0, batch, sample_conditions(scenario, 0, batch.n, np.random.default_rng(7)))
    assert batch.state["dead_cell_pieces"].max() <= 2
    assert np.all(batch.state["dead_cell_pieces"][batch.alive] < 2)


@pytest.mark.component
def test_cell_pieces_lost_over_two_steps_follow_the_binomial_law():
    # Four cells per sheet, step 0 applied twice: each piece is lost with p per step, independently,
    # so after two steps the lost pieces of a sheet are Binomial(4, q) with q = 1 - (1 - p)^2 (four
    # lost = the sheet scrapped). The second step draws only for the pieces left (the inversion by
    # remaining pieces), which this checks exactly in distribution.
    from scipy.stats import binom

    scenario = validate_scenario(apply_overrides(immediate_defect_document("scenarios/gigafactory.yaml"), {
        **QUIET, "route.electrolyte_casting.defect_density_per_m2": 1.0}))
    assert scenario.cell.format.cells_per_sheet == 4 and scenario.route[0].name == "electrolyte_casting"
    batch = SheetBatch.new(200_000)
    rng = np.random.default_rng(8)
    for _ in range(2):
        apply_step(scenario, 0, batch, sample_conditions(scenario, 0, batch.n, rng))
    p = -np.expm1(-1.0 * scenario.sheet_area_m2 / 4)
    q = 1 - (1 - p) ** 2
    lost = np.where(batch.alive, batch.state["dead_cell_pieces"], 4)
    for k in range(5):
        expected = binom.pmf(k, 4, q)
        observed = np.mean(lost == k)
        assert abs(observed - expected) < 5 * np.sqrt(expected * (1 - expected) / batch.n), k


@pytest.mark.unit
def test_unmeasured_properties_never_fail_a_spec(baseline):
    index = [s.name for s in baseline.route].index("electrolyte_inspection")
    batch = SheetBatch.new(10)  # nothing measured yet: all NaN
    conditions = {"detection_draw": np.zeros(10)}
    apply_step(baseline, index, batch, conditions)
    # thickness NaN is read as on target, density/ASR/Li loss NaN as passing
    assert batch.alive.all()


@pytest.mark.unit
def test_out_of_spec_sheet_is_scrapped_by_its_first_failing_cause(baseline):
    index = [s.name for s in baseline.route].index("electrolyte_inspection")
    batch = SheetBatch.new(3)
    batch.state["relative_density"][:] = [0.99, 0.90, 0.90]
    batch.state["li_loss_fraction"][:] = [0.01, 0.01, 0.5]
    batch.state["electrolyte_thickness_m"][:] = 15e-6
    conditions = {}  # no defects and detection probability 1: no draw needed
    apply_step(baseline, index, batch, conditions)
    assert batch.alive.tolist() == [True, False, False]
    assert [SCRAP_CAUSES[c] for c in batch.scrap_cause[1:]] == ["low_density", "low_density"]


@pytest.mark.unit
def test_undetected_failures_escape_inspection():
    scenario = scenario_with(**{"route.electrolyte_inspection.detection_probability": 0.5})
    index = [s.name for s in scenario.route].index("electrolyte_inspection")
    batch = SheetBatch.new(2)
    batch.state["relative_density"][:] = 0.5
    apply_step(scenario, index, batch, {"detection_draw": np.array([0.2, 0.8])})
    assert batch.alive.tolist() == [False, True]


@pytest.mark.unit
def test_subset_and_concatenate_round_trip():
    batch = SheetBatch.new(5)
    batch.state["relative_density"][:] = np.arange(5)
    batch.scrap(np.array([False, True, False, False, False]), 2, "li_loss")
    rebuilt = SheetBatch.concatenate([batch.subset(slice(0, 2)), batch.subset(slice(2, 5))])
    np.testing.assert_array_equal(rebuilt.state["relative_density"], np.arange(5))
    np.testing.assert_array_equal(rebuilt.alive, batch.alive)
    assert rebuilt.scrap_step[1] == 2 and SCRAP_CAUSES[rebuilt.scrap_cause[1]] == "li_loss"


@pytest.mark.component
def test_sintering_keeps_density_between_green_and_one(baseline):
    batch = run_route(baseline, 2000, np.random.default_rng(4))
    density = batch.state["relative_density"][np.isfinite(batch.state["relative_density"])]
    green = batch.state["electrolyte_green_relative_density"][np.isfinite(batch.state["relative_density"])]
    assert np.all(density >= green - 1e-12) and np.all(density <= 1.0)
    loss = batch.state["li_loss_fraction"]
    assert np.all((loss[np.isfinite(loss)] >= 0) & (loss[np.isfinite(loss)] <= 1))


@pytest.mark.component
def test_cathode_pulses_refire_the_electrolyte_and_conserve_its_mass():
    # Roadmap 2020 §14.3: cathode sub-layers are sintered on the fired electrolyte, which densifies
    # further on its master curve; a constrained film keeps density x thickness (its mass per area).
    scenario = scenario_with(**QUIET)
    names = [s.name for s in scenario.route]
    batch = SheetBatch.new(200)
    rng = np.random.default_rng(9)
    for index in range(names.index("cathode_sintering")):
        apply_step(scenario, index, batch, sample_conditions(scenario, index, batch.n, rng))
    before_density = batch.state["relative_density"].copy()
    before_mass = before_density * batch.state["electrolyte_thickness_m"]
    index = names.index("cathode_sintering")
    apply_step(scenario, index, batch, sample_conditions(scenario, index, batch.n, rng))
    alive = batch.alive
    assert np.all(batch.state["relative_density"][alive] > before_density[alive])
    np.testing.assert_allclose(batch.state["relative_density"][alive] * batch.state["electrolyte_thickness_m"][alive],
                               before_mass[alive], rtol=1e-12)


@pytest.mark.component
def test_sampled_cell_piece_yield_matches_the_analytic_expectation():
    # Q = exp(-sum D A / c); among sheets not scrapped for defects the good-piece share is
    # Q / (1 - (1 - Q)^c). Only defects vary here, so the sample must reproduce it.
    from twin.sheet_conditions import expected_cell_piece_yield

    scenario = scenario_with(**QUIET, **{
        "route.electrolyte_casting.defect_density_per_m2": 5.0, "route.li_lamination.defect_density_per_m2": 5.0,
    })
    batch = SheetBatch.new(60_000)
    rng = np.random.default_rng(8)
    for index, step in enumerate(scenario.route):
        if step.defect_density_per_m2 > 0:
            apply_step(scenario, index, batch, sample_conditions(scenario, index, batch.n, rng))
    from twin.sheet_physics import good_cell_pieces

    sampled = good_cell_pieces(batch, 2) / (2 * batch.alive.sum())
    assert sampled == pytest.approx(expected_cell_piece_yield(scenario), abs=0.004)
    assert expected_cell_piece_yield(scenario) < 0.9  # the check is not trivial at these densities
