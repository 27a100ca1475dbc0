"""Power-law scaling of a plant item's capital, labour or floor area with its size or volume.

cost = base_cost * (size / base_size) ** exponent, BatPaC V5's volume-ratio rule (cost-notes section 1.2:
capital 0.95 for most steps, labour 0.7, floor area 0.95; Nelson et al., BatPaC V5 manual, ANL 2022).
"""

from __future__ import annotations

import numpy as np


def scaled_by_exponent(base_value, size, base_size, exponent):
    """``base_value * (size / base_size) ** exponent``, element-wise.

    base_value: cost, hours or area at ``base_size`` (any unit, returned in the same unit);
    size, base_size: the same positive quantity (cells/yr, m/min, m3, tonnes...); exponent: dimensionless.
    Raises ValueError if a size is not positive.
    """
    size = np.asarray(size, dtype=float)
    base_size = np.asarray(base_size, dtype=float)
    if np.any(size <= 0) or np.any(base_size <= 0):
        raise ValueError("scaled_by_exponent: size and base_size must be positive")
    return base_value * (size / base_size) ** exponent
