"""The paged sheet store: units carry ranges, state is read and written in place, scrapped sheets leave,
pages are reused, and the exact (event-interval) bottleneck shares."""

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from twin.des import endpoints
from twin.des.plant import build_plant, run_plant
from twin.des.sheet_store import FREE_PAGES_KEPT, SheetStore, StoredUnit
from twin.des.statistics import bottleneck_shares
from twin.scenario import load_scenario
from twin.sheet_batch import SHEET_STATE_FIELDS, SheetBatch

pytestmark = pytest.mark.unit

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"
DENSITY = SHEET_STATE_FIELDS.index("relative_density")


def _numbered(store: SheetStore, unit: StoredUnit, first: float) -> None:
    """Write first, first + 1, ... into the unit's relative density row (in the store)."""
    unit.sheets.values[DENSITY] = first + np.arange(unit.n)


def test_new_sheets_start_as_a_new_batch_and_a_one_range_unit_is_a_view_of_the_store():
    store = SheetStore(page_sheets=16)
    unit = store.new_unit(5, now_s=7.0)
    fresh = SheetBatch.new(5)
    np.testing.assert_array_equal(unit.sheets.values, fresh.values)  # NaN where unset, zero pieces lost
    assert unit.sheets.alive.all() and (unit.sheets.scrap_cause == -1).all()
    np.testing.assert_array_equal(unit.entry_time_s, 7.0)
    page = unit.ranges[0][0]
    unit.sheets.state["relative_density"][:] = 0.9
    np.testing.assert_array_equal(page.values[DENSITY, :5], 0.9)  # written in place
    assert store.sheets_in_line == 5


def test_split_and_join_move_ranges_not_state():
    store = SheetStore(page_sheets=16)
    first, second = store.new_unit(6, 0.0), store.new_unit(4, 1.0)
    _numbered(store, first, 0.0)
    _numbered(store, second, 6.0)
    head, tail = first.split(2)
    assert head.n == 2 and tail.n == 4
    joined = StoredUnit.join([tail, second])
    assert len(joined.ranges) == 1  # the tail of one unit and the next unit are neighbours: one range
    page = joined.ranges[0][0]
    assert np.shares_memory(joined.sheets.values, page.values)
    np.testing.assert_array_equal(joined.sheets.state["relative_density"], np.arange(2.0, 10.0))
    np.testing.assert_array_equal(joined.entry_time_s, [0.0] * 4 + [1.0] * 4)


def test_a_unit_of_several_ranges_is_moved_in_order_into_one_range_once():
    store = SheetStore(page_sheets=8)
    units = [store.new_unit(5, float(i)) for i in range(3)]  # 5 + 5 do not fit a page of 8: three pages
    for i, unit in enumerate(units):
        _numbered(store, unit, 10.0 * i)
    units[2].sheets.scrap(np.array([0, 0, 0, 1, 0], dtype=bool), 6, "li_loss")  # its state moves with it
    mixed = StoredUnit.join([units[2], units[0].split(3)[1]])  # out of order, on two pages
    assert len(mixed.ranges) == 2 and mixed.n == 7
    before = store.sheets_in_line
    np.testing.assert_array_equal(mixed.entry_time_s, [2.0] * 5 + [0.0] * 2)
    batch = mixed.sheets
    assert len(mixed.ranges) == 1  # one range now: the physics works on views of the store
    page, start, stop = mixed.ranges[0]
    assert stop - start == 7 and page is not units[0].ranges[0][0] and page is not units[2].ranges[0][0]
    np.testing.assert_array_equal(batch.state["relative_density"], [20, 21, 22, 23, 24, 3, 4])
    np.testing.assert_array_equal(batch.alive, [1, 1, 1, 0, 1, 1, 1])
    np.testing.assert_array_equal(batch.scrap_step, [-1, -1, -1, 6, -1, -1, -1])
    np.testing.assert_array_equal(mixed.entry_time_s, [2.0] * 5 + [0.0] * 2)
    assert np.shares_memory(mixed.entry_time_s, page.entry_time_s)
    assert store.sheets_in_line == before  # the same sheets, in new slots; the old ones left the line
    batch.state["relative_density"][:] *= -1.0
    assert mixed.sheets is batch  # moved once
    np.testing.assert_array_equal(page.values[DENSITY, start:stop], [-20, -21, -22, -23, -24, -3, -4])
    np.testing.assert_array_equal(units[1].sheets.state["relative_density"], np.arange(10.0, 15.0))  # untouched
    assert store.sheets_moved == 7 and store.pages_made == 4  # moved units fill a page of their own
    # the third page held only units[2]'s sheets, all moved: the next new unit is given it again, reset
    again = store.new_unit(8, 9.0)
    assert store.pages_made == 4 and store.pages_in_use == 4 and again.ranges[0][0] is units[2].ranges[0][0]
    assert again.sheets.alive.all()
    np.testing.assert_array_equal(again.sheets.values, SheetBatch.new(8).values)


