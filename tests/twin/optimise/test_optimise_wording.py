"""The optimise table's words: the MILP estimate's gap, the quality margin and its spec, the solves."""

from __future__ import annotations

import math

import pytest

from twin.commands.optimise_wording import gap_words, margin_words, solves_words
from twin.optimise.design_report import tightest_spec
from twin.optimise.line_basis import AGREED, FIXED_POINT, LIMIT, REPEATED
from twin.scenario import load_scenario

pytestmark = pytest.mark.unit


def test_the_gap_says_which_figure_is_above_which():
    # evaluate / MILP - 1: -0.96 % of cost, +1.2 % of output
    assert gap_words({"usd_per_kwh": -0.0096, "gwh_per_year": 0.012}) == (
        "evaluate's cost is 1.0% below this, its output 1.2% above (at the line's capacity)")
    assert gap_words({"usd_per_kwh": 0.0673, "gwh_per_year": -0.0002}) == (
        "evaluate's cost is 6.7% above this, its output the same (at the line's capacity)")
    assert gap_words({"usd_per_kwh": None, "gwh_per_year": math.nan}) == (
        "evaluate's cost is not comparable, its output not comparable (at the line's capacity)")


def test_the_margin_names_its_spec_and_unit():
    spec = {"check": "electrolyte_inspection", "spec": "min_relative_density", "mean": 0.9557, "limit": 0.93,
            "margin": 0.0276}
    assert margin_words("electrolyte_sintering", {"margin": 0.0276, "tightest_spec": spec}) == (
        "electrolyte_sintering +2.8% (min_relative_density: 0.956 vs 0.93 at electrolyte_inspection)")
    assert margin_words("li_lamination", {"margin": None}) == "li_lamination (no spec measured)"


def test_the_tightest_spec_is_the_smallest_relative_margin():
    baseline = load_scenario("scenarios/oxide_baseline.yaml")
    names = [step.name for step in baseline.route]
    check = baseline.route[names.index("electrolyte_inspection")]
    span = (names.index("electrolyte_sintering"), names.index("electrolyte_inspection"))
    density, asr = check.min_relative_density + 0.02, check.max_electrolyte_asr_ohm_cm2 * 0.5
    found = tightest_spec(baseline, span, {"relative_density": density, "electrolyte_asr_ohm_m2": asr})
    # (0.95 - 0.93) / 0.93 = 2.2 % against (5 - 2.5) / 5 = 50 %: the density binds
    assert found == {"check": "electrolyte_inspection", "spec": "min_relative_density", "mean": density,
                     "limit": check.min_relative_density,
                     "margin": (density - check.min_relative_density) / check.min_relative_density}
    # a span without a check, or nothing measured: no spec
    assert tightest_spec(baseline, (span[0], span[0]), {"relative_density": density}) is None
    assert tightest_spec(baseline, span, {}) is None


def test_the_solves_in_a_few_words():
    assert solves_words({"status": AGREED, "solves": [{}]}) == "1 (agreed at once)"
    assert solves_words({"status": AGREED, "solves": [{}, {}]}) == "2 (agreed)"
    assert solves_words({"status": FIXED_POINT, "solves": [{}, {}]}) == (
        "2 (same design on evaluate's yields: re-check not independent)")
    assert solves_words({"status": LIMIT, "solves": [{}] * 4}) == "4, stopped WITHOUT AGREEING (solve limit)"
    assert solves_words({"status": REPEATED, "solves": [{}] * 3}) == "3, stopped WITHOUT AGREEING (design repeated)"
