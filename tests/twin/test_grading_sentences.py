"""Grading sentences a new user found wrong: the tester never printed on the library lines, and the grade's
expected escapes read as contradicting the counted ones."""

from __future__ import annotations

import pytest

import twin
from twin.capacity_grading import grading_sentence
from twin.commands.output_notes import output_notes
from twin.scenario import load_scenario
from twin.scenario.library import library_path


@pytest.mark.component
def test_the_tester_sentence_prints_on_a_library_line_whose_grade_scrapped_nothing():
    result = twin.evaluate("oxide_baseline")
    assert result["yield"]["scrap_by_cause"]["low_capacity"] == 0.0   # the grade scraps no cell of the baseline
    notes = output_notes(result)
    tester = [note for note in notes if note.startswith("Capacity grading at end_of_line_test: each cell holds")]
    assert len(tester) == 1
    assert "scrapped there" not in tester[0]   # the scrap part only where it scrapped


@pytest.mark.unit
def test_the_grade_says_its_escape_share_is_expected_and_the_escapes_by_source_counted():
    graded = {"mean": 0.871, "out_of_spec_fraction": 0.3845, "limit": 0.85, "expected_missed_fraction": 0.0028}
    result = {"yield": {"scrap_shares": [{"step": "end_of_line_test", "cause": "low_capacity", "fraction": 0.367}]},
              "quality_at_check": {"end_of_line_test": {"delivered_capacity_fraction_of_design": graded}}}
    sentence = grading_sentence(result)
    assert "36.7 % of the pieces started were scrapped there for low_capacity" in sentence
    assert ("its measurement scatter is expected to let 0.28 % of the cells it measured through below the grade "
            "(expected: the average of each cell's chance to pass; the escapes by source count the cells this "
            "sample's draw let through") in sentence
    # a grade that scrapped nothing and has no tester figures says nothing (its escapes are in the escapes)
    assert grading_sentence({**result, "yield": {"scrap_shares": []}}) is None


@pytest.mark.component
def test_a_result_without_the_checks_summaries_gets_the_tester_sentence_from_the_scenario():
    # simulate's result has no quality_at_check: the tester sentence comes from the scenario's grading check
    scenario = load_scenario(library_path("oxide_baseline"))
    result = {**twin.evaluate("oxide_baseline"), "quality_at_check": None}
    assert not any("each cell holds a tester channel" in note for note in output_notes(result))
    notes = output_notes(result, scenario)
    tester = [note for note in notes if note.startswith("Capacity grading at end_of_line_test: each cell holds")]
    assert len(tester) == 1 and "a full charge at C/20" in tester[0]
