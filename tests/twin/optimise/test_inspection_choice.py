"""The optimiser trades inspection time against detection: escapes priced by evaluate decide."""

from __future__ import annotations

import pytest

from tests.twin.immediate_defects import immediate_defect_document
from twin.optimise.inspection_choice import choose_inspection_times
from twin.scenario import apply_overrides, validate_scenario

pytestmark = pytest.mark.component

OPTIONS = [0.25, 1.0, 4.0]


def _designed(escape_usd_per_cell: float):
    document = immediate_defect_document()  # detection by time, not by a method's POD
    return validate_scenario(apply_overrides(document, {
        "route.electrolyte_inspection.min_relative_density": 0.962,   # about a tenth of the sheets fail
        "route.electrolyte_inspection.detection_versus_time": {"reference_cycle_time_s": 0.5,
                                                               "reference_detection_probability": 0.6},
        "costs.quality.escape_usd_per_cell": escape_usd_per_cell,
    }))


def test_the_cheapest_inspection_that_meets_the_target_is_kept():
    designed, trials = choose_inspection_times(_designed(50.0), OPTIONS)
    assert [t["cycle_time_s"] for t in trials] == OPTIONS
    chosen = [t for t in trials if t["chosen"]]
    assert len(chosen) == 1
    target = designed.plant.target_output_GWh_per_year
    meeting = [t for t in trials if t["gwh_per_year"] >= target * 0.995]
    # compared at the target (twin.optimise.target_cost), not per kWh of each line's own output
    assert chosen[0]["usd_per_kwh_at_target"] == min(t["usd_per_kwh_at_target"] for t in (meeting or trials))
    assert designed.line.stations["electrolyte_inspection"].cycle_time_s == chosen[0]["cycle_time_s"]
    # a slower inspection detects more and ships fewer escapes, and needs at least as many machines
    detections = [t["detection_probability"] for t in trials]
    assert detections == sorted(detections)
    assert [t["escape_ppm"] for t in trials] == sorted((t["escape_ppm"] for t in trials), reverse=True)
    machines = [t["machines"] for t in trials]
    assert machines == sorted(machines)


def test_costly_escapes_buy_a_slower_inspection():
    _, free = choose_inspection_times(_designed(0.0), OPTIONS)
    _, costly = choose_inspection_times(_designed(2000.0), OPTIONS)
    chosen_free = next(t for t in free if t["chosen"])
    chosen_costly = next(t for t in costly if t["chosen"])
    assert chosen_costly["cycle_time_s"] >= chosen_free["cycle_time_s"]
    assert chosen_costly["cycle_time_s"] == max(OPTIONS)


def test_optimise_writes_the_chosen_inspection_and_its_headline_is_evaluate(make_small_grid):
    from twin.evaluate import evaluate_scenario
    from twin.optimise import optimise

    document = _designed(2000.0).model_dump(mode="json")
    document["optimisation"]["inspection_cycle_time_s"] = OPTIONS
    scenario = make_small_grid(validate_scenario(document))
    result = optimise(scenario, twin_check=False)
    assert result["status"] == "optimal"
    chosen = [t for t in result["design"]["inspection"] if t["chosen"]]
    assert len(chosen) == 1
    written = validate_scenario(result["designed_scenario"])
    assert written.line.stations["electrolyte_inspection"].cycle_time_s == chosen[0]["cycle_time_s"]
    assert result["cost"]["usd_per_kwh"] == pytest.approx(evaluate_scenario(written)["cost"]["usd_per_kwh"], rel=1e-12)


def _without_end_of_line_test(escape_usd_per_cell: float):
    """The baseline with no end-of-line test: what the cell inspection misses ships."""
    from twin.scenario import read_scenario_document

    document = read_scenario_document("scenarios/oxide_baseline.yaml")
    document["route"] = [step for step in document["route"] if step["name"] != "end_of_line_test"]
    del document["line"]["stations"]["end_of_line_test"]
    return validate_scenario(apply_overrides(document, {"costs.quality.escape_usd_per_cell": escape_usd_per_cell}))


def test_a_finer_method_is_slower_and_finds_more_and_dear_escapes_buy_it():
    from twin.optimise.inspection_choice import choose_inspection_methods

    cheap = _without_end_of_line_test(0.0)
    options = cheap.optimisation.inspection_methods
    _, trials = choose_inspection_methods(cheap, options)
    assert [t["method"] for t in trials] == ["xray_2d", "xray_2d", "xray_ct", "xray_ct"]   # own first
    ct = [t for t in trials if t["method"] == "xray_ct"]
    coarse, fine = sorted(ct, key=lambda t: -t["resolution"])
    assert fine["time_per_sheet_s"] > coarse["time_per_sheet_s"] and fine["machines"] > coarse["machines"]
    assert fine["escape_ppm"] < coarse["escape_ppm"]
    chosen = [t for t in trials if t["chosen"]]
    assert len(chosen) == 1 and chosen[0]["usd_per_kwh_at_target"] == min(t["usd_per_kwh_at_target"] for t in trials)
    # with free escapes the finer 2D X-ray (25 um, 3 machines) makes more good cells on the same line (a debris
    # piece it finds before stacking loses one piece, one it misses takes its 10-layer cell out of the good
    # output), so per kWh of its own output it reads cheaper; but only the check is re-sized here, so at the
    # target its line still needs every upstream machine and the extra cells save only their sheets' cost: the
    # 50 um one is chosen and the 25 um one is named cheaper only by its surplus. A price per escape buys it.
    fine_xray = next(t for t in trials if t["method"] == "xray_2d" and t["resolution"] == 25.0)
    assert chosen[0]["method"] == "xray_2d" and chosen[0]["resolution"] == 50.0
    assert fine_xray["usd_per_kwh"] < chosen[0]["usd_per_kwh"] and fine_xray["cheaper_only_by_overshoot"]
    assert fine_xray["gwh_per_year"] > chosen[0]["gwh_per_year"]
    designed, dear = choose_inspection_methods(_without_end_of_line_test(5000.0), options)
    best = next(t for t in dear if t["chosen"])
    assert best["method"] == "xray_2d" and best["resolution"] == 25.0
    assert best["escape_ppm"] <= chosen[0]["escape_ppm"]

    def lead(trials):
        by_resolution = {t["resolution"]: t["usd_per_kwh_at_target"] for t in trials if t["method"] == "xray_2d"}
        return by_resolution[50.0] - by_resolution[25.0]

    assert lead(dear) > 0.0 > lead(trials)
    assert designed.step("cell_inspection").method.model_dump()["method"] == best["method"]
    assert designed.line.stations["cell_inspection"].machines == best["machines"]
