"""The fast paths of the per-unit physics give the same sheets as the general ones.

A unit whose sheets are all alive is worked on through row views instead of an index array, and
steps that change nothing are skipped by the plant. A sheet's result must not depend on which path
its unit took, nor on the other sheets of the unit.
"""

import numpy as np
import pytest

from twin.scenario import load_scenario
from twin.sheet_physics import SheetBatch, apply_step, sample_conditions, step_changes_sheets

pytestmark = pytest.mark.component

SCENARIOS = ("scenarios/gigafactory.yaml", "scenarios/sulphide_spray.yaml", "scenarios/oxide_baseline.yaml")


def _copy(batch: SheetBatch) -> SheetBatch:
    return SheetBatch(batch.values.copy(), batch.alive.copy(), batch.scrap_step.copy(), batch.scrap_cause.copy())


@pytest.mark.parametrize("path", SCENARIOS)
def test_all_alive_unit_matches_unit_with_a_dead_sheet(path):
    # Each step is applied twice to the same sheets with the same conditions: once as a unit of only
    # alive sheets (view path), once with one extra, already scrapped sheet (index path). The alive
    # sheets must end bit-identical (this catches a view being overwritten before it is read, e.g. the
    # green density of a cathode firing or the pre-pressing density of a sulphide layer).
    scenario = load_scenario(path)
    rng = np.random.default_rng(11)
    n = 257
    batch = SheetBatch.new(n)
    for index in range(len(scenario.route)):
        conditions = sample_conditions(scenario, index, n, rng)
        if "defect_draw" in conditions:
            conditions["defect_draw"][:] = 1.0  # no defect hits: both paths see the same sheets
        with_dead = SheetBatch.concatenate([_copy(batch), _copy(batch).subset(slice(0, 1))])
        with_dead.alive[-1] = False
        padded = {key: np.concatenate([value, value[:1]]) for key, value in conditions.items()}
        apply_step(scenario, index, batch, conditions)
        apply_step(scenario, index, with_dead, padded)
        assert np.array_equal(batch.values, with_dead.values[:, :n], equal_nan=True), scenario.route[index].name
        assert np.array_equal(batch.alive, with_dead.alive[:n])
        assert not with_dead.alive[-1]


@pytest.mark.parametrize("path", SCENARIOS)
def test_skipped_steps_draw_nothing_and_change_nothing(path):
    scenario = load_scenario(path)
    for index in range(len(scenario.route)):
        if step_changes_sheets(scenario, index):
            continue
        batch = SheetBatch.new(50)
        batch.values[:] = np.arange(batch.values.size, dtype=float).reshape(batch.values.shape)
        before = batch.values.copy()
        rng = np.random.default_rng(5)
        state_before = rng.bit_generator.state
        apply_step(scenario, index, batch, sample_conditions(scenario, index, 50, rng))
        assert rng.bit_generator.state == state_before, scenario.route[index].name
        assert np.array_equal(batch.values, before) and batch.alive.all()


def test_unit_draws_have_the_configured_spread():
    # One standard-normal block per unit feeds every per-sheet quantity: each keeps its own mean and
    # spread (gigafactory: tape thickness CV 0.03, green density sd 0.01 around 0.55).
    scenario = load_scenario("scenarios/gigafactory.yaml")
    conditions = sample_conditions(scenario, 0, 200_000, np.random.default_rng(2))
    thickness = conditions["thickness_factor"]
    density = conditions["green_relative_density"]
    assert abs(thickness.mean() - 1.0) < 0.0005 and abs(thickness.std() / thickness.mean() - 0.03) < 0.0005
    assert abs(density.mean() - 0.55) < 0.0002 and abs(density.std() - 0.01) < 0.0002
    assert abs(np.corrcoef(thickness, density)[0, 1]) < 0.01  # independent rows of the block


ALL_SCENARIOS = ("scenarios/gigafactory.yaml", "scenarios/sulphide_spray.yaml", "scenarios/oxide_baseline.yaml",
                 "scenarios/anode_free.yaml", "scenarios/oxide_rapid.yaml", "scenarios/pilot_line.yaml")


