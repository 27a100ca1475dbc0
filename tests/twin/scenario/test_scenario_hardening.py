"""Issue 15: schema-valid input must evaluate, and everything else is a clean rejection naming the field.

Each case is the minimal failing input from the issue (a list as a YAML key, 500-deep nesting, a 401-digit
integer, ``true`` as a temperature, drying before casting, a calendar with no working day, a 2001-segment
profile, 500 machines per station, a 1.9 MB source text) turned into the behaviour it must have now.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from twin.cli import main
from twin.scenario import ScenarioError, apply_overrides, parse_scenario_text, read_scenario_document, validate_scenario
from twin.scenario.library import library_path
from twin.scenario.limits import MAX_MACHINES_PER_LINE, MAX_PROFILE_SEGMENTS, MAX_SEGMENT_FIRINGS

pytestmark = pytest.mark.unit

DATA = Path(__file__).parent / "data"
BASELINE = read_scenario_document(library_path("oxide_baseline"))


def problems(overrides: dict[str, Any], document: dict[str, Any] = BASELINE) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(apply_overrides(document, overrides))
    return caught.value.problems


def cli_exit(args: list[str], capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(args)
    return exited.value.code, capsys.readouterr().err


# --- item 3: malformed YAML exits 2 with the line ------------------------------------------------------
@pytest.mark.parametrize(("name", "expected"), [
    ("yaml_list_key.yaml", "a sequence is used as a mapping key (line 1)"),
    ("yaml_deep_nesting.yaml", "YAML nesting deeper than 32 levels at line 1"),
])
def test_malformed_yaml_is_invalid_input_with_the_line(name, expected, capsys):
    code, err = cli_exit(["validate", str(DATA / name)], capsys)
    assert code == 2
    assert expected in err
    assert "internal error" not in err


def test_a_mapping_as_key_is_refused():
    with pytest.raises(ScenarioError, match=r"a mapping is used as a mapping key \(line 2\)"):
        parse_scenario_text("a:\n  ? {x: 1}\n  : 2\n")


def test_a_401_digit_integer_names_the_field():
    assert problems({"cell.format.cells_per_sheet": 10**400}) == [
        "cell.format.cells_per_sheet: 100000000000... (401 digits) is too large a number (more than 19 digits)"]


def test_a_401_digit_integer_in_a_file_exits_2(tmp_path, capsys):
    text = library_path("oxide_baseline").read_text(encoding="utf-8").replace(
        "cells_per_sheet: 2", "cells_per_sheet: 1" + "0" * 400)
    (tmp_path / "big.yaml").write_text(text, encoding="utf-8")
    code, err = cli_exit(["evaluate", str(tmp_path / "big.yaml")], capsys)
    assert code == 2
    assert "cell.format.cells_per_sheet" in err


# --- item 4: booleans and numeric strings are not numbers ---------------------------------------------------
@pytest.mark.parametrize(("path", "value", "expected"), [
    ("route.electrolyte_sintering.profile[1].temperature_C", True,
     "route[2].sintering.profile[1].temperature_C: true is not a number"),
    ("line.stations.electrolyte_casting.machines", True,
     "line.stations.electrolyte_casting.machines: true is not an integer"),
    ("line.shifts.shifts_per_day", "1", "line.shifts.shifts_per_day: '1' is not an integer"),
    ("costs.labour.usd_per_hour", "35", "costs.labour.usd_per_hour: '35' is not a number"),
    ("line.stations.electrolyte_casting.machines", 2.5,
     "line.stations.electrolyte_casting.machines: 2.5 is not an integer; allowed a whole number in [1, 500]"),
])
def test_booleans_and_strings_are_not_numbers(path, value, expected):
    assert problems({path: value}) == [expected]


@pytest.mark.parametrize("value", [1, 0, "yes", "true"])
def test_flags_take_only_true_or_false(value):
    found = problems({"route.electrolyte_sintering.cover_powder": value})
    assert found == [f"route[2].sintering.cover_powder: {value!r} is not true or false"]


def test_integral_floats_still_count_as_integers():
    scenario = validate_scenario(apply_overrides(BASELINE, {"line.stations.electrolyte_casting.machines": 2.0}))
    assert scenario.line.stations["electrolyte_casting"].machines == 2
    assert isinstance(scenario.line.stations["electrolyte_casting"].machines, int)


# --- item 2: every accepted route order and calendar evaluates --------------------------------------------
def test_drying_before_casting_is_rejected_naming_the_step():
    route = list(BASELINE["route"])
    route[0], route[1] = route[1], route[0]
    assert problems({"route": route}) == [
        "route[0].drying.layer: no tape_casting of layer 'electrolyte' before this step; move "
        "'electrolyte_drying' after the casting it dries"]


def test_sintering_before_the_layer_is_made_is_rejected():
    route = list(BASELINE["route"])
    route.insert(0, route.pop(2))  # electrolyte_sintering first
    assert ("route[0].sintering.layer: no tape_casting or spray_deposition of layer 'electrolyte' before this "
            "step; move 'electrolyte_sintering' after the step that makes the layer") in problems({"route": route})


def test_a_calendar_without_working_days_names_holidays():
    assert problems({"line.shifts.days_per_week": 1, "line.shifts.holidays_per_year": 53}) == [
        "line.shifts.holidays_per_year: 53 leaves 0.0 working days a year with days_per_week 1 (52.1 days before "
        "holidays); the plant must run at least 7 days a year, so at most 45 holidays"]


def test_zero_hour_calendar_exits_2_not_1(capsys):
    code, err = cli_exit(["evaluate", str(library_path("oxide_baseline")), "--set", "line.shifts.days_per_week=1",
                          "--set", "line.shifts.holidays_per_year=53"], capsys)
    assert code == 2
    assert "line.shifts.holidays_per_year" in err


# --- item 1 and 5: bounded size of one scenario ------------------------------------------------------------
def test_a_2001_segment_profile_is_rejected():
    profile = [{"temperature_C": 800 + (k % 2) * 10, "rate_C_per_min": 100, "hold_time_min": 0.1}
               for k in range(2001)]
    assert problems({"route.cathode_sintering.profile": profile}) == [
        f"route[5].sintering.profile: 2001 entries is above the limit of {MAX_PROFILE_SEGMENTS}; "
        f"allowed at most {MAX_PROFILE_SEGMENTS}"]


def test_segments_times_cycles_is_bounded():
    profile = [{"temperature_C": 900, "rate_C_per_min": 100, "hold_time_min": 0.1}] * 5
    found = problems({"route.cathode_sintering.profile": profile, "route.cathode_sintering.cycles": 50})
    assert found == [f"route[5].sintering.cycles: 5 profile segments x 50 cycles = 250 segment firings is above "
                     f"{MAX_SEGMENT_FIRINGS}; use fewer segments or cycles (the cost of evaluating a firing grows "
                     "with their product)"]


def test_500_machines_at_every_station_is_rejected():
    overrides = {f"line.stations.{step['name']}.machines": 500 for step in BASELINE["route"]}
    assert problems(overrides) == [
        f"line.stations: 6000 machines in all is above {MAX_MACHINES_PER_LINE} (a plant model holds one process "
        "per machine; split a larger plant into lines)"]


def test_free_text_is_capped():
    found = problems({"sources.pad": "p" * 1_900_000})
    assert found == ["sources.pad: text of 1900000 characters is above the limit of 2000 characters"]


def test_a_long_route_is_rejected():
    extra = [{"name": f"cut_{k}", "kind": "cutting"} for k in range(40)]
    found = problems({"route": BASELINE["route"] + extra})
    assert found[0] == "route: 52 entries is above the limit of 40; allowed at most 40"
