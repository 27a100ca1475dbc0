"""Every escaped cell booked to its source (twin.escape_sources.escape_attribution), and the largest one's lever."""

from __future__ import annotations

import math

import pytest

from tests.twin.immediate_defects import immediate_defect_document
from twin.commands.output_notes import output_notes
from twin.escape_sources import escape_sources, fewer_escapes_sentence, offered_methods
from twin.evaluate import evaluate_details, evaluate_scenario
from twin.expected_outcomes import latent_steps
from twin.scenario import apply_overrides, load_scenario, validate_scenario

BASELINE = "scenarios/oxide_baseline.yaml"
# a new user's case: the baseline cathode fired at 1080 C, where 79.1 % of the escapes were the capacity grade's
# and the rest (~18 cells a day) were named by no sentence
FIRED_AT_1080 = {"route.cathode_sintering.profile[0].temperature_C": 1080.0}


def _attribution(path: str, overrides: dict | None = None) -> tuple[dict, list[dict]]:
    result = evaluate_scenario(load_scenario(path, overrides or {}))
    return result, result["yield"]["escape_attribution"]


@pytest.mark.component
@pytest.mark.parametrize("path, overrides", [
    (BASELINE, None), ("scenarios/gigafactory.yaml", None), ("scenarios/sulphide_spray.yaml", None),
    ("scenarios/thinfilm_web.yaml", None), (BASELINE, FIRED_AT_1080)])
def test_the_sources_account_for_every_escaped_cell(path, overrides):
    result, attribution = _attribution(path, overrides)
    assert result["yield"]["escape_ppm"] > 0.0 and attribution
    assert math.fsum(source["share"] for source in attribution) == pytest.approx(1.0, abs=1e-12)
    assert all(0.0 < source["share"] <= 1.0 for source in attribution)
    shares = [source["share"] for source in attribution]
    assert shares == sorted(shares, reverse=True)   # largest first
    note = next(note for note in output_notes(result) if note.startswith("Escaped cells by source"))
    assert "other" not in note


@pytest.mark.component
def test_the_1080_C_escapes_are_the_grade_and_the_latent_defects_the_electrical_test_misses():
    result, attribution = _attribution(BASELINE, FIRED_AT_1080)
    named = {(source["source"], source["defect"], source["made_at"], source["check"]): source["share"]
             for source in attribution}
    assert set(named) == {("capacity_grading", "low_capacity", None, "end_of_line_test"),
                          ("latent_defect", "pinhole", "electrolyte_casting", "end_of_line_test"),
                          ("latent_defect", "particle", "li_lamination", "end_of_line_test")}
    # the grade's share is the one the escape sentence already gave; the latent defects are exactly the rest
    grade = named[("capacity_grading", "low_capacity", None, "end_of_line_test")]
    assert grade == pytest.approx(result["yield"]["capacity_grading_escape_share"], rel=1e-12)
    # 0.791 before round 11's grading tester (rated C/20 charge) and buffer waits behind the kilns moved the line
    assert grade == pytest.approx(0.797, abs=5e-4)
    per_day = result["throughput"]["escaped_cells_per_day"]
    latent_per_day = (1.0 - grade) * per_day
    assert latent_per_day == pytest.approx(17.9, abs=0.1)   # the ~18 cells a day no sentence named
    note = next(note for note in output_notes(result) if note.startswith("Escaped cells by source"))
    assert "electrolyte_casting's pinholes below every check's reach, end_of_line_test the last to miss them" in note


@pytest.mark.component
def test_an_inspection_that_misses_half_the_bad_sheets_is_their_source():
    # a density spec the baseline's firing misses on about a third of its sheets, found half the time
    # (tests/twin/test_inspection_escapes.py), immediate defects: no latent defect to share the escapes
    document = apply_overrides(immediate_defect_document(BASELINE),
                               {"route.electrolyte_inspection.min_relative_density": 0.965,
                                "route.electrolyte_inspection.detection_probability": 0.5})
    scenario = validate_scenario(document)
    assert latent_steps(scenario) == []
    attribution = evaluate_details(scenario).result["yield"]["escape_attribution"]
    assert [(source["source"], source["defect"], source["check"]) for source in attribution] == [
        ("missed_spec", "low_density", "electrolyte_inspection")]
    assert attribution[0]["share"] == 1.0


@pytest.mark.unit
def test_an_offered_method_equal_to_the_lines_own_leaves_the_share_that_passes_as_it_is():
    scenario = load_scenario("scenarios/gigafactory.yaml")
    casting = [step.name for step in scenario.route].index("electrolyte_casting")
    as_is = next(source for source in escape_sources(scenario) if source["step"] == "electrolyte_casting")
    own = scenario.model_copy(update={"optimisation": scenario.optimisation.model_copy(update={
        "inspection_methods": [option.model_copy(update={"method": scenario.step(option.check).method})
                               for option in scenario.optimisation.inspection_methods]})})
    for option in offered_methods(own, casting):
        assert option["missed_share"] == pytest.approx(as_is["missed_share"], rel=1e-12)


@pytest.mark.component
def test_gigafactory_names_its_pinholes_and_the_finest_offered_optical_as_the_route_to_fewer_escapes():
    result, attribution = _attribution("scenarios/gigafactory.yaml")
    assert attribution[0]["defect"] == "pinhole" and attribution[0]["made_at"] == "electrolyte_casting"
    offered = attribution[0]["offered_methods"]
    best = min(offered, key=lambda option: option["missed_share"])
    assert (best["check"], best["method"]) == ("electrolyte_inspection", "optical")
    assert best["a50_um"] == pytest.approx(4.583, abs=1e-3)   # the 2.29 um-pixel array (2 pixels to a50)
    sentence = fewer_escapes_sentence(attribution, result["yield"]["escape_sources"],
                                      result["throughput"]["escaped_cells_per_day"])
    assert sentence.startswith("Fewer escapes: the largest source is electrolyte_casting's pinholes (89.5 %")
    assert "optical at electrolyte_inspection (a50 4.58 um" in sentence and "ssb-twin optimise" in sentence
    assert "ppm" not in sentence   # no escape rate is claimed for an option evaluate did not run


@pytest.mark.unit
def test_no_lever_is_named_when_no_offered_method_lets_materially_fewer_pass():
    attribution = [{"source": "latent_defect", "defect": "pinhole", "made_at": "casting", "check": "eol",
                    "share": 1.0,
                    "offered_methods": [{"check": "xray", "method": "xray_2d", "resolution_key": "pixel_um",
                                                      "resolution": 25.0, "a50_um": 75.0, "missed_share": 0.0995}]}]
    sources = [{"step": "casting", "missed_share": 0.1,
                "checks": [{"check": "eol", "method": "eol_electrical", "a50_um": 2.0, "detected_share": 0.9}]}]
    sentence = fewer_escapes_sentence(attribution, sources, 10.0)
    assert "none of the methods the scenario offers" in sentence and "at best 9.95 %" in sentence
    attribution[0]["offered_methods"][0]["missed_share"] = 0.05
    assert "xray_2d at xray (a50 75 um, 25 um pixels) lets the fewest pass, 5 % instead of 10 %" in \
        fewer_escapes_sentence(attribution, sources, 10.0)
