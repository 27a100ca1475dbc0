"""Turn the ``scenario`` + ``overrides`` of a request body into a validated Scenario, or 422 details.

A library name is only ever compared against the library listing (never joined into a path by us); a
scenario object goes through the same ``apply_overrides`` + ``validate_scenario`` edge as the CLI.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import pickle
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from twin.scenario import (
    Scenario,
    ScenarioError,
    apply_overrides,
    canonical_json,
    validate_scenario,
)
from twin.scenario.library import library_dir, library_document, library_names, library_path
from twin.scenario.loader import hash_of_canonical_json

LISTING_TTL_S = 2.0  # a library file added or removed is seen within this time

# "route[3].sintering.profile[1].temperature_C: 1900 is above ..." -> path, message
_PROBLEM = re.compile(r"^([A-Za-z_][\w\-]*(?:\[\d+\])*(?:\.[A-Za-z_][\w\-]*(?:\[\d+\])*)*): (.+)$", re.S)
_PATH_PART = re.compile(r"([A-Za-z_][\w\-]*)|\[(\d+)\]")


class RequestInputError(Exception):
    """Invalid request content: ``details`` become the 422 ``detail`` list ({loc, msg, type})."""

    def __init__(self, details: list[dict[str, Any]]):
        super().__init__("; ".join(str(item["msg"]) for item in details))
        self.details = details


def problem_details(problems: list[str], prefix: list[str | int], kind: str) -> list[dict[str, Any]]:
    """One detail per ScenarioError line; the line's field path becomes ``loc`` after ``prefix``."""
    details = []
    for line in problems:
        match = _PROBLEM.match(line)
        if match:
            loc = list(prefix) + [
                int(index) if index else name for name, index in _PATH_PART.findall(match[1])
            ]
            details.append({"loc": loc, "msg": f"{match[1]}: {match[2]}", "type": kind})
        else:
            details.append({"loc": list(prefix), "msg": line, "type": kind})
    return details


@dataclass(frozen=True)
class ResolvedScenario:
    scenario: Scenario
    scenario_hash: str
    scenario_json: str
    # SHA-256 of the canonical JSON without the seed, when known (a seed variant): equal keys, equal scenarios
    # but for the seed (an evaluation worker reuses the parts of one it has seen, api.worker)
    seedless_key: str | None = None
    # a seed variant's seed-less scenario pickled once per server (api.worker.SeedVariantInput): a worker that
    # kept that scenario takes only the seed, instead of unpickling the whole scenario every request
    seed_base_pickle: bytes | None = None


