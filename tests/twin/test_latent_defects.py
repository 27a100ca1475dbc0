"""Issue 18 §2: sized latent defects, found by an inspection method's POD or shipped as escapes."""

from __future__ import annotations

import numpy as np
import pytest

from twin.capacity import station_timing
from twin.cell_output import finished_output
from twin.evaluate import evaluate_details
from twin.scenario import ScenarioError, apply_overrides, load_scenario, read_scenario_document, validate_scenario
from twin.sheet_batch import CAUSE_INDEX, SHEET_STATE_FIELDS

pytestmark = pytest.mark.component

BASELINE = "scenarios/oxide_baseline.yaml"
_ROW = {name: i for i, name in enumerate(SHEET_STATE_FIELDS)}


def _document(without_end_of_line_test: bool = False) -> dict:
    document = read_scenario_document(BASELINE)
    if without_end_of_line_test:
        document["route"] = [step for step in document["route"] if step["name"] != "end_of_line_test"]
        del document["line"]["stations"]["end_of_line_test"]
    return document


def _ct(voxel_um: float) -> dict:
    # SFA inline CT: <= 4 s per scan over (pi/2) 2000 projections (the scenario library's sourced figure)
    return {"method": "xray_ct", "voxel_um": voxel_um, "detector_pixels": 2000, "exposure_per_projection_s": 0.00127}


def test_a_coarser_ct_voxel_never_lowers_the_escape_rate():
    """Same seed, same defects: a coarser voxel has a lower POD at every size, so it misses a superset."""
    document = _document(without_end_of_line_test=True)
    rates = []
    for voxel_um in (20, 40, 80, 160, 320):
        # enough scanners that even the finest voxel keeps up (the rate compares what is found, not capacity)
        scenario = validate_scenario(apply_overrides(document, {"route.cell_inspection.method": _ct(voxel_um),
                                                                "line.stations.cell_inspection.machines": 500}))
        rates.append(evaluate_details(scenario).result["yield"]["escape_rate"])
    assert all(coarse >= fine for fine, coarse in zip(rates, rates[1:], strict=False)), rates
    assert rates[-1] > 1.1 * rates[0] > 0.0, rates   # the voxel matters at these defect sizes


def test_the_end_of_line_test_time_sets_that_stations_capacity():
    """A channel holds a cell (sheets_per_cell sheets): a machine tests channels x sheets_per_cell per test time
    (and per the capacity grade's cycle on the same channels, twin.capacity_grading: here without it)."""
    document = apply_overrides(_document(), {"route.end_of_line_test.capacity_grading": None,
                                             "line.stations.end_of_line_test.power_kW": 5})   # metered, ungraded
    scenario = validate_scenario(document)
    method = scenario.step("end_of_line_test").method
    timing = station_timing(scenario, "end_of_line_test")
    expected = method.channels_per_machine * scenario.sheets_per_cell * 3600.0 / (method.test_time_h * 3600.0)
    assert timing.sheets_per_hour_per_machine == pytest.approx(expected, rel=1e-12)
    longer = validate_scenario(apply_overrides(document, {"route.end_of_line_test.method.test_time_h": 4.0}))
    assert station_timing(longer, "end_of_line_test").sheets_per_hour_per_machine == pytest.approx(expected / 4,
                                                                                                    rel=1e-12)
    # the library's grade adds its cycle (a full charge at the rated C/20 with its 5 % constant-voltage tail, the
    # C/3 measuring discharge, the recharge to 30 % at C/20, 0.5 h of rests) to the 1 h hold on the same channel
    graded = station_timing(load_scenario(BASELINE), "end_of_line_test")
    grading_h = 1.05 / 0.05 + 1.0 / scenario.cell.rating.c_rate_per_h + 0.3 / 0.05 + 0.5
    assert graded.sheets_per_hour_per_machine == pytest.approx(expected / (1.0 + grading_h), rel=1e-12)


def test_a_defect_below_every_method_resolution_reaches_the_end_of_line_test():
    """0.5 um defects (no spread) sit under the 24 um camera pixel and the 50 um X-ray pixel: POD 0."""
    tiny = {"kind": "pinhole", "median_um": 0.5, "log_sd": 0.0}
    scenario = validate_scenario(apply_overrides(_document(), {"route.electrolyte_casting.defect_size": tiny,
                                                               "route.li_lamination.defect_size": tiny}))
    evaluation = evaluate_details(scenario)
    alive, values = evaluation.checkpoints["end_of_line_test"]
    carrying = alive & (values[_ROW["latent_defect_pieces"]] > 0)
    assert carrying.sum() > 50
    # none found before: every latent defect made is still on an alive sheet entering the test
    made_alive, made = evaluation.checkpoints["electrolyte_inspection"]
    assert values[_ROW["latent_defect_pieces"]][alive].sum() >= made[_ROW["latent_defect_pieces"]][made_alive].sum()
    scrapped_at = evaluation.batch.scrap_step[evaluation.batch.scrap_cause == CAUSE_INDEX["latent_defect"]]
    names = [evaluation.scenario.route[i].name for i in scrapped_at]
    assert set(names) <= {"end_of_line_test"}
    # and each missed one there was last missed by the end-of-line test itself
    escaped = evaluation.batch.alive & (evaluation.batch.values[_ROW["latent_defect_pieces"]] > 0)
    steps = evaluation.batch.values[_ROW["latent_defect_step"]][escaped]
    assert np.all(steps == [s.name for s in scenario.route].index("end_of_line_test"))


