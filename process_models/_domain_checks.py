"""Cheap vectorised validity-range checks shared by the physics modules (private)."""

from __future__ import annotations

import contextvars

import numpy as np

from process_models.errors import PhysicsDomainError

_TRUSTED = contextvars.ContextVar("process_models_trusted_inputs", default=False)


class trusted_inputs:  # noqa: N801 - used like numpy.errstate, a context manager named as a verb phrase
    """Skip the range checks of inputs inside a ``with`` block (public as ``process_models.trusted_inputs``).

    For callers that validated their inputs once at the edge: the plant twin, whose scenario schema
    bounds every recipe number and whose per-sheet draws are clipped to physical ranges, calls the
    physics ~1e5 times a simulated year, and the checks (two reductions per array) cost about a tenth
    of that. The physics is unchanged; an out-of-range input inside the block gives a meaningless
    number instead of a PhysicsDomainError. Consistency checks between inputs (e.g. solids above the
    green density) and material-kind checks still run. Thread- and task-safe (a context variable).
    """

    __slots__ = ("_token",)

    def __enter__(self) -> trusted_inputs:
        self._token = _TRUSTED.set(True)
        return self

    def __exit__(self, *exc_info) -> None:
        _TRUSTED.reset(self._token)

_minimum_reduce = np.minimum.reduce
_maximum_reduce = np.maximum.reduce


def _first_offender(values: np.ndarray, bad: np.ndarray) -> float:
    return float(values[bad].flat[0]) if values.ndim else float(values)


def _format(x: float) -> str:
    return f"{x:.6g}"


def check_range(
    name: str,
    value,
    low: float = -np.inf,
    high: float = np.inf,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> np.ndarray:
    """Return ``value`` as a float array; raise PhysicsDomainError if any element is outside range."""
    values = np.asarray(value, dtype=float)
    if _TRUSTED.get():
        return values
    if values.ndim == 0:
        # Fast path for scalars (most parameters): plain float comparisons, NaN fails both.
        smallest = largest = float(values)
    elif values.size == 0:
        return values
    else:
        # Fast path: two reductions (NaN propagates through min/max and fails both comparisons);
        # the ufunc reductions skip ndarray.min's Python wrapper (called ~1e5 times per simulated year).
        smallest, largest = _minimum_reduce(values, axis=None), _maximum_reduce(values, axis=None)
    low_ok = smallest >= low if low_inclusive else smallest > low
    high_ok = largest <= high if high_inclusive else largest < high
    if low_ok and high_ok:
        return values
    bad = np.isnan(values)
    bad = bad | ((values < low) if low_inclusive else (values <= low))
    bad = bad | ((values > high) if high_inclusive else (values >= high))
    if np.any(bad):
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        low_txt = "-inf" if np.isneginf(low) else _format(low)
        high_txt = "inf" if np.isposinf(high) else _format(high)
        offender = _first_offender(values, bad)
        raise PhysicsDomainError(
            f"{name}={_format(offender)} is outside {left}{low_txt}, {high_txt}{right}"
        )
    return values


def check_positive(name: str, value) -> np.ndarray:
    """Values must be finite and > 0."""
    if _TRUSTED.get():  # one call less per input inside trusted_inputs
        return np.asarray(value, dtype=float)
    return check_range(name, value, 0.0, np.inf, low_inclusive=False, high_inclusive=False)


def check_non_negative(name: str, value) -> np.ndarray:
    """Values must be finite and >= 0."""
    if _TRUSTED.get():  # one call less per input inside trusted_inputs
        return np.asarray(value, dtype=float)
    return check_range(name, value, 0.0, np.inf, low_inclusive=True, high_inclusive=False)


def check_fraction(name: str, value, allow_zero: bool = True) -> np.ndarray:
    """Values must lie in [0, 1] (or (0, 1] when ``allow_zero`` is False)."""
    if _TRUSTED.get():  # one call less per input inside trusted_inputs
        return np.asarray(value, dtype=float)
    return check_range(name, value, 0.0, 1.0, low_inclusive=allow_zero, high_inclusive=True)


def require_kind(material, kinds: tuple[str, ...], function_name: str) -> None:
    """Raise PhysicsDomainError if ``material.kind`` is not one of ``kinds``."""
    if material.kind not in kinds:
        raise PhysicsDomainError(
            f"{function_name} needs a material of kind {' or '.join(kinds)}; "
            f"material={material.name!r} is of kind {material.kind!r}"
        )
