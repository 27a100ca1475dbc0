"""Packaging: cells sealed in a pouch or can (time and energy; killer defects only)."""

from __future__ import annotations

from twin.operations.base import UnitOperation
from twin.scenario.route import Packaging


class PackagingOperation(UnitOperation):
    kind = "packaging"
    step_class = Packaging
    changes_sheets = False


OPERATION = PackagingOperation()
