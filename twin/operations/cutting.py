"""Cutting: sheets cut into cell pieces (time and energy; killer defects only)."""

from __future__ import annotations

from twin.operations.base import UnitOperation
from twin.scenario.route import Cutting


class CuttingOperation(UnitOperation):
    kind = "cutting"
    cuts_sheets = True
    step_class = Cutting
    changes_sheets = False


OPERATION = CuttingOperation()
