"""Validation rule: every material a route step (or the cell) uses has the parameters that use reads.

Without it a material passes validation and evaluate then fails on a missing parameter (a polymer
electrolyte sprayed, a sulphide cathode fired...). The needs are declared by each step kind's operation
(``UnitOperation.material_needs``, keys listed in ``twin.material_needs``); this module only compares them
with the parameter files and names what is missing, and which materials the step could use instead.
"""

from __future__ import annotations

from typing import get_args

from twin.scenario.cell import CathodeMaterial, ElectrolyteMaterial

CHOICES = {"cell.electrolyte.material": get_args(ElectrolyteMaterial),
           "cell.cathode.material": get_args(CathodeMaterial)}


def _usable(need) -> list[str]:
    from process_models.parameters import load_material

    choices = need.choices or CHOICES.get(need.field, ())
    return [name for name in choices if all(key in load_material(name) for key in need.keys)]


def material_problems(scenario) -> list[str]:
    """One problem per step (or the cell) whose material lacks parameters the step reads."""
    # imported here: the operations import the physics layers, which import twin.scenario
    from process_models.parameters import load_material
    from twin.material_needs import cell_needs
    from twin.operations import operation_for

    problems: list[str] = []
    uses = [(f"route[{index}].{step.kind}", f"step '{step.name}'", operation_for(step).material_needs(scenario, step))
            for index, step in enumerate(scenario.route)]
    uses.append(("cell", "the cell", cell_needs(scenario)))
    for where, who, needs in uses:
        for need in needs:
            material = load_material(need.material)
            missing = [key for key in dict.fromkeys(need.keys) if key not in material]
            if not missing:
                continue
            usable = _usable(need)
            instead = f"; allowed for this step: {', '.join(usable)}" if usable else "; no listed material has them"
            problems.append(f"{where}: {need.field} '{need.material}' ({material.kind}) cannot be used by {who}: "
                            f"it has no {', '.join(missing)} (needed for {need.purpose}){instead}")
            break  # one problem per step: the first unmet need names the fault
    return problems


__all__ = ["material_problems"]
