"""Size limits of one scenario: what a single validated scenario may cost to read, evaluate and store.

The physics bounds (temperatures, fractions) live next to each field; these limits bound the *size* of
a scenario, so that a schema-valid file cannot exhaust memory or hold a worker for minutes. Each is an
assumption sized from the scenario library (largest: 11 route steps, 3 profile segments, 18 sub-layer
firings, 93 machines, 37 sources) with ample head-room; docs/api.md lists them all.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

# assumption: 4x the longest library route; a real cell line has 10-20 unit operations
MAX_ROUTE_STEPS = 40
# assumption: a firing schedule of more than 24 ramp/hold segments is not a furnace programme
MAX_PROFILE_SEGMENTS = 24
# assumption: segments x cycles fired per step; the library's largest is 2 x 18 = 36. Evaluation memory and
# time grow with this product (about 1 MB per segment-firing at 3000 sample sheets).
MAX_SEGMENT_FIRINGS = 200
# assumption: about 10x the largest library plant (93 machines); a DES run holds one process per machine
MAX_MACHINES_PER_LINE = 1000
# free text: an entry of ``sources`` is a citation or a one-paragraph assumption, not a document
MAX_SOURCES = 300
MAX_SOURCE_KEY_CHARS = 200
MAX_SOURCE_TEXT_CHARS = 2000
MAX_DESCRIPTION_CHARS = 4000
MAX_NAME_CHARS = 64  # material names, price keys
MAX_PRICE_ENTRIES = 100
MAX_OPTIMISER_LIST = 100  # sintering_steps, shift_patterns, cover_powder choices

StepName = Annotated[
    str,
    Field(pattern=r"^[a-z][a-z0-9_]{0,47}$", description="lower_snake_case identifier, unique in the route"),
]
SourceKey = Annotated[str, StringConstraints(min_length=1, max_length=MAX_SOURCE_KEY_CHARS)]
SourceText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_SOURCE_TEXT_CHARS)]
ShortName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_CHARS)]


def bounded_list(max_items: int, **kwargs):
    """A list field with at most ``max_items`` entries (``Field`` shorthand)."""
    return Field(max_length=max_items, **kwargs)


__all__ = [
    "MAX_DESCRIPTION_CHARS", "MAX_MACHINES_PER_LINE", "MAX_NAME_CHARS", "MAX_OPTIMISER_LIST",
    "MAX_PRICE_ENTRIES", "MAX_PROFILE_SEGMENTS", "MAX_ROUTE_STEPS", "MAX_SEGMENT_FIRINGS", "MAX_SOURCES",
    "MAX_SOURCE_KEY_CHARS", "MAX_SOURCE_TEXT_CHARS", "ShortName", "SourceKey", "SourceText", "StepName", "bounded_list",
]
