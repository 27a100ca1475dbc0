"""Model-parameter factors for a Monte Carlo over the physics' own uncertainty (private to the twin).

Some calibrated parameters rest on one published point or on an assumption (the Li2O flux, the
cover-powder leakage, the master curve's position, the grain-growth constant). A model-uncertainty
Monte Carlo (``twin.cost.sensitivity.model_monte_carlo``) evaluates the scenario with these scaled by
seeded draws; the firing physics reads them here. Outside such a run every factor is its neutral
value, so ``evaluate``/``simulate`` results do not depend on this module. A context variable (not a
module global) keeps concurrent evaluations in threads or API workers apart.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Mapping
from types import MappingProxyType

_NEUTRAL: Mapping[str, float] = MappingProxyType({})
_FACTORS: contextvars.ContextVar[Mapping[str, float]] = contextvars.ContextVar("model_factors", default=_NEUTRAL)

KNOWN_FACTORS = ("li2o_flux", "cover_leakage", "msc_log_theta_half_shift", "grain_growth_rate")


def model_factor(name: str, neutral: float) -> float:
    """The factor ``name`` of the running model-uncertainty draw, else ``neutral``."""
    return _FACTORS.get().get(name, neutral)


@contextlib.contextmanager
def model_factors(factors: Mapping[str, float]) -> Iterator[None]:
    """Evaluate the physics with ``factors`` (names from ``KNOWN_FACTORS``) inside the block."""
    unknown = set(factors) - set(KNOWN_FACTORS)
    if unknown:
        raise ValueError(f"model factor(s) {sorted(unknown)} unknown; known: {', '.join(KNOWN_FACTORS)}")
    token = _FACTORS.set(MappingProxyType(dict(factors)))
    try:
        yield
    finally:
        _FACTORS.reset(token)
