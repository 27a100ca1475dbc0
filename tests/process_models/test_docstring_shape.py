"""Docstring shape of every public function (style.md rule 2) and package import direction (rule 1)."""

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import process_models

SECTIONS = ("Parameters", "Returns", "Notes", "References", "Examples")


def _public_functions():
    found = []
    for module_info in pkgutil.walk_packages(process_models.__path__, "process_models."):
        if any(part.startswith("_") for part in module_info.name.split(".")):
            continue
        module = importlib.import_module(module_info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != module.__name__:
                continue
            found.append((f"{module.__name__}.{name}", obj))
        for name, cls in vars(module).items():
            if inspect.isclass(cls) and cls.__module__ == module.__name__ and not name.startswith("_"):
                for method_name, method in vars(cls).items():
                    if isinstance(method, classmethod):
                        found.append((f"{module.__name__}.{name}.{method_name}", method.__func__))
    return found


def docstring_problems(doc: str | None) -> list[str]:
    """Return what is missing from a numpydoc-style docstring of our fixed shape."""
    if not doc:
        return ["no docstring"]
    doc = inspect.cleandoc(doc)
    problems = [f"no {s} section" for s in SECTIONS if not re.search(rf"^{s}\n-+$", doc, re.M)]
    match = re.search(r"^Parameters\n-+\n(.*?)(?=^\w+\n-+$)", doc, re.M | re.S)
    if match:
        entries = re.split(r"^(?=\S)", match.group(1), flags=re.M)
        for entry in filter(str.strip, entries):
            if not re.search(r"\[[^\]]+\]", entry):
                problems.append(f"parameter without [unit]: {entry.splitlines()[0]}")
    returns = re.search(r"^Returns\n-+\n(.*?)(?=^\w+\n-+$)", doc, re.M | re.S)
    if returns and not re.search(r"\[[^\]]+\]", returns.group(1)):
        problems.append("Returns without [unit]")
    if not re.search(r"^>>> ", doc, re.M):
        problems.append("no doctest example")
    return problems


PUBLIC = _public_functions()


@pytest.mark.unit
def test_public_functions_were_found():
    names = {name.rsplit(".", 1)[-1] for name, _ in PUBLIC}
    assert {"sintered_relative_density", "li_loss_per_formula_unit", "ionic_conductivity_S_per_m",
            "from_segments"} <= names


@pytest.mark.unit
@pytest.mark.parametrize(("name", "function"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_docstring_shape(name, function):
    assert docstring_problems(function.__doc__) == []


@pytest.mark.unit
def test_docstring_checker_can_fail():
    bad = '''Summary.

    Parameters
    ----------
    x : float
        No unit here

    Returns
    -------
    float
        Value [m]
    '''
    problems = docstring_problems(bad)
    assert "no References section" in problems
    assert any(p.startswith("parameter without [unit]") for p in problems)


@pytest.mark.unit
def test_process_models_imports_nothing_from_twin_or_api():
    root = Path(process_models.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            for module in modules:
                if module.split(".")[0] in {"twin", "api", "simpy", "pydantic"}:
                    offenders.append(f"{path.name}: {module}")
    assert offenders == []
