"""Real powers of per-sheet arrays without numpy's general ``pow`` (private).

``x ** 1.5`` and ``x ** 4.0`` run through the C library's ``pow`` at ~14 ns per element; the same
powers from ``sqrt`` and products cost ~2 ns. Results differ from ``**`` by round-off only (a few
ulp). Porosity (Bruggeman 1.5) and CCD exponents are applied to every sheet of every kiln load.
"""

from __future__ import annotations

import numpy as np


def power(base, exponent: float):
    """``base ** exponent`` for a scalar exponent; exponents 1.5, 2, 3 and 4 avoid the general pow."""
    if exponent == 1.5:
        return base * np.sqrt(base)
    if exponent == 2.0:
        return base * base
    if exponent == 3.0:
        return base * base * base
    if exponent == 4.0:
        squared = base * base
        return squared * squared
    return base ** exponent
