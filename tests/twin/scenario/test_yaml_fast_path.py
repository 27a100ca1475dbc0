"""Scenario files read by libyaml give the pure-Python loader's document; problems keep its messages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from twin.scenario import ScenarioError, loader

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.unit
@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_fast_parse_gives_the_same_document(path):
    if loader._FastStrictYamlLoader is None:
        pytest.skip("PyYAML built without libyaml: only the pure-Python loader runs")
    text = path.read_text(encoding="utf-8")
    assert loader._fast_parse(text) == yaml.load(text, Loader=loader._StrictYamlLoader)  # noqa: S506


@pytest.mark.unit
def test_duplicate_key_is_refused_with_its_line():
    with pytest.raises(ScenarioError, match=r"duplicate key 'name' \(line 2\)"):
        loader.parse_scenario_text("name: a\nname: b\n")


@pytest.mark.unit
def test_syntax_error_keeps_the_pure_python_message():
    text = "name: a\n  bad: [1, 2\n"
    with pytest.raises(ScenarioError) as caught:
        loader.parse_scenario_text(text)
    try:
        yaml.load(text, Loader=loader._StrictYamlLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        expected = exc.problem
    assert expected in str(caught.value)


@pytest.mark.unit
def test_deep_nesting_is_refused():
    with pytest.raises(ScenarioError, match="nesting deeper than 32"):
        loader.parse_scenario_text("a: " + "[" * 40 + "]" * 40 + "\n")
