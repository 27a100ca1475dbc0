"""Route steps that finish or fill a cell: formation on cyclers, ageing with the end-of-line OCV screen,
and the liquid/gel catholyte fill of hybrid solid-liquid cells (schema models; physics in process_models,
behaviour in twin.operations)."""

from __future__ import annotations

from typing import Literal

from twin.scenario.quantities import Fraction, Quantity
from twin.scenario.step_base import StepBase


class Formation(StepBase):
    """Formation on cyclers: the first charge/discharge cycles and a charge to the shipping SOC.

    A cycler (one station machine) has ``channels_per_cycler`` channels with ``cells_per_channel`` cells
    each; its load (``batch_capacity_sheets``) is channels x cells x sheets per cell. A charge current
    above a sheet's critical current density drives Li through the electrolyte: a soft short that
    the ageing step's OCV screen may catch (process_models.formation).
    """

    kind: Literal["formation"]
    cycles: Quantity(0, 10, why_hi="above 10 formation cycles is cycle-life testing, not formation",
                     description="full charge/discharge cycles before the charge to the shipping SOC") = 1
    charge_c_rate_per_h: Quantity(0.01, 5, why_lo="below C/100 one charge takes over four days",
                                  why_hi="above 5C is fast charging, not formation")
    discharge_c_rate_per_h: Quantity(0.01, 5, why_lo="below C/100 one discharge takes over four days",
                                     why_hi="above 5C is a power test, not formation")
    shipping_soc: Fraction = 0.3
    rest_h: Quantity(0, 240, why_hi="above 10 days of rest on a channel is ageing, not formation") = 0.0
    channels_per_cycler: Quantity(1, 10000, integer=True, why_lo="a cycler has at least one channel",
                                  why_hi="above 10,000 channels is a hall of cyclers, not one machine")
    cells_per_channel: Quantity(1, 100, integer=True, why_lo="a channel holds at least one cell",
                                why_hi="above 100 cells in series on one channel is a module") = 1
    charger_efficiency: Quantity(0.5, 1.0, why_lo="below 50 % no power converter is sold",
                                 why_hi="no charger returns more than it draws")
    recovery_fraction: Quantity(0, 1, why_hi="a cycler cannot return more than the discharge energy",
                                description="share of the discharge energy a regenerative cycler returns to "
                                            "the plant bus; 0 for a resistive load")


class Ageing(StepBase):
    """Ageing (storage on racks) and the end-of-line OCV screen of self-discharge.

    A shorted sheet (Li penetrated at formation) leaks through a soft short of lognormal resistance;
    its OCV drop over the ageing time beyond the good cells' drift is the signal: above
    ``ocv_reject_margin_mV`` the cell is rejected ("self_discharge"), below it the short escapes.
    """

    kind: Literal["ageing"]
    ageing_days: Quantity(0, 60, lo_open=True, why_lo="an OCV screen needs a storage time",
                          why_hi="above 60 days is storage, not ageing (B5: up to 3 weeks)")
    ocv_reject_margin_mV: Quantity(0, 1000, lo_open=True, why_lo="must be positive",
                                   why_hi="above 1 V of drift no cell is left to screen")
    ocv_slope_V_per_unit_soc: Quantity(0, 10, lo_open=True, why_lo="must be positive",
                                       why_hi="no Li cell's OCV spans 10 V")
    short_resistance_median_ohm: Quantity(1, 1e9, why_lo="below 1 ohm is a hard short, caught at formation",
                                          why_hi="above 1 Gohm no leak is measurable")
    short_resistance_sd_decades: Quantity(0, 3, why_hi="above 3 decades of scatter is not one mechanism") = 1.0


class CatholyteFill(StepBase):
    """Liquid or gel catholyte filled into the porous cathode of a hybrid solid-liquid cell (roadmap s9).

    The fill volume is the cathode's open porosity (per sheet: 1 - cathode relative density) plus an
    excess; the liquid wicks in from the cell edges (Washburn) during ``wetting_time_h``, and the
    solid-liquid electrolyte interphase (SLEI) on the separator grows for ``slei_age_h`` before the cell
    is rated. Both, and the pore electrolyte's ionic resistance, add to the sheet's series ASR.
    """

    kind: Literal["catholyte_fill"]
    excess_fraction: Quantity(0, 1, why_hi="above 100 % overfill the cell floods") = 0.1
    catholyte_density_kg_per_m3: Quantity(500, 3000, why_lo="below 500 kg/m3 is not a battery electrolyte",
                                          why_hi="above 3000 kg/m3 is not a battery electrolyte")
    conductivity_mS_per_cm: Quantity(0.01, 100, why_lo="below 0.01 mS/cm no cell delivers",
                                     why_hi="above 100 mS/cm no Li electrolyte conducts")
    viscosity_mPa_s: Quantity(0.1, 1e6, why_lo="below 0.1 mPa s is below any liquid electrolyte",
                              why_hi="above 1e6 mPa s a gel does not flow into pores")
    surface_tension_mN_per_m: Quantity(5, 80, why_lo="below 5 mN/m no organic liquid",
                                       why_hi="above 80 mN/m is above water")
    contact_angle_deg: Quantity(0, 90, hi_open=True, why_hi="at 90 deg and above the liquid does not wick in") = 0.0
    pore_radius_um: Quantity(0.01, 50, why_lo="below 10 nm capillary flow is not Washburn's",
                             why_hi="above 50 um is not a battery electrode's pores")
    tortuosity: Quantity(1, 10, why_lo="a path is at least straight", why_hi="above 10 is not an electrode") = 1.7
    fill_time_s: Quantity(0, 3600, why_hi="above an hour per load is not a dosing step") = 60.0
    wetting_time_h: Quantity(0, 72, lo_open=True, why_lo="the liquid needs time to wick in",
                             why_hi="above 3 days of soak is storage")
    slei_initial_asr_ohm_cm2: Quantity(0, 5000, why_hi="above 5000 ohm cm2 no cell delivers (roadmap s9: 100-1000)")
    slei_growth_time_h: Quantity(0, 1e5, lo_open=True, why_lo="must be positive",
                                 why_hi="above ~11 years the SLEI does not grow")
    slei_age_h: Quantity(0, 1e4, why_hi="above ~1 year is service life, not manufacture",
                         description="time from the fill to the cell's rating: wetting, formation, ageing")


# Steps that make or fire a layer of the sheet: none may follow the cutting, stacking or packaging of it
LAYER_MAKING_KINDS = ("tape_casting", "spray_deposition", "sintering", "co_sintering", "vacuum_deposition",
                      "cathode_anneal", "li_lamination", "interlayer_deposition")
ASSEMBLY_KINDS = ("cutting", "stacking", "packaging")


def assembly_order_problems(scenario) -> list[str]:
    """Cutting, stacking and packaging come after every step that makes or fires a layer of the sheet."""
    problems: list[str] = []
    route = scenario.route
    for index, step in enumerate(route):
        if step.kind not in ASSEMBLY_KINDS:
            continue
        # the last such step: moving the assembly step after it puts it after all of them
        later = next((other for other in reversed(route[index + 1:]) if other.kind in LAYER_MAKING_KINDS), None)
        if later is not None:
            problems.append(f"route[{index}].{step.kind}: '{step.name}' comes before '{later.name}' ({later.kind}), "
                            f"which still makes the sheet's layers; move '{step.name}' after it")
    return problems


__all__ = ["Ageing", "CatholyteFill", "Formation", "assembly_order_problems"]
