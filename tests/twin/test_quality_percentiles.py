"""The quality summary's percentiles equal numpy's (linear method) bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from twin.results import percentiles_5_95, quality_from_state, quality_summary, row_summaries


@pytest.mark.unit
def test_percentiles_equal_numpy_bit_for_bit():
    rng = np.random.default_rng(3)
    for n in list(range(1, 70)) + [99, 100, 101, 1999, 2000, 2001, 4096]:
        for _ in range(10):
            values = rng.normal(size=n) * rng.uniform(1e-6, 1e6) + rng.uniform(-10, 10)
            if rng.uniform() < 0.3:
                values = np.round(values, 1)  # ties
            np.testing.assert_array_equal(percentiles_5_95(values), np.percentile(values, [5.0, 95.0]))


@pytest.mark.unit
def test_summary_of_a_known_sample():
    # 0..100: the 5th and 95th percentiles are 5 and 95, the mean 50; NaN and inf are left out
    summary = quality_summary(np.concatenate([np.arange(101.0), [np.nan, np.inf]]))
    assert summary == {"mean": 50.0, "p5": 5.0, "p95": 95.0}
    assert quality_summary([np.nan]) == {"mean": None, "p5": None, "p95": None}


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
    assert quality["ionic_conductivity_S_per_cm"] == pytest.approx({"mean": 0.5, "p5": 0.05, "p95": 0.95}, rel=1e-12)
    assert quality["relative_density"]["p5"] == pytest.approx(0.905, rel=1e-12)
    assert quality["li_loss_fraction"] == {"mean": None, "p5": None, "p95": None}
    assert quality["grain_size_um"] == {"mean": None, "p5": None, "p95": None}
