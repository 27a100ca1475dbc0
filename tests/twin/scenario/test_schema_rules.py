"""One bad value per schema rule, fed into a valid scenario, and the exact message it must produce.

Each case starts from a shipped scenario (``read_scenario_document`` + ``apply_overrides``), changes one
thing and asserts the problem line: field path, value, allowed range or choices (style.md rules 5-6).
Removing the rule from ``twin/scenario/`` makes its case fail (either no error, or a different text).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from twin.scenario import ScenarioError, apply_overrides, read_scenario_document, validate_scenario
from twin.scenario.library import library_path

pytestmark = pytest.mark.unit

# Baseline route order: 0 electrolyte_casting, 1 electrolyte_drying, 2 electrolyte_sintering,
# 3 electrolyte_inspection, 4 cathode_spray, 5 cathode_sintering, 6 li_lamination, 7 cell_inspection,
# 8 cutting, 9 stacking, 10 packaging.
BASELINE = read_scenario_document(library_path("oxide_baseline"))
# Sulphide route order: 0 cathode_casting, 1 cathode_drying, 2 cathode_calendering, 3 electrolyte_spray,
# 4 electrolyte_calendering, 5 electrolyte_inspection, 6 li_lamination, ...
SULPHIDE = read_scenario_document(library_path("sulphide_spray"))


def problems(document: dict[str, Any], overrides: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(apply_overrides(document, overrides))
    return caught.value.problems


def assert_rejected(document: dict[str, Any], overrides: dict[str, Any], expected: str) -> None:
    found = problems(document, overrides)
    assert expected in found, f"expected {expected!r} among {found!r}"


def test_the_starting_documents_are_valid():
    assert validate_scenario(BASELINE).name == "oxide_baseline"
    assert validate_scenario(SULPHIDE).name == "sulphide_spray"


# --- the three cases named in issue 2 -------------------------------------------------------------------

def test_typo_in_a_field_is_an_error_with_a_suggestion():
    assert_rejected(BASELINE, {"route[2].cover_powdr": True},
                    "route[2].sintering.cover_powdr: unknown field 'cover_powdr'; did you mean "
                        "'cover_powder'?")


def test_negative_thickness_is_rejected():
    assert_rejected(BASELINE, {"cell.anode.thickness_um": -5},
                    "cell.anode.thickness_um: -5 is below 0 (thickness cannot be negative); allowed [0, 200]")


def test_impossible_temperature_is_rejected():
    with pytest.raises(ScenarioError, match=re.escape(
            "route[2].sintering.profile[1].temperature_C: 1900 is above 1600 (garnet melts/decomposes within seconds; "
        "ultrafast sintering of garnets runs at ~1500 C (Wang et al. 2020))")):
        validate_scenario(apply_overrides(BASELINE, {"route[2].profile[1].temperature_C": 1900}))


# --- unknown fields, kinds and types (twin/scenario/errors.py) -----------------------------------------

def test_unknown_field_without_a_close_match_lists_the_allowed_fields():
    found = problems(BASELINE, {"plant.zzz": 1})
    assert found == ["plant.zzz: unknown field 'zzz'; allowed: target_output_GWh_per_year"]


def test_unknown_top_level_field():
    assert problems(BASELINE, {"sorces": {}}) == ["sorces: unknown field 'sorces'; did you mean 'sources'?"]


def test_unknown_step_kind_suggests_the_closest_kind():
    found = problems(BASELINE, {"route[0].kind": "tape_cast"})
    assert len(found) == 1
    assert found[0].startswith("route[0]: kind 'tape_cast' is not one of 'tape_casting', 'drying',")
    assert found[0].endswith("; did you mean 'tape_casting'?")


def test_step_without_kind():
    step = {key: value for key, value in BASELINE["route"][0].items() if key != "kind"}
    assert problems(BASELINE, {"route[0]": step}) == ["route[0]: 'kind' is missing; every route "
        "step names its kind"]


def test_missing_required_block():
    cell = {key: value for key, value in BASELINE["cell"].items() if key != "anode"}
    assert problems(BASELINE, {"cell": cell}) == ["cell.anode: required field is missing"]


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"route[2].profile[1].temperature_C": "hot"}, "route[2].sintering.profile[1].temperature_C: "
        "'hot' is not a number"),
    ({"cell.format.layers_per_cell": 2.5}, "cell.format.layers_per_cell: 2.5 is not an integer; allowed a whole "
        "number in [1, 200]"),
    ({"route[2].cover_powder": "maybe"}, "route[2].sintering.cover_powder: 'maybe' is not true or false"),
    ({"route[2].heating_mode": "microwave"},
     "route[2].sintering.heating_mode: 'microwave' is not one of 'conventional', 'hot_press', "
         "'sps', 'hip', 'rapid' or 'ultrafast'"),
    ({"name": "Bad Name"}, "name: 'Bad Name' does not match the pattern ^[a-z0-9][a-z0-9_\\-]{0,63}$"),
    ({"costs.currency": "usd"}, "costs.currency: 'usd' does not match the pattern ^[A-Z]{3}$"),
    ({"route": []}, "route: 0 entries is below the minimum of 1; allowed at least 1"),
    ({"route[2].profile": []}, "route[2].sintering.profile: 0 entries is below the minimum of 1; allowed at least 1"),
    ({"line.stations.electrolyte_sintering.sizes": {"axis": "batch_capacity_sheets", "options": []}},
     "line.stations.electrolyte_sintering.sizes.options: 0 entries is below the minimum of 1; allowed at least 1"),
    ({"cell": 5}, "cell: 5 is not a mapping of fields"),
    ({"route": 5}, "route: 5 is not a list"),
    ({"schema_version": 2}, "schema_version: 2 is not one of 1"),
])
def test_type_and_choice_errors(overrides, expected):
    assert problems(BASELINE, overrides) == [expected]


def test_a_null_number_is_shown_as_null():
    # a YAML '~' / JSON null in a number field: the message uses the scenario's word, not Python's None
    found = problems(BASELINE, {"route[2].profile[1].temperature_C": None})
    assert found == ["route[2].sintering.profile[1].temperature_C: null is not a number"]


def test_infinite_numbers_are_refused():
    found = problems(BASELINE, {"route[2].profile[1].temperature_C": float("inf")})
    assert found == ["route[2].sintering.profile[1].temperature_C: inf is not a finite number"]


def test_every_problem_is_reported_at_once():
    found = problems(BASELINE, {"cell.anode.thickness_um": -5, "route[2].profile[1].temperature_C": 1900})
    assert len(found) == 2


# --- bounded quantities (twin/scenario/quantities.py and the field families using it) ------------------

@pytest.mark.parametrize(("overrides", "expected"), [
    # shared shapes
    ({"variation.tape_thickness_cv": 0.6},
     "variation.tape_thickness_cv: 0.6 is above 0.5 (a CV above 0.5 makes normal sampling "
         "meaningless); allowed [0, 0.5]"),
    ({"variation.tape_thickness_cv": -0.1},
     "variation.tape_thickness_cv: -0.1 is below 0 (a spread cannot be negative); allowed [0, 0.5]"),
    ({"route[4].transfer_efficiency": 0},
     "route[4].spray_deposition.transfer_efficiency: 0 is at 0 (must be positive); allowed (0, 1]"),
    ({"route[3].min_relative_density": 1.2},
     "route[3].quality_check.min_relative_density: 1.2 is above 1 (a fraction cannot exceed 1); "
         "allowed [0, 1]"),
    ({"costs.overheads": {"gsa_on_labour": -0.1}},
     "costs.overheads.gsa_on_labour: -0.1 is below 0 (a fraction cannot be negative); allowed [0, 1]"),
    ({"cell.format.cells_per_sheet": 0}, "cell.format.cells_per_sheet: 0 is below 1 (a sheet carries at "
     "least one cell); allowed [1, 160000]"),
    ({"line.stations.cutting.handling_time_s": -1},
     "line.stations.cutting.handling_time_s: -1 is below 0 (cannot be negative); allowed [0, inf)"),
    ({"route[3].max_electrolyte_asr_ohm_cm2": 0},
     "route[3].quality_check.max_electrolyte_asr_ohm_cm2: 0 is at 0 (must be positive); allowed (0, inf)"),
    ({"seed": -1}, "seed: -1 is below 0 (a seed is a non-negative integer); allowed [0, "
        "9223372036854775807]"),
    # cell
    ({"cell.format.sheet_length_mm": 5},
     "cell.format.sheet_length_mm: 5 is below 10 (below 10 mm sheets cannot be handled); allowed [10, 2000]"),
    ({"cell.format.layers_per_cell": 500},
     "cell.format.layers_per_cell: 500 is above 200 (above 200 stacked layers is outside any "
         "published design); "
     "allowed [1, 200]"),
    ({"cell.format.nominal_voltage_V": 6},
     "cell.format.nominal_voltage_V: 6 is above 5.5 (above 5.5 V no cathode/electrolyte pair is "
         "stable); allowed [1, 5.5]"),
    ({"cell.cathode.thickness_um": 400},
     "cell.cathode.thickness_um: 400 is above 300 (roadmap §14.2.3 gives 30-150 um; above 300 um "
         "ion transport fails); "
     "allowed [5, 300]"),
    ({"cell.electrolyte.thickness_um": 0.5},
     "cell.electrolyte.thickness_um: 0.5 is below 1 (below 1 um is vacuum thin-film territory "
         "(roadmap §16)); "
     "allowed [1, 1000]"),
    ({"cell.current_collectors.anode.thickness_um": 1},
     "cell.current_collectors.anode.thickness_um: 1 is below 2 (below 2 um foils cannot be "
         "handled); allowed [2, 50]"),
    ({"cell.target_areal_capacity_mAh_per_cm2": 20},
     "cell.target_areal_capacity_mAh_per_cm2: 20 is above 15 (above 15 mAh/cm2 no published SSB "
         "cathode cycles); "
     "allowed [0.1, 15]"),
    # route recipes
    ({"route[0].blade_gap_um": 3000},
     "route[0].tape_casting.blade_gap_um: 3000 is above 2000 (above 2 mm is outside tape casting "
     "(Hotza & Greil 1995: 10 um - 1 mm tapes)); allowed [5, 2000]"),
    ({"route[0].slurry_solids_volume_fraction": 0.8},
     "route[0].tape_casting.slurry_solids_volume_fraction: 0.8 is above 0.7 (above 70 vol% exceeds "
         "random close "
     "packing); allowed [0.05, 0.7]"),
    ({"route[1].temperature_C": 250},
     "route[1].drying.temperature_C: 250 is above 200 (above 200 C the binder degrades in the "
         "dryer); allowed [15, 200]"),
    ({"route[4].ink_solids_volume_fraction": 0.5},
     "route[4].spray_deposition.ink_solids_volume_fraction: 0.5 is above 0.4 (above 40 vol% solids "
         "ultrasonic nozzles "
     "clog (vendor data)); allowed [0.001, 0.4]"),
    ({"route[2].profile[0].rate_C_per_min": 200000},
     "route[2].sintering.profile[0].rate_C_per_min: 200000 is above 100000 (above 1e5 C/min exceeds "
         "ultrafast "
     "high-temperature sintering (Wang et al. 2020: 1e3-1e4 C/min)); allowed [0.01, 100000]"),
    ({"route[2].li_excess_li2co3_wt_fraction": 0.6},
     "route[2].sintering.li_excess_li2co3_wt_fraction: 0.6 is above 0.5 (Liu et al. 2014 studied "
         "0-50 % Li excess; "
     "beyond that the excess melts out as a liquid phase); allowed [0, 0.5]"),
    ({"route[2].cycles": 0},
     "route[2].sintering.cycles: 0 is below 1 (at least one firing); allowed [1, 50]"),
    ({"route[6].temperature_C": 190},
     "route[6].li_lamination.temperature_C: 190 is above 175 (Li melts at 180.5 C (CRC handbook)); "
         "allowed [-20, 175]"),
    ({"route[6].pressure_MPa": 300},
     "route[6].li_lamination.pressure_MPa: 300 is above 200 (above 200 MPa the Li extrudes out of the nip); "
     "allowed [0.1, 200]"),
    ({"route[9].stack_pressure_MPa": 150},
     "route[9].stacking.stack_pressure_MPa: 150 is above 100 (above 100 MPa stack pressure is not a "
         "cell); allowed [0, 100]"),
    ({"route[0].defect_density_per_m2": -1},
     "route[0].tape_casting.defect_density_per_m2: -1 is below 0 (a defect density cannot be negative); "
     "allowed [0, 1000]"),
    # line
    ({"line.stations.cutting.machines": 0},
     "line.stations.cutting.machines: 0 is below 1 (a station has at least one machine); allowed [1, 500]"),
    ({"line.stations.electrolyte_casting.web_width_m": 4},
     "line.stations.electrolyte_casting.web_width_m: 4 is above 3 (above 3 m no coater exists); "
         "allowed [0.05, 3]"),
    ({"line.stations.cutting.mttr_h": 0.001},
     "line.stations.cutting.mttr_h: 0.001 is below 0.01 (a repair takes at least 36 s); allowed "
         "[0.01, 1000]"),
    ({"line.stations.electrolyte_sintering.furnace.heating_efficiency": 1.5},
     "line.stations.electrolyte_sintering.furnace.heating_efficiency: 1.5 is above 1 (an efficiency "
         "cannot exceed 1); "
     "allowed [0.05, 1]"),
    ({"line.shifts.days_per_week": 8},
     "line.shifts.days_per_week: 8 is above 7 (a week has 7 days); allowed [1, 7]"),
    ({"line.zones.dry_room.dew_point_C": 5},
     "line.zones.dry_room.dew_point_C: 5 is above 0 (above 0 C is not a dry room); allowed [-80, 0]"),
    ({"line.buffers.before.electrolyte_sintering": -1},
     "line.buffers.before.electrolyte_sintering: -1 is below 0; allowed [0, 10000000]"),
    # costs, plant, variation, optimisation
    ({"costs.utilities.electricity_usd_per_kWh": 6},
     "costs.utilities.electricity_usd_per_kWh: 6 is above 5 (above 5 USD/kWh is not an industrial "
         "tariff); allowed [0, 5]"),
    ({"costs.materials.usd_per_kg.llzo_ta": -1},
     "costs.materials.usd_per_kg.llzo_ta: -1 is below 0 (a price cannot be negative); allowed [0, 1000000]"),
    ({"costs.currency_year": 1980},
     "costs.currency_year: 1980 is below 1990 (before 1990 no SSB cost data exists); allowed [1990, 2100]"),
    ({"costs.capital.installation_factor": 0.5},
     "costs.capital.installation_factor: 0.5 is below 1 (installed cost is at least the purchase "
         "price); allowed [1, 5]"),
    ({"plant.target_output_GWh_per_year": 0},
     "plant.target_output_GWh_per_year: 0 is at 0 (a plant makes something); allowed (0, 500]"),
    ({"variation.furnace_load_spread_K": 150},
     "variation.furnace_load_spread_K: 150 is above 100 (above 100 K the furnace is out of control, "
         "not varying); "
     "allowed [0, 100]"),
    ({"optimisation.max_machines_per_station": 0},
     "optimisation.max_machines_per_station: 0 is below 1 (at least one machine); allowed [1, 500]"),
    ({"optimisation.sintering_peak_temperature_C.points": 0},
     "optimisation.sintering_peak_temperature_C.points: 0 is below 1 (a grid has at least one "
         "point); allowed [1, 1000]"),
])
def test_bounded_fields(overrides, expected):
    assert problems(BASELINE, overrides) == [expected]


def test_pressing_recipe_bounds():
    assert problems(SULPHIDE, {"route[2].pressure_MPa": 1500}) == [
        "route[2].pressing.pressure_MPa: 1500 is above 1000 (above 1000 MPa exceeds tool-steel "
            "dies); allowed [0.1, 1000]"]


# --- model validators inside blocks --------------------------------------------------------------------

def test_cells_must_fit_on_the_sheet():
    # 3 x 190 x 140 = 79800 mm2 on a 300 x 200 = 60000 mm2 sheet
    assert problems(BASELINE, {"cell.format.cells_per_sheet": 3}) == [
        "cell.format: cells_per_sheet x cell area = 79800 mm2 is above the sheet area 60000 mm2; "
        "cells must fit on the sheet they are cut from"]


def test_anode_free_cell_carries_no_li():
    found = problems(BASELINE, {"cell.anode.type": "anode_free"})
    assert ("cell.anode.thickness_um: 20 must be 0 for an anode-free cell (Li is plated in situ on "
            "first charge, roadmap §14.2.2)") in found


def test_li_foil_anode_needs_li():
    assert problems(BASELINE, {"cell.anode.thickness_um": 0}) == [
        "cell.anode.thickness_um: 0 must be above 0 for a li_foil anode"]


def test_hot_press_needs_pressure():
    assert problems(BASELINE, {"route[2].heating_mode": "hot_press"}) == [
        "route[2].sintering.applied_pressure_MPa: 0 must be above 0 for heating_mode 'hot_press'"]


def test_pressure_only_with_hot_press():
    assert problems(BASELINE, {"route[2].applied_pressure_MPa": 50}) == [
        "route[2].sintering.applied_pressure_MPa: 50 must be 0 unless heating_mode is 'hot_press', "
            "'sps' or 'hip' (got 'conventional')"]


def test_profile_must_fire_above_the_start_temperature():
    found = problems(BASELINE, {"route[2].start_temperature_C": 150,
                                "route[2].profile": [{"temperature_C": 100, "rate_C_per_min": 5}]})
    assert found == ["route[2].sintering.profile: peak 100 C is not above start_temperature_C 150 "
        "C; nothing is fired"]


def test_press_temperature_must_match_the_mode():
    assert problems(SULPHIDE, {"route[2].mode": "cold"}) == [
        "route[2].pressing.temperature_C: 100 is outside [-20, 40] C for mode 'cold'"]


def test_foil_lamination_needs_a_pressure():
    assert problems(BASELINE, {"route[6].pressure_MPa": None}) == [
        "route[6].li_lamination: pressure_MPa is required for method 'foil'"]


def test_evaporation_needs_a_source_temperature():
    found = problems(BASELINE, {"route[6].method": "evaporation", "cell.anode.type": "li_evaporated"})
    assert "route[6].li_lamination: source_temperature_C is required for method 'evaporation'" in found


def test_quality_check_needs_a_spec():
    assert problems(BASELINE, {"route[7]": {"name": "cell_inspection", "kind": "quality_check"}}) == [
        "route[7].quality_check: a quality_check needs at least one spec limit (e.g. min_relative_density), "
        "an inspection method or a capacity_grading"]


def test_grid_max_below_min():
    grid = {"min": 100, "max": 10, "points": 5}
    assert problems(BASELINE, {"optimisation.sintering_hold_time_min": grid}) == [
        "optimisation.sintering_hold_time_min.max: 10 is below min 100"]


def test_single_point_grid_needs_min_equal_max():
    grid = {"min": 10, "max": 20, "points": 1}
    assert problems(BASELINE, {"optimisation.sintering_hold_time_min": grid}) == [
        "optimisation.sintering_hold_time_min.points: 1 needs min == max"]


def test_continuous_station_needs_a_roll():
    assert problems(BASELINE, {"line.stations.electrolyte_casting.roll_length_m": None}) == [
        "line.stations.electrolyte_casting: roll_length_m required for a continuous station"]


def test_batch_station_needs_a_capacity():
    assert problems(BASELINE, {"line.stations.electrolyte_sintering.batch_capacity_sheets": None}) == [
        "line.stations.electrolyte_sintering: batch_capacity_sheets required for a batch station"]


def test_idle_power_below_run_power():
    assert problems(BASELINE, {"line.stations.cutting.idle_power_kW": 20}) == [
        "line.stations.cutting.idle_power_kW: 20 is above power_kW 10; a machine draws less idle "
            "than running"]


def test_shifts_fit_in_a_day():
    assert problems(BASELINE, {"line.shifts.hours_per_shift": 10}) == [
        "line.shifts: shifts_per_day x hours_per_shift = 30 h is above 24 h"]


# --- route and line must agree (model.py _route_and_line_agree) -----------------------------------------

def test_duplicate_step_names():
    found = problems(BASELINE, {"route[8].name": "stacking"})
    assert "route[9].stacking.name: 'stacking' is used by an earlier step; step names must be unique" in found


def test_every_step_needs_a_station():
    stations = {k: v for k, v in BASELINE["line"]["stations"].items() if k != "cutting"}
    assert problems(BASELINE, {"line.stations": stations}) == [
        "line.stations: no station for route step 'cutting' (route[8]); add line.stations.cutting"]


def test_station_kind_must_suit_the_step():
    found = problems(BASELINE, {"line.stations.electrolyte_sintering.kind": "discrete",
                                "line.stations.electrolyte_sintering.cycle_time_s": 10})
    assert found == ["line.stations.electrolyte_sintering.kind: 'discrete' cannot carry out a "
                     "sintering step; allowed batch, continuous"]


def test_continuous_sintering_needs_a_heated_length():
    found = problems(BASELINE, {"line.stations.electrolyte_sintering.kind": "continuous",
                                "line.stations.electrolyte_sintering.web_width_m": 0.6,
                                "line.stations.electrolyte_sintering.roll_length_m": 100})
    assert found == ["line.stations.electrolyte_sintering.heated_length_m: required for a continuous "
                     "(belt or roll-to-roll) sintering station"]


def test_discrete_station_needs_a_cycle_time():
    assert problems(BASELINE, {"line.stations.cutting.cycle_time_s": None}) == [
        "line.stations.cutting.cycle_time_s: required for a discrete cutting station"]


def test_discrete_spray_station_needs_no_cycle_time():
    # the spray time follows from the recipe (passes x raster time), so the baseline has none
    assert BASELINE["line"]["stations"]["cathode_spray"].get("cycle_time_s") is None
    assert validate_scenario(BASELINE).line.stations["cathode_spray"].cycle_time_s is None


def test_drying_station_needs_a_dryer_length():
    assert problems(BASELINE, {"line.stations.electrolyte_drying.dryer_length_m": None}) == [
        "line.stations.electrolyte_drying.dryer_length_m: required for a drying station"]


def test_continuous_foil_laminator_needs_a_line_speed():
    assert problems(BASELINE, {"line.stations.li_lamination.line_speed_m_per_min": None}) == [
        "line.stations.li_lamination.line_speed_m_per_min: required for a continuous foil laminator"]


def test_evaporation_station_needs_a_deposition_zone():
    found = problems(BASELINE, {"route[6].method": "evaporation", "route[6].source_temperature_C": 600,
                                "cell.anode.type": "li_evaporated"})
    assert found == ["line.stations.li_lamination.deposition_zone_length_m: required for an "
        "evaporation station"]


def test_calender_needs_a_line_speed():
    assert problems(SULPHIDE, {"line.stations.cathode_calendering.line_speed_m_per_min": None}) == [
        "line.stations.cathode_calendering.line_speed_m_per_min: required for a calender"]


def test_station_without_a_step_suggests_the_closest_step():
    stations = dict(BASELINE["line"]["stations"])
    stations["cuting"] = stations["cutting"]
    assert problems(BASELINE, {"line.stations": stations}) == [
        "line.stations.cuting: no route step of that name; did you mean 'cutting'?"]


def test_buffer_without_a_step():
    assert problems(BASELINE, {"line.buffers.before": {"electrolyte_sinter": 10}}) == [
        "line.buffers.before.electrolyte_sinter: no route step of that name; did you mean "
            "'electrolyte_sintering'?"]


# --- chemistry cross-rules (model.py _chemistry_problems) -----------------------------------------------

def test_anode_free_cell_has_no_lamination_step():
    found = problems(BASELINE, {"cell.anode.type": "anode_free", "cell.anode.thickness_um": 0})
    assert found == ["route[6].li_lamination: an anode_free cell has no Li lamination step "
                     "(Li is plated in situ, roadmap §14.2.2)"]


def test_li_anode_needs_a_lamination_step():
    anode_free = read_scenario_document(library_path("anode_free"))
    assert problems(anode_free, {"cell.anode.type": "li_foil", "cell.anode.thickness_um": 20}) == [
        "route: cell.anode.type 'li_foil' needs an li_lamination step"]


def test_lamination_method_must_make_the_anode():
    found = problems(BASELINE, {"cell.anode.type": "li_evaporated"})
    assert found == ["route[6].li_lamination.method: 'foil' does not make a 'li_evaporated' anode; "
        "use 'evaporation'"]


def test_sulphide_is_not_fired_above_600_C():
    anneal = {"name": "electrolyte_anneal", "kind": "sintering", "layer": "electrolyte",
              "heating_mode": "conventional", "profile": [{"temperature_C": 700, "rate_C_per_min": 5}],
              "cover_powder": False, "li_excess_li2co3_wt_fraction": 0, "particle_size_um": 1}
    station = {"kind": "batch", "machines": 1, "batch_capacity_sheets": 100, "mtbf_h": 100, "mttr_h": 1,
               "power_kW": 10, "capex_usd": 1, "floor_area_m2": 1, "zone": "inert"}
    document = apply_overrides(SULPHIDE, {"line.stations.electrolyte_anneal": station})
    document["route"].insert(5, anneal)
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(document)
    assert caught.value.problems == [
        "route[5].sintering.profile[0].temperature_C: 700 is above 600 (Li6PS5Cl is annealed at <= "
            "550-600 C, "
        "Yu et al. 2016; it decomposes above)"]
    anneal["profile"] = [{"temperature_C": 550, "rate_C_per_min": 5}]
    assert validate_scenario(document).step("electrolyte_anneal").peak_temperature_C == 550


def test_polymer_electrolyte_is_not_sintered():
    found = problems(BASELINE, {"cell.electrolyte.material": "peo_litfsi"})
    # every step that cannot use the polymer says so: the firings (chemistry rule; the cathode firing
    # has no master curve to densify on) and the powder casting of the electrolyte
    assert found == [
        "route[2].sintering.layer: electrolyte material 'peo_litfsi' is a polymer and is not sintered",
        "route[0].tape_casting.layer: electrolyte material 'peo_litfsi' is a polymer: it is made as a film (a "
        "polymer_film step, solvent cast or extruded), not deposited as a ceramic powder",
        "route[5].sintering: cell.electrolyte.material 'peo_litfsi' (polymer) cannot be used by step "
        "'cathode_sintering': it has no msc_activation_energy_J_per_mol, msc_log_theta_half, msc_log_theta_width, "
        "msc_final_relative_density, msc_reference_particle_size_m, herring_exponent (needed for firing the "
        "composite cathode (on the electrolyte's master sintering curve)); allowed for this step: llzo_ta, "
        "llzo_al, llzo_ga"]


def test_sulphide_line_has_no_ambient_station():
    assert problems(SULPHIDE, {"line.stations.cutting.zone": "ambient"}) == [
        "line.stations.cutting.zone: 'ambient' is not allowed for a sulphide (Li6PS5Cl) line: it "
            "releases H2S in "
        "moist air (roadmap §14.1); use 'dry_room' or 'inert'"]


def test_dry_room_station_needs_a_dry_room():
    assert problems(BASELINE, {"line.zones.dry_room": None}) == [
        "line.zones.dry_room: required because a station is in zone 'dry_room'"]

