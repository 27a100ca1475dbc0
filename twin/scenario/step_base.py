"""What every route step shares: the step base (name, killer defects), the kiln profile segment and
the layer/solvent vocabularies. Its own module so the step-family modules (powder, interface, polymer,
finishing) and twin.scenario.route can all build on it without an import cycle.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from twin.scenario.cell import Strict
from twin.scenario.inspection_methods import DefectSize
from twin.scenario.limits import StepName
from twin.scenario.quantities import Quantity

CastLayer = Literal["electrolyte", "cathode"]
# solvents with properties in process_models.solvent_removal (latent heat, LEL)
Solvent = Literal["ethanol", "toluene", "xylene", "nmp", "water"]

LLZO_LIMIT = "LLZO decomposes/melts"
UHS_LIMIT = ("garnet melts/decomposes within seconds; ultrafast sintering of garnets runs at ~1500 C "
             "(Wang et al. 2020)")


class ThroughDefects(Strict):
    """The step's killer defects cross the electrolyte: their density scales with its thickness.

    ``defect_density_per_m2`` is the density at ``reference_thickness_um``; at the cell's electrolyte
    thickness t it is D_ref (t_ref / t)^k (process_models.through_defects), k the flaw-size exponent.
    """

    reference_thickness_um: Quantity(0.1, 2000, why_lo="below 0.1 um no cast or pressed electrolyte "
                                                                       "holds together",
                                     why_hi="above 2 mm is a pellet, not a separator",
                                     description="electrolyte thickness at which the step's defect density was "
                                                 "stated")
    size_exponent: Quantity(0, 20, why_lo="a negative exponent would make thicker layers short more",
                            why_hi="above 20 the flaw sizes are one size (Weibull modulus above 40)",
                            description="k of the cumulative flaw-size law N(>a) ~ a^-k (k = Weibull modulus / 2)")


class StepBase(Strict):
    name: StepName
    defect_density_per_m2: Quantity(0, 1000, why_lo="a defect density cannot be negative",
                                    why_hi="above 1000 killer defects per m2 nothing survives",
                                    description="killer defects this step adds (Poisson per area); a defect kills "
                                                "the cell piece it lands on") = 0.0
    defect_size: DefectSize | None = Field(
        default=None, description="make the step's defects latent, with sizes: they stay on the sheet until a "
                                  "quality check's method finds them (its POD at the size) or ship as escapes")
    through_defects: ThroughDefects | None = Field(
        default=None, description="the step's killer defects cross the electrolyte: their density rises as the "
                                  "cell's electrolyte thins below the reference thickness (and falls above it)")



class ProfileSegment(Strict):
    """Ramp to ``temperature_C`` at ``rate_C_per_min``, then hold."""

    temperature_C: Quantity(0, 1600, why_lo="below 0 C is not a furnace set point", why_hi=UHS_LIMIT,
                            description="set point; above 1400 C only briefly (the step's time-at-temperature "
                                        "limit)")
    rate_C_per_min: Quantity(0.01, 100000, why_lo="below 0.01 C/min no controller ramps",
                             why_hi="above 1e5 C/min exceeds ultrafast high-temperature sintering "
                                    "(Wang et al. 2020: 1e3-1e4 C/min)")
    hold_time_min: Quantity(0, 6000, why_lo="a hold cannot be negative", why_hi="above 100 h is not a process") = 0.0



__all__ = ["CastLayer", "LLZO_LIMIT", "ProfileSegment", "Solvent", "StepBase", "UHS_LIMIT", "ThroughDefects"]
