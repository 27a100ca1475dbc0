"""Plain-JSON conversion of service results: results are stored and sent as JSON text, never pickled."""

from __future__ import annotations

import json
import math
from typing import Any


def json_safe(value: Any) -> Any:
    """Return ``value`` as plain JSON types; NaN/inf become None (strict JSON has no NaN).

    numpy scalars and arrays are converted through ``tolist``/``item`` without importing numpy here.
    """
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
