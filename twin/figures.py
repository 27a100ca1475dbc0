"""Figures written to the precision they carry: one formatter for sentences and tables.

* :func:`plain`: a figure to a few significant figures in plain notation (8,690,000, never 8.69e+06); a
  figure beyond :data:`PLAIN_CEILING` is written "over 1,000,000" (an ASR that large is an open circuit,
  its exact size means nothing to a reader).
* :func:`to_error`: a figure rounded to the decimal place of its error's leading digit (two digits when that
  digit is 1 or 2, as the usual rule of quoting an uncertainty), and the error with it: 81.64 +- 0.61 % reads
  81.6 +- 0.6 %, 36,200 +- 1,447 ppm reads 36,200 +- 1,400 ppm.
* :func:`decimals_for_error`: the decimal places that rounding keeps, for a column of figures sharing one error.

Never inf or nan: None, inf and NaN read ``undefined``.
"""

from __future__ import annotations

import math

PLAIN_CEILING = 1e6


def _finite(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def plain(value, digits: int = 3, undefined: str = "n/a") -> str:
    """``value`` to ``digits`` significant figures, comma-grouped, without an exponent."""
    number = _finite(value)
    if number is None:
        return undefined
    if abs(number) > PLAIN_CEILING:
        return f"over {PLAIN_CEILING:,.0f}" if number > 0 else f"below -{PLAIN_CEILING:,.0f}"
    if number == 0.0:
        return "0"
    magnitude = math.floor(math.log10(abs(number)))
    decimals = max(digits - 1 - magnitude, 0)
    rounded = round(number, digits - 1 - magnitude)
    return f"{rounded:,.{decimals}f}"


def decimals_for_error(half_width) -> int | None:
    """Decimal places that keep a figure to its error's leading digit (two for a leading 1 or 2); negative
    for errors of tens and more (round to tens, hundreds); None without a finite positive error."""
    error = _finite(half_width)
    if error is None or error <= 0.0:
        return None
    magnitude = math.floor(math.log10(error))
    leading = error / 10.0 ** magnitude
    kept = 2 if leading < 3.0 else 1   # 0.61 -> 0.6, 1,447 -> 1,400, 2.9 -> 2.9, 5.8 -> 6
    return kept - 1 - magnitude


def _at(number: float, decimals: int) -> str:
    rounded = round(number, decimals)
    return f"{rounded:,.{max(decimals, 0)}f}"


def to_error(value, half_width, undefined: str = "n/a") -> tuple[str, str]:
    """(figure, error) as strings rounded to the error's precision (module docstring); the figure in
    :func:`plain` form and the error ``undefined`` when there is no finite positive error."""
    number = _finite(value)
    if number is None:
        return undefined, undefined
    decimals = decimals_for_error(half_width)
    if decimals is None:
        return plain(number, 4), undefined
    return _at(number, decimals), _at(float(half_width), decimals)


def percent_to_error(share, half_width_share, undefined: str = "n/a") -> str:
    """A share as percent rounded to its error's precision (at least one decimal place dropped only when the
    error is a point or more): 0.8164, 0.0061 -> '81.6%'; without an error two decimals, as before."""
    number = _finite(share)
    if number is None:
        return undefined
    decimals = decimals_for_error(None if half_width_share is None else float(half_width_share) * 100.0)
    if decimals is None:
        return f"{number:.2%}"
    return f"{_at(number * 100.0, min(decimals, 2))}%"


__all__ = ["PLAIN_CEILING", "decimals_for_error", "percent_to_error", "plain", "to_error"]
