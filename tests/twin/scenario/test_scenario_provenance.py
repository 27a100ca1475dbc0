"""Every number in every shipped scenario is sourced or marked as an assumption (style.md rule 4).

Paths use the form of error messages and overrides, with route steps addressed by name:
``route.electrolyte_sintering.profile[1].temperature_C``. A ``sources:`` key covers every number whose
path starts with it, segment by segment (``route.cathode_spray`` covers
``route.cathode_spray.feed_rate_ml_per_min`` but ``route.cathode`` does not).

Exemption: ``schema_version`` is the version of the file format, not a parameter of the plant, so it
needs no source. ``seed`` is a modelling choice and must be sourced (usually "assumption: any fixed seed").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from twin.scenario import read_scenario_document
from twin.scenario.library import library_dir

pytestmark = pytest.mark.unit

EXEMPT_PATHS = {"schema_version": "file-format version, not a plant parameter"}

SCENARIO_FILES = sorted(library_dir().glob("*.yaml"))


def split_segments(path: str) -> list[str]:
    """``route.a.profile[1].t`` -> ``['route', 'a', 'profile', '[1]', 't']``."""
    segments: list[str] = []
    for dotted in path.split("."):
        head = re.match(r"[^\[]*", dotted).group(0)
        if head:
            segments.append(head)
        segments.extend(re.findall(r"\[\d+\]", dotted))
    return segments


def walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (path, value) for every node below ``node``; route steps are addressed by name."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, value
            yield from walk(value, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            if path == "route" and isinstance(item, dict) and "name" in item:
                child = f"route.{item['name']}"
            else:
                child = f"{path}[{index}]"
            yield child, item
            yield from walk(item, child)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def numeric_leaves(document: dict[str, Any]) -> list[str]:
    body = {key: value for key, value in document.items() if key != "sources"}
    return [path for path, value in walk(body) if is_number(value)]


def unsourced_numbers(document: dict[str, Any]) -> list[str]:
    keys = [split_segments(key) for key in (document.get("sources") or {})]
    missing = []
    for path in numeric_leaves(document):
        if path in EXEMPT_PATHS:
            continue
        segments = split_segments(path)
        if not any(segments[: len(key)] == key for key in keys):
            missing.append(path)
    return missing


def dangling_source_keys(document: dict[str, Any]) -> list[str]:
    body = {key: value for key, value in document.items() if key != "sources"}
    existing = {tuple(split_segments(path)) for path, _ in walk(body)}
    return [key for key in (document.get("sources") or {}) if tuple(split_segments(key)) not in existing]


def test_the_library_is_not_empty():
    names = {path.stem for path in SCENARIO_FILES}
    # issue 2: oxide, rapid, sulphide, anode-free, pilot and gigafactory scenarios ship
    assert {"oxide_baseline", "oxide_rapid", "sulphide_spray", "anode_free", "pilot_line",
            "gigafactory"} <= names


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_every_number_is_sourced(path: Path):
    document = read_scenario_document(path)
    assert numeric_leaves(document), "a scenario without numbers means the walk is broken"
    assert unsourced_numbers(document) == []


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_every_source_key_names_an_existing_path(path: Path):
    assert dangling_source_keys(read_scenario_document(path)) == []


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_every_source_is_a_non_empty_string(path: Path):
    sources = read_scenario_document(path).get("sources") or {}
    bad = {key: value for key, value in sources.items() if not isinstance(value, str) or not value.strip()}
    assert bad == {}


# The checker itself must be able to fail: hand-built documents with a known answer.
def test_checker_finds_an_unsourced_number_in_a_named_route_step():
    document = {
        "seed": 1,
        "route": [{"name": "sinter", "profile": [{"temperature_C": 1130}, {"temperature_C": 25}]}],
        "sources": {"seed": "assumption: any", "route.sinter.profile[0]": "Yi 2017"},
    }
    assert unsourced_numbers(document) == ["route.sinter.profile[1].temperature_C"]


def test_checker_matches_prefixes_segment_wise_not_by_characters():
    document = {"cell": {"cathode": {"thickness_um": 60}, "cathode_extra": {"x_um": 1}},
                "sources": {"cell.cathode": "roadmap §14.2.3"}}
    assert unsourced_numbers(document) == ["cell.cathode_extra.x_um"]


def test_checker_exempts_schema_version_but_not_seed():
    document = {"schema_version": 1, "seed": 7, "sources": {}}
    assert unsourced_numbers(document) == ["seed"]


def test_checker_ignores_booleans():
    document = {"route": [{"name": "sinter", "cover_powder": True}], "sources": {}}
    assert unsourced_numbers(document) == []


def test_checker_flags_a_typo_in_a_source_key():
    document = {"plant": {"target_output_GWh_per_year": 1.0},
                "sources": {"plant": "issue scope", "plnat.target_output_GWh_per_year": "typo"}}
    assert dangling_source_keys(document) == ["plnat.target_output_GWh_per_year"]


@pytest.mark.parametrize("name", ["oxide_baseline", "gigafactory", "sulphide_spray"])
def test_the_grading_racks_floor_area_and_channel_price_say_what_they_rest_on(name):
    # the 60 m2 per tester was kept without a word when the testers went from 16 to 60, and the channel price read
    # "for its 8-9 Ah cells" beside a channel_price_reference_Ah of 10
    document = read_scenario_document(library_dir() / f"{name}.yaml")
    station = document["line"]["stations"]["end_of_line_test"]
    note = document["sources"]["line.stations.end_of_line_test.floor_area_m2"]
    assert note.startswith(f"{station['floor_area_m2']:g} m2 per 512-channel rack: assumption")
    assert "aisle" in note and "fixture" in note
    grading = next(step for step in document["route"] if step["name"] == "end_of_line_test")["capacity_grading"]
    price = document["sources"]["route.end_of_line_test.capacity_grading.channel_price_usd"]
    assert f"for a {grading['channel_price_reference_Ah']:g} Ah cell" in price
    assert "read as for its 8-9 Ah" not in price
