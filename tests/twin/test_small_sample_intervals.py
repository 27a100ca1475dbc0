"""Small samples said honestly: intervals that respect a figure's range, and the good sheets a figure rests on."""

from __future__ import annotations

import math

import pytest

from twin.evaluate import evaluate_scenario
from twin.sampling_error import (
    FEW_GOOD_SHEETS,
    MAX_SAMPLE_SHEETS,
    _figure,
    _widened_by_good_sheets,
    sampling_error_sentence,
    wilson_interval,
)
from twin.scenario import load_scenario

BASELINE = "scenarios/oxide_baseline.yaml"
# a new user's case: the baseline cathode fired at 1050 C makes ~282 good cells a day from a few dozen good sheets
# of the sample; its cost interval read 39,257.1 +- 28,940.7 USD/kWh and, on other samples, reached 0
FIRED_AT_1050 = {"route.cathode_sintering.profile[0].temperature_C": 1050.0}


@pytest.mark.unit
@pytest.mark.parametrize("successes, trials, low, high", [
    # Newcombe, Stat. Med. 17 (1998) 857, table I, method 3 (score interval without continuity correction)
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718),
    (5, 10, 0.2366, 0.7634)])
def test_wilson_interval_matches_the_published_figures(successes, trials, low, high):
    assert wilson_interval(successes, trials) == pytest.approx((low, high), abs=5e-5)


@pytest.mark.unit
def test_wilson_interval_at_the_ends_has_its_closed_form():
    z2 = 1.959963984540054 ** 2
    assert wilson_interval(0, 10) == (0.0, pytest.approx((z2 / 10) / (1 + z2 / 10), rel=1e-12))
    assert wilson_interval(10, 10) == (pytest.approx(1 / (1 + z2 / 10), rel=1e-12), 1.0)
    with pytest.raises(ValueError, match="successes must be within 0..trials"):
        wilson_interval(11, 10)


@pytest.mark.unit
def test_a_cost_interval_is_symmetric_on_the_log_and_a_yield_interval_on_the_logit():
    cost = _figure(100.0, 10.0, 2.0, "log")
    assert (cost["ci95_low"], cost["ci95_high"]) == pytest.approx((100 * math.exp(-0.2), 100 * math.exp(0.2)),
                                                                  rel=1e-15)
    wide = _figure(100.0, 80.0, 2.571, "log")   # +- t SE would run to -106: the log interval stays above 0
    assert 0.0 < wide["ci95_low"] < 100.0 < wide["ci95_high"]
    assert _figure(0.8, 0.04, 2.0, "logit")["ci95_low"] == pytest.approx(0.72, rel=1e-14)   # inside (0, 1): +-
    share = _figure(0.8, 0.1, 2.0, "logit")   # 0.8 + 0.2 reaches 1: d logit = 0.1 / (0.8 x 0.2), x t = 1.25
    logit = math.log(4.0)
    assert share["ci95_low"] == pytest.approx(1 / (1 + math.exp(-(logit - 1.25))), rel=1e-14)
    assert share["ci95_high"] == pytest.approx(1 / (1 + math.exp(-(logit + 1.25))), rel=1e-14)
    assert _figure(0.0, 5.0, 2.0, "log")["ci95_low"] == 0.0   # no spread to scale at the edge: the point


@pytest.mark.unit
def test_the_cost_interval_is_at_least_as_wide_as_the_good_sheets_binomial():
    low, high = wilson_interval(20, 1000)
    good = {"count": 20, "sheets": 1000, "share": 0.02, "ci95_low": low, "ci95_high": high}
    narrow = _widened_by_good_sheets(_figure(1000.0, 1.0, 2.0, "log"), good)
    assert narrow["ci95_low"] == pytest.approx(1000.0 * 0.02 / high, rel=1e-14)
    assert narrow["ci95_high"] == pytest.approx(1000.0 * 0.02 / low, rel=1e-14)
    wide = _figure(1000.0, 900.0, 2.0, "log")   # the blocks' spread wider than the binomial: kept
    assert _widened_by_good_sheets(wide, good) == wide


@pytest.mark.component
def test_the_1050_C_cost_interval_is_strictly_positive_holds_the_figure_and_names_its_good_sheets():
    result = evaluate_scenario(load_scenario(BASELINE, FIRED_AT_1050))
    block = result["sampling_error"]
    for key in ("usd_per_kwh", "escape_ppm", "yield_overall"):
        figure = block[key]
        assert 0.0 < figure["ci95_low"] < figure["value"] < figure["ci95_high"], key
    assert block["yield_overall"]["ci95_high"] < 1.0
    assert block["usd_per_kwh"]["value"] == result["cost"]["usd_per_kwh"]
    good = block["good_sheets"]
    assert good["sheets"] == 3000 and 0 < good["count"] < FEW_GOOD_SHEETS
    sentence = sampling_error_sentence(block)
    assert f"These figures rest on {good['count']} good sheets of the 3,000 sampled" in sentence
    wanted = math.ceil(3000 * 400 / good["count"] / 1000) * 1000
    assert f"evaluate --sheets {wanted:,} samples about 400 good sheets" in sentence
    assert "(-" not in sentence   # no interval running below 0
    low, high = block["usd_per_kwh"]["ci95_low"], block["usd_per_kwh"]["ci95_high"]
    # the cost's interval is not symmetric: its ends, to the precision of its shorter side (~20,000 USD/kWh: the
    # thousands, twin.figures)
    assert f"USD/kWh ({round(low, -3):,.0f} to {round(high, -3):,.0f})" in sentence


@pytest.mark.component
def test_a_line_with_many_good_sheets_says_nothing_of_them():
    block = evaluate_scenario(load_scenario(BASELINE))["sampling_error"]
    assert block["good_sheets"]["count"] > FEW_GOOD_SHEETS
    assert "rest on" not in sampling_error_sentence(block)


@pytest.mark.component
def test_evaluate_takes_a_sample_size_within_its_limits():
    from click.testing import CliRunner

    from twin.cli import build_cli
    from twin.commands import evaluate as command
    from twin.evaluate import SAMPLE_SHEETS

    assert (command.SAMPLE_SHEETS, command.MAX_SAMPLE_SHEETS) == (SAMPLE_SHEETS, MAX_SAMPLE_SHEETS)
    refused = CliRunner().invoke(build_cli(), ["evaluate", BASELINE, "--sheets", "5"])
    assert refused.exit_code == 2 and "'--sheets': 5 is not in the range 12<=x<=100000" in refused.output
    ran = CliRunner().invoke(build_cli(), ["evaluate", BASELINE, "--sheets", "600", "--json", "-"])
    assert ran.exit_code == 0, ran.output
    assert '"sample_sheets": 600' in ran.output
