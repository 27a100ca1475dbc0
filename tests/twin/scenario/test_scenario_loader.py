"""Reading scenario files, dotted-path overrides and the canonical hash (twin/scenario/loader.py, "
    "library.py)."""

from __future__ import annotations

import re

import pytest
import yaml

from twin.scenario import (
    ScenarioError,
    apply_overrides,
    load_scenario,
    parse_scenario_text,
    read_scenario_document,
    scenario_hash,
    validate_scenario,
)
from twin.scenario.library import library_names, library_path, load_library_scenario
from twin.scenario.loader import MAX_SCENARIO_BYTES

pytestmark = pytest.mark.unit

BASELINE_PATH = library_path("oxide_baseline")
BASELINE = read_scenario_document(BASELINE_PATH)


def rejected(call, *args) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        call(*args)
    return caught.value.problems


# --- files ---------------------------------------------------------------------------------------------

def test_file_not_found(tmp_path):
    missing = tmp_path / "nope.yaml"
    assert rejected(read_scenario_document, missing) == [f"file not found: {missing}"]


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nseed: 1\ncell: [1, 2\nroute: []\n", encoding="utf-8")
    expected = "broken.yaml: YAML syntax error at line 4, column 6: expected ',' or ']', but got ':'"
    with pytest.raises(ScenarioError, match=re.escape(expected) + "$") as caught:
        read_scenario_document(path)
    assert caught.value.source == str(path)


def test_duplicate_keys_are_refused_with_their_line():
    text = "name: a\nseed: 1\nname: b\n"
    with pytest.raises(ScenarioError, match=re.escape("duplicate key 'name' (line 3)")):
        parse_scenario_text(text)


def test_nested_duplicate_keys_are_refused():
    text = "cell:\n  format:\n    sheet_length_mm: 300\n    sheet_length_mm: 200\n"
    with pytest.raises(ScenarioError, match=re.escape("duplicate key 'sheet_length_mm' (line 4)")):
        parse_scenario_text(text)


@pytest.mark.parametrize("text", ["- 1\n- 2\n", "just text\n", "", "42\n"])
def test_top_level_must_be_a_mapping(text):
    assert rejected(parse_scenario_text, text) == ["a scenario file must be a mapping of fields at "
        "the top level"]


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"#" * (MAX_SCENARIO_BYTES + 1))
    assert rejected(read_scenario_document, path) == [
        f"file is {MAX_SCENARIO_BYTES + 1} bytes; above the {MAX_SCENARIO_BYTES} byte limit"]


def test_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    found = rejected(read_scenario_document, path)
    assert len(found) == 1 and found[0].startswith("not UTF-8 text (invalid continuation byte at byte 9)")


def test_yaml_tags_cannot_build_python_objects():
    # SafeLoader: a scenario file can never execute code
    with pytest.raises(ScenarioError, match="YAML syntax error"):
        parse_scenario_text("name: !!python/object/apply:os.system ['true']\n")


def test_error_message_carries_the_file_name(tmp_path):
    path = tmp_path / "bad.yaml"
    bad = apply_overrides(BASELINE, {"cell.anode.thickness_um": -5})
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(ScenarioError, match=re.escape(f"{path}: cell.anode.thickness_um: -5 is below 0")):
        load_scenario(path)


def test_several_problems_are_counted_in_the_message():
    error = ScenarioError(["a: 1", "b: 2"], source="f.yaml")
    assert str(error) == "f.yaml: 2 problems\n  a: 1\n  b: 2"


# --- overrides -----------------------------------------------------------------------------------------

def test_override_by_index_and_by_step_name_are_the_same():
    by_index = apply_overrides(BASELINE, {"route[2].profile[1].temperature_C": 1100})
    by_name = apply_overrides(BASELINE, {"route.electrolyte_sintering.profile[1].temperature_C": 1100})
    assert by_index == by_name
    assert by_index["route"][2]["profile"][1]["temperature_C"] == 1100


def test_override_does_not_touch_the_original():
    apply_overrides(BASELINE, {"route[2].profile[1].temperature_C": 1100})
    assert BASELINE["route"][2]["profile"][1]["temperature_C"] == 1130


def test_the_overridden_document_shares_no_container_with_the_original():
    # the copy is deep: a caller may change any part of it (not only the overridden path)
    import copy

    before = copy.deepcopy(BASELINE)
    document = apply_overrides(BASELINE, {"seed": 9})

    def containers(node):
        if isinstance(node, dict | list):
            yield node
            for item in node.values() if isinstance(node, dict) else node:
                yield from containers(item)

    original = {id(node) for node in containers(BASELINE)}
    assert not any(id(node) in original for node in containers(document))
    document["route"][2]["profile"][1]["temperature_C"] = 900
    document["line"].clear()
    assert BASELINE == before and document["seed"] == 9


