"""Every library scenario gives the same numbers as the frozen golden files (rel 1e-12).

Guards refactors that must not change physics: the move of each step kind into ``twin.operations``.
A deliberate change of numbers regenerates the files (``python -m tests.twin.golden.golden_runs``).
"""

from __future__ import annotations

import json
import math

import pytest

from tests.twin.golden.golden_runs import GOLDEN_DIR, result_json, runs

REL = 1e-12


def _diff(expected, actual, path="") -> list[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        if set(expected) != set(actual):
            out.append(f"{path}: keys differ: missing {sorted(set(expected) - set(actual))}, "
                       f"extra {sorted(set(actual) - set(expected))}")
        for key in set(expected) & set(actual):
            out += _diff(expected[key], actual[key], f"{path}.{key}")
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: length {len(actual)} != {len(expected)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual, strict=True)) for d in _diff(e, a, f"{path}[{i}]")]
    if isinstance(expected, bool) or isinstance(actual, bool) or not isinstance(expected, (int, float)) \
            or not isinstance(actual, (int, float)):
        return [] if expected == actual else [f"{path}: {actual!r} != {expected!r}"]
    if math.isclose(actual, expected, rel_tol=REL, abs_tol=0.0) or actual == expected:
        return []
    return [f"{path}: {actual!r} != {expected!r}"]


RUNS = runs()


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(RUNS))
def test_result_matches_golden_file(name):
    expected = json.loads((GOLDEN_DIR / f"{name}.json").read_text())
    differences = _diff(expected, result_json(RUNS[name]))
    assert not differences, "\n".join(differences[:20])


@pytest.mark.unit
def test_comparison_detects_a_moved_number():
    # the comparison itself can fail: a relative change of 1e-9 in one leaf is reported
    expected = {"a": [1.0, {"b": 2.0}]}
    assert _diff(expected, {"a": [1.0, {"b": 2.0 * (1 + 1e-9)}]}) == [".a[1].b: 2.000000002 != 2.0"]
    assert _diff(expected, {"a": [1.0, {"b": 2.0}]}) == []
