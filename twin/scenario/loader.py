"""Read, override and validate scenarios: the one edge where untrusted input becomes a Scenario."""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from twin.scenario.errors import ScenarioError, problems_from_validation_error
from twin.scenario.model import Scenario

MAX_SCENARIO_BYTES = 2_000_000


class _StrictYamlLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: _StrictYamlLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            # '? [a, b]' makes a list (or mapping) a key: no scenario field is named by one
            raise yaml.constructor.ConstructorError(
                None, None, f"a {key_node.id} is used as a mapping key (line {key_node.start_mark.line + 1}); "
                "keys must be plain names", key_node.start_mark)
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is not a plain name (line {key_node.start_mark.line + 1})",
                key_node.start_mark)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' (line {key_node.start_mark.line + 1})", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_StrictYamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# YAML 1.1 (PyYAML) reads '1e6' and '1.5e3' as text: it wants a dot and a signed exponent; an engineer writing
# an MTBF of 1e6 h means the number, as YAML 1.2 and JSON read it. This resolver (YAML 1.2 core schema's float)
# is tried after PyYAML's own, so integers stay integers and only those exponent forms are new.
_FLOAT_WITH_EXPONENT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+$")


def _read_exponents_as_numbers(loader_class: type) -> None:
    loader_class.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_WITH_EXPONENT, list("-+.0123456789"))


# YAML 1.1 also reads '010' as octal 8, '0x10' as 16, '0b11' as 3 and '1:30' as base-60 90: an engineer
# writing 'machines: 010' or 'hold_time_min: 1:30' did not mean those numbers. Such a scalar stays text, so
# the schema rejects it naming the field ("'010' is not an integer"), as it already does for '08'.
_DECIMAL_INTEGER = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")


def _construct_decimal_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    text = loader.construct_scalar(node)
    if _DECIMAL_INTEGER.match(text):
        return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    return text


def _construct_float_without_base_60(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float | str:
    text = loader.construct_scalar(node)
    if ":" in text:
        return text
    return yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)


def _read_only_decimal_numbers(loader_class: type) -> None:
    loader_class.add_constructor("tag:yaml.org,2002:int", _construct_decimal_int)
    loader_class.add_constructor("tag:yaml.org,2002:float", _construct_float_without_base_60)


_read_exponents_as_numbers(_StrictYamlLoader)
_read_only_decimal_numbers(_StrictYamlLoader)

# libyaml's parser (when PyYAML was built with it) reads a scenario ~10x faster than the pure-Python one,
# with the same resolvers and constructors (Python side), so the same document. A document it refuses is
# parsed again by the pure-Python loader, so every error message and line number stays that loader's.
_FastStrictYamlLoader = None
if getattr(yaml, "__with_libyaml__", False):
    class _FastStrictYamlLoader(yaml.CSafeLoader):
        """CSafeLoader that refuses duplicate keys (the same constructor as _StrictYamlLoader)."""

    _FastStrictYamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _read_exponents_as_numbers(_FastStrictYamlLoader)
    _read_only_decimal_numbers(_FastStrictYamlLoader)


def parse_yaml_value(text: str) -> Any:
    """One value written on the command line (``--set path=value``, ``--grid``), read as a scenario file
    reads it: numbers (``1e6`` included), true/false, text, lists. Raises yaml.YAMLError."""
    return yaml.load(text, Loader=_StrictYamlLoader)  # noqa: S506 - SafeLoader subclass


def read_scenario_document(path: str | Path) -> dict[str, Any]:
    """Parse a YAML scenario file into a plain mapping (not yet validated)."""
    file_path = Path(path)
    label = str(path)
    if not file_path.is_file():
        raise ScenarioError([f"file not found: {label}"])
    if file_path.stat().st_size > MAX_SCENARIO_BYTES:
        raise ScenarioError([f"file is {file_path.stat().st_size} bytes; above the {MAX_SCENARIO_BYTES} byte limit"],
                            source=label)
    try:
        text = file_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError([f"not UTF-8 text ({exc.reason} at byte {exc.start})"], source=label) from None
    return parse_scenario_text(text, source=label)


# The deepest scenario path is route[i].sintering.profile[k].temperature_C (5 levels); 32 leaves room for
# any future block and stops a '[[[[...' bomb before the recursive YAML composer meets Python's stack limit.
MAX_NESTING_DEPTH = 32


