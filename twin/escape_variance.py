"""What a latent defect's escapes are worth on average over its size law: the Rao-Blackwellised booking.

A latent-making step's defects hit n pieces of a sheet; a the largest defect's size, drawn from a uniform u
as a(u) = a_med exp(s Phi^-1(u^(1/n))) (twin.inspection_methods); the checks with an inspection method after
the step miss all of them with M(a) = prod_k (1 - POD_k(a)). M is ~1 only for the smallest defects (under a
few um: nothing sees them), so most of the escapes come from the lowest ~0.1 % of the size law, a handful of
sheets per 3,000-sheet sample or none: booked as the drawn n M(a(u)) (expected detection, twin.expected_outcomes)
the escape figure swung with those few sheets (oxide_baseline, 200 seeds: 2,183 +- 868 ppm, one standard
deviation; gigafactory 36,109 +- 1,059; sulphide_spray 195 +- 204).

twin.sample_estimator books instead n E[M_j | n] through each check j, the mean over u uniform on [0, 1)
(:func:`mean_missed_share`): nothing else of the sheet depends on u (whether it is hit, n, whether it ships),
so this is the conditional expectation of the drawn booking given everything but u: the same mean (tower
rule), no more variance (Rao-Blackwell; Casella & Berger 2002, thm 7.3.17). Averaging over the whole size
law rather than over the sheet's stratum of it (twin.expected_outcomes.stratified_subset) conditions on less,
so it removes at least as much: the strata put the smallest defects on one sheet per block, the mean puts
them on every hit sheet. Measured over 200 seeds: 2,185 +- 70, 36,160 +- 624, 209 +- 10 ppm; the means agree
with the drawn booking's within its standard error of the mean (61, 75 and 14.5 ppm). What is left varies
with which hit sheets ship, the cells they are assembled into and the few sheets a later latent-making step
may hit (they keep a drawn size and detection, twin.sample_estimator): twin.sampling_error measures it by
batch means.
"""

from __future__ import annotations

import functools

import numpy as np

from twin.inspection_methods import method_pod
from twin.operations import operation_for
from twin.scenario import Scenario

# Normal quantiles the size law is integrated over: Phi(-9) ~ 1e-19 is far below any share of the escapes,
# and steps of 0.01 resolve M(a), which changes over a factor ~2 of size (~0.7 of z at log_sd 1): the
# library's mean missed shares move by < 4e-4 (relative) against steps of 0.001 (a method's resolution
# limit is a step in M, which the trapezoid rule smears over one grid step), ~1 % of their Monte Carlo error
_Z = np.linspace(-9.0, 9.0, 1801)


def missed_share(scenario: Scenario, maker: int, size_m: np.ndarray, through: int | None = None) -> np.ndarray:
    """M(a) [-]: share of a latent defect of size ``size_m`` [m], made at route step ``maker``, that every
    later check with an inspection method misses (product of 1 - POD, twin.inspection_methods); with
    ``through``, only the checks up to that route index."""
    missed = np.ones_like(size_m, dtype=float)
    last = len(scenario.route) - 1 if through is None else through
    for index, step in enumerate(scenario.route):
        if maker < index <= last and operation_for(step).is_quality_check \
                and getattr(step, "method", None) is not None:
            missed = missed * (1.0 - method_pod(scenario, step.method, size_m))
    return missed


def missed_on_size_grid(scenario: Scenario, maker: int, through: int | None = None) -> np.ndarray:
    """:func:`missed_share` on the grid ``_Z`` of the maker's size law, a = a_med exp(s z)."""
    shape = scenario.route[maker].defect_size
    return missed_share(scenario, maker, shape.median_um * 1e-6 * np.exp(shape.log_sd * _Z), through)


def mean_missed_share(missed_of_z: np.ndarray, cells: int) -> np.ndarray:
    """E[M(a)] [-] over the size law of the largest of n defects, for n = 1..``cells`` pieces hit.

    ``missed_of_z``: M on the grid ``_Z`` of the size quantile w (a = a_med exp(s Phi^-1(w))); the largest
    of n has w = u^(1/n), u uniform on [0, 1): E[M] = integral of M over u = Phi(z)^n, trapezoid rule on the
    grid (0 and 1 added at the ends, M held there)."""
    cdf = _grid_cdf()
    missed = np.concatenate((missed_of_z[:1], missed_of_z, missed_of_z[-1:]))
    middle = 0.5 * (missed[1:] + missed[:-1])
    return np.array([float(middle @ np.diff(cdf ** pieces)) for pieces in range(1, cells + 1)])


@functools.cache
def _grid_cdf() -> np.ndarray:
    """Phi on the grid ``_Z`` with 0 and 1 at the ends (scipy only for scenarios with sized defects, as in
    twin.inspection_methods)."""
    from scipy.special import ndtr

    return np.concatenate(([0.0], ndtr(_Z), [1.0]))


__all__ = ["mean_missed_share", "missed_on_size_grid", "missed_share"]