def test_override_may_add_a_final_key_for_the_schema_to_judge():
    document = apply_overrides(BASELINE, {"route.electrolyte_sintering.cycles": 2})
    assert validate_scenario(document).step("electrolyte_sintering").cycles == 2


def test_load_scenario_applies_overrides():
    scenario = load_scenario(BASELINE_PATH, overrides={"plant.target_output_GWh_per_year": 0.5})
    assert scenario.plant.target_output_GWh_per_year == 0.5


@pytest.mark.parametrize(("path", "expected"), [
    ("route[2]..x", "override path 'route[2]..x': segment '' is not a field name or name[index]"),
    ("route[2].profile[x]", "override path 'route[2].profile[x]': segment 'profile[x]' is not a "
        "field name or "
                            "name[index]"),
    ("route[99].name", "override path 'route[99].name': index 99 is out of range: the list there has 12 "
     "entries; allowed [0, 11] (or [-12, -1] from the end)"),
    ("route[2].profile[9]", "override path 'route[2].profile[9]': index 9 is out of range: the list there has 3 "
     "entries; allowed [0, 2] (or [-3, -1] from the end)"),
    ("route.sinter.cover_powder", "override path 'route.sinter.cover_powder': no step named "
        "'sinter'; steps are "
     "['electrolyte_casting', 'electrolyte_drying', 'electrolyte_sintering', 'electrolyte_inspection', "
     "'cathode_spray', 'cathode_sintering', 'li_lamination', 'cell_inspection', 'cutting', "
         "'stacking', 'packaging', 'end_of_line_test']"),
    ("cell.nothing.thickness_um", "override path 'cell.nothing.thickness_um': 'nothing' does not exist in this "
     "scenario; did you mean 'cell.anode.thickness_um' or 'cell.cathode.thickness_um' or "
     "'cell.electrolyte.thickness_um'? Or, to add it, override 'cell.nothing' with the whole block (a mapping of "
     "its fields)"),
    ("route.electrolyte_sintering.vapour_confinement.enclosure",
     "override path 'route.electrolyte_sintering.vapour_confinement.enclosure': 'vapour_confinement' does not "
     "exist in this scenario; to add it, override 'route.electrolyte_sintering.vapour_confinement' with the whole "
     "block (a mapping of its fields)"),
    ("seed.value", "override path 'seed.value': 'value' is not inside a mapping"),
    ("name[0]", "override path 'name[0]': index 0 is out of range: the field there is not a list"),
])
def test_bad_override_paths(path, expected):
    assert rejected(apply_overrides, BASELINE, {path: 1}) == [expected]


def test_a_misplaced_or_mistyped_path_is_pointed_to_the_nearest_existing_path():
    # new-user trial: line.dry_room.dew_point_C got "override 'line.dry_room' with the whole block", which
    # only led to another error; the field is line.zones.dry_room.dew_point_C
    assert rejected(apply_overrides, BASELINE, {"line.dry_room.dew_point_C": -30}) == [
        "override path 'line.dry_room.dew_point_C': 'dry_room' does not exist in this scenario; did you mean "
        "'line.zones.dry_room.dew_point_C'?"]
    # in the wrong top-level block, and a typo of a block's name
    assert rejected(apply_overrides, BASELINE, {"costs.dry_room.dew_point_C": -30})[0].endswith(
        "did you mean 'line.zones.dry_room.dew_point_C'?")
    assert rejected(apply_overrides, BASELINE, {"cost.labour.usd_per_hour": 30})[0].startswith(
        "override path 'cost.labour.usd_per_hour': 'cost' does not exist in this scenario; did you mean "
        "'costs.labour.usd_per_hour'")
    # the suggestion is valid: applying it passes
    assert validate_scenario(apply_overrides(BASELINE, {"line.zones.dry_room.dew_point_C": -30})).line.zones \
        .dry_room.dew_point_C == -30


def test_an_index_into_an_empty_list_says_the_list_is_empty():
    # the allowed range [0, -1] of an empty list would read as nonsense: say it is empty
    assert rejected(apply_overrides, {"buffers": []}, {"buffers[0]": 1}) == [
        "override path 'buffers[0]': index 0 is out of range: the list there is empty"]
    assert rejected(apply_overrides, {"buffers": []}, {"buffers[0].size": 1}) == [
        "override path 'buffers[0].size': index 0 is out of range: the list there is empty"]


# --- canonical hash ------------------------------------------------------------------------------------

def test_hash_is_stable_under_key_order_and_layout(tmp_path):
    reordered = dict(reversed(list(BASELINE.items())))
    reordered["cell"] = dict(reversed(list(BASELINE["cell"].items())))
    path = tmp_path / "reordered.yaml"
    path.write_text(yaml.safe_dump(reordered, sort_keys=False, default_flow_style=True), encoding="utf-8")
    assert scenario_hash(load_scenario(path)) == scenario_hash(load_scenario(BASELINE_PATH))


