"""The quality summary's percentiles equal numpy's (linear method) bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from twin.results import percentiles_5_95, quality_summary


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
