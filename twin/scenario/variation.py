"""Process variation: the noise the twin samples per sheet, per batch and per roll."""

from __future__ import annotations

from twin.scenario.cell import Strict
from twin.scenario.quantities import CoefficientOfVariation, Quantity

TemperatureSpread = Quantity(0, 100, why_lo="a spread cannot be negative",
                             why_hi="above 100 K the furnace is out of control, not varying")


class Variation(Strict):
    """Standard deviations (``_sd``) and coefficients of variation (``_cv``) of process conditions.

    Furnace temperature has three parts: batch-to-batch set-point error, a systematic spread across
    load positions (edge/centre, top/bottom), and per-sheet random scatter.
    """

    tape_thickness_cv: CoefficientOfVariation = 0.0
    spray_thickness_cv: CoefficientOfVariation = 0.0
    green_density_sd: Quantity(0, 0.1, why_hi="above 0.1 the green density is not one process") = 0.0
    particle_size_cv: CoefficientOfVariation = 0.0
    furnace_setpoint_sd_K: TemperatureSpread = 0.0
    furnace_load_spread_K: TemperatureSpread = 0.0
    furnace_sheet_sd_K: TemperatureSpread = 0.0
    hold_time_cv: CoefficientOfVariation = 0.0
    li_excess_sd_wt_fraction: Quantity(0, 0.1, why_hi="above 10 wt% the weighing is not a process") = 0.0
    lamination_pressure_cv: CoefficientOfVariation = 0.0
    interface_asr_cv: CoefficientOfVariation = 0.0
    deposition_thickness_cv: CoefficientOfVariation = 0.0   # vacuum-deposited thin-film layers, sheet to sheet


__all__ = ["Variation"]