def test_hash_counts_defaults_as_written():
    # writing a default explicitly describes the same plant
    explicit = apply_overrides(BASELINE, {"route.cutting.defect_density_per_m2": 0.0})
    assert scenario_hash(validate_scenario(explicit)) == scenario_hash(validate_scenario(BASELINE))


def test_hash_changes_with_any_value():
    changed = apply_overrides(BASELINE, {"route[2].profile[1].hold_time_min": 61})
    assert scenario_hash(validate_scenario(changed)) != scenario_hash(validate_scenario(BASELINE))
    assert re.fullmatch(r"[0-9a-f]{64}", scenario_hash(validate_scenario(BASELINE)))


# --- library -------------------------------------------------------------------------------------------

def test_library_lists_the_shipped_scenarios():
    shipped = {"oxide_baseline", "oxide_rapid", "sulphide_spray", "anode_free", "pilot_line", "gigafactory"}
    assert shipped <= set(library_names())


def test_library_refuses_unknown_names_and_paths():
    for name in ("nope", "../pyproject", "oxide_baseline.yaml"):
        found = rejected(library_path, name)
        assert found[0].startswith(f"scenario '{name}' is not in the library; available: ")


def test_library_folder_can_be_redirected(tmp_path, monkeypatch):
    (tmp_path / "mine.yaml").write_text(BASELINE_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("SSB_TWIN_SCENARIO_DIR", str(tmp_path))
    assert library_names() == ["mine"]
    assert load_library_scenario("mine").name == "oxide_baseline"


# --- numbers written with an exponent (YAML 1.2 / JSON form) --------------------------------------------

@pytest.mark.parametrize(("text", "number"), [("1e6", 1e6), ("1.5e3", 1500.0), ("-2E-3", -0.002), (".5e2", 50.0),
                                              ("1.e3", 1000.0), ("+1e+2", 100.0)])
def test_a_number_with_an_exponent_is_a_number_in_a_file_and_on_the_command_line(text, number):
    from twin.scenario.loader import _StrictYamlLoader, parse_yaml_value

    document = parse_scenario_text(f"mtbf_h: {text}\n")
    assert document["mtbf_h"] == number and isinstance(document["mtbf_h"], float)
    assert parse_yaml_value(text) == number
    # both parsers (libyaml when present, pure Python otherwise) read it alike
    assert yaml.load(f"x: {text}", Loader=_StrictYamlLoader) == {"x": number}  # noqa: S506


@pytest.mark.parametrize("text", ["12e", "1e6x", "e5", "1_0e3x", "abc"])
def test_text_that_only_looks_like_an_exponent_stays_text(text):
    assert parse_scenario_text(f"name: {text}\n")["name"] == text


def test_integers_stay_integers_next_to_the_exponent_form():
    assert parse_scenario_text("a: 10\nb: 1_000\nc: 1.0\n") == {"a": 10, "b": 1000, "c": 1.0}
    assert isinstance(parse_scenario_text("a: 10\n")["a"], int)


def test_set_override_with_an_exponent_reaches_the_scenario():
    from twin.commands.evaluate import parse_set_options

    overrides = parse_set_options(("line.stations.electrolyte_sintering.mtbf_h=1e6",))
    assert overrides == {"line.stations.electrolyte_sintering.mtbf_h": 1e6}
    scenario = validate_scenario(apply_overrides(BASELINE, overrides))
    assert scenario.line.stations["electrolyte_sintering"].mtbf_h == 1e6


# --- YAML 1.1's octal, hex, binary and base-60 forms are not silently read as other numbers ---------------

@pytest.mark.parametrize("text", ["010", "0x10", "0b11", "00", "1:30", "1:30.5", "-010"])
def test_octal_hex_binary_and_base_60_forms_stay_text_in_a_file_and_on_the_command_line(text):
    # YAML 1.1 read '010' as 8, '0x10' as 16, '0b11' as 3 and '1:30' as 90: 'machines: 010' built 8 kilns
    from twin.scenario.loader import _StrictYamlLoader, parse_yaml_value

    assert parse_scenario_text(f"machines: {text}\n") == {"machines": text}
    assert parse_yaml_value(text) == text
    assert yaml.load(f"x: {text}", Loader=_StrictYamlLoader) == {"x": text}  # noqa: S506


@pytest.mark.parametrize(("text", "number"), [("0", 0), ("-0", 0), ("+12", 12), ("-7", -7), ("10", 10),
                                              ("1_000", 1000), ("0.5", 0.5), ("10.0", 10.0)])
def test_decimal_numbers_are_still_numbers(text, number):
    value = parse_scenario_text(f"x: {text}\n")["x"]
    assert value == number and type(value) is type(number)


def test_a_zero_padded_machine_count_is_rejected_naming_the_field(capsys):
    from twin.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["evaluate", str(BASELINE_PATH), "--set", "line.stations.electrolyte_sintering.machines=010"])
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert "line.stations.electrolyte_sintering.machines: '010' is not an integer" in err
