"""Plain-JSON conversion of service results: results are stored and sent as JSON text, never pickled."""

from __future__ import annotations

import json
import math
from typing import Any

# exact types returned as they are (a subclass, e.g. an IntEnum, goes through the general rules below)
_PLAIN = frozenset({str, int, bool, type(None)})


def json_safe(value: Any) -> Any:
    """Return ``value`` as plain JSON types; NaN/inf become None (strict JSON has no NaN).

    numpy scalars and arrays are converted through ``tolist``/``item`` without importing numpy here.
    An evaluation's result is ~660 values, mostly floats in dicts: the exact built-in types are taken
    first, by type, inside the dict walk (one call per container, not per value: ~2x faster than one
    ``isinstance`` chain per value, the same output, tests/api/test_json_values.py).
    """
    kind = type(value)
    if kind is dict:
        return _safe_dict(value)
    if kind is float:
        return value if math.isfinite(value) else None
    if kind in _PLAIN:
        return value
    if kind is list or kind is tuple:
        return _safe_list(value)
    return _safe_other(value)


def _safe_dict(value: dict) -> dict:
    out = {}
    isfinite = math.isfinite
    for key, item in value.items():
        key = key if type(key) is str else str(key)
        kind = type(item)
        if kind is float:
            out[key] = item if isfinite(item) else None
        elif kind in _PLAIN:
            out[key] = item
        elif kind is dict:
            out[key] = _safe_dict(item)
        else:
            out[key] = json_safe(item)
    return out


def _safe_list(value: list | tuple) -> list:
    isfinite = math.isfinite
    return [(item if isfinite(item) else None) if type(item) is float
            else item if type(item) in _PLAIN else json_safe(item) for item in value]


def _safe_other(value: Any) -> Any:
    """Subclasses of the built-in types, numpy values, pydantic models, anything else (its text)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    if hasattr(value, "tolist"):  # numpy array or scalar
        return json_safe(value.tolist())
    if hasattr(value, "item"):
        return json_safe(value.item())
    if hasattr(value, "model_dump"):  # a pydantic model inside a result
        return json_safe(value.model_dump(mode="json"))
    return str(value)


def dumps(value: Any) -> str:
    """Compact strict JSON of ``value`` after :func:`json_safe`."""
    return json.dumps(json_safe(value), separators=(",", ":"), allow_nan=False)


__all__ = ["dumps", "json_safe"]