def _check_nesting(text: str, source: str | None) -> None:
    """Refuse documents nested deeper than MAX_NESTING_DEPTH, reading the event stream (not recursive)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_StrictYamlLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_NESTING_DEPTH:
                    line = event.start_mark.line + 1
                    raise ScenarioError([f"YAML nesting deeper than {MAX_NESTING_DEPTH} levels at line {line}; "
                                         "a scenario is at most a few levels deep"], source=source)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return  # the syntax error is reported, with its line, by the full parse below


def _fast_parse(text: str) -> Any:
    """The document by libyaml, or None when it is unavailable or finds any problem (then the pure-Python
    loader parses it and reports)."""
    if _FastStrictYamlLoader is None:
        return None
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_FastStrictYamlLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_NESTING_DEPTH:
                    return None
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        return yaml.load(text, Loader=_FastStrictYamlLoader)  # noqa: S506 - CSafeLoader subclass
    except (yaml.YAMLError, RecursionError):
        return None


def parse_scenario_text(text: str, source: str | None = None) -> dict[str, Any]:
    document = _fast_parse(text)
    if isinstance(document, dict):
        return document
    _check_nesting(text, source)
    try:
        document = yaml.load(text, Loader=_StrictYamlLoader)  # noqa: S506 - SafeLoader subclass
    except RecursionError:
        raise ScenarioError([f"YAML nesting too deep (above {MAX_NESTING_DEPTH} levels)"], source=source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError([f"YAML syntax error at {where}{problem}"], source=source) from None
    if not isinstance(document, dict):
        raise ScenarioError(["a scenario file must be a mapping of fields at the top level"], source=source)
    return document


def validate_scenario(document: dict[str, Any], source: str | None = None) -> Scenario:
    """Validate a mapping against the schema; raise :class:`ScenarioError` listing every problem."""
    try:
        return Scenario.model_validate(document)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation_error(exc, Scenario), source=source) from None


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    document = read_scenario_document(path)
    if overrides:
        document = apply_overrides(document, overrides)
    return validate_scenario(document, source=str(path))


_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_\-]*)((?:\[\d+\])*)")


def _split_path(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for dotted in path.split("."):
        match = _SEGMENT.fullmatch(dotted)
        if not match:
            raise ScenarioError([f"override path '{path}': segment '{dotted}' is not a field name or name[index]"])
        parts.append(match.group(1))
        parts.extend(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    return parts


def apply_overrides(document: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``document`` with dotted-path overrides applied.

    Paths use the same form as error messages: ``route[3].profile[1].temperature_C``; a route step may
    also be addressed by name, ``route.sinter_electrolyte.cover_powder``. Only existing containers can be
    entered; a final key may be new (the schema then judges it).
    """
    updated = _copied_tree(document)
    for path, value in overrides.items():
        parts = _split_path(path)
        node: Any = updated
        for depth, part in enumerate(parts[:-1]):
            node = _enter(node, part, path, parts, depth, updated)
        last = parts[-1]
        if isinstance(last, int):
            if not isinstance(node, list) or not -len(node) <= last < len(node):
                raise ScenarioError([_index_problem(path, node, last)])
            node[last] = value
        elif isinstance(node, dict):
            node[last] = value
        else:
            raise ScenarioError([f"override path '{path}': '{last}' is not inside a mapping"])
    return updated


def _index_problem(path: str, node: Any, index: int) -> str:
    """The message for an index that does not exist: name the allowed indices (or say there is no list), so a
    user can correct ``profile[9]`` without opening the file."""
    if not isinstance(node, list):
        return f"override path '{path}': index {index} is out of range: the field there is not a list"
    if not node:
        return f"override path '{path}': index {index} is out of range: the list there is empty"
    return (f"override path '{path}': index {index} is out of range: the list there has {len(node)} "
            f"entries; allowed [0, {len(node) - 1}] (or [-{len(node)}, -1] from the end)")


_SCALARS = (str, int, float, bool, type(None))


def _copied_tree(value: Any) -> Any:
    """A deep copy of a parsed document: its dicts and lists copied, scalars shared (immutable), anything
    else by ``copy.deepcopy``. ~4x faster than ``copy.deepcopy`` of the whole document (its memo table),
    which was ~0.4 ms of each /evaluate request with overrides. A YAML alias becomes two copies."""
    if isinstance(value, dict):
        return {key: _copied_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied_tree(item) for item in value]
    if isinstance(value, _SCALARS):
        return value
    return copy.deepcopy(value)


