"""simulate's yield block obeys evaluate's identities (twin.piece_yield) and names what each figure is.

overall = product of piece_yield_by_step x escape_factor and scrap_by_cause + escaped_share + overall = 1,
on one replication to float precision; the sheet yield is ``sheet_yield_by_step``; ``scrap_sheets`` holds
whole sheets only, ``scrap_pieces`` cell pieces (cellmates too).
"""

from __future__ import annotations

import math

import pytest

from twin.des import simulate
from twin.des.statistics import yield_block
from twin.piece_yield import CELLMATE_CAUSE, PieceAccount
from twin.scenario import load_scenario
from twin.sheet_physics import SCRAP_CAUSES


@pytest.mark.unit
def test_hand_made_account_gives_the_shares_it_was_built_with():
    # sheets of 5 pieces, 20 started (100 pieces): fire scraps 2 sheets (10 pieces, low_density); check rejects
    # 8 pieces on sheets that go on (latent_defect) and takes 10 cellmates with them; 70 good and 2 escaped ship
    flows = {"coat": (20, 20), "fire": (20, 18), "check": (18, 18)}
    account = PieceAccount(100.0, {"fire": {"low_density": 10.0}}, {"check": {"latent_defect": 8.0}},
                           {"check": 10.0}, 70.0, 2.0)
    block = yield_block(flows, account, cells_per_sheet=5)
    assert block["piece_yield_by_step"] == {"coat": 1.0, "fire": 0.9, "check": 0.8}
    assert block["escape_factor"] == 70.0 / 72.0
    assert block["overall"] == pytest.approx(0.70, rel=1e-15)
    assert block["escaped_share"] == pytest.approx(0.02, rel=1e-14)
    shares = {cause: share for cause, share in block["scrap_by_cause"].items() if share}
    assert shares == pytest.approx({"low_density": 0.10, "latent_defect": 0.08, CELLMATE_CAUSE: 0.10}, rel=1e-15)
    assert set(block["scrap_by_cause"]) == set(SCRAP_CAUSES)


@pytest.mark.unit
def test_each_station_yield_is_over_the_pieces_that_entered_it():
    # the check emptied its buffer: 25 sheets (125 pieces) entered it in the period while the fire sent 18;
    # it lost 20 of its 125 pieces (0.84), not 20 of the 100 started (the old 0.8)
    flows = {"coat": (20, 20), "fire": (20, 18), "check": (25, 25)}
    account = PieceAccount(100.0, {"fire": {"defect": 10.0}}, {"check": {"latent_defect": 20.0}}, {}, 95.0, 5.0)
    block = yield_block(flows, account, cells_per_sheet=5)
    assert block["piece_yield_by_step"] == {"coat": 1.0, "fire": 0.9, "check": 0.84}
    assert block["escape_factor"] == 0.95
    assert block["overall"] == pytest.approx(0.9 * 0.84 * 0.95, rel=1e-15)
    assert block["scrap_by_cause"]["latent_defect"] == pytest.approx(0.9 * 20.0 / 125.0, rel=1e-15)
    assert math.fsum(block["scrap_by_cause"].values()) + block["escaped_share"] + block["overall"] \
        == pytest.approx(1.0, rel=1e-15)


@pytest.mark.unit
def test_pieces_killed_on_sheets_that_go_on_are_not_counted_again_downstream():
    # fire kills 10 single pieces on 20 sheets that go on: 4.5 live pieces a sheet enter the check
    flows = {"fire": (20, 20), "check": (10, 10)}
    account = PieceAccount(100.0, {}, {"fire": {"defect": 10.0}, "check": {"latent_defect": 9.0}}, {}, 36.0, 0.0)
    block = yield_block(flows, account, cells_per_sheet=5)
    assert block["piece_yield_by_step"] == {"fire": 0.9, "check": 0.8}
    assert block["overall"] == pytest.approx(0.72, rel=1e-15)


