"""Steady-state evaluation: result keys, determinism, yield bookkeeping, bottleneck."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twin.evaluate import evaluate_details, evaluate_scenario
from twin.results import missing_result_keys
from twin.scenario import apply_overrides, load_scenario, read_scenario_document, validate_scenario

BASELINE = "scenarios/oxide_baseline.yaml"


@pytest.fixture(scope="module")
def baseline_evaluation():
    return evaluate_details(load_scenario(BASELINE))


@pytest.mark.component
def test_result_has_every_shared_key(baseline_evaluation):
    assert missing_result_keys(baseline_evaluation.result) == []


@pytest.mark.component
def test_same_scenario_same_result_and_other_seed_differs(baseline_evaluation):
    scenario = load_scenario(BASELINE)
    again = evaluate_scenario(scenario)
    assert again["cost"]["usd_per_kwh"] == baseline_evaluation.result["cost"]["usd_per_kwh"]
    assert again["yield"]["sheet_yield_by_step"] == baseline_evaluation.result["yield"]["sheet_yield_by_step"]
    other = evaluate_scenario(scenario.model_copy(update={"seed": scenario.seed + 1}))
    assert (other["quality"]["relative_density"]["mean"]
            != baseline_evaluation.result["quality"]["relative_density"]["mean"])


@pytest.mark.component
def test_yields_are_fractions_and_scrap_balances(baseline_evaluation):
    result = baseline_evaluation.result
    assert all(0.0 <= y <= 1.0 for y in result["yield"]["sheet_yield_by_step"].values() if y is not None)
    # every station's sheets kept (its OEE quality; the sheet yield is null after cutting, the flows keep it)
    sheets_good = math.prod(station["quality"] for station in result["stations"].values())
    # overall counts good cell pieces: sheet yield x the pieces defects left on good sheets, less the
    # escaped ones (pieces with a latent defect no check found: kept pieces, but not good)
    assert 0.0 < result["yield"]["cell_piece_yield"] <= 1.0
    batch = baseline_evaluation.batch
    cells = baseline_evaluation.scenario.cell.format.cells_per_sheet
    kept_pieces = np.count_nonzero(batch.alive) * cells * result["yield"]["cell_piece_yield"]
    escaped = batch.state["latent_defect_pieces"][batch.alive].sum()
    assert 0 < escaped < 0.01 * kept_pieces   # the baseline ships a few latent defects
    # stacked L to a cell drawn from the N pieces stacked, a cell holding an escaped piece is an escape and one
    # holding a piece the end-of-line test rejected is lost whole (FinishedOutput.assembled): good pieces are
    # N x P(none of the R rejected and B escaped among its L), taken without replacement
    layers = baseline_evaluation.scenario.cell.format.layers_per_cell
    stacked = np.nansum(batch.state["stacked_pieces"])   # alive or scrapped after stacking
    rejected = stacked - kept_pieces
    assert 0 < rejected < 0.05 * stacked   # the baseline's end-of-line test finds lamination debris
    free = math.prod((stacked - rejected - escaped - i) / (stacked - i) for i in range(layers))
    assert result["yield"]["overall"] == pytest.approx(
        sheets_good * result["yield"]["cell_piece_yield"] * stacked / kept_pieces * free, rel=1e-12)
    # the scrap shares are sheet-equivalents of cell pieces (twin.piece_yield): a sheet scrapped whole counts
    # the pieces it still had, pieces lost on sheets that went on count one by one (under their cause), the
    # cellmates of rejected pieces are the good pieces stacked but not shipped; with the escaped pieces and
    # the good ones they account for every piece started
    causes = dict(result["yield"]["scrap_by_cause"])
    assert math.fsum(causes.values()) + result["yield"]["escaped_share"] + result["yield"]["overall"] \
        == pytest.approx(1.0, rel=1e-12)
    cellmates = causes.pop("cellmate_of_rejected_piece")
    # the pieces lost on sheets that went on are booked under their physical cause (twin.piece_yield)
    pieces = baseline_evaluation.pieces
    single = math.fsum(pieces.single_pieces_at(step.name) for step in baseline_evaluation.scenario.route)
    dead_on_alive = batch.state["dead_cell_pieces"][batch.alive].sum()
    assert single >= dead_on_alive - 1e-9   # plus the pieces lost before a sheet was scrapped
    assert math.fsum(causes.values()) - single / (batch.n * cells) <= 1.0 - sheets_good + 1e-12
    assert cellmates * batch.n * cells == pytest.approx(
        kept_pieces - stacked * math.prod((stacked - rejected - i) / (stacked - i) for i in range(layers)), rel=1e-9)
    assert np.count_nonzero(batch.alive) + np.count_nonzero(batch.scrap_step >= 0) == batch.n


@pytest.mark.component
def test_bottleneck_runs_full_and_no_station_exceeds_capacity(baseline_evaluation):
    result = baseline_evaluation.result
    assert result["stations"][result["bottleneck"]]["utilization"] == pytest.approx(1.0, rel=1e-12)
    assert max(s["utilization"] for s in result["stations"].values()) <= 1.0 + 1e-12


@pytest.mark.component
def test_throughput_units_agree(baseline_evaluation):
    result = baseline_evaluation.result
    scenario = baseline_evaluation.scenario
    throughput = result["throughput"]
    # per day is per calendar day (a year / 365); per hour is per scheduled (shift) hour
    assert throughput["good_cells_per_day"] == pytest.approx(throughput["good_cells_per_year"] / 365.0, rel=1e-12)
    cells_per_hour = throughput["good_cells_per_year"] / throughput["operating_hours_per_year"]
    assert throughput["m2_per_hour"] == pytest.approx(
        cells_per_hour * scenario.cell.format.layers_per_cell * scenario.cell_layer_area_m2, rel=1e-12)
    assert throughput["gwh_per_year"] == pytest.approx(
        throughput["good_cells_per_year"] * throughput["cell_energy_wh"] * 1e-9, rel=1e-12)


@pytest.mark.component
def test_more_defects_lower_yield_and_raise_cost(baseline_evaluation):
    document = apply_overrides(read_scenario_document(BASELINE),
                               {"route.electrolyte_casting.defect_density_per_m2": 3.0})
    worse = evaluate_scenario(validate_scenario(document))
    assert worse["yield"]["overall"] < baseline_evaluation.result["yield"]["overall"]
    assert worse["cost"]["usd_per_kwh"] > baseline_evaluation.result["cost"]["usd_per_kwh"]
