"""The cellmate arithmetic leaves out the pieces a step scraps as whole cells (a capacity grade): they hold no
rejected layer, so they make no cellmates."""

from __future__ import annotations

import math

import pytest

from twin.figures import plain
from twin.scrap_sentences import ARITHMETIC_AGREEMENT, cellmate_arithmetic, largest_losses_sentence


@pytest.mark.unit
def test_cellmate_arithmetic_leaves_the_cells_graded_out_whole_out_of_the_pieces_entering():
    # the baseline with its cathode fired at 1080 C: 96.3 % of the pieces reach the test, 36.7 % are graded out
    # as whole cells, 1.15 % bad layers, 9.44 % cellmates booked; with the graded-out pieces in E the sentence
    # said 1.19 % bad layers / 11.3 % of cells / 9.78 % cellmates
    shares = [{"step": "end_of_line_test", "cause": "low_capacity", "fraction": 0.367},
              {"step": "end_of_line_test", "cause": "cellmate_of_rejected_piece", "fraction": 0.0944},
              {"step": "end_of_line_test", "cause": "latent_defect", "fraction": 0.0115}]
    result = {"yield": {"scrap_shares": shares, "piece_yield_by_step": {"stacking": 0.963, "end_of_line_test": 0.5}}}
    sentence = largest_losses_sentence(result, 10)
    p = 0.0115 / (0.963 - 0.367)
    numbers = cellmate_arithmetic(0.0115, 0.963 - 0.367, 10)
    assert numbers["bad_layer_share"] == pytest.approx(p, rel=1e-12)
    assert abs(numbers["cellmates"] - 0.0944) < ARITHMETIC_AGREEMENT * 0.0944
    assert (f"{p * 100:.3g} % of the layers reaching end_of_line_test in cells it did not scrap whole are bad, so "
            f"1 - (1 - {p:.3g})^10 = {(1 - (1 - p) ** 10) * 100:.3g} % of its cells are rejected") in sentence
    assert f"{plain(numbers['cellmates'] * 100)} % good cellmates" in sentence   # 9.40 %, the 9.44 % booked
    assert math.isclose(ARITHMETIC_AGREEMENT, 0.03)
