"""The optimise table's words: the MILP estimate's gap and the solves (quality: test_optimise_quality_words)."""

from __future__ import annotations

import math

import pytest

from twin.commands.optimise_wording import gap_words, solves_words
from twin.optimise.line_basis import AGREED, FIXED_POINT, LIMIT, REPEATED

pytestmark = pytest.mark.unit


def test_the_gap_says_which_figure_is_above_which():
    # evaluate / MILP - 1: -0.96 % of cost, +1.2 % of output (without a cost at the target: its own output)
    assert gap_words({"usd_per_kwh": -0.0096, "gwh_per_year": 0.012}) == (
        "evaluate's cost at its own output is 1.0% below this, its output 1.2% above (at the line's capacity)")
    assert gap_words({"usd_per_kwh": 0.0673, "gwh_per_year": -0.0002}) == (
        "evaluate's cost at its own output is 6.7% above this, its output the same (at the line's capacity)")
    assert gap_words({"usd_per_kwh": None, "gwh_per_year": math.nan}) == (
        "evaluate's cost at its own output is not comparable, its output not comparable (at the line's capacity)")


def test_the_gap_compares_the_milp_with_evaluate_at_the_target():
    # oxide_baseline: MILP 661.8 at 0.18 GWh/yr; evaluate 662.4 at its own 0.1821 (0.1 % above) but 665.6 at the
    # target (0.6 % above): the estimate is at the target, so is the comparison
    gap = {"usd_per_kwh": 662.4 / 661.8 - 1.0, "usd_per_kwh_at_target": 665.6 / 661.8 - 1.0,
           "gwh_per_year": 0.1821 / 0.18 - 1.0}
    assert gap_words(gap) == (
        "evaluate's cost at the target is 0.6% above this, its output 1.2% above (at the line's capacity)")
    # max_output: the estimate is the MILP's maximum, compared at the line's own output
    assert gap_words(gap, at_target=False).startswith("evaluate's cost at its own output is 0.1% above this")


def test_the_solves_in_a_few_words():
    assert solves_words({"status": AGREED, "solves": [{}]}) == "1 (agreed at once)"
    assert solves_words({"status": AGREED, "solves": [{}, {}]}) == "2 (agreed)"
    assert solves_words({"status": FIXED_POINT, "solves": [{}, {}]}) == (
        "2 (same design on evaluate's yields: re-check not independent)")
    assert solves_words({"status": LIMIT, "solves": [{}] * 4}) == "4, stopped WITHOUT AGREEING (solve limit)"
    assert solves_words({"status": REPEATED, "solves": [{}] * 3}) == "3, stopped WITHOUT AGREEING (design repeated)"


def test_trials_closer_than_the_sampling_error_are_called_tied():
    from twin.commands.optimise_inspection import tie_notes

    # oxide_baseline's cell_inspection: X-ray 25 um 665.6 chosen over X-ray 50 um 665.7 USD/kWh at the target,
    # evaluate's USD/kWh known to +- ~1 %
    def xray(pixel, cost, chosen=False):
        return {"check": "cell_inspection", "method": "xray_2d", "resolution_key": "pixel_um", "resolution": pixel,
                "usd_per_kwh_at_target": cost, "chosen": chosen}

    design = {"inspection_methods": [xray(50.0, 665.7), xray(25.0, 665.6, chosen=True), xray(100.0, 724.6)]}
    notes = tie_notes(design, 0.01)
    assert len(notes) == 1
    assert notes[0].startswith("cell_inspection: X-ray 25 um px (665.6 USD/kWh at the target) and X-ray 50 um px "
                               "(665.7) are tied within evaluate's sampling error (+-6.7 USD/kWh)")
    # apart by more than the error, or no error known: no note
    assert tie_notes({"inspection_methods": [xray(50.0, 680.0), xray(25.0, 665.6, chosen=True)]}, 0.01) == []
    assert tie_notes(design, None) == []
