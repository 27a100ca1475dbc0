"""The ``--set`` paths that turn a scenario into the optimiser's design: what a user types to apply it.

The optimiser's recipe labels (``electrolyte_sintering.sintering_peak_temperature_C``) are names of its
search space, not scenario fields: the peak temperature lives in ``route.electrolyte_sintering.profile[1]
.temperature_C``. Each path here is found by comparing the scenario the optimiser read with the scenario it
wrote, leaf by leaf, in the form ``ssb-twin evaluate FILE --set PATH=VALUE`` reads (twin.scenario.loader
``apply_overrides``: route steps by name, lists by index; a block the file leaves out is given whole).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml

# a path segment the override reader takes as a name (twin.scenario.loader._SEGMENT without the index)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def set_value_text(value: Any) -> str:
    """``value`` written so ``--set`` reads back the same value (YAML; floats exact, with a decimal point)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no --set text for {value!r}: a scenario holds finite numbers only")
        text = repr(value)
        mantissa, e, exponent = text.partition("e")
        if e and "." not in mantissa:   # YAML 1.1 reads 1e-05 as text, 1.0e-05 as a number
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, dict)):
        return "[" + ", ".join(set_value_text(v) for v in value) + "]" if isinstance(value, list) else \
            "{" + ", ".join(f"{k}: {set_value_text(v)}" for k, v in value.items()) + "}"
    from twin.scenario.loader import parse_yaml_value

    text = str(value)
    try:
        plain = parse_yaml_value(text) == value
    except yaml.YAMLError:
        plain = False
    # text the reader would take for a number, bool or list ('1e3', 'true') is quoted (YAML reads JSON quotes)
    return text if plain else json.dumps(text)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _changes(path: str, before: Any, after: Any, present: Any) -> list[tuple[str, Any]]:
    """(path, value) of every leaf of ``after`` that differs from ``before``; ``present``: the same place in
    the document the file gives (None where the file leaves the block out: the block is then given whole)."""
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict) and isinstance(present, dict) \
            and set(before) == set(after):
        found = []
        for key in after:
            if before[key] == after[key]:
                continue
            if not _NAME.fullmatch(str(key)):
                return [(path, after)]   # a key the reader cannot name: its block whole
            # a block the file leaves out has no present counterpart: it is given whole (a new leaf is fine)
            found += _changes(_join(path, key), before[key], after[key], present.get(key))
        return found
    if isinstance(before, list) and isinstance(after, list) and isinstance(present, list) \
            and len(before) == len(after) == len(present):
        named = path == "route"   # route steps by name, as a user writes them (their order may not be known)
        found = []
        for index, (old, new, given) in enumerate(zip(before, after, present, strict=True)):
            key = new["name"] if named and isinstance(new, dict) and _NAME.fullmatch(str(new.get("name"))) \
                else index
            found += _changes(_join(path, key), old, new, given)
        return found
    return [(path, after)]


def design_set_paths(read: dict, written: dict, document: dict) -> list[tuple[str, Any]]:
    """``[(path, value)]`` that turn the scenario ``read`` into ``written`` (both ``model_dump(mode="json")``);
    ``document``: the file as read (YAML mapping, with the command's own ``--set`` applied), whose blocks a
    path can enter."""
    return _changes("", read, written, document)


def recipe_set_path(scenario, label: str) -> str:
    """The ``--set`` path of an optimiser recipe label ``step.field`` in ``scenario`` (the one it searched):
    where the step's operation writes that field (twin.operations ``set_recipe_field``)."""
    from twin.operations import operation_for

    step_name, _, field = label.rpartition(".")
    step = scenario.step(step_name)
    data = step.model_dump(mode="json")
    marker = object()
    operation_for(step).set_recipe_field(data, field, marker)
    where = _find(data, marker)
    if where is None:
        raise LookupError(f"recipe field {label!r}: its operation writes no field of step {step_name!r}")
    return "route." + step_name + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in where)


def _find(node: Any, marker: object, trail: tuple = ()) -> tuple | None:
    if node is marker:
        return trail
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found = _find(value, marker, (*trail, key))
        if found is not None:
            return found
    return None


def designed_description(read: dict, written: dict, objective: str, max_chars: int) -> str:
    """The ``description`` of the scenario optimise writes: whose design it is and what it changed, then the
    original's description marked as such (the written pilot line still read "two box kilns, cover powder, two
    shifts five days" with 1 kiln, no cover powder and 3 shifts set). ``read``/``written``: both
    ``model_dump(mode="json")``; at most ``max_chars`` (the schema's limit), the list shortened to fit."""
    changes = [f"{path}={f'{value:.4g}' if isinstance(value, float) else set_value_text(value)}"
               for path, value in design_set_paths(read, written, read)]
    original = " ".join(str(read.get("description", "")).split())
    head = f"The optimiser's design (ssb-twin optimise, objective {objective}) of {read.get('name')}"
    for shown in range(len(changes), -1, -1):
        more = f" and {len(changes) - shown} more" if shown < len(changes) else ""
        listed = f", changing {'; '.join(changes[:shown])}{more}." if changes else ", changing nothing."
        text = f"{head}{listed} The original's description: {original}"
        if len(text) <= max_chars:
            return text
    return text[:max_chars]


__all__ = ["design_set_paths", "designed_description", "recipe_set_path", "set_value_text"]
