"""Each sheet's own wait before the Li lamination in the evaluation's sample (twin.sheet_exposure).

The plant (twin.des) gives every sheet its own time between the electrolyte's last cleaning firing and the
laminator, and the sheets that sit in the dry room over a plant holiday fail ``high_interface_asr`` at the
cell inspection; a mean wait never reaches that threshold. These tests pin the per-sheet model: its mean is
the steady one (stretched by the calendar's stops), its tail is the share of sheets a stop catches,
and the evaluation's yield agrees with the plant's.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from twin import sheet_calendar
from twin.evaluate import evaluate_scenario
from twin.scenario import load_scenario
from twin.sheet_exposure import buffer_waits, calendar_time_s, sheet_line_times_s, steady_line_times_s

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "oxide_baseline.yaml"
GIGAFACTORY = ROOT / "scenarios" / "gigafactory.yaml"
SHEETS = 40_000
DAY_S = 86400.0


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE)


def _lamination_index(scenario) -> int:
    return [step.name for step in scenario.route].index("li_lamination")


def _lamination_waits(scenario, sheets=SHEETS, seed=5):
    """Each sheet's time from the cathode firing (the last step that cleans the garnet) to the laminator [s],
    and the steady (mean, scheduled) one."""
    lamination = [step.name for step in scenario.route].index("li_lamination")
    times = sheet_line_times_s(scenario, sheets, np.random.default_rng(seed), 500)
    steady = steady_line_times_s(scenario)
    return times[lamination] - times[lamination - 1], steady[lamination] - steady[lamination - 1]


@pytest.mark.unit
def test_without_stops_the_mean_wait_is_the_steady_one(baseline):
    # a round-the-clock calendar with no holiday: the scheduled wait is the calendar wait
    always = load_scenario(BASELINE, overrides={"line.shifts.holidays_per_year": 0})
    waits, steady = _lamination_waits(always)
    # the draw's own error (plain Monte Carlo's; stratified draws spread less): 4 standard errors
    assert waits.mean() == pytest.approx(steady, abs=4 * waits.std() / math.sqrt(waits.size))
    # the buffer's level spans empty to full: one laminator cycle (6,900 s) up to a full buffer more
    assert waits.min() >= 6900.0 - 1e-6
    assert waits.max() <= steady + (steady - 6900.0) + 1e-6
    assert waits.max() < DAY_S  # no stop to wait over


@pytest.mark.unit
def test_stops_stretch_the_mean_wait_by_calendar_over_scheduled_time(baseline):
    waits, steady = _lamination_waits(baseline)
    # 3 x 8 h, 7 days a week, 25 holidays: 365 calendar days hold 340 scheduled days; a uniform phase of the
    # year meets each stop in proportion to the scheduled wait, so the mean wait is stretched by 365/340.
    # The cathode kiln fires through a holiday: a holiday that starts in its firing (hold h, probability
    # h x 25 / 340 d) is waited here from the load's finish, D - t for a load t into it, t uniform on [0, h],
    # plus the sheet's place in the pile all the kiln's machines left, (t / h) P: D - (h - P) / 2 on average
    law = buffer_waits(baseline)
    kiln = _lamination_index(baseline) - 1
    hold, pile = law.hold_s[kiln], law.stop_pile_s[kiln]
    assert 0.0 < pile < hold    # the laminators take the kilns' trays faster than the kilns fire them
    expected = steady * 365.0 / 340.0 + hold * 25.0 / (340.0 * DAY_S) * (DAY_S - (hold - pile) / 2.0)
    assert waits.mean() == pytest.approx(expected, abs=4 * waits.std() / math.sqrt(waits.size))


@pytest.mark.unit
def test_the_share_of_sheets_a_holiday_catches_is_the_wait_over_the_holiday_spacing(baseline):
    waits, steady = _lamination_waits(baseline)
    # a stop starts inside a sheet's scheduled wait w with probability w x 25 / (340 days): E[w] = steady
    # (0.0086 with the M/M/1/K's empty buffer; the laminator's breakdowns fill it a little: 0.0089), or
    # inside the cathode kiln's firing h (1,204.5 s), which goes on through the holiday and leaves the sheet
    # waiting in front of the laminator
    law = buffer_waits(baseline)
    kiln = _lamination_index(baseline) - 1
    kiln_hold = law.hold_s[kiln]
    assert kiln_hold == pytest.approx(1204.5, abs=0.5)
    assert steady * 25.0 / (340.0 * DAY_S) == pytest.approx(0.0089, abs=0.0002)   # the ~1 % of the plant
    expected = (steady + kiln_hold) * 25.0 / (340.0 * DAY_S)
    caught = np.count_nonzero(waits > DAY_S) / waits.size
    assert caught == pytest.approx(expected, abs=4 * math.sqrt(expected * (1 - expected) / waits.size))
    # the caught sheets wait the 24 h holiday on top of their own wait (the laminator's 6,900 s at least),
    # less the part of the kiln's firing that ran in the holiday, at most its hold less the pile's share
    assert waits[waits > DAY_S].min() >= DAY_S + 6900.0 - (kiln_hold - law.stop_pile_s[kiln]) - 1e-6


@pytest.mark.unit
def test_calendar_time_skips_the_weekend():
    scenario = load_scenario(BASELINE, overrides={"line.shifts.shifts_per_day": 1, "line.shifts.days_per_week": 5,
                                                  "line.shifts.holidays_per_year": 0})
    # day 0 is a Monday; one 8 h shift a day from 00:00: 40 scheduled hours end Friday 08:00, the next
    # scheduled second is Monday 00:00:01 of the second week
    got = calendar_time_s(scenario, np.array([3600.0, 8 * 3600.0 + 1.0, 40 * 3600.0 + 1.0]))
    assert got.tolist() == [3600.0, DAY_S + 1.0, 7 * DAY_S + 1.0]


@pytest.mark.unit
@pytest.mark.parametrize("shifts", [(3, 7, 25), (2, 5, 10), (1, 5, 0), (1, 7, 0), (3, 5, 25)])
def test_the_span_look_up_gives_the_binary_search_s_counts(shifts):
    # calendar_time_s finds each instant's working span by a grid look-up (twin.sheet_calendar._span_lookup):
    # the same integers as np.searchsorted(before, t, side="right"), at and next to every span start too
    per_day, per_week, holidays = shifts
    _, before, year_s = sheet_calendar._shift_calendar(per_day, 8.0, per_week, holidays)
    lookup = sheet_calendar._shift_span_lookup(per_day, 8.0, per_week, holidays)
    assert lookup is not None
    rng = np.random.default_rng(7)
    instants = np.concatenate([rng.random(100_000) * year_s * 3.2, before, np.nextafter(before, -np.inf),
                               np.nextafter(before, np.inf), [0.0, -1.0, 1e12]])
    expected = np.searchsorted(before, instants, side="right")
    assert np.array_equal(sheet_calendar._spans_at_or_before(before, lookup, instants), expected)
    # a NaN is put after every span start, as the search does
    assert sheet_calendar._spans_at_or_before(before, lookup, np.array([np.nan]))[0] == before.size


@pytest.mark.component
def test_a_longer_buffer_before_the_laminator_scraps_more_only_when_the_laminator_holds_the_line_back():
    # the same seed draws the same buffer levels and phases: each sheet's wait grows with the buffer
    def asr_scrap(sizes, machines):
        return [evaluate_scenario(load_scenario(BASELINE, overrides={
            "line.buffers.before.li_lamination": size, "line.stations.li_lamination.machines": machines}))
            ["yield"]["scrap_by_cause"]["high_interface_asr"] for size in sizes]

    # two laminators (6,885 sheets/h) behind the 3,780 sheets/h kilns: their buffer holds what the laminators'
    # breakdowns leave, an exponential level of mean sigma^2 / (2 |mu|) whatever its size once it is much
    # larger (reflected Brownian motion): the same mean wait, only the rare deep excursions grow
    behind = asr_scrap((4000, 40000), 2)
    assert 0.0 < behind[0] <= behind[1]
    # one laminator (3,442 sheets/h) is the bottleneck: the buffer in front of it runs full, and a longer one
    # holds each sheet longer in the dry room after its cathode firing
    in_front = asr_scrap((4000, 20000, 40000), 1)
    assert in_front == sorted(in_front)
    assert behind[1] < in_front[0] < in_front[-1]
    assert behind[1] - behind[0] < 0.1 * (in_front[-1] - in_front[0])
    # without the plant holidays no sheet of the empty buffer waits long enough to fail
    no_holiday = evaluate_scenario(load_scenario(BASELINE, overrides={"line.shifts.holidays_per_year": 0}))
    assert no_holiday["yield"]["scrap_by_cause"]["high_interface_asr"] == 0.0


# The plant's yield of oxide_baseline over 29 measured days, 3 replications, seed 1 (2 holidays in the window,
# the year's share): `ssb-twin simulate scenarios/oxide_baseline.yaml --days 29 --replications 3 --seed 1
# --workers 1` gave 0.8140 +- 0.0034 (95 %, t with 2 degrees of freedom), high_interface_asr 0.89 %. Measured
# rather than run here: the run takes ~40 s of CPU; the gigafactory below is run live.
BASELINE_PLANT_YIELD = (0.8140, 0.0034 / 4.303)


def _simulated_yield(path: Path) -> tuple[float, float]:
    """(mean overall yield, its standard error) of the plant over 29 measured days, 2 replications, seed 1."""
    from twin.des import simulate

    # 29 measured days after the warm-up hold 2 of the calendar's 25 holidays a year (29 x 25 / 365 = 1.99):
    # a window with the year's share of stops, so the plant's figure estimates the year's
    result = simulate(load_scenario(path), 29.0, replications=2, seed=1, workers=1)
    interval = result["confidence_intervals"]["yield.overall"]
    assert result["measured"]["scheduled_hours"] == 27 * 24   # the two holidays are in the window
    return interval["mean"], interval["half_width"] / 12.706   # t(0.975, 1 degree of freedom)


def _assert_agree(steady: dict, plant_mean: float, plant_error: float) -> None:
    combined = math.hypot(steady["sampling_error"]["yield_overall"]["standard_error"], plant_error)
    # printed errors (evaluate: 6 blocks of the sample; the plant: its replications); 3 combined standard errors
    assert abs(steady["yield"]["overall"] - plant_mean) < 3 * combined
    # the tail is in the sample: high_interface_asr of the same order as the plant's (0.7-0.9 %)
    assert steady["yield"]["scrap_by_cause"]["high_interface_asr"] > 0.004


@pytest.mark.component
def test_evaluate_yield_agrees_with_the_measured_plant_yield_of_the_baseline(baseline):
    _assert_agree(evaluate_scenario(baseline), *BASELINE_PLANT_YIELD)


@pytest.mark.integration
def test_evaluate_yield_agrees_with_the_plant_within_sampling_error_on_the_gigafactory():
    _assert_agree(evaluate_scenario(load_scenario(GIGAFACTORY)), *_simulated_yield(GIGAFACTORY))


def _model_mean_waits_s(scenario) -> np.ndarray:
    """The evaluation's mean wait in each buffer (scheduled time, the station's hold excluded) [s]."""
    from twin.line_buffers import mean_buffer_waits_s
    from twin.sheet_exposure import buffer_waits

    return mean_buffer_waits_s(buffer_waits(scenario))[1:]


@pytest.mark.component
def test_each_buffer_waits_as_long_as_in_the_plant_in_front_of_and_behind_the_bottleneck():
    from tests.twin.plant_buffer_waits import measure_plant, weighted_mean

    # 5 days after a 2-day warm-up, one seed, ~3 s of CPU; no holiday (3 x 8 h, 7 days: then no stop at all,
    # scheduled time is calendar time). The kilns (3,780 sheets/h) hold back the casters (6,907): the drying
    # and kiln buffers run full; the laminators (6,885) wait only for their roll to form.
    baseline = load_scenario(BASELINE, overrides={"line.shifts.holidays_per_year": 0})
    waits, _, kpis = measure_plant(baseline, 5.0, seed=1, warmup_days=2.0)
    assert kpis["measured"]["scheduled_hours"] == 5 * 24
    plant = np.array([weighted_mean(w.waits, w.counts) for w in waits])
    model = _model_mean_waits_s(baseline)
    names = [step.name for step in baseline.route][1:]
    at = {name: k for k, name in enumerate(names)}
    # measured 60 d x 3 seeds (benchmarks/bench_buffer_waits.py): drying 39.0 ks, kilns 24.9 ks, laminators
    # 3.4 ks; the model: 31.7, 25.4, 3.2 ks (the casters' second blocked roll is not in it: -19 % at drying)
    assert model[at["electrolyte_drying"]] == pytest.approx(plant[at["electrolyte_drying"]], rel=0.25)
    assert model[at["electrolyte_sintering"]] == pytest.approx(plant[at["electrolyte_sintering"]], rel=0.15)
    assert model[at["li_lamination"]] == pytest.approx(plant[at["li_lamination"]], rel=0.15)
    # from the caster to the kilns, where the electrolyte's exposure starts: within 15 %, where the uniform
    # level of every buffer (half full) gave 45 % of the plant's wait
    upstream = [at["electrolyte_drying"], at["electrolyte_sintering"]]
    assert model[upstream].sum() == pytest.approx(plant[upstream].sum(), rel=0.15)
    # behind the kilns the cathode firing's buffer is empty in both (a tray of 100 sheets at a time)
    assert model[at["cathode_sintering"]] < 0.1 * plant[at["electrolyte_sintering"]]
    assert plant[at["cathode_sintering"]] < 0.1 * plant[at["electrolyte_sintering"]]


@pytest.mark.component
def test_on_the_near_balanced_gigafactory_the_diffusion_law_waits_closer_to_the_plant_than_the_mm1k():
    from tests.twin.plant_buffer_waits import measure_plant, weighted_mean
    from twin.buffer_levels import load_tilt
    from twin.capacity import station_timings
    from twin.line_buffers import mean_buffer_waits_s
    from twin.sheet_exposure import buffer_waits

    # casting 2,160, kilns 2,073, cathode spray 2,017 sheets/h: within 7 %. 10 days after a 2-day warm-up, one
    # seed, no holiday, ~1.5 s of CPU (seed 2 gives 35.7 ks where seed 1 gives 31.2 ks below). The 32 spray booths
    # the library's gigafactory had before round 10 (it now has 33 for its target): this line is the test bed
    giga = load_scenario(GIGAFACTORY, overrides={"line.shifts.holidays_per_year": 0,
                                                 "line.stations.cathode_spray.machines": 32})
    waits, _, _ = measure_plant(giga, 10.0, seed=1, warmup_days=2.0)
    plant = np.array([weighted_mean(w.waits, w.counts) for w in waits])
    diffusion = _model_mean_waits_s(giga)
    # the round-8 law: the M/M/1/K at the buffer's load, K ln(rho), every buffer up to the spray full
    law = buffer_waits(giga)
    rate = min(t.capacity_sheets_per_hour for t in station_timings(giga).values()) / 3600.0
    tilt = [load_tilt(load, full * rate) if full > 0 else 0.0 for load, full in zip(law.load, law.full_s, strict=True)]
    mm1k = mean_buffer_waits_s(dataclasses.replace(law, tilt=np.array(tilt)))[1:]
    at = {step.name: k for k, step in enumerate(giga.route[1:])}
    upstream = [at[name] for name in ("electrolyte_drying", "electrolyte_sintering", "electrolyte_inspection",
                                      "cathode_spray")]
    # from the caster to the spray: plant 31.2 ks, diffusion 37.6 ks, M/M/1/K 48.0 ks
    assert diffusion[upstream].sum() == pytest.approx(plant[upstream].sum(), rel=0.25)
    assert abs(diffusion[upstream].sum() - plant[upstream].sum()) < 0.5 * abs(mm1k[upstream].sum()
                                                                             - plant[upstream].sum())
    # the spray's own buffer wanders between empty and full: plant 6.0 ks, diffusion 9.0 ks, M/M/1/K 14.2 ks
    spray = at["cathode_spray"]
    assert abs(diffusion[spray] - plant[spray]) < 0.5 * abs(mm1k[spray] - plant[spray])
    # behind the spray the law over-fills (QNA reads 32 fixed-time booths' rolls as nearly Poisson, the plant's
    # are regular): the laminators' buffer 6.0 ks against 2.6 ks (docs/calibration/buffer_waits.md); 6.7 ks
    # since the end-of-line tester also grades capacity on 14 testers at 94 % load, near-balanced with the spray
    assert plant[at["li_lamination"]] < diffusion[at["li_lamination"]] < 2.75 * plant[at["li_lamination"]]
