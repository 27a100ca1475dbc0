"""ln(e^a + e^b) of per-sheet arrays from numpy's vector ``exp`` and ``log1p`` (private).

Works of sintering add along the thermal path (Su & Johnson 1996): a layer fired again, a pressure-driven
work added to the free one, or the pieces of an interrupted firing sum as Theta_1 + Theta_2, kept in logs.
``numpy.logaddexp`` evaluates that with the C library's scalar ``exp`` and ``log1p`` per element (~10 ns
an element here); the same formula from numpy's vectorised ``exp`` and ``log1p`` loops costs about half at
a kiln load's 2,000 sheets. The two differ by round-off only (a last bit in a few elements per thousand):
``tests/process_models/test_log_sums.py`` bounds the difference on random inputs over the whole domain.
"""

from __future__ import annotations

import numpy as np


def log_add_exp(log_a, log_b) -> np.ndarray:
    """ln(exp(a) + exp(b)), elementwise, with numpy's broadcasting; a fresh float array (0-d for scalars).

    Parameters
    ----------
    log_a, log_b : float or array_like
        Natural logs of two non-negative quantities (-inf for zero) [ln of their unit]

    Returns
    -------
    numpy.ndarray
        ln of the sum [ln of their unit]

    Notes
    -----
    ln(e^a + e^b) = max(a, b) + ln(1 + e^-|a - b|), as ``numpy.logaddexp`` computes it (its equal-input
    case a + ln 2 is the same formula at |a - b| = 0). Where a and b are both -inf (or both +inf) a - b
    is NaN: the gap is taken as +inf there, so the sum is max(a, b) (-inf or +inf, as logaddexp gives);
    a NaN input still gives NaN through max(a, b).

    References
    ----------
    Su & Johnson, J. Am. Ceram. Soc. 79 (1996) 3211 (work of sintering adds along the path); the
    formula is that of ``numpy.logaddexp`` (numpy/_core/src/npymath/npy_math_internal.h.src).

    Examples
    --------
    >>> print(round(float(log_add_exp(0.0, 0.0)), 6))
    0.693147
    >>> float(log_add_exp(-np.inf, -np.inf))
    -inf
    """
    # a fresh array (0-d for two scalars, which np.subtract returns as a numpy scalar): the rest in place on it;
    # inf - inf (both works zero, or both infinite) is NaN by design, handled below
    with np.errstate(invalid="ignore"):
        gap = np.asarray(np.subtract(log_a, log_b, dtype=float))
    np.abs(gap, out=gap)
    np.fmin(gap, np.inf, out=gap)   # inf - inf is NaN where both are infinite: fmin gives +inf there
    np.negative(gap, out=gap)
    np.exp(gap, out=gap)
    np.log1p(gap, out=gap)
    gap += np.maximum(log_a, log_b)
    return gap