def _check_identities(result: dict) -> dict:
    block = result["yield"]
    assert "by_step" not in block   # renamed: the sheet yield is named as such
    assert list(block["piece_yield_by_step"]) == list(block["sheet_yield_by_step"]) == list(result["stations"])
    assert math.prod(block["piece_yield_by_step"].values()) * block["escape_factor"] \
        == pytest.approx(block["overall"], rel=1e-12)
    assert math.fsum(block["scrap_by_cause"].values()) + block["escaped_share"] + block["overall"] \
        == pytest.approx(1.0, rel=1e-12)
    if "scrap_shares" in block:   # simulate adds them from scrap_pieces (a replication's own block has none)
        assert math.fsum(s["fraction"] for s in block["scrap_shares"]) + block["escaped_share"] + block["overall"] \
            == pytest.approx(1.0, rel=1e-12)
    # the escape factor is the good share of the pieces shipped: 1 / (1 + escaped cells per good cell)
    assert block["escape_factor"] == pytest.approx(1.0 / (1.0 + block["escape_rate"]), rel=1e-12)
    # scrap_sheets: whole sheets only (cellmates are pieces, in scrap_pieces)
    for counts in result["scrap_sheets"].values():
        assert all(float(v).is_integer() for v in counts.values())
        assert counts[CELLMATE_CAUSE] == 0
    # the shares by step and cause: where pieces were counted lost, adding up to scrap_by_cause and scrap_by_check
    for name, by_cause in block["scrap_by_step_cause"].items():
        assert {c for c, v in result["scrap_pieces"][name].items() if v > 0} == set(by_cause)
    for cause, share in block["scrap_by_cause"].items():
        assert share == pytest.approx(math.fsum(c.get(cause, 0.0) for c in block["scrap_by_step_cause"].values()),
                                      rel=1e-12, abs=1e-15)
    for name, share in block["scrap_by_check"].items():
        assert share == pytest.approx(math.fsum(block["scrap_by_step_cause"].get(name, {}).values()),
                                      rel=1e-12, abs=1e-15)
    return block


@pytest.mark.integration
def test_oxide_baseline_one_replication_obeys_the_identities():
    result = simulate(load_scenario("scenarios/oxide_baseline.yaml"), days=1, warmup_days=1, seed=3, workers=1)
    block = _check_identities(result)
    # the end-of-line test keeps its sheet-equivalents (its station quality near 1) but not the pieces of rejected
    # cells; after the cutting step there is no sheet, so no sheet yield
    assert result["stations"]["end_of_line_test"]["quality"] > 0.99
    assert block["sheet_yield_by_step"]["end_of_line_test"] is None
    assert block["piece_yield_by_step"]["end_of_line_test"] < 0.9
    assert sum(result["scrap_pieces"]["end_of_line_test"].values()) > 0
    assert result["scrap_pieces"]["end_of_line_test"][CELLMATE_CAUSE] > 0
    assert 0.0 < block["escaped_share"] < 0.01


@pytest.mark.integration
def test_thin_film_sheets_of_sixteen_cells_obey_the_identities():
    # 16 cells per substrate: pinhole shorts kill single pieces (found by the OCV screen) or ship as escapes
    result = simulate(load_scenario("scenarios/thinfilm_microbattery.yaml"), days=5, seed=7, workers=1)
    _check_identities(result)
    single = sum(station["single_piece_sheets"] for station in result["stations"].values())
    assert single > 0   # the case is not trivial: pieces were lost one by one on sheets that went on


@pytest.mark.integration
def test_over_replications_the_sum_holds_and_the_product_holds_on_each_run():
    from twin.des.replications import run_replications

    scenario = load_scenario("scenarios/oxide_baseline.yaml")
    runs = run_replications(scenario, 1.0, 1.0, 5, 2, workers=1)
    for run in runs:
        _check_identities(run)
    result = simulate(scenario, days=1, warmup_days=1, seed=5, replications=2, workers=1)
    block = result["yield"]
    assert block["overall"] == pytest.approx(math.fsum(r["yield"]["overall"] for r in runs) / 2, rel=1e-12)
    assert math.fsum(block["scrap_by_cause"].values()) + block["escaped_share"] + block["overall"] \
        == pytest.approx(1.0, rel=1e-12)
