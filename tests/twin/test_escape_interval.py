"""The escape interval covers the seeds' mean: the latent defects' escapes take the design's variance
(twin.escape_variance), not 6 batch means that shrink with a sample that drew none of the rare smallest
defects (oxide_baseline seeds 9 and 11 printed 1,409 +- 382 and 1,136 +- 223 ppm around a mean of ~2,200)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import ndtri

from twin.escape_variance import _Z, block_step_variance, latent_escape_variance, stratum_moments
from twin.evaluate import evaluate_details
from twin.sampling_error import sampling_error_sentence
from twin.scenario import load_scenario

SCENARIOS = ("oxide_baseline", "gigafactory", "sulphide_spray")
SEEDS = range(40)


def _hand_made_missed(z):
    """A steep made-up M: ~1 below z = -2.5 (the smallest defects), ~0 above -1.5 (logistic in z)."""
    return 1.0 / (1.0 + np.exp(8.0 * (z + 2.0)))


@pytest.mark.unit
def test_block_variance_matches_a_monte_carlo_of_the_stratified_draws():
    """Hand-made block: h = 7 hit sheets, 80 % with one piece hit and 20 % with two, each ships with
    rho = 0.9; a sheet's size uniform is one per stratum (perm + v) / h, its size quantile w = u^(1/n),
    its escape X = n M(w). The formula's variance against 400,000 such blocks drawn."""
    strata, shares, rho = 7, np.array([0.8, 0.2]), 0.9
    mean_i, square_i, mean = stratum_moments(_hand_made_missed(_Z), shares, strata)
    formula = block_step_variance(mean_i, square_i, rho)
    rng = np.random.default_rng(20261130)
    blocks = 400_000
    u = (np.argsort(rng.random((blocks, strata)), axis=1) + rng.random((blocks, strata))) / strata
    pieces = np.where(rng.random((blocks, strata)) < shares[0], 1, 2)
    ships = rng.random((blocks, strata)) < rho
    escaped = (ships * pieces * _hand_made_missed(ndtri(u ** (1.0 / pieces)))).sum(axis=1)
    drawn = escaped.var(ddof=1)
    # the variance of a sample variance: (m4 - var^2) / N
    error = math.sqrt((np.mean((escaped - escaped.mean()) ** 4) - drawn ** 2) / blocks)
    assert formula == pytest.approx(drawn, abs=4.0 * error)
    assert error < 0.02 * drawn   # the check is sharp
    assert rho * strata * mean == pytest.approx(escaped.mean(), rel=0.01)
    # the strata count: the same sheets drawn independently spread more (0.092 against 0.077), though little
    # more, as M is steep only inside the lowest stratum: the tail that 6 batch means under-read
    independent = (ships * pieces * _hand_made_missed(ndtri(rng.random((blocks, strata)) ** (1.0 / pieces))))
    assert independent.sum(axis=1).var() > formula + 20.0 * error


@pytest.mark.unit
def test_block_variance_exact_cases():
    """M = 1 everywhere: a stratum's sheet ships its n pieces or nothing, Var = h (rho s - rho^2 mu^2) with
    s = E n^2, mu = E n; and rho = 1 with one piece: nothing varies."""
    ones = np.ones_like(_Z)
    mean_i, square_i, _ = stratum_moments(ones, np.array([0.75, 0.25]), 5)
    assert mean_i == pytest.approx(np.full(5, 1.25), rel=1e-12)
    assert square_i == pytest.approx(np.full(5, 0.75 + 4 * 0.25), rel=1e-12)
    assert block_step_variance(mean_i, square_i, 0.6) == pytest.approx(5 * (0.6 * 1.75 - 0.36 * 1.5625), rel=1e-12)
    mean_i, square_i, _ = stratum_moments(ones, np.array([1.0]), 5)
    assert block_step_variance(mean_i, square_i, 1.0) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.component
def test_no_latent_defects_no_design_variance():
    scenario = load_scenario("scenarios/pilot_line.yaml")
    assert latent_escape_variance(scenario, np.full(6, 500.0), np.full(6, 500.0)) == 0.0
    block = evaluate_details(scenario).result["sampling_error"]
    assert "escape_design_variance_share" not in block
    assert "latent defects' size law" not in sampling_error_sentence(block)


@pytest.fixture(scope="module")
def seed_runs():
    runs = {}
    for name in SCENARIOS:
        base = load_scenario(f"scenarios/{name}.yaml")
        runs[name] = [evaluate_details(base.model_copy(update={"seed": seed})).result for seed in SEEDS]
    return runs


@pytest.mark.component
@pytest.mark.parametrize("name", SCENARIOS)
def test_95_percent_intervals_cover_the_mean_of_40_seeds(seed_runs, name):
    """Over 40 seeds each interval is asked to cover the seeds' mean (the truth's best estimate): 36 to 40
    of them (90-100 %) for escapes, yield and USD/kWh. Measured (seeds 0-39): escapes 39 / 37 / 38 of 40
    (oxide_baseline / gigafactory / sulphide_spray; the 6 batch means gave 32 / 36 / 20); over 200 seeds 96.5,
    96.5 and 94.5 %. The interval is not wider than needed: the root-mean-square standard error is within
    0.7-1.5 x the seeds' own spread (measured 0.97 / 0.96 / 1.02)."""
    results = seed_runs[name]
    for key, read in (("escape_ppm", lambda r: r["yield"]["escape_ppm"]),
                      ("yield_overall", lambda r: r["yield"]["overall"]),
                      ("usd_per_kwh", lambda r: r["cost"]["usd_per_kwh"])):
        values = np.array([read(result) for result in results])
        truth = values.mean()
        figures = [result["sampling_error"][key] for result in results]
        covered = sum(figure["ci95_low"] <= truth <= figure["ci95_high"] for figure in figures)
        assert 36 <= covered <= 40, (key, covered)
        typical = math.sqrt(np.mean([figure["standard_error"] ** 2 for figure in figures]))
        assert 0.7 <= typical / values.std(ddof=1) <= 1.5, (key, typical, values.std(ddof=1))


@pytest.mark.component
def test_a_low_escape_seed_keeps_an_interval_that_reaches_the_mean(seed_runs):
    """The seeds of oxide_baseline with the lowest escape estimates (no sheet with a defect under ~1 um)
    have intervals reaching the seeds' mean; with batch means the four lowest reached it in none."""
    results = seed_runs["oxide_baseline"]
    escapes = np.array([result["yield"]["escape_ppm"] for result in results])
    for index in np.argsort(escapes)[:4]:
        assert results[index]["sampling_error"]["escape_ppm"]["ci95_high"] >= escapes.mean()


@pytest.mark.component
def test_same_seed_same_interval():
    scenario = load_scenario("scenarios/sulphide_spray.yaml")
    first, second = (evaluate_details(scenario).result["sampling_error"] for _ in range(2))
    assert first == second
    assert 0.0 < first["escape_design_variance_share"] <= 1.0
    assert "escapes from the latent defects' size law" in sampling_error_sentence(first)
