"""Bounded physical quantities for the scenario schema.

A scenario number is checked once, here, against the range its physics supports. The error text is
what the engineer sees, so it names the value, the bound and why the bound exists, for example
``1900 is above 1400 (LLZO decomposes/melts)``; the field path is added by :mod:`twin.scenario.errors`.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StrictBool
from pydantic_core import PydanticCustomError


def _format_number(value: float) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (math.isfinite(value) and float(value).is_integer() and abs(value) < 1e15):
        return str(int(value))
    return f"{value:g}"


def _range_check(
    lo: float | None,
    hi: float | None,
    lo_open: bool,
    hi_open: bool,
    why_lo: str | None,
    why_hi: str | None,
):
    def check(value: float) -> float:
        if isinstance(value, float) and not math.isfinite(value):
            raise PydanticCustomError("not_finite", "{value} is not a finite number", {"value": str(value)})
        if lo is not None and (value < lo or (lo_open and value == lo)):
            relation = "below" if value < lo else "at"
            reason = f" ({why_lo})" if why_lo else ""
            allowed = _allowed_text(lo, hi, lo_open, hi_open)
            raise PydanticCustomError(
                "out_of_range",
                "{value} is {relation} {bound}{reason}; allowed {allowed}",
                {
                    "value": _format_number(value),
                    "relation": relation,
                    "bound": _format_number(lo),
                    "reason": reason,
                    "allowed": allowed,
                },
            )
        if hi is not None and (value > hi or (hi_open and value == hi)):
            relation = "above" if value > hi else "at"
            reason = f" ({why_hi})" if why_hi else ""
            allowed = _allowed_text(lo, hi, lo_open, hi_open)
            raise PydanticCustomError(
                "out_of_range",
                "{value} is {relation} {bound}{reason}; allowed {allowed}",
                {
                    "value": _format_number(value),
                    "relation": relation,
                    "bound": _format_number(hi),
                    "reason": reason,
                    "allowed": allowed,
                },
            )
        return value

    return check


def _number_check(integer: bool, range_check=None, allowed: str | None = None):
    """Accept only real numbers: a YAML ``true`` or a quoted "1" is a mistake, never the number 1.

    Pydantic's lax mode would read ``true`` as 1 and ``"1"`` as 1; a bound check cannot catch that
    (``temperature_C: true`` would be read as 1 C). Integers too large for a float are refused here
    rather than overflowing in a later product.
    """

    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            expected = "an integer" if integer else "a number"
            raise PydanticCustomError("not_a_number", "{value} is not {expected}",
                                      {"value": _short_value(value), "expected": expected})
        if isinstance(value, int) and abs(value) > MAX_INTEGER_MAGNITUDE:
            raise PydanticCustomError("too_large", "{value} is too large a number (more than {digits} digits)",
                                      {"value": _short_value(value), "digits": len(str(MAX_INTEGER_MAGNITUDE))})
        if integer and isinstance(value, float) and math.isfinite(value) and not value.is_integer():
            # the range too, so the message says what would be accepted (a count of machines, channels, layers)
            raise PydanticCustomError("not_an_integer", "{value} is not an integer{allowed}",
                                      {"value": f"{value:g}",
                                       "allowed": f"; allowed a whole number in {allowed}" if allowed else ""})
        if integer and isinstance(value, float) and math.isfinite(value):
            # the bounds are checked on the float as given: int(1e30) would print as 1000000000000000019884624838656
            if range_check is not None:
                range_check(value)
            if abs(value) > MAX_INTEGER_MAGNITUDE:
                raise PydanticCustomError("too_large", "{value} is too large a number (more than {digits} digits)",
                                          {"value": f"{value:g}", "digits": len(str(MAX_INTEGER_MAGNITUDE))})
            return int(value)
        return value

    return check


# Above 2**63 no scenario count or seed means anything, and a float holds integers exactly only to 2**53.
MAX_INTEGER_MAGNITUDE = 2**63 - 1


def _short_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:  # a YAML or JSON null, written as the user wrote it (not Python's None)
        return "null"
    if isinstance(value, int) and abs(value) > MAX_INTEGER_MAGNITUDE:
        text = str(value)
        return f"{text[:12]}... ({len(text)} digits)"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_text(lo, hi, lo_open, hi_open) -> str:
    left = "(" if lo_open else "["
    right = ")" if hi_open else "]"
    lo_text = _format_number(lo) if lo is not None else "-inf"
    hi_text = _format_number(hi) if hi is not None else "inf"
    if lo is None:
        left = "("
    if hi is None:
        right = ")"
    return f"{left}{lo_text}, {hi_text}{right}"


def Quantity(
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
    why_lo: str | None = None,
    why_hi: str | None = None,
    description: str | None = None,
    integer: bool = False,
) -> Any:
    """A float (or int) field type limited to a range, with the reason for each bound.

    ``lo_open``/``hi_open`` make a bound exclusive. The JSON Schema carries the same bounds so
    that ``ssb-twin schema`` and the OpenAPI document show them.
    """
    schema_extra: dict[str, Any] = {}
    if lo is not None:
        schema_extra["exclusiveMinimum" if lo_open else "minimum"] = lo
    if hi is not None:
        schema_extra["exclusiveMaximum" if hi_open else "maximum"] = hi
    base = int if integer else float
    range_check = _range_check(lo, hi, lo_open, hi_open, why_lo, why_hi)
    return Annotated[
        base,
        Field(description=description, json_schema_extra=schema_extra or None),
        BeforeValidator(_number_check(integer, range_check, _allowed_text(lo, hi, lo_open, hi_open))),
        AfterValidator(range_check),
    ]


# A yes/no scenario field: only true or false (lax parsing would read 0, 1, "yes", "off" as flags).
Flag = StrictBool

# Reusable shapes. The reasons are the physics, not the programmer's convenience.
Fraction = Quantity(0.0, 1.0, why_lo="a fraction cannot be negative", why_hi="a fraction cannot exceed 1")
OpenFraction = Quantity(0.0, 1.0, lo_open=True, why_lo="must be positive", why_hi="a fraction cannot exceed 1")
Positive = Quantity(0.0, None, lo_open=True, why_lo="must be positive")
NonNegative = Quantity(0.0, None, why_lo="cannot be negative")
PositiveInt = Quantity(1, None, integer=True, why_lo="must be at least 1")
NonNegativeInt = Quantity(0, None, integer=True, why_lo="cannot be negative")
AnyNumber = Quantity()
CoefficientOfVariation = Quantity(
    0.0, 0.5, why_lo="a spread cannot be negative", why_hi="a CV above 0.5 makes normal sampling meaningless"
)
