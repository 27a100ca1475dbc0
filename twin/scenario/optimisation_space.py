"""The decision space the optimiser may search: recipe ranges, machine limits and caps.

The recipe grids apply to these route steps (``twin.optimise.candidates`` resolves them):
sintering grids and the Li excess / cover powder choices to ``sintering_steps`` (default: every
sintering step of the electrolyte layer), the blade gap to the tape casting of the same layer, the
lamination grids to every foil ``li_lamination`` step.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from twin.scenario.cell import Strict
from twin.scenario.inspection_methods import InspectionMethod, check_pod_sizes
from twin.scenario.limits import MAX_OPTIMISER_LIST, StepName
from twin.scenario.quantities import AnyNumber, Flag, Quantity

# strict integers (no true/"1"); the range of each is checked, by name, in _patterns_valid below
WholeNumber = Quantity(integer=True)


InspectionCycleTime = Quantity(0, 3600, lo_open=True, why_lo="must be positive",
                               why_hi="above an hour per sheet is not an inline inspection")


class Grid(Strict):
    """An evenly spaced candidate grid ``[min, max]`` with ``points`` values."""

    min: AnyNumber
    max: AnyNumber
    points: Quantity(
        1,
        1000,
        integer=True,
        why_lo="a grid has at least one point",
        why_hi="above 1000 points per axis the candidate set explodes",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Grid:
        if self.max < self.min:
            raise ValueError(f"max: {self.max:g} is below min {self.min:g}")
        if self.points == 1 and self.max != self.min:
            raise ValueError("points: 1 needs min == max")
        return self

    def values(self) -> list[float]:
        """The grid points, min to max."""
        if self.points == 1:
            return [float(self.min)]
        step = (self.max - self.min) / (self.points - 1)
        return [float(self.min + k * step) for k in range(self.points)]


class InspectionMethodOption(Strict):
    """One inspection method (with its resolution) the optimiser may put at a quality check, and its machine."""

    check: StepName = Field(description="the quality_check step it may inspect")
    method: InspectionMethod
    capex_usd: Quantity(0, None, why_lo="a price cannot be negative",
                        description="price of one machine of this method (CT about 3x an X-ray unit, mrkble.com)")
    power_kW: Quantity(0, None, why_lo="a power cannot be negative") | None = Field(
        default=None, description="its run power; default: the station's")

    @model_validator(mode="after")
    def _pod_sizes_ordered(self) -> InspectionMethodOption:
        check_pod_sizes(self.method)
        return self


class OptimisationSpace(Strict):
    sintering_peak_temperature_C: Grid | None = None
    sintering_hold_time_min: Grid | None = None
    li_excess_li2co3_wt_fraction: Grid | None = None
    cover_powder: list[Flag] | None = Field(default=None, max_length=2)
    tape_blade_gap_um: Grid | None = None
    lamination_pressure_MPa: Grid | None = None
    lamination_temperature_C: Grid | None = None
    sintering_steps: list[StepName] | None = Field(
        default=None,
        max_length=MAX_OPTIMISER_LIST,
        description="route steps the sintering grids apply to; default: electrolyte sintering steps",
    )
    inspection_cycle_time_s: list[InspectionCycleTime] | None = Field(
        default=None, max_length=MAX_OPTIMISER_LIST,
        description="cycle times per sheet to try at every quality check with detection_versus_time: a slower "
                    "inspection detects more; the optimiser keeps the one with the lowest $/kWh")
    inspection_methods: list[InspectionMethodOption] | None = Field(
        default=None, max_length=MAX_OPTIMISER_LIST,
        description="methods and resolutions to try at the named quality checks besides the scenario's own: "
                    "a finer one finds more but is slower (more machines) and dearer; the optimiser keeps the "
                    "lowest $/kWh with escapes priced")
    max_machines_per_station: Quantity(
        1, 500, integer=True, why_lo="at least one machine", why_hi="above 500 machines per station"
    ) = 20
    shift_patterns: list[tuple[WholeNumber, WholeNumber]] = Field(
        default_factory=list, max_length=MAX_OPTIMISER_LIST,
        description="(shifts_per_day, days_per_week) pairs the optimiser may choose"
    )
    capex_budget_usd: Quantity(0, None, lo_open=True, why_lo="a budget is positive") | None = None
    energy_cap_MWh_per_year: Quantity(0, None, lo_open=True, why_lo="a cap is positive") | None = None
    floor_area_cap_m2: Quantity(0, None, lo_open=True, why_lo="a cap is positive") | None = None
    candidate_sample_sheets: Quantity(
        20,
        20000,
        integer=True,
        why_lo="below 20 sheets a candidate's yield is a coin toss",
        why_hi="above 20000 sheets per candidate the physics sweep takes minutes",
    ) = 200
    # the worst 1 % sheet of a recipe entering each check at least this far (relative) inside every spec
    # (twin.optimise.quality_margins); 0, the default, sets no floor: the checks scrap their out-of-spec sheets
    # and the yields price them (the default stays 0.0, not None, so every scenario's hash stays as it was)
    min_quality_margin: Quantity(
        0,
        1,
        why_lo="a negative margin would accept recipes whose worst 1 % of sheets is out of spec",
        why_hi="a relative margin above 100 % of the spec is not a margin",
    ) = 0.0
    pareto_points: Quantity(
        2,
        50,
        integer=True,
        why_lo="a front needs two points",
        why_hi="above 50 points a front is a sweep; use the API",
    ) = 8

    @model_validator(mode="after")
    def _patterns_valid(self) -> OptimisationSpace:
        for k, (shifts_per_day, days_per_week) in enumerate(self.shift_patterns):
            if not 1 <= shifts_per_day <= 4:
                raise ValueError(f"shift_patterns[{k}]: shifts_per_day {shifts_per_day} is outside [1, 4]")
            if not 1 <= days_per_week <= 7:
                raise ValueError(f"shift_patterns[{k}]: days_per_week {days_per_week} is outside [1, 7]")
        return self


__all__ = ["Grid", "OptimisationSpace"]
