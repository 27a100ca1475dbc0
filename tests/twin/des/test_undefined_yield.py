"""Issue 15: a simulation that processed no sheet reports its yield as undefined, never 1.0."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from twin.des.statistics import _overall_yield

pytestmark = pytest.mark.unit


def _plant(*sheets_in):
    return SimpleNamespace(stations=[SimpleNamespace(sheets_in=n) for n in sheets_in])


def test_no_sheet_processed_gives_null_yield_with_a_reason():
    assert _overall_yield(_plant(0, 0, 0), {"a": 1.0, "b": 1.0, "c": 1.0}, 1.0) == {
        "overall": None, "overall_undefined_reason": "no sheet entered any station in the measured period"}


def test_processed_sheets_give_the_product_of_step_yields():
    assert _overall_yield(_plant(10, 8), {"a": 0.8, "b": 0.5}, 0.9) == {"overall": pytest.approx(0.36)}
