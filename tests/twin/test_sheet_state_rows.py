"""SheetBatch.state makes its row views on first use: it must answer as the full dict of views would."""

from __future__ import annotations

import numpy as np
import pytest

from twin.sheet_batch import SHEET_STATE_FIELDS, SheetBatch

pytestmark = pytest.mark.unit


def test_state_rows_are_views_made_when_asked_and_list_in_field_order():
    batch = SheetBatch.new(4)
    state = batch.state
    density = state["relative_density"]
    density[:] = 0.95  # a write through the row goes to the batch
    assert batch.values[SHEET_STATE_FIELDS.index("relative_density")].tolist() == [0.95] * 4
    assert "li_loss_fraction" in state and "no_such_field" not in state
    assert state.get("no_such_field") is None
    with pytest.raises(KeyError, match="no_such_field"):
        state["no_such_field"]
    # listing gives every field, in SHEET_STATE_FIELDS order, each a view of its row
    assert list(state) == list(SHEET_STATE_FIELDS) and len(state) == len(SHEET_STATE_FIELDS)
    full = dict(state)
    for row, (name, values) in enumerate(full.items()):
        assert name == SHEET_STATE_FIELDS[row] and np.shares_memory(values, batch.values[row])
    assert state["relative_density"] is density  # made once


def test_a_row_replaced_by_hand_stays_replaced():
    batch = SheetBatch.new(3)
    state = batch.state
    replacement = np.arange(3.0)
    state["grain_size_m"] = replacement
    assert state["grain_size_m"] is replacement and state.get("grain_size_m") is replacement
    assert dict(state)["grain_size_m"] is replacement and list(state) == list(SHEET_STATE_FIELDS)


def test_merging_and_defaults_see_every_row():
    batch = SheetBatch.new(2)
    state = batch.state
    merged = state | {"extra": 1.0}
    assert list(merged)[: len(SHEET_STATE_FIELDS)] == list(SHEET_STATE_FIELDS) and merged["extra"] == 1.0
    row = SHEET_STATE_FIELDS.index("li_content_pfu")
    assert np.shares_memory(batch.state.setdefault("li_content_pfu", None), batch.values[row])
    popped_batch = SheetBatch.new(2)
    assert np.shares_memory(popped_batch.state.pop("li_content_pfu"), popped_batch.values[row])
