"""The defect piece-loss table without scipy.stats (evaluate's start-up cost): same values as scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from twin.sheet_conditions import binomial_survival


@pytest.mark.unit
@pytest.mark.parametrize("trials", [1, 2, 5, 20, 64])
@pytest.mark.parametrize("p", [0.0, 1e-9, 1e-3, 0.3, 0.999, 1.0])
def test_binomial_survival_matches_scipy(trials, p):
    expected = stats.binom.sf(np.arange(trials), trials, p)
    got = binomial_survival(trials, p)
    meaningful = expected > 1e-250  # deeper tails round in p**k alone; no draw can reach them
    np.testing.assert_allclose(got[meaningful], expected[meaningful], rtol=1e-8, atol=0)
    np.testing.assert_array_less(got[~meaningful], 1e-240)


@pytest.mark.unit
def test_evaluate_does_not_import_scipy_stats():
    """A fresh interpreter evaluating a library scenario never loads scipy.stats (about 0.5 s of imports)."""
    import subprocess
    import sys

    code = ("import sys; from twin.evaluate import evaluate_scenario; from twin.scenario import load_scenario; "
            "evaluate_scenario(load_scenario('scenarios/oxide_baseline.yaml')); "
            "print('scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
