"""The quality check step: the inline inspection that scraps the out-of-spec sheets it finds.

Its spec limits, the detection that grows with inspection time, the inspection method (latent sized
defects) and the capacity grading it may carry. A route step like the others (schema model only; the
behaviour is twin.operations.quality_check); :mod:`twin.scenario.route` re-exports it into ``RouteStep``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from twin.scenario.capacity_grading import CapacityGrading, check_grading_fits
from twin.scenario.cell import Strict
from twin.scenario.inspection_methods import InspectionMethod, check_pod_sizes
from twin.scenario.quantities import Fraction, OpenFraction, Quantity
from twin.scenario.step_base import StepBase


class DetectionVersusTime(Strict):
    """Detection that grows with inspection time: each further reference-length look misses independently.

    p(t) = 1 - (1 - p_ref)^(t / t_ref), with t the station's cycle time per sheet: a slower, finer
    inspection finds more (assumption: independent looks; fit p_ref, t_ref to the station's POD data).
    """

    reference_cycle_time_s: Quantity(0, 3600, lo_open=True, why_lo="must be positive",
                                     why_hi="above an hour per sheet is not an inline inspection")
    reference_detection_probability: Quantity(0, 1, lo_open=True, hi_open=True, why_lo="must be positive",
                                              why_hi="below 1: a look that never misses needs no time law")


class QualityCheck(StepBase):
    """Inline inspection: out-of-spec sheets it detects are scrapped here, counted by cause.

    An out-of-spec sheet it misses (``detection_probability`` < 1) stays bad: it travels on, takes the
    value added downstream and is caught by a later check that finds it out of spec, or leaves the
    plant as an escape. An in-spec sheet is rejected with ``false_reject_probability``.
    """

    kind: Literal["quality_check"]
    min_relative_density: Fraction | None = None
    max_li_loss_fraction: Fraction | None = None
    max_electrolyte_asr_ohm_cm2: Quantity(0, None, lo_open=True, why_lo="must be positive") | None = None
    min_ionic_conductivity_mS_per_cm: Quantity(0, None, lo_open=True, why_lo="must be positive") | None = None
    max_interface_asr_ohm_cm2: Quantity(0, None, lo_open=True, why_lo="must be positive") | None = None
    thickness_tolerance_fraction: OpenFraction | None = None
    min_cathode_relative_density: Fraction | None = None
    min_areal_capacity_mAh_per_cm2: Quantity(0, 15, lo_open=True, why_lo="must be positive",
                                             why_hi="above 15 mAh/cm2 no SSB cathode is made") | None = None
    min_critical_current_density_mA_per_cm2: Quantity(0, None, lo_open=True, why_lo="must be positive",
                                                      description="applies to sheets past a stacking step, "
                                                                  "where the CCD is rated") | None = None
    detection_probability: Fraction = 1.0
    detection_versus_time: DetectionVersusTime | None = Field(
        default=None, description="derive detection_probability from the station's cycle_time_s instead")
    false_reject_probability: Quantity(0, 0.5, why_lo="a probability cannot be negative",
                                       why_hi="an inspection rejecting over half its good sheets is not in use"
                                       ) = 0.0
    method: InspectionMethod | None = Field(
        default=None, description="how the check looks for latent sized defects (optical, xray_2d, xray_ct, "
                                  "eol_electrical): its POD at each sheet's defect size decides what it finds, "
                                  "its scan or test time sets the station's cycle time")
    capacity_grading: CapacityGrading | None = Field(
        default=None, description="a charge/discharge cycle measures each cell's delivered capacity against a grade "
                                  "(twin.capacity_grading); its channel time adds to the station's cycle time")

    @model_validator(mode="after")
    def _has_a_spec(self) -> QualityCheck:
        if self.method is None and self.capacity_grading is None and all(
                getattr(self, name) is None for name in QUALITY_SPEC_FIELDS):
            raise ValueError("a quality_check needs at least one spec limit (e.g. min_relative_density), "
                             "an inspection method or a capacity_grading")
        if self.capacity_grading is not None:
            check_grading_fits(self)
        if self.method is not None:
            check_pod_sizes(self.method)
            if self.detection_versus_time is not None:
                raise ValueError("detection_versus_time conflicts with method: the method's scan or test time is "
                                 "the station's cycle time and its POD decides what it finds; give one")
        if self.detection_versus_time is not None and self.detection_probability != 1.0:
            raise ValueError(f"detection_probability: {self.detection_probability:g} conflicts with "
                             "detection_versus_time, which sets it from the station's cycle time; give one")
        return self


# Spec limits of a quality check, in the order of the scrap causes they give
QUALITY_SPEC_FIELDS = (
    "min_relative_density", "max_li_loss_fraction", "max_electrolyte_asr_ohm_cm2", "min_ionic_conductivity_mS_per_cm",
    "max_interface_asr_ohm_cm2", "thickness_tolerance_fraction", "min_cathode_relative_density",
    "min_areal_capacity_mAh_per_cm2", "min_critical_current_density_mA_per_cm2",
)
