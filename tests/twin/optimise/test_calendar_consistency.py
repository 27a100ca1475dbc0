"""The optimiser prices a design with yields evaluated on the shift calendar the design runs, and says so
plainly when evaluate of its design does not reproduce the MILP's figures."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
import yaml

from twin.cli import main
from twin.optimise import calendar as calendar_module
from twin.optimise import optimiser
from twin.optimise.coefficients import ProblemBuild
from twin.optimise.design import recheck_verdict


def _compared(within: bool, tolerance: float | None = 0.01) -> dict:
    return {"milp": 0.9, "evaluate": 0.9 if within else 0.8, "difference": 0.0 if within else -0.1,
            "tolerance": tolerance, "within": within}


@pytest.mark.unit
def test_an_outside_recheck_is_not_trustworthy_and_names_the_figure():
    verdict = recheck_verdict({"overall_yield": _compared(False), "wh_per_sheet_started": _compared(True)})
    assert verdict["trustworthy"] is False
    assert verdict["outside"] == ["overall_yield"]
    assert "NOT TRUSTWORTHY" in verdict["message"] and "overall yield" in verdict["message"]
    assert "not a recommendation" in verdict["message"]


@pytest.mark.unit
def test_a_recheck_within_tolerance_or_without_one_is_trustworthy():
    assert recheck_verdict({"overall_yield": _compared(True),
                            "wh_per_sheet_started": _compared(True)})["trustworthy"] is True
    # no sampling error to compare with: nothing is known to be outside
    assert recheck_verdict({"overall_yield": _compared(False, None),
                            "wh_per_sheet_started": _compared(False, None)})["trustworthy"] is True


def _calendar(per_day: int, per_week: int) -> SimpleNamespace:
    return SimpleNamespace(line=SimpleNamespace(shifts=SimpleNamespace(shifts_per_day=per_day,
                                                                       days_per_week=per_week)))


@pytest.mark.unit
def test_a_cycling_calendar_choice_ends_on_a_design_priced_with_its_own_calendar(make_problem, monkeypatch):
    """Built on 3x7 the MILP wants 2x5, built on 2x5 it wants 3x7 (a cycle): each pattern is then solved on its
    own yields with the pattern fixed, and the cheaper of those two self-consistent designs is taken."""
    on_3x7 = make_problem(np.random.default_rng(7), patterns=2)
    on_2x5 = make_problem(np.random.default_rng(7), patterns=2)
    # plant fixed costs that flip the preferred pattern with the calendar the problem was built on
    on_3x7.plant_fixed_usd_per_year = np.array([2e8, 0.0])
    on_2x5.plant_fixed_usd_per_year = np.array([0.0, 1e8])
    built = []

    def build_problem(scenario):
        shifts = scenario.line.shifts
        built.append((shifts.shifts_per_day, shifts.days_per_week))
        problem = on_3x7 if (shifts.shifts_per_day, shifts.days_per_week) == (3, 7) else on_2x5
        return ProblemBuild(problem=problem, candidate_steps=[], pattern_scenarios=[])

    monkeypatch.setattr(calendar_module, "build_problem", build_problem)
    monkeypatch.setattr(calendar_module, "with_pattern", lambda _s, p: _calendar(p.shifts_per_day, p.days_per_week))
    scenario = _calendar(3, 7)
    first = build_problem(scenario)
    kept = [np.arange(g.candidates) for g in first.problem.groups]
    builds = {"first": (first, first.problem, kept, 0.0)}
    build, problem, _, found, calendar = calendar_module.calendar_consistent_solve(scenario, builds, {}, "min_cost",
                                                                             prune=False)
    assert found["outcome"].optimal
    assert built == [(3, 7), (2, 5)]           # each calendar's candidates evaluated once
    assert build.problem is on_2x5 and found["design"].pattern == 1
    assert calendar == {"yields_evaluated_on": ["3x8h, 7 d/wk", "2x8h, 5 d/wk"], "consistent": True}


@pytest.mark.integration
def test_pilot_line_max_output_prices_its_seven_day_calendar(tmp_path, capsys):
    """The pilot line runs 2 x 8 h, 5 d/wk; its max-output design runs 3 x 8 h, 7 d/wk. Priced with the 5-day
    calendar's dry-room waits the MILP promised 87.09 % against evaluate's 94.40 % (OUTSIDE +-1.09 %); with
    the chosen calendar's yields both figures must lie within evaluate's sampling error."""
    document = yaml.safe_load(open("scenarios/pilot_line.yaml", encoding="utf-8"))
    document["optimisation"].update({
        "sintering_peak_temperature_C": {"min": 1100, "max": 1150, "points": 2},
        "sintering_hold_time_min": {"min": 30, "max": 90, "points": 2},
        "li_excess_li2co3_wt_fraction": {"min": 0.0, "max": 0.0, "points": 1},
        "lamination_pressure_MPa": {"min": 6, "max": 10, "points": 2},
        "shift_patterns": [[2, 5], [3, 7]],
    })
    path = tmp_path / "pilot.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    out = tmp_path / "result.json"
    with pytest.raises(SystemExit) as exit_info:
        main(["optimise", str(path), "--objective", "max_output", "--no-twin-check", "--json", str(out)])
    result = json.loads(out.read_text())
    assert result["design"]["shift_pattern"]["days_per_week"] == 7
    assert result["shift_calendar_yields"] == {"yields_evaluated_on": ["2x8h, 5 d/wk", "3x8h, 7 d/wk"],
                                               "consistent": True}
    # the calendar's 7-point gap is gone; what is left is the buffers' waits, which follow the design's own
    # bottleneck (twin.buffer_levels) while the MILP prices the steps without a recipe choice on the
    # scenario's line: ~0.6 point here, at the edge of evaluate's +-0.58 (the full pilot grid: 95.40 vs
    # 94.30 %, flagged). Within twice the sampling error, and the verdict, the exit status and the screen agree
    for figure in ("overall_yield", "wh_per_sheet_started"):
        check = result["physics_recheck"][figure]
        assert abs(check["difference"]) <= 2.0 * check["tolerance"], check
    trustworthy = all(result["physics_recheck"][f]["within"] for f in ("overall_yield", "wh_per_sheet_started"))
    assert result["recheck_verdict"]["trustworthy"] is trustworthy
    assert exit_info.value.code == (0 if trustworthy else 4)
    assert ("NOT TRUSTWORTHY" in capsys.readouterr().out) is not trustworthy


@pytest.mark.component
def test_an_untrustworthy_design_is_flagged_on_screen_in_json_and_by_exit_status_4(tmp_path, capsys,
                                                                                  monkeypatch,
                                                                                  make_small_baseline_file):
    path = make_small_baseline_file(tmp_path)
    # a re-check that disagrees: what the command must do with it (the physics of a real disagreement is
    # the pilot-line test above)
    monkeypatch.setattr(optimiser, "recheck_verdict", lambda recheck: recheck_verdict(
        {**recheck, "overall_yield": _compared(False)}))
    out = tmp_path / "result.json"
    with pytest.raises(SystemExit) as exit_info:
        main(["optimise", str(path), "--no-twin-check", "--json", str(out)])
    printed = capsys.readouterr().out
    assert exit_info.value.code == 4
    assert "NOT TRUSTWORTHY" in printed and "optimal design" not in printed
    assert json.loads(out.read_text())["recheck_verdict"]["trustworthy"] is False


@pytest.mark.unit
def test_a_fixed_yield_lines_recheck_allows_rounding_only():
    # BatPaC's fixed yields leave no sampling error (tolerance 0): the two sums of the same figures agree to
    # their last bits, which is within; a real difference of 1e-6 relative is not
    from twin.optimise.design import _compared

    assert _compared(581.3, 581.3 * (1 + 1e-12), 0.0)["within"]
    assert not _compared(581.3, 581.3 * (1 + 1e-6), 0.0)["within"]
    assert _compared(0.95, 0.955, 0.006)["within"] and not _compared(0.95, 0.957, 0.006)["within"]
