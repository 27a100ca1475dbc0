"""Escapes booked as their mean over the defects' size law (twin.sample_estimator, twin.escape_variance): the
same mean as the drawn booking, a several-fold narrower spread over seeds, and a batch-means interval that
covers the seeds' mean (before: oxide_baseline 2,183 +- 868 ppm over 200 seeds, one standard deviation, and
seeds 9 and 11 printed 1,409 +- 382 and 1,136 +- 223 ppm around that mean with 6 batch means)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import ndtr, ndtri

from twin.escape_variance import _Z, mean_missed_share, missed_on_size_grid, missed_share
from twin.evaluate import evaluate_details
from twin.expected_outcomes import EXPECTED_FOUND_SHARE
from twin.sample_estimator import SampleEstimator
from twin.sampling_error import sampling_error_sentence
from twin.scenario import load_scenario
from twin.sheet_conditions import sample_conditions

SCENARIOS = ("oxide_baseline", "gigafactory", "sulphide_spray")
SEEDS = range(40)
# The drawn booking (n M at each hit sheet's drawn size, before the booked mean) over seeds 0-199 (sulphide_spray:
# the mean and its error over seeds 0-999): mean escape ppm, its standard error of the mean, and the median 95 %
# half-width it printed over seeds 0-199
DRAWN = {"oxide_baseline": (2183.3, 61.4, 1628.1), "gigafactory": (36108.6, 74.9, 2136.9),
         "sulphide_spray": (199.6, 6.9, 443.2)}


@pytest.mark.unit
def test_mean_missed_share_exact_cases():
    """M = 1: nothing found, E[M] = 1 for every n. M(z) = 1 - Phi(z) on the size quantile z: the largest of n
    has Phi(z) = u^(1/n), so E[M] = 1 - E[U^(1/n)] = 1 - n / (n + 1) = 1 / (n + 1)."""
    assert mean_missed_share(np.ones_like(_Z), 4) == pytest.approx(np.ones(4), rel=1e-12)
    assert mean_missed_share(1.0 - ndtr(_Z), 4) == pytest.approx(1.0 / np.arange(2, 6), rel=1e-4)


@pytest.mark.unit
@pytest.mark.parametrize("name", ["oxide_baseline", "sulphide_spray"])
def test_booked_share_is_the_mean_of_the_drawn_one(name):
    """The unbiasedness the booking rests on: per maker and n, E[M | n] equals the mean of M at 400,000
    sizes drawn as the route draws them (a = a_med exp(s Phi^-1(u^(1/n)))), within 4 standard errors."""
    scenario = load_scenario(f"scenarios/{name}.yaml")
    rng = np.random.default_rng(20261130)
    for maker in (index for index, step in enumerate(scenario.route) if step.defect_size is not None):
        shape = scenario.route[maker].defect_size
        booked = mean_missed_share(missed_on_size_grid(scenario, maker), 2)
        for pieces in (1, 2):
            size = shape.median_um * 1e-6 * np.exp(shape.log_sd * ndtri(rng.random(400_000) ** (1.0 / pieces)))
            drawn = missed_share(scenario, maker, size)
            error = drawn.std() / math.sqrt(drawn.size)
            assert booked[pieces - 1] == pytest.approx(drawn.mean(), abs=4.0 * error), (maker, pieces)


@pytest.mark.component
def test_booked_sheets_ship_their_mean_missed_share():
    """After evaluate, a sheet hit at oxide_baseline's casting only (n pieces latent, nothing joined) carries
    exactly n E[M | n] latent pieces: the detection booked at the three later checks telescopes (1 - E[M_j] /
    E[M_(j-1)] at each), and the found ones are dead: dead + latent stays a whole number of pieces."""
    scenario = load_scenario("scenarios/oxide_baseline.yaml")
    captured = {}
    original = SampleEstimator.after_step

    def keep(self, step_index, batch):
        captured["estimator"] = self
        return original(self, step_index, batch)

    SampleEstimator.after_step = keep
    try:
        evaluation = evaluate_details(scenario)
    finally:
        SampleEstimator.after_step = original
    estimator, state = captured["estimator"], evaluation.batch.state
    booked = (estimator.booked_maker == 0) & evaluation.batch.alive
    assert booked.sum() > 50
    pieces = estimator.booked_pieces[booked].astype(int)
    mean = mean_missed_share(missed_on_size_grid(scenario, 0), scenario.cell.format.cells_per_sheet)
    assert state["latent_defect_pieces"][booked] == pytest.approx(pieces * mean[pieces - 1], rel=1e-9)
    whole = state["dead_cell_pieces"][booked] + state["latent_defect_pieces"][booked]
    assert whole == pytest.approx(np.rint(whole), abs=1e-9)


@pytest.mark.unit
def test_candidate_sweep_keeps_the_drawn_size():
    """The optimiser's sweep adjusts one step per estimator and never shows it the sample: a check's found
    shares are all NaN (the POD at each sheet's drawn size, as before)."""
    scenario = load_scenario("scenarios/oxide_baseline.yaml")
    check = next(index for index, step in enumerate(scenario.route) if step.name == "cell_inspection")
    streams = np.random.SeedSequence(scenario.seed).spawn(len(scenario.route))
    estimator = SampleEstimator(scenario, streams, 500, lambda _: [3000])
    conditions = sample_conditions(scenario, check, 3000, np.random.default_rng(streams[check]))
    estimator.adjust(check, conditions)
    assert np.isnan(conditions[EXPECTED_FOUND_SHARE]).all()


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
    """Over 40 seeds each interval is asked to cover the seeds' mean (the truth's best estimate): 35 to 40
    of them (87.5-100 %) for escapes, yield and USD/kWh. Measured over 200 seeds (escapes, oxide_baseline /
    gigafactory / sulphide_spray): 93.0 / 97.5 / 94.0 %; oxide_baseline 93.5 % (seeds 1000-1199) since the buffer
    levels wander with the breakdowns, 35 of seeds 0-39: at 93.5 % a bound of 36 fails one set of 40 seeds in
    nine (binomial), 35 one in 23. The interval is not wider than needed: the
    root-mean-square standard error is within 0.7-1.5 x the seeds' own spread (200 seeds: 0.93 / 1.03 / 0.99)."""
    results = seed_runs[name]
    for key, read in (("escape_ppm", lambda r: r["yield"]["escape_ppm"]),
                      ("yield_overall", lambda r: r["yield"]["overall"]),
                      ("usd_per_kwh", lambda r: r["cost"]["usd_per_kwh"])):
        values = np.array([read(result) for result in results])
        truth = values.mean()
        figures = [result["sampling_error"][key] for result in results]
        covered = sum(figure["ci95_low"] <= truth <= figure["ci95_high"] for figure in figures)
        assert 35 <= covered <= 40, (key, covered)
        typical = math.sqrt(np.mean([figure["standard_error"] ** 2 for figure in figures]))
        assert 0.7 <= typical / values.std(ddof=1) <= 1.5, (key, typical, values.std(ddof=1))


@pytest.mark.component
@pytest.mark.parametrize("name", SCENARIOS)
def test_same_mean_as_the_drawn_booking_and_narrower(seed_runs, name):
    """Unbiased: the 40 seeds' mean escape ppm is within 3 combined standard errors of the drawn booking's
    mean (measured over 200 seeds: 2,186.7 / 36,159.3 / 209.0 against 2,183.3 +- 61.4 / 36,108.6 +- 74.9 /
    195.0 +- 14.5; sulphide_spray over 1,000 seeds of the drawn booking: 199.6 +- 6.9). Narrower: the median
    95 % half-width is at most a third of the drawn booking's for oxide_baseline and sulphide_spray (200 seeds:
    82 and 11.5 ppm against 1,628 and 443), and below 0.8 of it for gigafactory (1,240 against 2,137: its
    escapes are many sheets' pieces hit, not a rare size)."""
    results = seed_runs[name]
    escapes = np.array([result["yield"]["escape_ppm"] for result in results])
    drawn_mean, drawn_error, drawn_half = DRAWN[name]
    error = math.hypot(drawn_error, escapes.std(ddof=1) / math.sqrt(escapes.size))
    assert abs(escapes.mean() - drawn_mean) <= 3.0 * error
    half = np.median([r["sampling_error"]["escape_ppm"]["ci95_high"] - r["yield"]["escape_ppm"] for r in results])
    assert half <= (0.8 if name == "gigafactory" else 1.0 / 3.0) * drawn_half


@pytest.mark.component
def test_same_seed_same_interval():
    scenario = load_scenario("scenarios/sulphide_spray.yaml")
    first, second = (evaluate_details(scenario).result["sampling_error"] for _ in range(2))
    assert first == second
    assert "escape_design_variance_share" not in first
    assert "escapes" in sampling_error_sentence(first)
