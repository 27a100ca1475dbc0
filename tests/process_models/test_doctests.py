"""Every docstring example in process_models runs and prints what it says (pvlib-style doctests)."""

import doctest
import importlib
import pkgutil

import pytest

import process_models

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(process_models.__path__, prefix="process_models.")
)


@pytest.mark.unit
@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name):
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, module_name):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, f"{results.failed} docstring example(s) failed in {module_name}"


@pytest.mark.unit
def test_the_physics_package_has_examples():
    finder = doctest.DocTestFinder()
    examples = sum(len(t.examples) for name in MODULES for t in finder.find(importlib.import_module(name), name))
    assert examples >= 40
