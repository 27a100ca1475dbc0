"""Where escapes come from: each latent-defect maker's size law against the POD of the checks after it."""

from __future__ import annotations

import math

import pytest

from twin.commands.output_notes import output_notes
from twin.escape_sources import escape_sources
from twin.evaluate import evaluate_scenario
from twin.inspection_methods import method_figures, method_pod
from twin.scenario import load_scenario

BASELINE = "scenarios/oxide_baseline.yaml"


def _source(scenario, step):
    return next(source for source in escape_sources(scenario) if source["step"] == step)


@pytest.mark.unit
def test_defects_all_of_one_size_are_found_with_the_pod_at_that_size():
    # log_sd 0: every pinhole has the median size, so each check finds POD(a_med) of them and the share
    # that passes every check is the product of the misses, exactly
    base = load_scenario(BASELINE)
    x_ray = base.step("cell_inspection").method
    a50_um = method_figures(base, x_ray)["a50_m"] * 1e6
    scenario = load_scenario(BASELINE, {"route.electrolyte_casting.defect_size.median_um": a50_um,
                                        "route.electrolyte_casting.defect_size.log_sd": 0.0})
    source = _source(scenario, "electrolyte_casting")
    found = {check["check"]: check["detected_share"] for check in source["checks"]}
    assert found["cell_inspection"] == pytest.approx(0.5, abs=1e-12)   # a50: found half the time
    pods = [float(method_pod(scenario, scenario.step(name).method, a50_um * 1e-6)) for name in found]
    assert list(found.values()) == pytest.approx(pods, abs=1e-12)
    assert source["missed_share"] == pytest.approx(math.prod(1.0 - pod for pod in pods), abs=1e-12)


@pytest.mark.unit
def test_misses_of_checks_that_all_see_large_defects_better_are_positively_correlated():
    # every POD rises with size, so the misses are decreasing functions of one size: the share that passes
    # every check is at least the product of the single misses (Chebyshev's integral inequality), and at
    # most the smallest single miss
    for source in escape_sources(load_scenario("scenarios/gigafactory.yaml")):
        misses = [1.0 - check["detected_share"] for check in source["checks"]]
        assert math.prod(misses) <= source["missed_share"] <= min(misses)
        assert math.prod(misses) < source["missed_share"]   # strictly: the sizes spread (log_sd > 0)


@pytest.mark.unit
def test_larger_defects_pass_the_checks_less_often():
    coarse = _source(load_scenario(BASELINE), "electrolyte_casting")
    finer = _source(load_scenario(BASELINE, {"route.electrolyte_casting.defect_size.median_um": 40.0}),
                    "electrolyte_casting")
    assert finer["missed_share"] < coarse["missed_share"]   # larger defects: every check finds more


@pytest.mark.component
def test_evaluate_names_the_checks_blind_to_the_gigafactory_escapes():
    result = evaluate_scenario(load_scenario("scenarios/gigafactory.yaml"))
    sources = result["yield"]["escape_sources"]
    assert [source["step"] for source in sources] == ["electrolyte_casting", "li_lamination"]
    note = next(note for note in output_notes(result) if note.startswith("Where escapes come from"))
    assert "electrolyte_casting's pinholes (median 20 um): electrolyte_inspection" in note
    assert "end_of_line_test" in note and "pass every check" in note


@pytest.mark.unit
def test_a_route_without_sized_defects_has_no_sources():
    scenario = load_scenario(BASELINE, {"route.electrolyte_casting.defect_density_per_m2": 0.0,
                                        "route.li_lamination.defect_density_per_m2": 0.0})
    assert escape_sources(scenario) == []


@pytest.mark.unit
def test_an_escape_priced_below_the_cells_factory_cost_is_named():
    from twin.commands.output_notes import _escape_price_sentence

    # 200 Wh cell at 100 USD of which 10 USD/kWh x 0.2 kWh = 2 USD escape claims: 98 USD to make
    result = {"cost": {"escape_usd_per_cell": 50.0, "usd_per_cell": 100.0, "by_category": {"escapes": 10.0}},
              "throughput": {"cell_energy_wh": 200.0}}
    assert _escape_price_sentence(result) == (
        "Escape price: a bad cell shipped is priced at 50 USD (costs.quality.escape_usd_per_cell), below the 98 USD "
        "a good cell costs to make: a claim costs at least a replacement cell, so escapes (and finer inspection) "
        "weigh too little in the cost.")
    result["cost"]["escape_usd_per_cell"] = 98.0
    assert _escape_price_sentence(result) is None


@pytest.mark.component
def test_the_library_gigafactory_prices_an_escape_above_its_cells_cost():
    result = evaluate_scenario(load_scenario("scenarios/gigafactory.yaml"))
    cost = result["cost"]
    factory = cost["usd_per_cell"] - cost["by_category"]["escapes"] * result["throughput"]["cell_energy_wh"] / 1e3
    assert cost["escape_usd_per_cell"] == 200.0 > factory
    assert not any(note.startswith("Escape price") for note in output_notes(result))


@pytest.mark.unit
def test_sources_are_kept_per_route_and_never_shared_by_reference():
    scenario = load_scenario(BASELINE)
    first = escape_sources(scenario)
    first[0]["checks"][0]["detected_share"] = -1.0   # a caller writing into its copy
    again = escape_sources(scenario.model_copy(update={"seed": 7}))   # a seed variant shares the route
    assert again[0]["checks"][0]["detected_share"] > 0.0
    larger = load_scenario(BASELINE, {"route.electrolyte_casting.defect_size.median_um": 40.0})
    assert escape_sources(larger)[0]["missed_share"] < again[0]["missed_share"]
