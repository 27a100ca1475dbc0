"""Unit operations are the one place a step kind's behaviour lives (twin.operations)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

from twin.operations import OPERATION_MODULES, operation_for, operations
from twin.operations.base import UnitOperation
from twin.scenario import route as route_models
from twin.scenario.route import STEP_KINDS

ROOT = Path(__file__).resolve().parents[2]
STEP_CLASSES = {name for name in dir(route_models)
                if isinstance(getattr(route_models, name), type)
                and issubclass(getattr(route_models, name), route_models.StepBase)}
# Where a step kind may be named: its own operation module and the schema
ALLOWED = ("twin/operations/", "twin/scenario/")


def _names(node):
    if isinstance(node, ast.Tuple):
        for element in node.elts:
            yield from _names(element)
    elif isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.Attribute):
        yield node.attr


def _is_step_kind(node) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in STEP_KINDS
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_step_kind(element) for element in node.elts)
    return False


def kind_switches(source: str) -> list[tuple[int, str]]:
    """isinstance(x, <step model>), and comparisons of a ``.kind`` with a step kind name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "isinstance" \
                and len(node.args) == 2 and set(_names(node.args[1])) & STEP_CLASSES:
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            if any(_is_step_kind(part) for part in parts) or any(
                    isinstance(part, ast.Attribute) and part.attr == "kind" and isinstance(part.value, ast.Name)
                    and part.value.id == "step" for part in parts):
                found.append((node.lineno, ast.unparse(node)))
    return found


@pytest.mark.unit
def test_the_scan_finds_a_kind_switch():
    assert kind_switches("if isinstance(step, Sintering):\n    pass\n") == [(1, "isinstance(step, Sintering)")]
    assert kind_switches("x = step.kind == 'quality_check'\n") == [(1, "step.kind == 'quality_check'")]
    assert kind_switches("x = plan.kind in ('lamination', 'sintering')\n") == [
        (1, "plan.kind in ('lamination', 'sintering')")]
    assert kind_switches("x = station.kind == 'batch'\n") == []  # a station kind, not a step kind


@pytest.mark.unit
def test_no_module_outside_the_operations_switches_on_step_kinds():
    offenders = []
    for package in ("twin", "api"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith(ALLOWED):
                continue
            offenders += [f"{relative}:{line}: {text}" for line, text in kind_switches(path.read_text())]
    assert not offenders, "step-kind switches outside twin.operations:\n" + "\n".join(offenders)


@pytest.mark.unit
def test_every_step_kind_has_exactly_one_operation():
    registry = operations()
    assert tuple(registry) == STEP_KINDS
    assert len(OPERATION_MODULES) == len(STEP_KINDS)
    union_members = get_args(get_args(route_models.RouteStep)[0])
    assert {op.step_class for op in registry.values()} == set(union_members)
    for kind, operation in registry.items():
        assert isinstance(operation, UnitOperation)
        assert get_args(operation.step_class.model_fields["kind"].annotation) == (kind,)


@pytest.mark.unit
def test_operation_for_a_library_route_step():
    from twin.notebook import load

    scenario = load(ROOT / "scenarios" / "oxide_baseline.yaml")
    for step in scenario.route:
        assert operation_for(step).kind == step.kind
        assert isinstance(step, operation_for(step).step_class)
