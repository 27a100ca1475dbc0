"""Buffers behind the bottleneck (twin.line_buffers): each station drains its buffer at its own pace, a unit that
arrived whole is worked off at that pace, and a kiln's load finished in a stop waits for the shift once.

The case that was wrong: oxide_backfill at a -40 C dew point (round 10) scrapped 5.1 % of its sheets for
interface ASR in evaluate, 1.3 % in the plant (60 d x seeds 1, 2; docs/calibration/buffer_waits.md).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from twin.buffer_levels import full_share, level_fraction
from twin.capacity import station_timings
from twin.line_buffers import BufferWaits, buffered_waits, mean_buffer_waits_s
from twin.scenario import load_scenario
from twin.sheet_exposure import sheet_line_times_s

ROOT = Path(__file__).resolve().parents[2]
BACKFILL = ROOT / "scenarios" / "oxide_backfill.yaml"
MINUS_40 = {"line.zones.dry_room.dew_point_C": -40}


@pytest.fixture(scope="module")
def backfill():
    return load_scenario(BACKFILL, overrides=MINUS_40)


def _empty_buffer(unit_drain_s: float, taken_at_once_s: float, forming_s: float = 0.0):
    """One buffer that is always empty (tilt -inf): only its unit terms are left."""
    one = lambda value: np.array([0.0, value])  # noqa: E731  (the first step has no buffer)
    return BufferWaits(
        full_s=one(1000.0), tilt=one(-math.inf), upstream_unit_s=one(50.0), forming_s=one(forming_s),
        hold_s=one(0.0), load=one(0.5), through_stops=np.array([False, False]), unit_drain_s=one(unit_drain_s),
        taken_at_once_s=one(taken_at_once_s), drain_per_s=one(1.0), stop_pile_s=one(0.0))


@pytest.mark.unit
def test_a_unit_that_arrives_whole_waits_half_its_drain_time_on_average():
    # u sheets arrive together, a one-machine station takes them one by one at d sheets/s: the sheet at place
    # V u (V uniform) waits V u / d, on average u / (2 d) (a fluid unit; u = 2,000, d = 2 /s: 500 s)
    assert mean_buffer_waits_s(_empty_buffer(1000.0, 0.0))[1] == pytest.approx(500.0, rel=1e-15)
    # four idle vacuums take 1,000 sheets each at once: a 2,000-sheet kiln load waits for none of them
    assert mean_buffer_waits_s(_empty_buffer(1000.0, 2000.0))[1] == 0.0
    # a 7,200-sheet lot into 4 x 1,000: the 3,200 beyond them wait (V u - m b) / d, mean (D - A)^2 / (2 D)
    assert mean_buffer_waits_s(_empty_buffer(3600.0, 2000.0))[1] == pytest.approx(1600.0 ** 2 / 7200.0, rel=1e-15)
    # a station that starts on more than comes in waits for it to form: b / (2 r)
    assert mean_buffer_waits_s(_empty_buffer(10.0, 20.0, forming_s=800.0))[1] == pytest.approx(400.0, rel=1e-15)


@pytest.mark.unit
@pytest.mark.parametrize("tilt", [-30.0, -2.0, 0.0, 3.0, 40.0])
def test_the_share_of_time_a_buffer_has_no_room_is_the_tail_of_its_level_law(tilt):
    # P(X > 1 - y) of the truncated exponential, against its own quantiles (a fine midpoint grid of uniforms)
    levels = level_fraction((np.arange(400_000) + 0.5) / 400_000, tilt)
    for room in (0.02, 0.1, 0.5):
        assert full_share(tilt, room) == pytest.approx(np.mean(levels > 1.0 - room), abs=1e-5)
    assert full_share(tilt, 0.0) == 0.0 and full_share(tilt, 1.0) == 1.0


@pytest.mark.unit
def test_in_front_of_the_bottleneck_stations_drain_at_its_pace_and_behind_it_at_their_own(backfill):
    capacity = np.array([t.capacity_sheets_per_hour for t in station_timings(backfill).values()]) / 3600.0
    waits = buffered_waits(backfill)
    names = [step.name for step in backfill.route]
    kilns = names.index("electrolyte_sintering")
    assert kilns == int(np.argmin(capacity))              # the 22 kilns hold the line back
    for k in range(1, kilns + 1):                        # the casters are blocked through full buffers
        assert waits.drain_per_s[k] == capacity[k:].min()
    assert waits.tilt[kilns] > 50.0                        # the kilns' buffer runs full
    for k in range(kilns + 1, len(names)):               # never faster than the station, never slower than
        assert min(capacity[k], waits.drain_per_s[min(k + 1, len(names) - 1)]) - 1e-12 <= waits.drain_per_s[k]
        assert waits.drain_per_s[k] <= capacity[k] * (1 + 1e-12)   # the pace it is blocked to
    # the polymer backfill (7,937 sheets/h, twice the line's 3,718) is almost never blocked: the inspection
    # behind it is as fast and empty; so its buffer runs nearly empty where the slowest capacity downstream
    # (the cathode casters', 4,221) said a third full
    backfill_step = names.index("polymer_backfill")
    assert waits.drain_per_s[backfill_step] == pytest.approx(capacity[backfill_step], rel=1e-3)
    assert waits.tilt[backfill_step] < -10.0


@pytest.mark.unit
def test_the_draws_hold_the_mean_law_in_every_buffer_of_the_window(backfill):
    # no stop at all (3 x 8 h, 7 days, no holiday): scheduled time is calendar time, and each drawn step's
    # mean is mean_buffer_waits_s + hold (4 standard errors of the plain mean; the draws are stratified)
    always = load_scenario(BACKFILL, overrides={**MINUS_40, "line.shifts.holidays_per_year": 0})
    waits = buffered_waits(always)
    times = sheet_line_times_s(always, 40_000, np.random.default_rng(7), 500)
    steps = np.diff(times, axis=0)
    expected = (mean_buffer_waits_s(waits) + waits.hold_s)[1:]
    names = [step.name for step in always.route]
    for k in range(names.index("electrolyte_sintering"), names.index("li_lamination")):
        error = steps[k].std() / math.sqrt(steps[k].size)
        assert steps[k].mean() == pytest.approx(expected[k], abs=4 * error + 1e-6), names[k + 1]


@pytest.mark.unit
def test_a_load_fired_into_a_holiday_waits_for_the_shift_once(backfill):
    # the kilns fire 41.9 ks through a holiday (24 h): a load t into it is ready when the shift comes back,
    # D - t later, and waits its place in the pile the 22 kilns left, (t / hold) m u / d; so after the kiln no
    # sheet waits the holiday and the firing's part in it too (before round 11: D + its scheduled wait)
    waits = buffered_waits(backfill)
    names = [step.name for step in backfill.route]
    kiln = names.index("electrolyte_sintering")
    times = sheet_line_times_s(backfill, 40_000, np.random.default_rng(11), 500)
    after = times[kiln + 1] - times[kiln]
    scheduled_most = waits.full_s[kiln + 1] + waits.upstream_unit_s[kiln + 1] + waits.hold_s[kiln + 1]
    pile_most = waits.stop_pile_s[kiln]
    assert pile_most < waits.hold_s[kiln]
    assert after.max() <= 86400.0 + scheduled_most + 1e-6
    # a holiday is waited here by the loads finished in it (25 holidays x the firing's 41.9 ks in 340 days:
    # 3.6 % of the sheets) and by the sheets it catches in this step's own wait and hold; the rest wait no
    # more than a full buffer and a unit
    caught = after > scheduled_most + 1e-6
    own = (mean_buffer_waits_s(waits) + waits.hold_s)[kiln + 1]
    share = 25 * (waits.hold_s[kiln] + own) / (340 * 86400.0)
    assert np.mean(caught) == pytest.approx(share, abs=4 * math.sqrt(share * (1 - share) / after.size))
    # but few of them wait more than a day: a load finished t into the holiday waits D - t + its place in the
    # pile (less than t). The plant: 0.34 % of the sheets (60 d x seeds 1, 2); the law before round 11 had
    # every caught sheet wait D and its own wait, 3.7 %
    assert np.mean(after > 86400.0) < 0.01


@pytest.mark.component
def test_evaluate_agrees_with_the_plant_behind_the_kilns_of_oxide_backfill(backfill):
    from tests.twin.plant_buffer_waits import measure_plant, weighted_mean
    from twin.evaluate import evaluate_scenario

    # 29 measured days (2 of the 25 holidays), one seed, ~5 s of CPU
    waits, _, kpis = measure_plant(backfill, 29.0, seed=1)
    assert kpis["measured"]["scheduled_hours"] == 27 * 24
    plant = np.array([weighted_mean(w.waits, w.counts) for w in waits])
    model = mean_buffer_waits_s(buffered_waits(backfill))[1:]
    at = {step.name: k for k, step in enumerate(backfill.route[1:])}
    # in front of the backfill vacuums and its inspection, twice the line's pace: plant 0.7 and 0.8 ks (29 d,
    # seeds 1-3: 0.7 / 0.5-0.8), the law 0.6 / 0.6 ks; before round 11 it drained them at the cathode
    # casters' pace and said 6.9 / 2.7 ks (60 d x seeds 1, 2: plant 0.8 / 0.8)
    for name in ("polymer_backfill", "backfill_inspection"):
        assert model[at[name]] == pytest.approx(plant[at[name]], abs=0.5e3), name
    # from the kilns to the laminator, where the scaffold collects its dose: plant 26.0 ks, the law 22.8 ks
    # (before: 50.5 ks)
    window = [at[name] for name in ("scaffold_inspection", "polymer_backfill", "backfill_inspection",
                                    "cathode_casting", "cathode_drying", "li_lamination")]
    assert model[window].sum() == pytest.approx(plant[window].sum(), rel=0.25)
    # the scrap: the plant's 29-day runs spread 0.25 % (seeds 1-3: 1.13, 1.15, 1.57 %), evaluate's 3,000
    # sheets 0.21 % (binomial at 1.3 %): 3 combined standard errors. Before round 11: 5.75 % against 1.13 %
    steady = evaluate_scenario(backfill)
    scrap = steady["yield"]["scrap_by_cause"]["high_interface_asr"]
    plant_scrap = kpis["yield"]["scrap_by_cause"]["high_interface_asr"]
    assert scrap == pytest.approx(plant_scrap, abs=3 * math.hypot(0.0025, 0.0021))
    assert steady["yield"]["overall"] == pytest.approx(kpis["yield"]["overall"], abs=0.01)
