"""Packaging: cells sealed in a pouch or can (time and energy; killer defects only)."""

from __future__ import annotations

from twin.operations.base import UnitOperation
from twin.scenario.route import Packaging


class PackagingOperation(UnitOperation):
    kind = "packaging"
    step_class = Packaging
    changes_sheets = False

    def material_items_per_sheet(self, scenario, index, step_name, step):
        per_cell = scenario.costs.materials.packaging_usd_per_cell
        return {"packaging": per_cell / scenario.sheets_per_cell} if per_cell > 0 else {}


OPERATION = PackagingOperation()
