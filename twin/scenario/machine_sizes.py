"""Machine sizes: a station's machine offered in several sizes along one axis, priced by exponents.

The station's own fields describe the reference machine. ``sizes`` names the axis that grows the
machine (continuous: web width, line speed, heated, dryer or deposition-zone length; batch: the load,
i.e. kiln volume; discrete: parallel heads), the sizes on offer, and the installed ``size``. A machine
of size s has capex, operators and floor area ``reference x (s / reference size) ** exponent``
(twin.cost.scaling_law, BatPaC V5's volume-ratio rule); its capacity follows from the axis through the
same timing and physics as the reference machine (twin.capacity).

Power (metered run power, idle draw, furnace thermal mass and wall losses) scales with the size ratio
itself (assumption: energy per sheet at full speed does not depend on the machine's size; we found no
source for size exponents of these machines' power, and a heat-loss exponent below 1 would make a big
kiln's energy an economy of scale nobody measured here).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import numpy as np
from pydantic import Field, TypeAdapter, ValidationError, model_validator

from twin.scenario.cell import Strict
from twin.scenario.quantities import Quantity

# What grows the machine, per station kind. Every axis except ``parallel_heads`` is a station field whose
# value is the reference size; a discrete machine's reference has one head.
SIZE_AXES: dict[str, tuple[str, ...]] = {
    "continuous": ("web_width_m", "line_speed_m_per_min", "heated_length_m", "dryer_length_m",
                   "deposition_zone_length_m"),
    "batch": ("batch_capacity_sheets",),
    "discrete": ("parallel_heads",),
}
SizeAxis = Literal["web_width_m", "line_speed_m_per_min", "heated_length_m", "dryer_length_m",
                   "deposition_zone_length_m", "batch_capacity_sheets", "parallel_heads"]
HEADS_AXIS = "parallel_heads"
# assumption: beyond 64 heads in one frame a discrete machine is a line of machines, not one machine
MAX_PARALLEL_HEADS = 64
MAX_SIZE_OPTIONS = 12
# sized copies by (id of the listed station, size): the optimiser asks for the same few thousands of times
_SIZED: dict[tuple[int, float], tuple[object, object]] = {}
_SIZED_CACHE_ENTRIES = 4096


class MachineSizes(Strict):
    """Sizes of one station's machine; capex, labour and floor area follow ``reference x ratio ** exponent``."""

    axis: SizeAxis = Field(description="what grows the machine: a station field (its value is the reference "
                                       "size) or parallel_heads for a discrete machine (reference: one head)")
    options: list[Quantity(0, lo_open=True, why_lo="a machine size is positive")] = Field(
        min_length=1, max_length=MAX_SIZE_OPTIONS,
        description="sizes on offer, in the axis' unit; each within the axis field's own range")
    size: Quantity(0, lo_open=True, why_lo="a machine size is positive") | None = Field(
        None, description="the installed size: the reference (left out) or one of the options")
    # BatPaC V5 volume-ratio exponents (cost-notes §1.2; Nelson et al., BatPaC V5 manual, ANL 2022):
    # capital 0.9-0.95 by step (0.95 the weaker economy of scale), labour 0.7, floor area 0.95
    capex_exponent: Quantity(0, 1.5, why_hi="above 1.5 a bigger machine costs far more than two small ones") = 0.95
    labour_exponent: Quantity(0, 1.5, why_hi="above 1.5 a bigger machine needs far more crew than two small ones") = 0.7
    floor_area_exponent: Quantity(0, 1.5, why_hi="above 1.5 a bigger machine needs far more floor than two small "
                                                 "ones") = 0.95

    @model_validator(mode="after")
    def _distinct(self) -> MachineSizes:
        seen = set()
        for k, value in enumerate(self.options):
            if value in seen:
                raise ValueError(f"options[{k}]: {value:g} is listed twice")
            seen.add(value)
        return self


def reference_size(station) -> float:
    """The size the station's own capex, operators and floor area are given at."""
    axis = station.sizes.axis
    return 1.0 if axis == HEADS_AXIS else float(getattr(station, axis))


def installed_size(station) -> float:
    """The size of the machines installed (the reference when ``sizes.size`` is left out)."""
    if station.sizes is None:
        return 1.0
    return reference_size(station) if station.sizes.size is None else float(station.sizes.size)


def size_choices(station) -> list[float]:
    """Every size the optimiser may pick: the reference first, then the options, each once."""
    if station.sizes is None:
        return []
    choices = [reference_size(station)]
    for value in station.sizes.options:
        if float(value) not in choices:
            choices.append(float(value))
    return choices


def parallel_heads(station) -> float:
    """Sheets a discrete machine works on at once (1 unless sized by parallel heads)."""
    if station.sizes is None or station.sizes.axis != HEADS_AXIS:
        return 1.0
    return installed_size(station)


@lru_cache(maxsize=64)
def _size_check(station_type: type, axis: str) -> TypeAdapter:
    """The bounds of a size on ``axis`` of a ``station_type`` station, built once per (type, axis): building a
    TypeAdapter compiles a pydantic schema (~0.1 ms), paid for every sized station of every validation otherwise."""
    if axis == HEADS_AXIS:
        return TypeAdapter(Quantity(1, MAX_PARALLEL_HEADS, integer=True, why_lo="a machine has at least one head",
                                    why_hi="beyond 64 heads one frame is a line of machines"))
    return TypeAdapter(station_type.model_fields[axis].annotation)