class LibraryCache:
    """Parsed library documents, re-read only when a file's modification time changes."""

    def __init__(self) -> None:
        self._documents: dict[str, tuple[int, dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._listing: tuple[float, list[str], Any] = (-LISTING_TTL_S, [], None)

    def _current_listing(self) -> tuple[list[str], Any]:
        stamp, names, folder = self._listing
        now = time.monotonic()
        if now - stamp >= LISTING_TTL_S:
            names, folder = library_names(), library_dir()
            self._listing = (now, names, folder)
        return names, folder

    def names(self) -> list[str]:
        """The library listing (re-read at most every LISTING_TTL_S seconds)."""
        return list(self._current_listing()[0])

    def file_stamp(self, name: str) -> int | None:
        """Modification time of a listed library file; None if it is not listed or has gone."""
        names, folder = self._current_listing()
        if name not in names:
            return None
        try:
            return (folder / f"{name}.yaml").stat().st_mtime_ns
        except OSError:
            return None

    def document(self, name: str) -> dict[str, Any]:
        """A deep copy of the library document ``name``; ScenarioError if it is not in the listing."""
        return copy.deepcopy(self.shared_document(name))

    def shared_document(self, name: str) -> dict[str, Any]:
        """The cached library document ``name`` itself, for callers that only read it (validation, or
        ``apply_overrides``, which copies): no deep copy per request."""
        names, folder = self._current_listing()
        # checked against the listing (re-read at most every LISTING_TTL_S, not per request: a directory
        # scan was ~0.1 ms of each new request); a name not in it goes to library_path, which reads the
        # listing afresh and names what is available
        path = folder / f"{name}.yaml" if name in names else library_path(name)
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:  # removed since the listing was read: as before, library_path says so
            path = library_path(name)
            stamp = path.stat().st_mtime_ns
        with self._lock:
            cached = self._documents.get(name)
        if cached is None or cached[0] != stamp:
            cached = (stamp, library_document(name))
            with self._lock:
                self._documents[name] = cached
        return cached[1]


def request_fingerprint(
    scenario_field: str | dict[str, Any], overrides: dict[str, Any], library: LibraryCache
) -> str | None:
    """A key for the request form of a scenario (library name + file stamp, or the object) plus overrides.

    Equal fingerprints validate to the same scenario, so a server that has seen one can skip validation and
    go straight to the cache. None when the request cannot be fingerprinted cheaply (unknown library name).
    """
    if isinstance(scenario_field, str):
        stamp = library.file_stamp(scenario_field)
        if stamp is None:
            return None
        source: Any = ["library", scenario_field, stamp]
    else:
        source = ["object", scenario_field]
    try:
        text = json.dumps([source, overrides], sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def resolve_scenario(
    scenario_field: str | dict[str, Any], overrides: dict[str, Any], library: LibraryCache
) -> ResolvedScenario:
    """Validated scenario from a request; raises :class:`RequestInputError` naming the bad field.

    A request that differs from one seen before only by its ``seed`` override reuses that validation
    (:class:`SeedVariants`); anything else, and every invalid request, goes through the full validation."""
    if overrides and SEED_FIELD in overrides:
        variant = SEED_VARIANTS.resolve(scenario_field, overrides, library)
        if variant is not None:
            return variant
    return _validated(scenario_field, overrides, library)


def _validated(
    scenario_field: str | dict[str, Any], overrides: dict[str, Any], library: LibraryCache
) -> ResolvedScenario:
    """:func:`resolve_scenario` by ``apply_overrides`` and the whole schema's validation."""
    if isinstance(scenario_field, str):
        if scenario_field not in library.names():
            available = ", ".join(library.names()) or "none"
            raise RequestInputError(
                [
                    {
                        "loc": ["body", "scenario"],
                        "msg": f"scenario '{scenario_field[:64]}' is not in the library; "
                        f"available: {available}",
                        "type": "unknown_scenario",
                    }
                ]
            )
        # read only from here on: apply_overrides copies, validation does not change its input
        document = library.shared_document(scenario_field)
    else:
        document = scenario_field
    if overrides:
        try:
            document = apply_overrides(document, overrides)
        except ScenarioError as exc:
            raise RequestInputError(
                problem_details(exc.problems, ["body", "overrides"], "override")
            ) from None
    try:
        scenario = validate_scenario(document)
    except ScenarioError as exc:
        raise RequestInputError(problem_details(exc.problems, ["body", "scenario"], "scenario")) from None
    text = canonical_json(scenario)  # once: the hash is the SHA-256 of this same text
    return ResolvedScenario(scenario, hash_of_canonical_json(text), text)


SEED_FIELD = "seed"
_SEED_VALUE = TypeAdapter(Scenario.model_fields[SEED_FIELD].rebuild_annotation())
_JSON_PARTS = {"sort_keys": True, "separators": (",", ":")}  # twin.scenario.canonical_json's form


@dataclass(frozen=True)
class _SeedBase:
    """A validated scenario and its canonical JSON, one top-level field at a time (keys sorted)."""

    scenario: Scenario
    field_texts: dict[str, str]

    @functools.cached_property
    def seedless_key(self) -> str:
        """SHA-256 of the canonical JSON's top-level fields but the seed (every seed variant's own)."""
        return hash_of_canonical_json(
            "{" + ",".join(f"{json.dumps(key)}:{value}" for key, value in self.field_texts.items()
                           if key != SEED_FIELD) + "}")

    @functools.cached_property
    def pickled(self) -> bytes:
        """The validated scenario pickled, once (what the pool would send a worker for every request)."""
        return pickle.dumps(self.scenario)

    def with_seed(self, seed: int) -> ResolvedScenario:
        scenario = self.scenario.model_copy(update={SEED_FIELD: seed})
        seed_text = json.dumps(scenario.model_dump(mode="json", include={SEED_FIELD})[SEED_FIELD], **_JSON_PARTS)
        # json.dumps(sort_keys=True) of the whole dump writes these same parts in this order
        text = "{" + ",".join(
            f"{json.dumps(key)}:{seed_text if key == SEED_FIELD else value}"
            for key, value in self.field_texts.items()
        ) + "}"
        return ResolvedScenario(scenario, hash_of_canonical_json(text), text, self.seedless_key, self.pickled)


class SeedVariants:
    """Validated scenarios by request form without its seed, for requests that differ only by ``seed``.

    The API gets many seeds of one scenario (a client sampling the evaluation's spread): the schema's
    validation (~1.3 ms), the override copy of the document and the canonical JSON dump were ~2 ms of
    server CPU per new request. The seed is checked against its own field's rule; the scenario is the
    validated one with that seed (``model_copy``: no model rule reads the seed, and every other field is
    what the same request without the seed validated to); its canonical JSON is the validated one's
    top-level fields with the seed's text put in. A seed the field refuses, a request form that cannot be
    fingerprinted, or one whose seed-less form does not validate goes through the full validation, so
    every error message stays the same.
    """

    def __init__(self, capacity: int = 16):  # assumption: a few scenarios sampled at once per server
        self.capacity = capacity
        self._bases: OrderedDict[str, _SeedBase] = OrderedDict()
        self._lock = threading.Lock()
        # seed-less forms being validated, each by one thread: the first seeds of a new scenario come at once
        # (20 clients start sampling together) and each validated the same form (~2 ms of server CPU apiece)
        self._validating: dict[str, threading.Lock] = {}

    def resolve(
        self, scenario_field: str | dict[str, Any], overrides: dict[str, Any], library: LibraryCache
    ) -> ResolvedScenario | None:
        """The request's scenario, or None when it must go through the full validation."""
        return self._resolve(scenario_field, overrides, library, validate=True)

    def known(
        self, scenario_field: str | dict[str, Any], overrides: dict[str, Any], library: LibraryCache
    ) -> ResolvedScenario | None:
        """The request's scenario if its seed-less form was validated before, else None; never validates
        (~0.05 ms: cheap enough for the server's event loop)."""
        if not overrides or SEED_FIELD not in overrides:
            return None
        return self._resolve(scenario_field, overrides, library, validate=False)

    def _resolve(self, scenario_field: str | dict[str, Any], overrides: dict[str, Any], library: LibraryCache,
                 validate: bool) -> ResolvedScenario | None:
        seed = overrides[SEED_FIELD]
        if type(seed) is not int:  # bool, float, text: the full validation decides and words the error
            return None
        try:
            if _SEED_VALUE.validate_python(seed) != seed:
                return None
        except ValueError:
            return None
        rest = {path: value for path, value in overrides.items() if path != SEED_FIELD}
        key = request_fingerprint(scenario_field, rest, library)
        if key is None:
            return None
        with self._lock:
            base = self._bases.get(key)
            if base is not None:
                self._bases.move_to_end(key)
        if base is None:
            if not validate:
                return None
            base = self._validated_base(key, scenario_field, rest, library)
            if base is None:
                return None
        return base.with_seed(seed)

    def _validated_base(self, key: str, scenario_field: str | dict[str, Any], rest: dict[str, Any],
                        library: LibraryCache) -> _SeedBase | None:
        """The seed-less form ``key`` validated and kept, once: a request that comes while another thread
        validates the same form waits for it and takes its result (None: the form does not validate here)."""
        with self._lock:
            validating = self._validating.setdefault(key, threading.Lock())
        try:
            with validating:
                with self._lock:
                    base = self._bases.get(key)
                if base is not None:  # validated by the request this one waited for
                    return base
                try:
                    resolved = _validated(scenario_field, rest, library)
                except RequestInputError:
                    return None
                dump = resolved.scenario.model_dump(mode="json")
                base = _SeedBase(resolved.scenario,
                                 {key_: json.dumps(dump[key_], **_JSON_PARTS) for key_ in sorted(dump)})
                if SEED_FIELD not in base.field_texts:
                    return None
                base.pickled  # noqa: B018 - pickled once here, not by the event loop at its first seed variant
                with self._lock:
                    self._bases[key] = base
                    while len(self._bases) > self.capacity:
                        self._bases.popitem(last=False)
                return base
        finally:
            with self._lock:
                if self._validating.get(key) is validating and not validating.locked():
                    del self._validating[key]


SEED_VARIANTS = SeedVariants()


__all__ = [
    "LibraryCache",
    "SEED_VARIANTS",
    "SeedVariants",
    "RequestInputError",
    "ResolvedScenario",
    "problem_details",
    "request_fingerprint",
    "resolve_scenario",
]