def _enter(node: Any, part: str | int, path: str, parts: list[str | int], depth: int, root: dict) -> Any:
    if isinstance(part, int):
        if isinstance(node, list) and -len(node) <= part < len(node):
            return node[part]
        raise ScenarioError([_index_problem(path, node, part)])
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list):
        for item in node:
            if isinstance(item, dict) and item.get("name") == part:
                return item
        names = [item.get("name") for item in node if isinstance(item, dict)]
        raise ScenarioError([f"override path '{path}': no step named '{part}'; steps are {names}"])
    # a mistyped or misplaced path (line.dry_room.dew_point_C for line.zones.dry_room.dew_point_C): the
    # nearest paths the scenario has; the whole-block hint alone sent the user on to another error
    nearest = _nearest_paths(path, _dotted(parts[:depth]), _leaf_paths(root))
    problem = f"override path '{path}': '{part}' does not exist in this scenario"
    if nearest:
        problem += "; did you mean " + " or ".join(f"'{candidate}'" for candidate in nearest) + "?"
    # the block hint only where the name is neither elsewhere in the scenario (misplaced) nor a typo of a
    # field here: then it may be an optional block the file leaves out (a step's vapour_confinement), which
    # can only be given whole
    misplaced = any(part in candidate.split(".") for candidate in nearest)
    typo = isinstance(node, dict) and difflib.get_close_matches(part, [str(key) for key in node], n=1, cutoff=0.8)
    if not misplaced and not typo:
        block = _dotted(parts[:depth + 1])
        problem += (f"{' Or, ' if nearest else '; '}to add it, override '{block}' with the whole block (a mapping "
                    "of its fields)")
    raise ScenarioError([problem])


def _dotted(parts: list[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(parts))


def _nearest_paths(path: str, entered: str, leaves: list[str], count: int = 3) -> list[str]:
    """The scenario's paths most like ``path`` (difflib ratio >= 0.6), the part past the containers the path
    did enter (``entered``) compared: among the paths under them, then (ratio >= 0.8) by their last as many
    segments elsewhere (a block put in the wrong place). Whole paths are not compared: a long shared prefix
    (route.electrolyte_sintering.) made any field of the step look close. The citations under ``sources``
    only for a path into them."""
    if not path.startswith("sources"):
        leaves = [leaf for leaf in leaves if not leaf.startswith("sources")]
    if not entered:
        return difflib.get_close_matches(path, leaves, n=count, cutoff=0.6)
    inside = {leaf[len(entered):]: leaf for leaf in leaves
              if leaf.startswith(entered) and leaf[len(entered):len(entered) + 1] in (".", "[")}
    close = difflib.get_close_matches(path[len(entered):], list(inside), n=count, cutoff=0.6)
    if close:
        return [inside[rest] for rest in close]
    tail = path[len(entered):].lstrip(".")
    segments = tail.count(".") + 1
    tails: dict[str, str] = {}
    for leaf in leaves:
        tails.setdefault(".".join(leaf.split(".")[-segments:]), leaf)
    return [tails[end] for end in difflib.get_close_matches(tail, list(tails), n=count, cutoff=0.8)]


def _leaf_paths(node: Any, prefix: str = "") -> list[str]:
    """Every override path to a value of the document (route steps by name, other lists by index)."""
    if isinstance(node, dict):
        return [leaf for key, item in node.items()
                for leaf in _leaf_paths(item, f"{prefix}.{key}" if prefix else str(key))]
    if isinstance(node, list) and node and all(isinstance(item, dict) for item in node):
        named = all(isinstance(item.get("name"), str) for item in node)
        return [leaf for i, item in enumerate(node)
                for leaf in _leaf_paths(item, f"{prefix}.{item['name']}" if named else f"{prefix}[{i}]")]
    return [prefix]


def canonical_json(scenario: Scenario) -> str:
    return json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


# Hashes already known for scenario objects (models are frozen, so an object's hash cannot change): an
# evaluation worker is handed the hash the server made from the same validated scenario, and the
# canonical JSON dump it saves is ~1 ms of an evaluation. The scenario is held so its id is not reused.
_KNOWN_HASHES: dict[int, tuple[Scenario, str]] = {}
_KNOWN_HASHES_SIZE = 8  # assumption: a worker evaluates one scenario at a time


def remember_scenario_hash(scenario: Scenario, digest: str) -> None:
    """Record ``digest`` as :func:`scenario_hash` of ``scenario`` (made by the caller from this same scenario)."""
    if len(_KNOWN_HASHES) >= _KNOWN_HASHES_SIZE:
        _KNOWN_HASHES.clear()
    _KNOWN_HASHES[id(scenario)] = (scenario, digest)


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the canonical JSON form: equal scenarios hash equally whatever their file layout."""
    known = _KNOWN_HASHES.get(id(scenario))
    if known is not None and known[0] is scenario:
        return known[1]
    return hash_of_canonical_json(canonical_json(scenario))


def hash_of_canonical_json(text: str) -> str:
    """:func:`scenario_hash` from a canonical JSON text already made (callers that keep the text too)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


__all__ = [
    "apply_overrides",
    "canonical_json",
    "hash_of_canonical_json",
    "load_scenario",
    "parse_scenario_text",
    "read_scenario_document",
    "remember_scenario_hash",
    "scenario_hash",
    "validate_scenario",
]
