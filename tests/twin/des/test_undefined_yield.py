"""Issue 15: a simulation that processed no sheet reports its yield as undefined, never 1.0."""

from __future__ import annotations

import pytest

from twin.des.statistics import yield_block
from twin.piece_yield import PieceAccount

pytestmark = pytest.mark.unit


def test_no_sheet_processed_gives_null_yield_with_a_reason():
    block = yield_block({"a": (0, 0), "b": (0, 0)}, PieceAccount(0.0, {}, {}, {}, 0.0, 0.0), 1, processed=False)
    assert block["overall"] is None and block["escaped_share"] is None
    assert block["overall_undefined_reason"] == "no sheet entered any station in the measured period"


def test_processed_sheets_give_the_product_of_step_yields_x_the_escape_factor():
    # 100 one-piece sheets: a scraps 20 (0.8), b kills 40 of the 80 left (0.5); 36 good and 4 escaped ship (0.9)
    account = PieceAccount(100.0, {"a": {"low_density": 20.0}}, {"b": {"defect": 40.0}}, {}, 36.0, 4.0)
    block = yield_block({"a": (100, 80), "b": (80, 80)}, account, 1)
    assert block["piece_yield_by_step"] == {"a": 0.8, "b": 0.5}
    assert block["escape_factor"] == 0.9
    assert block["overall"] == pytest.approx(0.36, rel=1e-15)
