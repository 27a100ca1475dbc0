"""ssb-twin: digital twin of solid-state battery cell manufacturing.

Simulation time inside ``twin`` is in **seconds**; reports convert to hours and days.
Dependencies flow one way: ``api -> twin -> process_models``.
"""

__version__ = "0.2.0"


def __getattr__(name: str):
    """The notebook API, imported on first use so ``import twin`` stays light.

    ``twin.evaluate(...)`` calls the module ``twin.evaluate`` itself, which is callable (see the end of
    twin/evaluate.py), so the entry point ``twin.evaluate.evaluate_scenario`` keeps its name.
    ``twin.simulate(...)`` and ``twin.load(...)`` come from :mod:`twin.notebook`.
    """
    import importlib

    if name == "evaluate":
        return importlib.import_module("twin.evaluate")
    if name in ("simulate", "load", "Result"):
        return getattr(importlib.import_module("twin.notebook"), name)
    raise AttributeError(f"module 'twin' has no attribute {name!r}")
