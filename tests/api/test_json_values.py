"""api.json_values.json_safe: results as plain JSON values, NaN/inf as null. The fast path by exact type must
give what the general rules give, value for value and type for type."""

from __future__ import annotations

import enum
import json
import math

import numpy as np
import pytest

from api.json_values import _safe_other, dumps, json_safe

pytestmark = pytest.mark.unit


class _Level(enum.IntEnum):
    LOW = 1


class _Name(str, enum.Enum):  # noqa: UP042 - a str-and-Enum mix, as pydantic models hold (not StrEnum)
    KILN = "kiln"


class _Share(float):
    pass


def _general(value):
    """The general rules alone, all the way down (the function before the fast path)."""
    out = _safe_other(value)
    if isinstance(out, dict):
        return {key: _general(item) for key, item in out.items()}
    if isinstance(out, list):
        return [_general(item) for item in out]
    return out


ODD = {
    "plain": [1.0, -0.0, 3, "x", None, True, False],
    "non_finite": [float("nan"), float("inf"), -math.inf, np.float64(np.nan), _Share("inf")],
    "numpy": [np.float64(0.1), np.float32(0.1), np.int64(7), np.bool_(True), np.arange(3.0), np.array([np.inf])],
    "subclasses": [_Level.LOW, _Name.KILN, _Share(2.5)],
    "tuple": (1, (2.5, float("nan"))),
    1: {2.5: "float key", None: "none key", True: "bool key", _Name.KILN: "enum key"},
    "object": object,
}


def test_the_fast_path_equals_the_general_rules_value_for_value():
    fast, general = json_safe(ODD), _general(ODD)
    assert json.dumps(fast) == json.dumps(general)

    def types(value):
        if isinstance(value, dict):
            return {key: types(item) for key, item in value.items()}
        if isinstance(value, list):
            return [types(item) for item in value]
        return type(value).__name__

    assert types(fast) == types(general)
    assert fast["non_finite"] == [None] * 5
    assert fast["1"] == {"2.5": "float key", "None": "none key", "True": "bool key", str(_Name.KILN): "enum key"}


def test_an_evaluation_result_encodes_the_same_by_either_path():
    from api.services import evaluate
    from twin.scenario.library import load_library_scenario

    result = evaluate(load_library_scenario("oxide_baseline"))
    assert dumps(result) == json.dumps(_general(result), separators=(",", ":"), allow_nan=False)
