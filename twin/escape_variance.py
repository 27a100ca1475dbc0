"""Variance of the evaluation's escaped pieces from the law of its latent defects, not from their few draws.

The evaluation's escapes (twin.expected_outcomes) are the expected missed shares n M(a) of the sheets a
latent-making step's defects hit: n pieces hit, a the largest defect's size, M(a) = prod_k (1 - POD_k(a))
over the checks with an inspection method after the step. M is ~1 only for the smallest defects (under a
few um: nothing sees them), so most of the escape figure comes from the lowest ~0.1 % of the size law, a
handful of sheets per sample or none. Batch means over the sample's 6 blocks then fail exactly where it
matters: a sample without such a sheet has a low estimate and a small spread between its blocks
(oxide_baseline, 200 seeds: 80 % of the 95 % intervals covered the seeds' mean; sulphide_spray 57 %).

Here the variance is the design's, computed from the model that draws the sample, the same for every seed:

* a block of m sheets has h = m P sheets below the step's hit probability P (the stratified defect draw,
  twin.expected_outcomes: h is m P rounded down or up, up with probability frac(m P));
* those h sheets' size uniforms are one per stratum [i/h, (i+1)/h) (stratified_subset), and the size of a
  sheet with n pieces hit is a(u) = a_med exp(s Phi^-1(u^(1/n))) (twin.inspection_methods), n drawn with
  P(K = n | K > 0) of the step's Binomial piece law (defect_piece_loss_survival);
* a stratum's sheet ships its escape with probability rho: the block's sheets alive at the end per sheet
  started (a sheet scrapped before or after the step ships nothing) times the chance that no later
  latent-making step hits it (its defect would join the later one at the larger size, which the checks
  find far more often: the escape is booked as lost to this step, a little more variance than the join).

So per block and step, with X = n M(a(u)) and mu_i, s_i its mean and mean square over stratum i (the mixture
over n, U uniform in the stratum):  Var = sum_i (rho s_i - rho^2 mu_i^2) + frac (1 - frac) (rho mu)^2, mu the
mean over all u (law of total variance over the rounded count; Cochran 1977 §5.2 for the strata). Blocks and
steps are independent (own streams and strata). Left out: a sheet a later step may hit keeps its detection
draw at the checks before that step (twin.sample_estimator), second order (~1 sheet in 3,000 of
oxide_baseline, < 1e-4 of the escapes' variance over 200 seeds); a sheet whose pieces were partly lost earlier
has fewer open pieces to hit. The coverage over seeds measures the whole (tests/twin/test_escape_interval.py).
"""

from __future__ import annotations

import functools

import numpy as np

from twin.expected_outcomes import latent_steps
from twin.inspection_methods import method_pod
from twin.operations import operation_for
from twin.scenario import Scenario
from twin.sheet_conditions import defect_piece_loss_survival

# Normal quantiles the size law is integrated over: Phi(-9) ~ 1e-19 is far below any stratum a sample of
# 1e6 sheets makes, and steps of 0.01 resolve M(a), which changes over a factor ~2 of size (~0.7 of z at
# log_sd 1): the library's variances move by < 0.05 % against steps of 0.005 (0.2 % at 0.02)
_Z = np.linspace(-9.0, 9.0, 1801)


def missed_share(scenario: Scenario, maker: int, size_m: np.ndarray) -> np.ndarray:
    """M(a) [-]: share of a latent defect of size ``size_m`` [m], made at route step ``maker``, that every
    later check with an inspection method misses (product of 1 - POD, twin.inspection_methods)."""
    missed = np.ones_like(size_m, dtype=float)
    for index, step in enumerate(scenario.route):
        if index > maker and operation_for(step).is_quality_check and getattr(step, "method", None) is not None:
            missed = missed * (1.0 - method_pod(scenario, step.method, size_m))
    return missed


def size_law_integrals(missed_of_z: np.ndarray, pieces_share: np.ndarray) -> list[tuple]:
    """Running integrals over the size uniform u of X = n M and X^2, one per count n of pieces hit.

    ``missed_of_z``: M on the grid ``_Z`` of w = Phi^-1(u^(1/n)); ``pieces_share[n - 1]``: P(n pieces hit |
    hit). Trapezoid rule on the grid, u = Phi(z)^n (0 and 1 added at the ends, M held there). Returns
    ``[(share, u, integral of X to u, integral of X^2 to u)]``: what :func:`moments_at` reads per stratum.
    """
    cdf = _grid_cdf()
    missed = np.concatenate((missed_of_z[:1], missed_of_z, missed_of_z[-1:]))
    integrals = []
    for pieces, share in enumerate(pieces_share, start=1):
        if share <= 0.0:
            continue
        u = cdf if pieces == 1 else cdf ** pieces
        du = np.diff(u)
        x = pieces * missed
        x2 = x * x
        running_x = np.concatenate(([0.0], np.cumsum(0.5 * (x[1:] + x[:-1]) * du)))
        running_x2 = np.concatenate(([0.0], np.cumsum(0.5 * (x2[1:] + x2[:-1]) * du)))
        integrals.append((share, u, running_x, running_x2))
    return integrals


