"""Turn schema violations into messages an engineer can act on.

Every line names the field path (``route[3].sintering.profile[1].temperature_C``), the bad value
and the allowed range or choices; unknown keys get a "did you mean" from the keys that exist there.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError


class ScenarioError(ValueError):
    """A scenario (file, override or request body) is invalid. ``problems`` holds one line per fault."""

    def __init__(self, problems: list[str], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        header = f"{source}: " if source else ""
        if len(self.problems) == 1:
            text = header + self.problems[0]
        else:
            text = f"{header}{len(self.problems)} problems\n" + "\n".join(f"  {p}" for p in self.problems)
        super().__init__(text)


def format_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may hold (Optional/Union/Annotated peeled off)."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        result: list[Any] = []
        for arg in get_args(annotation):
            result.extend(_unwrap(arg))
        return result
    return [annotation]


def _types_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[Any]:
    current: list[Any] = [model]
    for item in loc:
        following: list[Any] = []
        for candidate in current:
            origin = get_origin(candidate)
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                field = candidate.model_fields.get(str(item))
                if field is not None:
                    following.extend(_unwrap(field.annotation))
            elif origin in (list, tuple) and isinstance(item, int):
                following.extend(_unwrap(get_args(candidate)[0]))
            elif origin is dict and isinstance(item, str):
                following.extend(_unwrap(get_args(candidate)[1]))
            if isinstance(candidate, type) and issubclass(candidate, BaseModel) and isinstance(item, str):
                kind = candidate.model_fields.get("kind")
                if kind is not None and item in get_args(kind.annotation):
                    following.append(candidate)
        current = following
    return current


def _known_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    keys: list[str] = []
    for candidate in _types_at(model, loc):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            keys.extend(candidate.model_fields)
    return sorted(set(keys))


def _message(error: dict[str, Any], model: type[BaseModel]) -> str:
    kind = error["type"]
    loc = tuple(error["loc"])
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        field = str(loc[-1])
        known = _known_keys(model, loc[:-1])
        close = difflib.get_close_matches(field, known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else (f"; allowed: {', '.join(known)}" if known else "")
        return f"unknown field '{field}'{hint}"
    if kind == "missing":
        return "required field is missing"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        expected = "an integer" if kind.startswith("int") else "a number"
        return f"{_short(value)} is not {expected}"
    if kind == "finite_number":
        return f"{_short(value)} is not a finite number"
    if kind in ("bool_parsing", "bool_type"):
        return f"{_short(value)} is not true or false"
    if kind == "literal_error":
        return f"{_short(value)} is not one of {ctx.get('expected', '')}"
    if kind == "union_tag_invalid":
        expected = str(ctx.get("expected_tags", ""))
        tags = [t.strip(" '") for t in expected.split(",")]
        close = difflib.get_close_matches(str(ctx.get("tag", "")), tags, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"kind {_short(ctx.get('tag'))} is not one of {expected}{hint}"
    if kind == "union_tag_not_found":
        return "'kind' is missing; every route step names its kind"
    if kind == "too_long":
        # the size limits of twin.scenario.limits: say how many there are and what is allowed
        count = ctx.get("actual_length")
        if count is None and isinstance(value, (list, tuple, dict)):
            count = len(value)
        return (f"{count if count is not None else 'too many'} entries is above the limit of "
                f"{ctx.get('max_length')}; allowed at most {ctx.get('max_length')}")
    if kind == "string_too_long":
        return f"text of {len(value) if isinstance(value, str) else '?'} characters is above the limit of " \
               f"{ctx.get('max_length')} characters"
    if kind == "too_short":
        # pydantic's "List should have at least 1 item after validation" reads as a library message
        count = ctx.get("actual_length")
        if count is None and isinstance(value, (list, tuple, dict)):
            count = len(value)
        return (f"{count if count is not None else 'too few'} entries is below the minimum of "
                f"{ctx.get('min_length')}; allowed at least {ctx.get('min_length')}")
    if kind == "string_pattern_mismatch":
        return f"{_short(value)} does not match the pattern {ctx.get('pattern')}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{_short(value)} is not a mapping of fields"
    if kind == "list_type":
        return f"{_short(value)} is not a list"
    msg = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    return msg


def problems_from_validation_error(error: ValidationError, model: type[BaseModel]) -> list[str]:
    problems: list[str] = []
    for item in error.errors(include_url=False):
        path = format_path(tuple(item["loc"]))
        for line in _message(item, model).split("\n"):
            if _has_own_path(line):
                problems.append(line)
                continue
            head, sep, rest = line.partition(": ")
            if sep and path and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", head):
                # a rule inside a block that names one of the block's own fields
                problems.append(f"{path}.{head}: {rest}")
            elif path:
                problems.append(f"{path}: {line}")
            else:
                problems.append(line)
    return problems


def _has_own_path(line: str) -> bool:
    head = line.split(":", 1)[0]
    return ":" in line and " " not in head and head.split(".")[0].split("[")[0] in _ROOT_FIELDS


_ROOT_FIELDS = {
    "schema_version", "name", "description", "seed", "cell", "route", "line", "costs", "plant", "variation",
    "optimisation", "sources",
}

__all__ = ["ScenarioError", "format_path", "problems_from_validation_error"]
