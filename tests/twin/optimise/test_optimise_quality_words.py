"""What optimise tells the user about quality: specs judged per sheet (the out-of-spec share by the scrap causes'
own test, the worst 1 % sheet), the sheet-yield re-run's interval and evaluate's figure against it, and what
became of the recipe candidates (kept, tied, beaten, below the margin)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from tests.twin.optimise.conftest import small_problem
from twin.commands.optimise_wording import candidates_row, choice_words, margin_words, sheet_yield_words, spec_row
from twin.optimise.design_report import design_specs, sheet_yield_interval, tightest_spec, wilson_interval
from twin.optimise.problem import DecisionGroup, StageData
from twin.optimise.pruning import prune_problem
from twin.optimise.recipe_choice import group_choice
from twin.quality_checkpoints import quality_at_checks, spec_tail
from twin.scenario import load_scenario
from twin.sheet_batch import SHEET_STATE_FIELDS, SheetBatch

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(ROOT / "scenarios" / "oxide_baseline.yaml")


@pytest.mark.unit
def test_the_out_of_spec_share_and_tail_are_counted_per_sheet(baseline):
    # 20 seeded sheets at the electrolyte inspection: exactly the sheets past a limit are out of spec, whatever
    # the mean says
    check = baseline.step("electrolyte_inspection")
    rng = np.random.default_rng(3)
    batch = SheetBatch.new(20)
    values = batch.values
    density = rng.uniform(0.90, 0.99, 20)
    values[SHEET_STATE_FIELDS.index("relative_density")] = density
    values[SHEET_STATE_FIELDS.index("li_loss_fraction")] = 0.01
    values[SHEET_STATE_FIELDS.index("electrolyte_thickness_m")] = baseline.cell.electrolyte.thickness_um * 1e-6
    block = quality_at_checks(baseline, {check.name: (batch.alive, values)})[check.name]["relative_density"]
    below = int(np.count_nonzero(density < check.min_relative_density))
    assert 0 < below < 20 and np.mean(density) > check.min_relative_density   # the mean sheet passes
    assert block["out_of_spec_fraction"] == below / 20
    assert block["tail_value"] == pytest.approx(np.percentile(density, 1.0), rel=1e-15)
    limit = check.min_relative_density
    assert block["tail_margin"] == pytest.approx((np.percentile(density, 1.0) - limit) / limit, rel=1e-12)
    assert block["tail_margin"] < 0        # more than 1 % of the sheets are out
    # a sheet exactly at the limit is in spec (the spec fails below a minimum): the share does not count it
    values[SHEET_STATE_FIELDS.index("relative_density")] = limit
    at_limit = quality_at_checks(baseline, {check.name: (batch.alive, values)})[check.name]["relative_density"]
    assert at_limit["out_of_spec_fraction"] == 0.0 and at_limit["tail_margin"] == 0.0


@pytest.mark.unit
def test_the_tail_of_a_maximum_is_its_p99_and_nan_is_left_out():
    values = np.array([*np.arange(1.0, 100.0), math.nan])
    tail = spec_tail(values, 50.0, "max")
    assert tail["tail_value"] == pytest.approx(np.percentile(np.arange(1.0, 100.0), 99.0), rel=1e-15)
    assert tail["tail_margin"] == pytest.approx((50.0 - tail["tail_value"]) / 50.0, rel=1e-15)
    assert spec_tail(np.array([math.nan]), 5.0, "max") == {"tail_value": None, "tail_margin": None}


@pytest.mark.unit
def test_the_tightest_spec_is_the_one_that_puts_most_sheets_out():
    # the pilot's reading: a +64 % mean margin to the interface ASR, yet 7.2 % of sheets past it
    asr = {"check": "cell_inspection", "spec": "max_electrolyte_asr_ohm_cm2", "out_of_spec_fraction": 0.0,
           "tail_margin": 0.59}
    interface = {"check": "cell_inspection", "spec": "max_interface_asr_ohm_cm2", "out_of_spec_fraction": 0.0716,
                 "tail_margin": -1.18}
    assert tightest_spec([asr, interface]) is interface
    # none out of spec: the one whose worst 1 % sheet is closest; an unmeasured tail comes last
    near = dict(asr, tail_margin=0.02, spec="min_relative_density")
    unmeasured = dict(asr, tail_margin=None, spec="max_li_loss_fraction")
    assert tightest_spec([asr, unmeasured, near]) is near
    assert tightest_spec([]) is None


@pytest.mark.unit
def test_the_specs_of_a_span_are_evaluates_figures(baseline):
    names = [step.name for step in baseline.route]
    span = (names.index("electrolyte_sintering"), names.index("electrolyte_inspection"))
    entry = {"mean": 0.95, "p5": 0.94, "p50": 0.95, "p95": 0.96, "limit": 0.93, "sense": "min",
             "out_of_spec_fraction": 0.004, "sheets_measured": 3000, "tail_value": 0.935, "tail_margin": 0.0054}
    specs = design_specs(baseline, span, {"electrolyte_inspection": {"relative_density": entry}})
    assert specs == [{"check": "electrolyte_inspection", "spec": "min_relative_density", "key": "relative_density",
                      "limit": 0.93, "sense": "min", "out_of_spec_fraction": 0.004, "tail_value": 0.935,
                      "tail_margin": 0.0054, "sheets_measured": 3000, "p50": 0.95}]
    # a span without a check has no spec
    assert design_specs(baseline, (span[0], span[0]), {"electrolyte_inspection": {"relative_density": entry}}) == []
    assert margin_words("electrolyte_sintering", {"tightest_spec": specs[0]}) == (
        "electrolyte_sintering: min_relative_density at electrolyte_inspection, 0.40% of sheets out, worst 1% "
        "0.935 vs 0.93 (+0.5% of the limit)")
    assert margin_words("li_lamination", {"tightest_spec": None}) == "li_lamination: no spec measured at its checks"
    assert spec_row({"key": "electrolyte_thickness_deviation_fraction", "limit": 0.15, "sense": "max",
                     "tail_value": 0.145, "tail_margin": 1 / 30, "out_of_spec_fraction": 0.0077}) == (
        "thickness_deviation_fraction", "<= 0.15", "0.145", "+3.3%", "0.77%")


@pytest.mark.unit
def test_the_wilson_interval():
    # Wilson (1927): 0 of 10 -> [0, 0.2775]; 190 of 200 -> centre (190 + 1.92) / 203.84
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.27753, abs=1e-5)
    low, high = wilson_interval(190, 200)
    z2 = 1.959963984540054 ** 2
    half = 1.959963984540054 / (200 + z2) * math.sqrt(190 * 10 / 200 + z2 / 4)
    assert (low, high) == pytest.approx(((190 + z2 / 2) / (200 + z2) - half, (190 + z2 / 2) / (200 + z2) + half),
                                        rel=1e-14)
    # every share lies inside its own interval, which lies inside [0, 1]
    for kept in range(201):
        low, high = wilson_interval(kept, 200)
        assert 0.0 <= low <= kept / 200 <= high <= 1.0
    with pytest.raises(ValueError, match="kept: 201"):
        wilson_interval(201, 200)


@pytest.mark.unit
def test_the_sheet_yield_rerun_says_whether_evaluate_lies_inside_its_interval():
    inside = sheet_yield_interval(0.95, 200, 0.916)
    assert inside["sheets_kept_whole"] == 190 and inside["sheets_started"] == 200
    assert inside["sheet_yield_ci95_low"] <= 0.95 <= inside["sheet_yield_ci95_high"]
    assert inside["evaluate_within"] is True
    outside = sheet_yield_interval(0.95, 200, 0.85)
    assert outside["evaluate_within"] is False
    rerun, against = sheet_yield_words({**outside, "sheet_yield_physics": 0.95, "sheet_yield_milp": 0.9183})
    assert rerun == "95.00% of 200 (91.04%-97.26%)"
    assert against == "evaluate 85.00% (OUTSIDE); MILP 91.83%"


def _with_ties(problem):
    """group_1 of the small problem with 5 candidates: 1 and 4 equal to 0 on every count, 3 below the margin."""
    group = problem.groups[1]
    stage = problem.stages[3]
    order = [0, 1, 2, 0, 0]
    pick = np.array(order)
    stage = StageData(**{**stage.__dict__, **{name: getattr(stage, name)[pick] for name in (
        "yield_fraction", "machine_hours_per_sheet", "variable_cost_usd_per_sheet", "energy_kWh_per_sheet")}})
    margin = np.asarray(group.quality_margin)[pick].copy()
    margin[[1, 2, 3, 4]] = [margin[0], 0.5, -0.2, margin[0]]
    # candidate 1 is a copy of 0 too, but for its margin: 0's with 1 beaten only if it is also worse elsewhere
    stage.yield_fraction[1] = stage.yield_fraction[0] * 0.9
    recipes = [{"step_3.pressure_MPa": float(p)} for p in (3, 1, 2, 5, 4)]
    groups = [problem.groups[0], DecisionGroup(name=group.name, step_names=group.step_names, span=group.span,
                                               recipes=recipes, quality_margin=margin)]
    stages = [*problem.stages[:3], stage, *problem.stages[4:]]
    return type(problem)(**{**problem.__dict__, "stages": stages, "groups": groups})


@pytest.mark.unit
def test_the_candidates_account_tells_ties_from_beaten():
    problem = _with_ties(small_problem(np.random.default_rng(5)))
    problem = type(problem)(**{**problem.__dict__, "min_quality_margin": 0.0})
    group = problem.groups[1]
    assert group.quality_margin[0] >= 0.0          # the seeded figures leave candidate 0 usable
    _, kept = prune_problem(problem)
    chosen = 0
    assert chosen in kept[1]
    account = group_choice(problem, 1, kept[1], chosen)
    # 5 swept: 3 below the margin; 4 equal to 0 on every count (dropped as a duplicate); 1 beaten (less yield)
    assert account["swept"] == 5
    assert account["below_required_margin"] == 1
    assert account["tied"] == 1
    assert account["kept"] + account["tied"] + account["beaten"] + account["below_required_margin"] == 5
    assert account["chosen_recipe"] == {"step_3.pressure_MPa": 3.0}
    assert account["chosen_ties"] == [{"step_3.pressure_MPa": 4.0}]
    assert candidates_row(account) == (f"5 swept, {account['kept']} kept (1 tied, {account['beaten']} beaten, "
                                       "1 below the margin)")
    words = choice_words("group_1", account, "min_cost")
    assert "1 other tied with it on every count (pressure_MPa 3, 4) look the same to the MILP" in words
    assert "which is written is the sweep's order, not the physics" in words


@pytest.mark.unit
def test_the_json_keys_are_documented():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for key in ("tail_value", "tail_margin", "recipe_choice", "chosen_ties", "below_required_margin",
                "sheet_yield_ci95_low", "evaluate_within", "mean_sheet", "sheets_kept_whole"):
        assert re.search(rf"\b{key}\b", text), key
