"""Issue 11 §2-3: inspections that miss ship bad cells (escapes), cost money, and quality is judged where checked."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.twin.immediate_defects import immediate_defect_document
from twin.evaluate import evaluate_details, scrap_by_cause, scrap_by_check
from twin.inspection import inspection_detection_probability, spec_failures
from twin.scenario import apply_overrides, validate_scenario
from twin.sheet_batch import SHEET_STATE_FIELDS

pytestmark = pytest.mark.component

BASELINE = "scenarios/oxide_baseline.yaml"
# A density spec the baseline's electrolyte firing misses on about a third of its sheets: defects present.
TIGHT = {"route.electrolyte_inspection.min_relative_density": 0.965}


def _scenario(**overrides):
    # spec misses alone: the baseline without its sized defects and methods
    return validate_scenario(apply_overrides(immediate_defect_document(BASELINE), {**TIGHT, **overrides}))


@pytest.fixture(scope="module")
def certain():
    return evaluate_details(_scenario())


@pytest.fixture(scope="module")
def half():
    return evaluate_details(_scenario(**{"route.electrolyte_inspection.detection_probability": 0.5}))


def test_a_blind_inspection_never_shows_more_good_cells_or_cheaper_kwh(certain, half):
    sure, blind = certain.result, half.result
    assert 0.2 < sure["yield"]["scrap_by_cause"]["low_density"] < 0.5      # defects are present
    assert blind["yield"]["overall"] < sure["yield"]["overall"]
    assert blind["throughput"]["good_cells_per_year"] <= sure["throughput"]["good_cells_per_year"]
    assert blind["cost"]["usd_per_kwh"] > sure["cost"]["usd_per_kwh"]
    assert sure["yield"]["escape_rate"] == 0.0
    assert blind["yield"]["escape_rate"] > 0.1


def test_even_free_escapes_cost_more_per_good_kwh_when_inspection_time_is_equal():
    free = {"costs.quality.escape_usd_per_cell": 0.0}
    sure = evaluate_details(_scenario(**free)).result
    blind = evaluate_details(_scenario(**free, **{"route.electrolyte_inspection.detection_probability": 0.5})).result
    assert blind["cost"]["by_category"]["escapes"] == 0.0
    # the missed sheets took the cathode, Li and packaging and came out as no good kWh
    assert blind["cost"]["usd_per_kwh"] > sure["cost"]["usd_per_kwh"]


def _found_out_of_spec(evaluation) -> np.ndarray:
    """Sheets that some check measured out of spec (detected or not), recomputed from the checkpoints."""
    bad = np.zeros(evaluation.batch.n, dtype=bool)
    for step in evaluation.scenario.route:
        if step.kind != "quality_check":
            continue
        alive, values = evaluation.checkpoints[step.name]
        failing = spec_failures(evaluation.scenario, step, dict(zip(SHEET_STATE_FIELDS, values, strict=True)))
        for _, mask in failing:
            bad |= mask & alive
    return bad


def test_escapes_are_exactly_the_bad_sheets_that_passed_every_check(half):
    batch = half.batch
    shipped_bad = batch.alive & _found_out_of_spec(half)
    flagged = batch.alive & ~np.isnan(batch.state["out_of_spec_cause"])
    assert shipped_bad.sum() > 50
    assert np.array_equal(flagged, shipped_bad)
    cells = half.scenario.cell.format.cells_per_sheet
    escaped_pieces = float((cells - batch.state["dead_cell_pieces"][shipped_bad]).sum())
    good_pieces = float((cells - batch.state["dead_cell_pieces"][batch.alive & ~shipped_bad]).sum())
    # stacked L to a cell: a cell with any escaped piece is an escaped cell; its L pieces are drawn from the
    # counted ones without replacement (hypergeometric, whose mean is the stream's (1 - b)^L). Nothing in this
    # case is rejected after stacking
    layers = half.scenario.cell.format.layers_per_cell
    shipped = escaped_pieces + good_pieces
    good_in_good_cells = shipped * math.prod((good_pieces - i) / (shipped - i) for i in range(layers))
    rate = (shipped - good_in_good_cells) / good_in_good_cells
    assert half.result["yield"]["escape_rate"] == pytest.approx(rate, rel=1e-12)
    assert half.result["yield"]["escape_ppm"] == pytest.approx(rate * 1e6, rel=1e-12)


def test_escape_cost_is_booked_at_the_check_that_missed_them(half):
    operation, cost = half.flow.operation, half.result["cost"]
    per_cell = half.scenario.costs.quality.escape_usd_per_cell
    assert set(operation.escaped_cells_by_step) == {"electrolyte_inspection"}
    expected = operation.escaped_cells_per_year * per_cell / operation.kwh_per_year
    assert cost["by_category"]["escapes"] == pytest.approx(expected, rel=1e-9)
    at_check = cost["by_step_category_usd_per_kwh"]["electrolyte_inspection"]["escapes"]
    assert at_check == pytest.approx(expected, rel=1e-9)


def test_a_later_check_of_the_same_property_catches_what_the_first_missed():
    # the cell inspection checks the electrolyte density again, tighter (the cathode firings densify it a little)
    with_second = evaluate_details(_scenario(**{
        "route.electrolyte_inspection.detection_probability": 0.5,
        "route.cell_inspection.min_relative_density": 0.98})).result
    only_first = evaluate_details(_scenario(**{"route.electrolyte_inspection.detection_probability": 0.5})).result
    assert with_second["yield"]["escape_rate"] < 0.5 * only_first["yield"]["escape_rate"]
    assert with_second["yield"]["scrap_by_check"]["cell_inspection"] > 0.0


def test_false_rejects_scrap_in_spec_sheets_at_their_rate():
    evaluation = evaluate_details(_scenario(**{"route.cell_inspection.false_reject_probability": 0.2}))
    result = evaluation.result
    started = result["yield"]["sample_sheets"]
    rate = result["yield"]["false_reject_rate"]
    sheets = scrap_by_cause(evaluation.batch)   # shares of sheets scrapped whole
    assert sheets["false_reject"] == rate
    # the scrap share counts the pieces those sheets still had (twin.piece_yield): at most the sheet share
    assert 0.9 * rate < result["yield"]["scrap_by_cause"]["false_reject"] <= rate
    # ~2/3 of the sheets reach the cell inspection in spec; 20 % of them are rejected (4 binomial sd)
    reaching = started * (1 - sheets["low_density"] - sheets["defect"])
    expected = 0.2 * reaching / started
    assert abs(rate - expected) < 4 * np.sqrt(0.2 * 0.8 * reaching) / started


def test_a_slower_inspection_detects_more():
    def scenario_with(cycle_time_s):
        return _scenario(**{
            "route.electrolyte_inspection.detection_versus_time": {"reference_cycle_time_s": 0.5,
                                                                   "reference_detection_probability": 0.5},
            "line.stations.electrolyte_inspection.cycle_time_s": cycle_time_s})
    quick, slow = scenario_with(0.5), scenario_with(2.0)
    assert inspection_detection_probability(quick, quick.route[3]) == pytest.approx(0.5, rel=1e-12)
    assert inspection_detection_probability(slow, slow.route[3]) == pytest.approx(1 - 0.5 ** 4, rel=1e-12)
    assert (evaluate_details(slow).result["yield"]["escape_rate"]
            < evaluate_details(quick).result["yield"]["escape_rate"])


def test_quality_is_reported_where_its_spec_judges_it(certain):
    at_check = certain.result["quality_at_check"]["electrolyte_inspection"]["relative_density"]
    final = certain.result["quality"]["relative_density"]
    assert at_check["limit"] == 0.965 and at_check["sense"] == "min"
    # the cathode's firings densify the electrolyte further: the final state sits above what was judged
    assert final["mean"] > at_check["mean"]
    # with certain detection, what the check found out of spec is what it scrapped there
    scrapped = scrap_by_check(certain.scenario, certain.batch)["electrolyte_inspection"]   # sheets, not pieces
    measured = at_check["sheets_measured"]
    assert at_check["out_of_spec_fraction"] * measured == pytest.approx(scrapped * certain.batch.n, abs=0.5)


def test_the_twin_counts_escapes_as_evaluate_does():
    from twin.des import simulate

    scenario = _scenario(**{"route.electrolyte_inspection.detection_probability": 0.5})
    steady = evaluate_details(scenario).result
    twin = simulate(scenario, 3, replications=1, seed=11)
    assert twin["yield"]["escape_rate"] == pytest.approx(steady["yield"]["escape_rate"], rel=0.25)
    assert twin["throughput"]["cell_energy_wh"] == pytest.approx(steady["throughput"]["cell_energy_wh"], rel=0.01)
    assert twin["cost"]["by_category"]["escapes"] > 0


def test_one_escaped_layer_makes_an_escaped_cell():
    """100 pieces shipped, 1 escaped, 10 layers a cell: 10 cells, exactly one of which holds it."""
    from twin.cell_output import FinishedOutput

    stacked = FinishedOutput(sheets=50, good_pieces=99.0, escaped_pieces=1.0, delivered_Wh=99.0 * 2.0,
                             escaped_by_step=((3, 0.25), (7, 0.75))).assembled(10)
    assert stacked.good_pieces == pytest.approx(90.0, rel=1e-12)        # 9 good cells (not 9.9, nor 0.99^10 x 10)
    assert stacked.escaped_pieces == pytest.approx(10.0, rel=1e-12)     # 1 escaped cell
    assert stacked.good_pieces + stacked.escaped_pieces == pytest.approx(100.0, rel=1e-12)   # nothing lost
    assert stacked.cellmate_pieces == 0.0
    assert stacked.delivered_Wh / stacked.good_pieces == pytest.approx(2.0, rel=1e-12)  # per good piece as made
    assert dict(stacked.escaped_by_step)[7] == pytest.approx(3 * dict(stacked.escaped_by_step)[3], rel=1e-12)
    # one layer per cell, or nothing escaped: the pieces are the cells
    single = FinishedOutput(sheets=50, good_pieces=99.0, escaped_pieces=1.0, delivered_Wh=198.0)
    assert single.assembled(1) == single
    clean = FinishedOutput(sheets=50, good_pieces=100.0, escaped_pieces=0.0, delivered_Wh=200.0)
    assert clean.assembled(10) == clean
