"""Unit operations: one module per step kind, and the registry that maps kind -> operation.

The step kinds' schema models stay in :mod:`twin.scenario.route`: the scenario's discriminated union is
built from them when ``twin.scenario`` loads, and the operations import the physics layers
(``twin.sheet_firing``, ``twin.capacity``...) that themselves import ``twin.scenario``; moving the models
here would make ``twin.scenario`` import the physics. Each operation names its model (``step_class``).

The kind modules are imported on first use, not when this package loads, so ``twin.capacity`` or
``twin.sheet_physics`` can import the registry while the modules the operations build on still load.
Adding a step kind: a schema model in ``twin/scenario/route.py`` with its kind in ``STEP_KINDS``, and one
module here named after the kind (docs/architecture.md, "Adding a unit operation").
"""

from __future__ import annotations

import functools
import importlib

from twin.operations.base import UnitOperation
from twin.scenario.route import STEP_KINDS

# one module per kind, named after it: the schema's list of kinds is the list of modules
OPERATION_MODULES = STEP_KINDS


@functools.cache
def operations() -> dict[str, UnitOperation]:
    """kind -> operation, in the order of ``OPERATION_MODULES``."""
    registry: dict[str, UnitOperation] = {}
    for module_name in OPERATION_MODULES:
        operation = importlib.import_module(f"twin.operations.{module_name}").OPERATION
        if operation.kind in registry:
            raise ValueError(f"twin.operations.{module_name}: kind {operation.kind!r} is registered twice")
        registry[operation.kind] = operation
    return registry


def operation_for(step) -> UnitOperation:
    """The operation of a route step (a validated schema model)."""
    return operations()[step.kind]


__all__ = ["OPERATION_MODULES", "UnitOperation", "operation_for", "operations"]