def moments_at(integrals: list[tuple], strata: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Mean and mean square of X over each stratum [i/h, (i+1)/h) of u (the mixture over n), and the mean
    over all u: (mu_i, s_i, mu) for h = ``strata`` >= 1, from :func:`size_law_integrals`."""
    bounds = np.arange(strata + 1) / strata
    mean_i = np.zeros(strata)
    square_i = np.zeros(strata)
    for share, u, running_x, running_x2 in integrals:
        mean_i += share * strata * np.diff(np.interp(bounds, u, running_x))
        square_i += share * strata * np.diff(np.interp(bounds, u, running_x2))
    return mean_i, square_i, float(mean_i.mean())


def stratum_moments(missed_of_z: np.ndarray, pieces_share: np.ndarray, strata: int) -> tuple[np.ndarray, ...]:
    """(mu_i, s_i, mu) of X = n M over h = ``strata`` strata of u: :func:`moments_at` of :func:`size_law_integrals`."""
    return moments_at(size_law_integrals(missed_of_z, pieces_share), strata)


@functools.cache
def _grid_cdf() -> np.ndarray:
    """Phi on the grid ``_Z`` with 0 and 1 at the ends (scipy only for scenarios with sized defects, as in
    twin.inspection_methods)."""
    from scipy.special import ndtr

    return np.concatenate(([0.0], ndtr(_Z), [1.0]))


def block_step_variance(mean_i: np.ndarray, square_i: np.ndarray, ship_share: float) -> float:
    """Var [pieces^2] of one block's escaped pieces from one step at h strata: sum_i (rho s_i - rho^2 mu_i^2).

    ``mean_i``, ``square_i``: :func:`stratum_moments`; ``ship_share``: rho, the chance that a stratum's sheet
    ships (a Bernoulli factor on X: E = rho mu_i, E X^2 = rho s_i)."""
    return float(np.sum(ship_share * square_i - (ship_share * mean_i) ** 2))


def latent_escape_variance(scenario: Scenario, started_per_block: np.ndarray, alive_per_block: np.ndarray) -> float:
    """Variance [pieces^2] of the sample's escaped pieces (before assembly into cells) from its latent defects.

    ``started_per_block``, ``alive_per_block``: sheets started and alive at the end in each block of the
    sample (the strata blocks of twin.expected_outcomes). 0 for a scenario without sized defects.
    """
    total = 0.0
    cells = scenario.cell.format.cells_per_sheet
    makers = latent_steps(scenario)
    hit_of = {}
    for maker in makers:
        table = np.asarray(defect_piece_loss_survival(scenario, scenario.route[maker]))
        hit_of[maker] = np.append(table[table.shape[0] - 1], 0.0)   # P(K > j), j = 0..C, all pieces open
    for maker in makers:
        step = scenario.route[maker]
        at_least = hit_of[maker]
        hit = float(at_least[0])
        if hit <= 0.0:
            continue
        # a later step's defect on the same sheet joins this one at the larger size, which the checks find
        # more often: this step's escape on that sheet is as good as lost (counted with the later step's)
        unjoined = float(np.prod([1.0 - hit_of[later][0] for later in makers if later > maker]))
        pieces_share = (at_least[:-1] - at_least[1:]) / hit
        shape = step.defect_size
        missed = missed_share(scenario, maker, shape.median_um * 1e-6 * np.exp(shape.log_sd * _Z))
        integrals = size_law_integrals(missed, pieces_share[:cells])
        moments: dict[int, tuple] = {}
        for started, alive in zip(started_per_block, alive_per_block, strict=True):
            if started <= 0:
                continue
            expected_hits = started * hit
            low = int(np.floor(expected_hits))
            frac = expected_hits - low
            rho = alive / started * unjoined
            variance, means = 0.0, []
            for strata, weight in ((low, 1.0 - frac), (low + 1, frac)):
                if strata < 1 or weight <= 0.0:
                    means.append(0.0)
                    continue
                if strata not in moments:
                    moments[strata] = moments_at(integrals, strata)
                mean_i, square_i, mean = moments[strata]
                variance += weight * block_step_variance(mean_i, square_i, rho)
                means.append(rho * strata * mean)
            # the count of hit sheets is low or low + 1: its spread moves the block's expected escapes
            total += variance + frac * (1.0 - frac) * (means[1] - means[0]) ** 2
    return total


__all__ = ["block_step_variance", "latent_escape_variance", "missed_share", "moments_at", "size_law_integrals",
           "stratum_moments"]