def test_escapes_are_the_latent_defect_pieces_that_passed_every_check():
    evaluation = evaluate_details(load_scenario(BASELINE))
    batch = evaluation.batch
    finished = finished_output(evaluation.scenario, batch.values, batch.alive)
    spec_escaped = ~np.isnan(batch.values[_ROW["out_of_spec_cause"]]) & batch.alive
    assert not spec_escaped.any()  # the baseline's spec checks detect with certainty
    latent = batch.values[_ROW["latent_defect_pieces"]][batch.alive]
    assert finished.escaped_pieces == pytest.approx(latent.sum(), rel=1e-12)   # expected (fractional) pieces
    pieces = evaluation.scenario.cell.format.cells_per_sheet - batch.values[_ROW["dead_cell_pieces"]][batch.alive]
    assert finished.good_pieces == pytest.approx((pieces - latent).sum(), abs=1e-9)
    assert np.all(latent <= pieces + 1e-12)   # expected pieces: fractions, up to rounding
    # every sheet scrapped for a latent defect was scrapped at a check with a method
    for index in np.unique(batch.scrap_step[batch.scrap_cause == CAUSE_INDEX["latent_defect"]]):
        assert evaluation.scenario.route[index].method is not None


def test_the_report_block_gives_method_resolution_pod_and_counts():
    result = evaluate_details(load_scenario(BASELINE)).result
    optical = result["quality_at_check"]["electrolyte_inspection"]["inspection"]
    assert optical["method"] == "optical"
    assert optical["pixel_um"] == pytest.approx(200e3 / 8192, rel=1e-12)    # 200 mm over 8192 pixels
    assert optical["a50_um"] == pytest.approx(2 * optical["pixel_um"], rel=1e-12)
    assert optical["a90_um"] == pytest.approx(5 * optical["pixel_um"], rel=1e-12)
    for check in ("electrolyte_inspection", "cell_inspection", "end_of_line_test"):
        block = result["quality_at_check"][check]["inspection"]
        assert block["detected_pieces"] + block["missed_pieces"] == pytest.approx(block["latent_defect_pieces"])
        assert 0 <= block["detected_pieces"] <= block["latent_defect_pieces"]
    assert "latent_defect" in result["yield"]["scrap_by_cause"]


def test_without_a_defect_size_defects_kill_at_once_and_nothing_escapes():
    document = _document()
    for step in document["route"]:
        step.pop("defect_size", None)
    result = evaluate_details(validate_scenario(document)).result
    assert result["yield"]["escape_rate"] == 0.0
    assert result["quality_at_check"]["end_of_line_test"]["inspection"]["latent_defect_pieces"] == 0


def test_method_errors_name_the_field():
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(apply_overrides(_document(), {"route.cell_inspection.method.a90_pixels": 2}))
    assert any("a90_pixels: 2 must be above a50_pixels 3" in p for p in caught.value.problems)
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(apply_overrides(_document(), {"route.end_of_line_test.method.test": "ocv"}))
    assert any("voltage_resolution_mV" in p for p in caught.value.problems)


def test_method_pod_is_the_log_logistic_at_the_method_figures_every_time():
    # the curve is made once per method and reused: its POD is the published law at the method's own
    # a50/a90/resolution, on the first call and on later ones (a second method gets its own curve)
    from process_models.inspection_pod import pod_log_logistic
    from twin.inspection_methods import method_figures, method_pod

    scenario = load_scenario("scenarios/gigafactory.yaml")
    methods = [step.method for step in scenario.route if step.kind == "quality_check" and step.method is not None]
    assert len({method.method for method in methods}) >= 2
    sizes = np.array([0.0, np.nan, 5e-6, 30e-6, 120e-6, 2e-3])
    for method in methods + methods:
        figures = method_figures(scenario, method)
        expected = pod_log_logistic(sizes, figures["a50_m"], figures["a90_m"], figures["limit_m"])
        assert method_pod(scenario, method, sizes).tolist() == expected.tolist()


def test_the_inspection_summary_counts_cell_pieces_weighted_by_the_pod():
    """A sheet carrying an earlier check's expected miss (0.01 of a piece) counts as 0.01 piece, not a sheet."""
    from twin.inspection_methods import method_figures
    from twin.quality_checkpoints import inspection_summary

    scenario = load_scenario(BASELINE)
    step = next(s for s in scenario.route if s.name == "electrolyte_inspection")
    figures = method_figures(scenario, step.method)
    measured = {"latent_defect_pieces": np.array([0.0, 2.0, 0.01, 1.0]),
                "latent_defect_size_m": np.array([np.nan, figures["a50_m"], figures["a90_m"], figures["a90_m"]])}
    block = inspection_summary(scenario, step, measured)
    assert block["sheets_measured"] == 4
    assert block["latent_defect_pieces"] == pytest.approx(3.01, rel=1e-12)
    # POD(a50) = 0.5 and POD(a90) = 0.9 by definition of the log-logistic curve
    assert block["detected_pieces"] == pytest.approx(2.0 * 0.5 + 0.01 * 0.9 + 1.0 * 0.9, rel=1e-9)
    assert block["missed_pieces"] == pytest.approx(2.0 * 0.5 + 0.01 * 0.1 + 1.0 * 0.1, rel=1e-9)