def test_scrapped_sheets_leave_the_unit_and_the_rest_keep_their_order_and_state():
    store = SheetStore(page_sheets=32)
    unit = store.new_unit(8, 3.0)
    _numbered(store, unit, 0.0)
    unit.sheets.scrap(np.array([1, 0, 0, 1, 0, 0, 0, 1], dtype=bool), 4, "li_loss")
    good = unit.drop_scrapped()
    assert good.n == 5 and len(good.ranges) == 1  # still one range: no gather downstream
    np.testing.assert_array_equal(good.sheets.state["relative_density"], [1, 2, 4, 5, 6])
    assert good.sheets.alive.all() and (good.sheets.scrap_step == -1).all()
    np.testing.assert_array_equal(good.entry_time_s, 3.0)
    assert store.sheets_in_line == 5


def test_a_page_is_reused_once_every_sheet_on_it_left_the_line():
    store = SheetStore(page_sheets=10)
    units = [store.new_unit(10, 0.0) for _ in range(3)]  # a page each
    assert store.pages_made == 3 and store.pages_in_use == 3
    units[0].release()
    units[1].sheets.scrap(np.ones(10, dtype=bool), 1, "defect")
    assert units[1].drop_scrapped().n == 0
    assert store.pages_in_use == 1 and store.sheets_in_line == 10
    again = store.new_unit(10, 5.0)  # a reused page, reset as new
    assert store.pages_made == 3
    np.testing.assert_array_equal(again.sheets.values, SheetBatch.new(10).values)
    assert again.sheets.alive.all()


@pytest.mark.parametrize(("name", "days"), [("oxide_baseline.yaml", 4), ("gigafactory.yaml", 5)])
def test_the_store_holds_exactly_the_sheets_in_the_line(name, days, monkeypatch):
    # finished goods hold a quarter of a store page before counting, as in the plant (16,384 of 65,536)
    monkeypatch.setattr(endpoints, "FINISHED_BATCH_SHEETS", 1024)
    scenario = load_scenario(SCENARIOS / name)
    horizon_s = days * 86400.0
    plant = build_plant(scenario, np.random.SeedSequence(scenario.seed), horizon_s, 0.0)
    # small pages, so that a short run fills and empties many of them (a few kiln loads each)
    store = plant.stations[0].inbound.store = SheetStore(page_sheets=32768)
    run_plant(plant, horizon_s)
    assert plant.ledger.good_total > 0
    # finished goods hold shipped sheets' rows until they count them (twin.des.endpoints.FinishedGoods)
    assert store.sheets_in_line == plant.sheets_in_line() + plant.finished.held_sheets
    plant.finished.count_held()
    assert plant.finished.held_sheets == 0
    assert store.sheets_in_line == plant.sheets_in_line() == plant.ledger.wip_sheets
    # pages are reused as sheets leave: the store spans the work in progress, not every slot it handed out
    # (to new sheets, and to units moved into one range: SheetStore.relocate)
    assert store.sheets_moved > 0
    assert store.pages_made < store.max_pages_in_use + 2 * FREE_PAGES_KEPT
    # slots come a page at a time, so the last page made may be mostly unused: on the gigafactory's 5 days, whose
    # testers hold each cell 31.5 h (the capacity grading at the rated C/20 charge), few pages are free to reuse
    assert store.slots_made < plant.ledger.started_total + store.sheets_moved + store.page_sheets


def _stub_plant(periods_by_station, shifts, warmup_s=0.0):
    stations = [SimpleNamespace(spec=SimpleNamespace(name=name),
                                active_periods_array=lambda p=periods: np.asarray(p, dtype=float).reshape(-1, 2))
                for name, periods in periods_by_station.items()]
    calendar = SimpleNamespace(starts=[s for s, _ in shifts], ends=[e for _, e in shifts])
    return SimpleNamespace(warmup_s=warmup_s, stations=stations, calendar=calendar)


def test_bottleneck_shares_are_exact_over_event_intervals():
    # shifts [0, 100) and [150, 200); A active [0, 60) and [120, 170); B active [10, 30) and [50, 100).
    # The longest active period wins: A on [0, 60) (length 60 beats B's 20 and 50), B on [60, 100),
    # A on [150, 170) (the in-shift part of its 50 s period). Measured shift time: 150 s.
    plant = _stub_plant({"A": [(0, 60), (120, 170)], "B": [(10, 30), (50, 100)]}, [(0, 100), (150, 200)])
    shares = bottleneck_shares(plant, 200.0)
    assert shares == pytest.approx({"A": 80 / 150, "B": 40 / 150}, rel=1e-12)
    # after a 20 s warm-up only [20, 100) and [150, 200) count: A 40 + 20 s, B 40 s of 130 s
    plant = _stub_plant({"A": [(0, 60), (120, 170)], "B": [(10, 30), (50, 100)]}, [(0, 100), (150, 200)], 20.0)
    assert bottleneck_shares(plant, 200.0) == pytest.approx({"A": 60 / 130, "B": 40 / 130}, rel=1e-12)


def test_bottleneck_shares_see_periods_shorter_than_a_minute_and_ties_go_first_in_route_order():
    # 25 s periods a one-minute grid would miss or count whole; equal lengths: the first station wins
    plant = _stub_plant({"A": [(0, 25)], "B": [(0, 25), (30, 55)]}, [(0, 100)])
    assert bottleneck_shares(plant, 100.0) == pytest.approx({"A": 0.25, "B": 0.25}, rel=1e-12)
    assert bottleneck_shares(_stub_plant({"A": [], "B": []}, []), 100.0) == {"A": 0.0, "B": 0.0}
