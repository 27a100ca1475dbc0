"""The optimise table's words: the MILP estimate's gap and the solves (quality: test_optimise_quality_words)."""

from __future__ import annotations

import math

import pytest

from twin.commands.optimise_wording import gap_words, solves_words
from twin.optimise.line_basis import AGREED, FIXED_POINT, LIMIT, REPEATED

pytestmark = pytest.mark.unit


def test_the_gap_says_which_figure_is_above_which():
    # evaluate / MILP - 1: -0.96 % of cost, +1.2 % of output
    assert gap_words({"usd_per_kwh": -0.0096, "gwh_per_year": 0.012}) == (
        "evaluate's cost is 1.0% below this, its output 1.2% above (at the line's capacity)")
    assert gap_words({"usd_per_kwh": 0.0673, "gwh_per_year": -0.0002}) == (
        "evaluate's cost is 6.7% above this, its output the same (at the line's capacity)")
    assert gap_words({"usd_per_kwh": None, "gwh_per_year": math.nan}) == (
        "evaluate's cost is not comparable, its output not comparable (at the line's capacity)")


def test_the_solves_in_a_few_words():
    assert solves_words({"status": AGREED, "solves": [{}]}) == "1 (agreed at once)"
    assert solves_words({"status": AGREED, "solves": [{}, {}]}) == "2 (agreed)"
    assert solves_words({"status": FIXED_POINT, "solves": [{}, {}]}) == (
        "2 (same design on evaluate's yields: re-check not independent)")
    assert solves_words({"status": LIMIT, "solves": [{}] * 4}) == "4, stopped WITHOUT AGREEING (solve limit)"
    assert solves_words({"status": REPEATED, "solves": [{}] * 3}) == "3, stopped WITHOUT AGREEING (design repeated)"