def size_problems(station) -> list[str]:
    """Why a station's ``sizes`` block does not fit the station (empty when it does)."""
    sizes = station.sizes
    if sizes is None:
        return []
    allowed = SIZE_AXES[station.kind]
    if sizes.axis not in allowed:
        return [f"sizes.axis: '{sizes.axis}' does not size a {station.kind} station; allowed: {', '.join(allowed)}"]
    if sizes.axis != HEADS_AXIS and getattr(station, sizes.axis) is None:
        return [f"sizes.axis: '{sizes.axis}' needs the station's {sizes.axis} (the reference size)"]
    check = _size_check(type(station), sizes.axis)
    problems = []
    for label, value in [(f"options[{k}]", v) for k, v in enumerate(sizes.options)] + [("size", sizes.size)]:
        if value is None:
            continue
        if sizes.axis in ("batch_capacity_sheets", HEADS_AXIS) and not float(value).is_integer():
            problems.append(f"sizes.{label}: {value:g} is not a whole number of "
                            f"{'sheets' if sizes.axis != HEADS_AXIS else 'heads'}")
            continue
        try:
            check.validate_python(value)
        except ValidationError as error:
            problems.append(f"sizes.{label}: {error.errors()[0]['msg']} ({sizes.axis})")
    if not problems and sizes.size is not None and float(sizes.size) not in size_choices(station):
        problems.append(f"sizes.size: {sizes.size:g} is neither the reference {reference_size(station):g} "
                        f"({sizes.axis}) nor one of the options {', '.join(f'{v:g}' for v in sizes.options)}")
    return problems


def sized_station(station, size: float | None = None):
    """The station as installed at ``size`` (default: its ``sizes.size``): the machine the twin runs and prices.

    Without a sizes block, or at the reference size, the station itself comes back (identical numbers).
    A sized copy carries no ``sizes`` block (its fields are the sized machine's), so sizing is never applied
    twice; its parallel heads are read from the original station (:func:`parallel_heads`).
    """
    from twin.cost.scaling_law import scaled_by_exponent  # here: twin.cost imports the scenario package

    sizes = station.sizes
    if sizes is None:
        return station
    reference = reference_size(station)
    chosen = installed_size(station) if size is None else float(size)
    if chosen == reference:
        return station
    key = (id(station), chosen)
    cached = _SIZED.get(key)
    if cached is not None and cached[0] is station:
        return cached[1]
    ratio = chosen / reference
    capex, operators, floor = (float(v) for v in scaled_by_exponent(
        np.array([station.capex_usd, station.operators_per_shift, station.floor_area_m2]), chosen, reference,
        np.array([sizes.capex_exponent, sizes.labour_exponent, sizes.floor_area_exponent])))
    update = {
        "capex_usd": capex,
        "operators_per_shift": operators,
        "floor_area_m2": floor,
        "idle_power_kW": station.idle_power_kW * ratio,
        "sizes": None,
    }
    if station.power_kW is not None:
        update["power_kW"] = station.power_kW * ratio
    if station.furnace is not None:
        update["furnace"] = station.furnace.model_copy(update={
            "thermal_mass_kJ_per_K": station.furnace.thermal_mass_kJ_per_K * ratio,
            "heat_loss_kW_at_1000C": station.furnace.heat_loss_kW_at_1000C * ratio})
    if sizes.axis != HEADS_AXIS:
        update[sizes.axis] = int(round(chosen)) if sizes.axis == "batch_capacity_sheets" else chosen
    sized = station.model_copy(update=update)
    if len(_SIZED) >= _SIZED_CACHE_ENTRIES:
        _SIZED.clear()
    _SIZED[key] = (station, sized)   # the station is kept with its key, so an id is never reused while cached
    return sized


def installed_station(scenario, step_name: str):
    """``line.stations[step_name]`` at its installed size (see :func:`sized_station`), a capacity grading's tester
    priced with its channels (twin.grading_tester.with_channel_price)."""
    from twin.grading_tester import with_channel_price  # here: twin.grading_tester imports the scenario package

    return with_channel_price(scenario, step_name, sized_station(scenario.line.stations[step_name]))


def with_sizes(scenario, sizes: dict[str, float], machines: dict[str, int] | None = None):
    """The scenario with the named stations installed at ``sizes`` (and ``machines``, when given).

    A size equal to the reference is written as the reference (``size`` left out), so a scenario that
    keeps every reference size dumps exactly as before.
    """
    stations = dict(scenario.line.stations)
    for name, size in sizes.items():
        station = stations[name]
        if station.sizes is None:
            continue
        chosen = None if float(size) == reference_size(station) else float(size)
        stations[name] = station.model_copy(update={"sizes": station.sizes.model_copy(update={"size": chosen})})
    for name, count in (machines or {}).items():
        stations[name] = stations[name].model_copy(update={"machines": int(count)})
    return scenario.model_copy(update={"line": scenario.line.model_copy(update={"stations": stations})})


__all__ = ["HEADS_AXIS", "SIZE_AXES", "MachineSizes", "installed_size", "installed_station", "parallel_heads",
           "reference_size", "size_choices", "size_problems", "sized_station", "with_sizes"]
