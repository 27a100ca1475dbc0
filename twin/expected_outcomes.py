"""Variance reduction of the evaluation's sample: rare outcomes carried as expectations, not counted.

The evaluation's headline (yield, USD/kWh, escape ppm) rests on rare events in a few thousand sheets: a
killer or latent defect lands on ~2 % of the sheets, and a few pieces a check misses are the escapes.
Counted one by one (a Bernoulli draw each), one escaped piece more or less moves the escape figure by
~1,700 ppm and a few defective sheets more or less move the yield by a percent, whatever the design. Two
estimators, both exact in expectation (same mean as the plain Monte Carlo, same model, smaller spread),
used by every command that evaluates a sample (twin.evaluate.sample_route: evaluate, optimise, report,
API); the plant twin (simulate) keeps real draws, it is one realisation of the plant:

* **stratified defect draws** (Latin hypercube in one dimension): a step's one uniform per sheet that
  decides its killer or latent defects is drawn one per stratum of [0, 1) inside blocks of sheets,
  u_i = (pi_i + v_i) / m for a random permutation pi of 0..m-1 and the sheet's own uniform v_i. Each u_i
  is still uniform, so each sheet's defect law is unchanged; the number of sheets of a block hit
  (u < P) is then m P rounded up or down instead of Binomial(m, P) (McKay, Beckman & Conover 1979);
* **expected detection** (conditional Monte Carlo): at a check with an inspection method, a sheet
  carrying latent pieces L at largest size a is neither found nor missed by a draw: L POD(a) of its
  pieces are booked found (dead), L (1 - POD(a)) travel on latent and, unless a later check finds them
  the same way, leave as escapes. When no later step adds a defect to the sheet its largest size stays
  a, and each check's miss is independent, so the pieces shipped latent have the expectation
  L prod(1 - POD_k(a)) of the counted draws exactly. A sheet that a later latent-making step's defects
  may hit keeps its draw at the checks before that step (twin.sample_estimator knows those sheets ahead:
  a step's defect draws depend on its own stream only): a new defect's size joins the largest of the
  ones still latent, which a fractional state cannot split. Sheets scrapped whole stay whole-sheet
  events: a sheet whose live pieces are all latent goes on with the missed share (scrapped only at
  POD 1), so the sheet yields of the steps after such a check count it (second order: two defects on
  one sheet's every piece).
"""

from __future__ import annotations

import functools

import numpy as np

from twin.scenario import Scenario

# Key of a step's conditions that asks an inspection method for expected, not drawn, detection
EXPECTED_DETECTION = "expected_detection"
# Key of a check's conditions with, per sheet, the share of its latent pieces booked found instead of the
# POD at its drawn size (NaN: the POD at its size): the Rao-Blackwellised detection of twin.sample_estimator
EXPECTED_FOUND_SHARE = "expected_found_share"


def stratified_uniforms(uniform: np.ndarray, rng: np.random.Generator, block_sheets: int) -> np.ndarray:
    """One uniform per stratum of [0, 1) inside each block of ``block_sheets`` consecutive sheets.

    ``uniform``: the sheets' own uniforms (the jitter inside the stratum); ``rng``: draws the permutation
    of the strata (a stream of its own, so the step's other draws stay as they were). u = (pi + v) / m
    per block of m sheets (the last block may be shorter): each value uniform on [0, 1), one per stratum.
    """
    n = uniform.size
    out = np.empty(n)
    whole = n // block_sheets  # full blocks: their permutations drawn as the rows of one array
    if whole:
        # Generator.permuted shuffles row after row exactly as one rng.permutation(m) per block would
        # (same draws, same order: tested), in one call instead of one per block
        strata = rng.permuted(np.broadcast_to(_strata(block_sheets), (whole, block_sheets)), axis=1)
        head = out[:whole * block_sheets].reshape(whole, block_sheets)
        np.add(strata, uniform[:whole * block_sheets].reshape(whole, block_sheets), out=head)
        head /= block_sheets
    rest = n - whole * block_sheets
    if rest:
        out[n - rest:] = (rng.permutation(rest) + uniform[n - rest:]) / rest
    return out


@functools.lru_cache(maxsize=16)
def _strata(m: int) -> np.ndarray:
    """0..m-1, read only (the strata of a block of m sheets; the same for every evaluation)."""
    strata = np.arange(m)
    strata.flags.writeable = False
    return strata


def stratified_subset(uniform: np.ndarray, chosen: np.ndarray, rng: np.random.Generator,
                      block_sheets: int) -> np.ndarray:
    """``uniform`` with the values of the ``chosen`` sheets of each block replaced by one per stratum.

    For the sizes of the sheets a defect may hit (``chosen``: their defect draw is below the hit
    probability, known before the size is drawn): with h of them in a block, their size uniforms are
    (pi + v) / h, so the block's defects span the size distribution instead of h independent draws.
    Each value is still uniform and independent of how many pieces its sheet's defects hit.
    """
    out = uniform.copy()
    for start in range(0, uniform.size, block_sheets):
        index = start + np.flatnonzero(chosen[start:start + block_sheets])
        if index.size:
            out[index] = (rng.permutation(index.size) + uniform[index]) / index.size
    return out


def latent_steps(scenario: Scenario) -> list[int]:
    """Route indices of the steps that make latent (sized) defects."""
    return [index for index, step in enumerate(scenario.route)
            if getattr(step, "defect_size", None) is not None and step.defect_density_per_m2 > 0]


__all__ = ["EXPECTED_DETECTION", "EXPECTED_FOUND_SHARE", "latent_steps", "stratified_subset", "stratified_uniforms"]