@pytest.mark.parametrize("path", ALL_SCENARIOS)
def test_state_free_steps_read_no_state_and_write_only_their_fields(path):
    # The plant computes a state-free step ahead for a block of sheets (precompute_state_free) and
    # copies each unit's share in. That is exact only if the step's result does not depend on the
    # state a sheet arrives with and it writes nothing but its declared fields: check both on sheets
    # with arbitrary earlier state, and that the copied result equals the computed one bit for bit.
    from twin.sheet_exposure import EXPOSURE_FIELDS
    from twin.sheet_physics import PRECOMPUTED_STATE, SHEET_STATE_FIELDS, precompute_state_free, state_free_fields

    scenario = load_scenario(path)
    n = 300
    for index, step in enumerate(scenario.route):
        fields = state_free_fields(step)
        if not fields:
            continue
        conditions = sample_conditions(scenario, index, n, np.random.default_rng(9))
        if "defect_draw" in conditions:
            conditions["defect_draw"] = np.ones(n)  # no defect hits: only the physics is compared
        arbitrary = SheetBatch.new(n)
        arbitrary.values[:] = np.random.default_rng(10).uniform(0.1, 0.9, arbitrary.values.shape)
        before = arbitrary.values.copy()
        computed = _copy(arbitrary)
        apply_step(scenario, index, computed, conditions)
        rows = [SHEET_STATE_FIELDS.index(field) for field in fields]
        # the zone air a sheet arrives with (twin.sheet_exposure) acts on top of the state-free result in
        # both paths (checked bit for bit below) and keeps its own fields; the state-free part must not
        # depend on anything else nor write anything else
        exposure = [SHEET_STATE_FIELDS.index(field) for field in EXPOSURE_FIELDS]
        others = np.setdiff1d(np.arange(len(SHEET_STATE_FIELDS)), rows + exposure)
        assert np.array_equal(computed.values[others], before[others]), step.name
        fresh = SheetBatch.new(n)
        fresh.values[exposure] = arbitrary.values[exposure]
        apply_step(scenario, index, fresh, conditions)
        assert np.array_equal(computed.values[rows], fresh.values[rows]), step.name
        copied = _copy(arbitrary)
        apply_step(scenario, index, copied,
                   {**conditions, PRECOMPUTED_STATE: precompute_state_free(scenario, index, conditions)})
        assert np.array_equal(copied.values, computed.values, equal_nan=True), step.name


def test_station_draws_follow_the_sheet_whatever_the_unit_sizes():
    # The k-th sheet a station processes gets the k-th per-sheet draw of its stream, across block
    # boundaries: common random numbers hold sheet by sheet between scenarios that cut units differently.
    from twin.sheet_physics import StationConditions

    scenario = load_scenario("scenarios/gigafactory.yaml")
    index = [step.name for step in scenario.route].index("li_lamination")

    def drawn(unit_sizes):
        conditions = StationConditions(scenario, index, np.random.default_rng(1), np.random.default_rng(2),
                                       block_sheets=500)
        units = [conditions.next_unit(size) for size in unit_sizes]
        return {name: np.concatenate([unit[name] for unit in units]) for name in units[0]}

    by_rolls = drawn([333] * 9)
    by_lots = drawn([1000, 1, 998, 1])
    # the lamination defects are sized (latent): their size draw follows the sheet too
    assert set(by_rolls) == {"defect_draw", "pressure_factor", "interface_asr_factor", "defect_size_draw"}
    for name, values in by_rolls.items():
        assert np.array_equal(values[:2000], by_lots[name][:2000]), name
    unit = StationConditions(scenario, index, np.random.default_rng(1), np.random.default_rng(2)).next_unit(10)
    with pytest.raises(ValueError):
        unit["pressure_factor"][0] = 1.0  # views of the block: read-only, no unit can change another's
