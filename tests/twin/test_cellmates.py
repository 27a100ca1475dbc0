"""A piece rejected after stacking takes its cell, and so its L - 1 cellmates, with it (twin.cell_output)."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import yaml

from twin.cell_output import FinishedOutput, cells_free_of, finished_output
from twin.cost.line_flow import LineOutput
from twin.cost.linear_model import step_variable_cost_per_sheet
from twin.evaluate import evaluate_details
from twin.no_output import scrap_shares
from twin.scenario import load_scenario, validate_scenario
from twin.sheet_batch import SheetBatch

BASELINE = "scenarios/oxide_baseline.yaml"   # 2 pieces a sheet, 10 layers a cell, an end-of-line test


@pytest.mark.unit
def test_one_piece_rejected_at_end_of_line_takes_its_cell():
    """100 pieces stacked into 10 cells, 1 rejected at the end-of-line test: 10 pieces lost, 9 cells (not 9.9)."""
    stacked = FinishedOutput(sheets=50, good_pieces=99.0, delivered_Wh=99.0 * 2.0, stacked_pieces=100.0)
    assert stacked.rejected_pieces == 1.0
    cells = stacked.assembled(10)
    assert cells.good_pieces == pytest.approx(90.0, rel=1e-12)          # 9 good cells
    assert cells.cellmate_pieces == pytest.approx(9.0, rel=1e-12)       # + the rejected piece: 10 lost
    assert cells.escaped_pieces == 0.0
    assert cells.delivered_Wh / cells.good_pieces == pytest.approx(2.0, rel=1e-12)
    # the same piece on a sheet scrapped whole there (1 piece left on it) counts the same
    scrapped = FinishedOutput(sheets=49, good_pieces=99.0, stacked_pieces=99.0, scrapped_stacked_sheets=1.0,
                              scrapped_stacked_pieces=1.0).assembled(10)
    assert scrapped.good_pieces == pytest.approx(90.0, rel=1e-12)
    assert scrapped.cellmate_pieces == pytest.approx(9.0, rel=1e-12)


@pytest.mark.unit
def test_the_sheet_state_counts_the_rejected_piece_and_its_cellmates():
    """The same case from per-sheet state: 50 sheets of 2 pieces stacked, one piece found dead afterwards."""
    scenario = load_scenario(BASELINE)
    batch = SheetBatch.new(50)
    batch.state["stacked_pieces"][:] = 2.0
    batch.state["dead_cell_pieces"][7] = 1.0      # found at the end-of-line test; its sheet goes on
    output = LineOutput.from_finished(scenario, finished_output(scenario, batch.values, batch.alive))
    assert output.good_pieces_per_sheet * 50 / 10 == pytest.approx(9.0, rel=1e-12)
    assert output.cellmate_pieces_per_sheet * 50 == pytest.approx(9.0, rel=1e-12)
    # a sheet scrapped after stacking counts with the pieces it had when stacked
    batch.state["dead_cell_pieces"][7] = 0.0
    batch.scrap(np.arange(50) == 7, 11, "latent_defect")
    found = finished_output(scenario, batch.values, batch.alive)
    assert (found.scrapped_stacked_sheets, found.scrapped_stacked_pieces, found.rejected_pieces) == (1.0, 2.0, 2.0)
    assert found.assembled(10).good_pieces == pytest.approx(100 * (98 * 97 * 96 * 95 * 94 * 93 * 92 * 91 * 90 * 89)
                                                            / (100 * 99 * 98 * 97 * 96 * 95 * 94 * 93 * 92 * 91),
                                                            rel=1e-12)


@pytest.mark.unit
def test_a_long_stream_gives_the_binomial_cell_yield():
    """Drawn from many pieces, a cell misses all K of N with probability (1 - K/N)^L (binomial)."""
    assert cells_free_of(1e7, 1e5, 10) == pytest.approx(0.99 ** 10, rel=1e-5)
    assert cells_free_of(100.0, 0.0, 10) == 1.0
    assert cells_free_of(100.0, 91.0, 10) == 0.0     # fewer unmarked pieces than a cell: none is clean
    assert cells_free_of(5.0, 1.0, 10) == pytest.approx(0.8 ** 10, rel=1e-12)   # under one cell: binomial


@pytest.mark.unit
def test_a_check_after_stacking_never_raises_good_cells():
    """Finding pieces at a check after stacking (escapes turned into rejects, false calls on good pieces)
    can only take cells away: without the check they ship in escaped or good cells."""
    rng = np.random.default_rng(5)
    for _ in range(200):
        layers = int(rng.integers(2, 30))
        good = float(rng.integers(layers, 5000))
        escaped = float(rng.integers(0, 300))
        found = float(rng.integers(0, escaped + 1))          # escapes the check finds
        false_calls = float(rng.integers(0, 50))             # good pieces it rejects
        without = FinishedOutput(sheets=1, good_pieces=good, escaped_pieces=escaped,
                                 stacked_pieces=good + escaped).assembled(layers)
        with_check = FinishedOutput(sheets=1, good_pieces=good - false_calls, escaped_pieces=escaped - found,
                                    stacked_pieces=good + escaped).assembled(layers)
        assert with_check.good_pieces <= without.good_pieces * (1 + 1e-12)
        # what the check takes is conserved: rejected + cellmates + shipped = stacked
        shipped = with_check.good_pieces + with_check.escaped_pieces
        assert shipped + with_check.cellmate_pieces + found + false_calls == pytest.approx(good + escaped, rel=1e-12)


def _document() -> dict:
    with open(BASELINE) as handle:
        return yaml.safe_load(handle)


def _step(document: dict, name: str) -> dict:
    return next(step for step in document["route"] if step["name"] == name)


@pytest.mark.component
def test_adding_the_end_of_line_test_never_raises_good_cells():
    """The baseline with and without its end-of-line test (same seed, same draws up to it): the test finds the
    lamination debris the 2D X-ray missed, and each find takes its cell: good cell pieces per piece started
    can only fall."""
    with_test = _document()
    without = copy.deepcopy(with_test)
    without["route"] = [step for step in without["route"] if step["name"] != "end_of_line_test"]
    del without["line"]["stations"]["end_of_line_test"]
    without["sources"] = {path: text for path, text in without["sources"].items() if "end_of_line_test" not in path}
    tested = evaluate_details(validate_scenario(with_test)).result["yield"]
    untested = evaluate_details(validate_scenario(without)).result["yield"]
    assert tested["escape_ppm"] < 0.2 * untested["escape_ppm"]       # it finds most of the escapes
    # since round 11 a station downstream changes the buffers upstream (a station held back when the buffer
    # behind it has no room, twin.line_buffers): without the tester the buffers before the Li foil differ and
    # the interface-ASR scrap with them (0.85 % against 0.70 %); the test itself can only take good cells away
    asr = "high_interface_asr"
    assert tested["overall"] - untested["overall"] <= (untested["scrap_by_cause"].get(asr, 0.0)
                                                        - tested["scrap_by_cause"].get(asr, 0.0))
    assert tested["scrap_by_cause"]["cellmate_of_rejected_piece"] > 0.05
    assert untested["scrap_by_cause"]["cellmate_of_rejected_piece"] == 0.0


@pytest.mark.component
def test_frequent_defects_make_inline_inspection_pay_against_the_end_of_line_test():
    """Lamination debris at 1 per m2 (5x the baseline): found by the 50 um 2D X-ray of the laminated sheet
    (before stacking) a piece is lost alone; found by the end-of-line test it takes its 10-layer cell. With
    the X-ray the line makes 930.9 USD/kWh against 978.0 USD/kWh with the end-of-line test alone, its tester also
    grading capacity at the cells' rated C/20 charge (60 testers, twin.grading_tester; 873.9 and 918.1 with 16
    testers charging at C/3, twin.capacity_grading; 851.9 and 895.0 with 2 testers and no grade; 850.6 and 893.7
    before the buffer levels wandered with the breakdowns, docs/calibration/buffer_waits.md; 850.3 and 893.3
    with every buffer's level uniform, before each buffer's own load, twin.buffer_levels) (the X-ray
    finds ~23 of the ~100 debris-carrying sheets in the sample, in expectation: twin.expected_outcomes; each
    latent defect's finds and escapes booked as their mean over its size law, twin.sample_estimator: 848.6
    and 892.6 with the drawn size; with counted draws the figures were 850.1 and 882.0; 842.5 and 885.8 before
    each sheet's own wait before the Li foil, twin.sheet_exposure, scrapped the ~0.7 % a plant holiday
    catches); counted per piece, both were 613.8."""
    frequent = _document()
    _step(frequent, "li_lamination")["defect_density_per_m2"] = 1.0
    end_of_line_only = copy.deepcopy(frequent)
    del _step(end_of_line_only, "cell_inspection")["method"]     # its ASR specs stay; no X-ray
    end_of_line_only["line"]["stations"]["cell_inspection"]["cycle_time_s"] = 0.6   # the X-ray's 6 frames
    inline = evaluate_details(validate_scenario(frequent)).result
    late = evaluate_details(validate_scenario(end_of_line_only)).result
    assert inline["cost"]["usd_per_kwh"] == pytest.approx(930.88, abs=0.05)
    assert late["cost"]["usd_per_kwh"] == pytest.approx(978.00, abs=0.05)
    assert inline["cost"]["usd_per_kwh"] < 0.97 * late["cost"]["usd_per_kwh"]
    assert inline["yield"]["overall"] > late["yield"]["overall"] + 0.02
    assert (inline["yield"]["scrap_by_cause"]["cellmate_of_rejected_piece"]
            < late["yield"]["scrap_by_cause"]["cellmate_of_rejected_piece"])


@pytest.mark.component
def test_cellmates_are_booked_as_scrap_at_the_end_of_line_test_with_their_value():
    """The baseline's cellmates: a scrap cause and share at the end-of-line test, in its scrap value and
    its scrap-by-check share, and the same sheet-equivalents in the plant operation the cost model prices."""
    evaluation = evaluate_details(load_scenario(BASELINE))
    result, operation = evaluation.result, evaluation.flow.operation
    share = result["yield"]["scrap_by_cause"]["cellmate_of_rejected_piece"]
    assert 0.1 < share < 0.2
    entry = next(s for s in result["yield"]["scrap_shares"] if s["cause"] == "cellmate_of_rejected_piece")
    assert (entry["step"], entry["fraction"]) == ("end_of_line_test", pytest.approx(share, rel=1e-12))
    assert operation.cellmate_sheets_per_year == pytest.approx(share * operation.sheets_started_per_year, rel=1e-9)
    assert operation.cellmate_sheets_by_step() == {"end_of_line_test": operation.cellmate_sheets_per_year}
    assert result["yield"]["scrap_by_check"]["end_of_line_test"] > share
    # the cellmates carry all the value added up to the end-of-line test, as the sheets it scraps and the
    # pieces it rejects one by one (latent defects found, sheet-equivalents) do
    whole_sheets = (operation.sheets_in_per_year["end_of_line_test"]
                    - operation.sheets_good_out_per_year["end_of_line_test"])
    single = operation.single_piece_sheets_per_year["end_of_line_test"]
    assert single > 0.0
    value_per_sheet = math.fsum(math.fsum(step_variable_cost_per_sheet(operation.scenario, step.name).values())
                                for step in operation.scenario.route)
    assert result["cost"]["scrap_value_usd_per_kwh"]["end_of_line_test"] == pytest.approx(
        (whole_sheets + single + operation.cellmate_sheets_per_year) * value_per_sheet / operation.kwh_per_year,
        rel=1e-9)


@pytest.mark.unit
def test_simulate_sentence_for_cellmates_says_sheet_equivalents_not_sheets_scrapped():
    # simulate counts cellmates in sheet-equivalents (pieces / cells per sheet): no whole sheet is scrapped
    # for them, so the sentence must not say "of sheets scrapped" as it does for a sheet-level cause
    shares = scrap_shares({"end_of_line_test": {"cellmate_of_rejected_piece": 137.0, "latent_defect": 1.0}}, 1000.0)
    sentences = {share["cause"]: share["sentence"] for share in shares}
    assert sentences["cellmate_of_rejected_piece"] == ("13.7% of sheets started (sheet-equivalents) lost as "
                                                       "cellmates of pieces rejected at end_of_line_test")
    assert sentences["latent_defect"] == "0.1% of sheets scrapped for latent_defect at end_of_line_test"
