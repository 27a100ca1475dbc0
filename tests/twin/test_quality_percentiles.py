"""The quality summary's percentiles equal numpy's (linear method) bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from twin.results import mean_is_heavy_tail, quality_from_state, quality_summary, row_summaries, summary_percentiles


@pytest.mark.unit
def test_percentiles_equal_numpy_bit_for_bit():
    rng = np.random.default_rng(3)
    for n in list(range(1, 70)) + [99, 100, 101, 1999, 2000, 2001, 4096]:
        for _ in range(10):
            values = rng.normal(size=n) * rng.uniform(1e-6, 1e6) + rng.uniform(-10, 10)
            if rng.uniform() < 0.3:
                values = np.round(values, 1)  # ties
            np.testing.assert_array_equal(summary_percentiles(values), np.percentile(values, [5.0, 50.0, 95.0]))


@pytest.mark.unit
def test_summary_of_a_known_sample():
    # 0..100: the 5th, 50th and 95th percentiles are 5, 50 and 95, the mean 50; NaN and inf are left out
    summary = quality_summary(np.concatenate([np.arange(101.0), [np.nan, np.inf]]))
    assert summary == {"mean": 50.0, "p5": 5.0, "p50": 50.0, "p95": 95.0}
    assert quality_summary([np.nan]) == {"mean": None, "p5": None, "p50": None, "p95": None}


@pytest.mark.unit
def test_row_summaries_equal_the_summary_of_each_row_bit_for_bit():
    # finite rows go through one partition and one mean along the rows; a row with NaN/inf one by one
    rng = np.random.default_rng(8)
    for n in (0, 1, 2, 19, 20, 21, 2999, 3000):
        rows = rng.normal(size=(5, n)) * np.array([[1e-6], [1.0], [1e3], [1e6], [1.0]])
        rows[4] = np.round(rows[4], 1)  # ties
        if n:
            rows[1, n // 2] = np.nan
            rows[2, 0] = np.inf
        for got, want in zip(row_summaries(rows), [quality_summary(row) for row in rows], strict=True):
            assert got == want


@pytest.mark.unit
def test_quality_from_state_of_a_known_sample():
    # conductivity is stored in S/m and reported in S/cm; the mask picks the good sheets; an unset field is None
    state = {"relative_density": np.concatenate([np.linspace(0.9, 1.0, 101), [0.1]]),
             "ionic_conductivity_S_per_m": np.concatenate([np.arange(101.0), [1e6]]),
             "li_loss_fraction": np.full(102, np.nan)}
    mask = np.arange(102) < 101
    quality = quality_from_state(state, mask)
    assert quality["ionic_conductivity_S_per_cm"] == pytest.approx({"mean": 0.5, "p5": 0.05, "p50": 0.5, "p95": 0.95},
                                                                   rel=1e-12)
    assert quality["relative_density"]["p5"] == pytest.approx(0.905, rel=1e-12)
    assert quality["li_loss_fraction"] == {"mean": None, "p5": None, "p50": None, "p95": None}
    assert quality["grain_size_um"] == {"mean": None, "p5": None, "p50": None, "p95": None}


@pytest.mark.unit
def test_a_heavy_tail_sets_the_mean_and_the_median_stays_with_the_typical_sheet():
    # new-user trial at a -30 C dew point: a mean electrolyte ASR of 6,367,906 ohm cm2 over a p5..p95 of
    # 41..131 ohm cm2 (a few near-insulating sheets); the median is the typical sheet's ~70 ohm cm2
    values = np.concatenate([np.linspace(41.0, 131.0, 990), np.full(10, 1.9e9)])
    summary = quality_summary(values)
    assert summary["p50"] == pytest.approx(41.0 + 90.0 * 499.5 / 989.0, rel=1e-12)  # the 500.5th of 1000
    assert summary["mean"] > summary["p95"] and mean_is_heavy_tail(summary)
    assert not mean_is_heavy_tail(quality_summary(np.linspace(41.0, 131.0, 1000)))
    assert not mean_is_heavy_tail(quality_summary([]))
    # finite values that sum past the float range: no inf in the summary
    huge = quality_summary(np.full(10, 1e308))
    assert huge["mean"] is None and huge["p50"] == 1e308
    assert row_summaries(np.full((1, 10), 1e308)) == [huge]


@pytest.mark.unit
def test_report_quality_table_leads_with_the_median_and_names_a_heavy_tail():
    from twin.report.page import _quality_table

    tail = quality_summary(np.concatenate([np.linspace(41.0, 131.0, 990), np.full(10, 1.9e9)]))
    table = _quality_table({"electrolyte_asr_ohm_cm2": tail, "relative_density": quality_summary([0.9, 0.95, 1.0])})
    assert "<th>median</th>" in table
    assert table.count("(mean of a heavy tail)") == 1
    assert "<td>86.46</td>" in table and "inf" not in table and "nan" not in table
