"""What a planner reads first: a headline resting on a charge the cells cannot take is marked conditional above
the table, and the largest scrap causes get a sentence (cellmates with their arithmetic)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from twin.cli import build_cli
from twin.commands.output_notes import output_notes
from twin.evaluate import evaluate_scenario
from twin.headline_condition import HEADLINE_SHORTING_SHARE, conditional_headline
from twin.scenario import load_scenario
from twin.scrap_sentences import LOSS_WORTH_SAYING, cellmate_arithmetic, largest_losses_sentence

BASELINE = "scenarios/oxide_baseline.yaml"


@pytest.fixture(scope="module")
def baseline():
    scenario = load_scenario(BASELINE)
    return scenario, evaluate_scenario(scenario)


def _evaluate_text(*args: str) -> list[str]:
    ran = CliRunner().invoke(build_cli(), ["evaluate", BASELINE, *args])
    assert ran.exit_code == 0, ran.output
    return ran.output.splitlines()


@pytest.mark.component
def test_a_charge_above_the_ccd_marks_the_headline_conditional_on_the_first_line():
    lines = _evaluate_text("--set", "cell.rating.charge_c_rate_per_h=0.3333")
    assert lines[0].startswith("Conditional headline: the figures below count cells charged at C/3 "
                               "(cell.rating.charge_c_rate_per_h) as good")
    assert "would short" in lines[0]


@pytest.mark.component
def test_the_library_baseline_rated_at_a_charge_its_cells_take_has_no_condition():
    lines = _evaluate_text()
    assert not any(line.startswith("Conditional") for line in lines)
    assert "steady-state evaluation" in lines[0]


@pytest.mark.unit
def test_no_condition_without_a_charge_limit_and_the_rated_discharge_named_when_no_charge_is_rated():
    assert conditional_headline({"cell": {"charge_limit": None}}) is None
    assert conditional_headline({}) is None
    # every good cell shorts at the rated C/3 discharge (no charge rated); the slowest cell's limit is recommended
    # (the weakest 5 %'s C/18 was before: 5 % of the cells cannot take it)
    shorting = {"share": 1.0, "slowest_limit_c_rate_per_h": 0.048, "rated_c_rate_per_h": 0.3333,
                "basis": "cell.rating.c_rate_per_h"}
    line = conditional_headline({"cell": {"charge_limit": "Charge: ...", "charge_shorting": shorting}})
    assert "charged at C/3 (cell.rating.c_rate_per_h)" in line and "all of them would short" in line
    assert "Set cell.rating.charge_c_rate_per_h to C/21 or slower" in line


@pytest.mark.unit
def test_the_condition_states_the_share_and_is_raised_only_above_a_warranty_relevant_share():
    # a new user's 10-day simulate of the baseline rated at C/20: 0.002 % of its cells short; the headline read
    # "charged at C/20 they would short. Set ... to C/18 or slower", C/18 being faster than C/20
    few = {"share": 2e-5, "slowest_limit_c_rate_per_h": 0.0495, "rated_c_rate_per_h": 0.05,
           "basis": "cell.rating.charge_c_rate_per_h"}
    assert HEADLINE_SHORTING_SHARE == 0.001
    assert conditional_headline({"cell": {"charge_limit": "Charge: ...", "charge_shorting": few}}) is None
    many = {**few, "share": 0.00168}
    line = conditional_headline({"cell": {"charge_limit": "Charge: ...", "charge_shorting": many}})
    assert "0.168 % of them would short at that charge" in line
    assert "Set cell.rating.charge_c_rate_per_h to C/21 or slower" in line


@pytest.mark.component
def test_a_charge_some_cells_cannot_take_recommends_a_rate_slower_than_the_rating():
    # the user's evaluate at C/18 (0.055/h) was told "Set ... to C/18 or slower": no slower than it was
    line = _evaluate_text("--set", "cell.rating.charge_c_rate_per_h=0.055")[0]
    assert line.startswith("Conditional headline: the figures below count cells charged at C/18")
    recommended = line.split("charge_c_rate_per_h to C/")[1].split(" ")[0]
    assert float(recommended) > 1.0 / 0.055    # C/n with n above 18.2: slower than the rating


@pytest.mark.unit
def test_cellmate_arithmetic_is_one_minus_the_good_layers_power_over_the_cells():
    # 2 % bad layers of the 80 % of pieces reaching the test, 10 layers: p = 0.025, c = 1 - 0.975^10
    numbers = cellmate_arithmetic(0.02, 0.8, 10)
    assert numbers["bad_layer_share"] == pytest.approx(0.025, rel=1e-12)
    assert numbers["cells_rejected"] == pytest.approx(1.0 - 0.975 ** 10, rel=1e-12)
    assert numbers["cellmates"] == pytest.approx((1.0 - 0.975 ** 10) * 0.8 - 0.02, rel=1e-12)
    assert cellmate_arithmetic(0.0, 0.8, 10) is None and cellmate_arithmetic(0.02, 0.0, 10) is None


@pytest.mark.component
def test_the_baseline_names_its_end_of_line_cellmates_with_the_arithmetic_that_makes_them(baseline):
    scenario, result = baseline
    sentence = largest_losses_sentence(result, scenario.cell.format.layers_per_cell)
    assert sentence in output_notes(result, scenario)
    shares = {(entry["step"], entry["cause"]): entry["fraction"] for entry in result["yield"]["scrap_shares"]}
    cellmates = shares[("end_of_line_test", "cellmate_of_rejected_piece")]
    assert cellmates > 0.10   # the 13.3 % the user found unexplained
    assert sentence.startswith(f"Largest losses (each above 1 % of the pieces started): end_of_line_test "
                               f"{cellmates * 100:.3g} % as cellmates")
    assert "a cell stacks 10 layers" in sentence and "^10 = " in sentence
    # the arithmetic (bad layers falling independently on the cells) gives the piece account's own figure
    bad = sum(fraction for (step, cause), fraction in shares.items()
              if step == "end_of_line_test" and cause != "cellmate_of_rejected_piece")
    entering = 1.0
    for name, kept in result["yield"]["piece_yield_by_step"].items():
        if name == "end_of_line_test":
            break
        entering *= kept
    assert cellmate_arithmetic(bad, entering, 10)["cellmates"] == pytest.approx(cellmates, rel=0.02)
    # every share above the threshold is named, none below it
    for (step, cause), fraction in shares.items():
        named = f"{step} {fraction * 100:.3g} %" in sentence
        assert named == (fraction > LOSS_WORTH_SAYING), (step, cause, fraction)


@pytest.mark.unit
def test_a_cause_is_named_with_its_meaning_and_nothing_is_said_without_output_or_large_losses():
    result = {"yield": {"scrap_shares": [
        {"step": "cell_inspection", "cause": "high_interface_asr", "fraction": 0.121, "sentence": ""},
        {"step": "cutting", "cause": "defect", "fraction": 0.004, "sentence": ""}]}}
    assert largest_losses_sentence(result) == (
        "Largest losses (each above 1 % of the pieces started): cell_inspection 12.1 % high_interface_asr "
        "(Li/electrolyte interface ASR above the check's spec).")
    assert largest_losses_sentence({**result, "undefined_reason": "no good cell"}) is None
    small = {"yield": {"scrap_shares": [result["yield"]["scrap_shares"][1]]}}
    assert largest_losses_sentence(small) is None
