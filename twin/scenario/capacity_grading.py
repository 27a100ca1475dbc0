"""Capacity grading of finished cells (schema model): a charge/discharge cycle measures each cell's capacity.

Real lines grade every cell at formation or end of line: the cell is charged, discharged at its rated rate
while the cycler integrates the current, and recharged to its shipping state; a cell measuring below the
grade is scrapped (or downgraded). The block sits on a ``quality_check`` (usually the end-of-line test); the
physics of what it measures is in twin.capacity_grading.
"""

from __future__ import annotations

from twin.scenario.cell import Strict
from twin.scenario.quantities import Quantity


class CapacityGrading(Strict):
    """Each cell's capacity measured on a cycler channel against a minimum share of the design capacity."""

    min_capacity_fraction: Quantity(0.5, 1.2, why_lo="below half the design the cell is not the designed product",
                                    why_hi="above 1.2 x the design no cell made to it passes",
                                    description="grade: the least measured capacity a cell may have, as a share of "
                                                "the design capacity (cell.target_areal_capacity_mAh_per_cm2, capped "
                                                "by the designed cathode)")
    measurement_sd_fraction: Quantity(0, 0.05, why_lo="a scatter cannot be negative",
                                      why_hi="above 5 % of full scale a cycler does not grade capacity",
                                      description="standard deviation of the measured capacity, as a share of the "
                                                  "design capacity (the channel's full scale)") = 0.001
    shipping_soc: Quantity(0, 1, why_lo="a state of charge cannot be negative",
                           why_hi="a state of charge is at most 1",
                           description="state of charge the cell is recharged to after the measuring discharge") = 0.3
    rest_h: Quantity(0, 24, why_lo="a rest cannot be negative",
                     why_hi="above a day on the channel is ageing, not grading",
                     description="rests on the channel between charge, discharge and recharge") = 0.5
    channels_per_machine: Quantity(1, 100000, integer=True, why_lo="a cycler has at least one channel",
                                   why_hi="above 1e5 cells per rack system is not one machine",
                                   description="cells one machine grades at once; without it the grading runs on "
                                               "the check's end-of-line tester channels") | None = None
    # assumption (default): at the library's C/10-C/20 charges the cell's IR drop is ~10 mV against an OCV that
    # rises ~0.5 V per unit SOC near full, so the constant current reaches ~98 % and the tail to a C/50 cut-off
    # adds a few % of the charge time (an RC estimate: tau = ASR Q / slope ~ 0.2 h at 50 ohm cm2, 3.5 mAh/cm2)
    cv_taper_fraction: Quantity(0, 1, why_lo="a constant-voltage tail cannot be negative",
                                why_hi="a tail longer than the constant-current charge is not a C-rate charge",
                                description="constant-voltage tail at the end of the full charge, as a share of "
                                            "the constant-current charge time") = 0.05
    # assumption (default): as the library's formation cyclers, a power-electronics channel's AC-to-cell efficiency
    charger_efficiency: Quantity(0.5, 1.0, why_lo="below 50 % no power converter is sold",
                                 why_hi="no charger returns more than it draws") = 0.9
    # default 0: a resistive load returns nothing (the conservative case); regenerative cyclers return 40-60 %
    recovery_fraction: Quantity(0, 1, why_hi="a channel cannot return more than the discharge energy",
                                description="share of the measuring discharge's energy a regenerative channel "
                                            "returns to the plant bus") = 0.0
    channel_price_usd: Quantity(0, 1e6, why_lo="a price cannot be negative",
                                why_hi="above 1 M USD is not one cycler channel",
                                description="price of one tester channel for a cell of channel_price_reference_Ah; "
                                            "the machine costs its station's capex_usd plus its channels; none: "
                                            "the station's capex_usd is the whole machine") | None = None
    channel_price_reference_Ah: Quantity(0.01, 1000, why_lo="below 10 mAh is a coin cell",
                                         why_hi="above 1000 Ah is not one cell",
                                         description="cell capacity the channel price is quoted for") = 68.0
    # BatPaC V5 scales formation capital with (Ah / 68)^0.3 (cost-notes §1.2)
    channel_price_Ah_exponent: Quantity(0, 1, why_hi="a channel's price grows at most in proportion to its current",
                                        description="exponent b of price = p_ref (Ah / Ah_ref)^b") = 0.3


def check_grading_fits(check) -> None:
    """A quality check's capacity_grading fits the check: no second miss law on its draw, channels to run on."""
    grading = check.capacity_grading
    # the grading's own measurement scatter decides its misses and false rejects, on the check's one
    # uniform per sheet: a second miss law on the same draw would tie the two together
    if check.detection_probability != 1.0:
        raise ValueError(f"detection_probability: {check.detection_probability:g} on a check with "
                         "capacity_grading, whose measurement scatter (measurement_sd_fraction) decides what it "
                         "misses; allowed 1 here (put the other specs on another check)")
    if check.detection_versus_time is not None:
        raise ValueError("detection_versus_time: not allowed on a check with capacity_grading, whose measurement "
                         "scatter (measurement_sd_fraction) decides what it misses (put the other specs on "
                         "another check)")
    if check.false_reject_probability > 0.0:
        raise ValueError(f"false_reject_probability: {check.false_reject_probability:g} on a check with "
                         "capacity_grading, whose measurement scatter decides its false rejects; allowed 0 here "
                         "(put the other specs on another check)")
    if grading.channels_per_machine is None and getattr(check.method, "method", None) != "eol_electrical":
        raise ValueError("capacity_grading.channels_per_machine: needed when the check has no eol_electrical "
                         "method whose tester channels the grading could run on")


__all__ = ["CapacityGrading", "check_grading_fits"]
