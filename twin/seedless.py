"""Figures kept per scenario without its seed: the seed variants of one scenario share them.

The API evaluates many seeds of one scenario (a client sampling the evaluation's spread), each as a new
scenario object: the server's and the worker's seed variants are ``model_copy(update={"seed": ...})`` of one
validated scenario, which share every other field's object. A figure that reads the scenario but not its
seed (a station's timing, a check's missed-share table) kept per whole scenario object was computed afresh
for every seed; kept per the objects of the other fields it is computed once per scenario.

Scenario models are frozen (twin.scenario.cell.Strict), so the same field objects mean the same figures;
an entry holds those objects, so an id is never reused while the entry lives, and a look-up checks them
by identity (equal but distinct objects only miss: never another scenario's figures).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

SEED_FIELD = "seed"

Value = TypeVar("Value")


def seedless_parts(scenario: Any) -> tuple:
    """The scenario's type and its field values but the seed, in field order (the cache's key objects)."""
    fields = scenario.__dict__
    return (type(scenario), *(value for name, value in fields.items() if name != SEED_FIELD))


class SeedlessCache(Generic[Value]):
    """A bounded map from a scenario's :func:`seedless_parts` to one value (cleared whole when full: the
    API samples a few scenarios at once, an optimisation's candidates are each asked once)."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._entries: dict[tuple[int, ...], tuple[tuple, Value]] = {}
        # the scenario object asked last and its value: an evaluation asks for one scenario's figures dozens of
        # times (~1 us instead of ~3 us to build and check the key)
        self._last: tuple[Any, Value] | None = None

    def get(self, scenario: Any) -> Value | None:
        last = self._last
        if last is not None and last[0] is scenario:
            return last[1]
        parts = seedless_parts(scenario)
        entry = self._entries.get(tuple(map(id, parts)))
        if entry is None or any(kept is not part for kept, part in zip(entry[0], parts, strict=True)):
            return None
        self._last = (scenario, entry[1])
        return entry[1]

    def put(self, scenario: Any, value: Value) -> Value:
        parts = seedless_parts(scenario)
        if len(self._entries) >= self.capacity:
            self._entries.clear()
        self._entries[tuple(map(id, parts))] = (parts, value)
        self._last = (scenario, value)
        return value

    def clear(self) -> None:
        self._entries.clear()
        self._last = None


__all__ = ["SeedlessCache", "seedless_parts"]
