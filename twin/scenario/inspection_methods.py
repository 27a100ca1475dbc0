"""Sized latent defects and the inspection methods that look for them (schema models).

A step whose ``defect_size`` is given makes its killer defects latent: each carries a size drawn from a
log-normal distribution and stays on the sheet until a quality check's ``method`` finds it (its POD at
that size, process_models.inspection_pod) or the sheet leaves the plant as an escape. The physics is in
process_models.inspection_pod, the mapping from these fields to it in twin.inspection_methods.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from twin.scenario.cell import Strict
from twin.scenario.quantities import Quantity

# The defect kinds a step may declare; the order is the index stored in the sheet state
DEFECT_KINDS = ("pinhole", "particle", "crack", "delamination", "li_filament")


# share of clean sheets a method calls defective (rejected as false_reject); one bound for every method
FalseCallProbability = Quantity(0, 0.5, why_hi="a method that calls over half its clean sheets is not used")


def _detection_size(high: float, unit: str):
    """Bounds of a POD size (a50/a90) in image units: at least one unit, at most ``high``."""
    return Quantity(1, high, why_lo=f"a feature under one {unit} is not resolved",
                    why_hi=f"above {high:g} {unit}s is not a detection limit")


A50Pixels, A90Pixels = _detection_size(20, "pixel"), _detection_size(50, "pixel")
A50Voxels, A90Voxels = _detection_size(20, "voxel"), _detection_size(50, "voxel")
DetectorPixels = Quantity(256, 16384, why_lo="below 256 pixels is not an imaging detector",
                          why_hi="above 16k pixels no flat panel is made")


class DefectSize(Strict):
    """Size distribution of a step's latent killer defects: log-normal, by median and log spread."""

    kind: Literal["pinhole", "particle", "crack", "delamination", "li_filament"] = Field(
        description="what the defect is (reported with the escapes)")
    median_um: Quantity(0.01, 10000, why_lo="below 10 nm a defect is an atomic-scale flaw, not a killer defect",
                        why_hi="above 10 mm a defect is visible by eye and never reaches a cell")
    log_sd: Quantity(0, 3, why_hi="above 3 (a factor 20 per standard deviation) is not one defect population",
                     description="standard deviation of ln(size)") = 1.0


class OpticalMethod(Strict):
    """Inline line-scan camera (optical/laser) over the sheet: pixel from field width, pixels and speed."""

    method: Literal["optical"]
    camera_pixels: Quantity(256, 65536, why_lo="below 256 pixels is not a line-scan camera",
                            why_hi="above 65k pixels no line-scan sensor is made")
    field_width_mm: Quantity(1, 5000, lo_open=True, why_lo="must be positive",
                             why_hi="above 5 m is wider than any coating web")
    speed_m_per_min: Quantity(0.1, 300, why_lo="below 0.1 m/min is not an inline inspection",
                              why_hi="above 300 m/min is faster than any coating line")
    line_rate_kHz: Quantity(0.1, 200, why_lo="below 100 lines/s is an area camera",
                            why_hi="above 200 kHz no line-scan camera reads")
    a50_pixels: A50Pixels = 2.0
    a90_pixels: A90Pixels = 5.0
    false_call_probability: FalseCallProbability = 0.0


class XrayRadiographyMethod(Strict):
    """2D X-ray radiography: one frame per field of view, field = pixel x detector pixels."""

    method: Literal["xray_2d"]
    pixel_um: Quantity(0.5, 1000, why_lo="below 0.5 um is synchrotron, not inline",
                       why_hi="above 1 mm pixels see no cell defect")
    detector_pixels: DetectorPixels
    exposure_per_frame_s: Quantity(0, 600, lo_open=True, why_lo="must be positive",
                                   why_hi="above 10 minutes per frame is not inline")
    a50_pixels: A50Pixels = 3.0
    a90_pixels: A90Pixels = 8.0
    false_call_probability: FalseCallProbability = 0.0


class XrayCtMethod(Strict):
    """X-ray computed tomography, tile by tile: field = voxel x detector pixels, (pi/2) N projections each."""

    method: Literal["xray_ct"]
    voxel_um: Quantity(0.5, 1000, why_lo="below 0.5 um is synchrotron, not inline",
                       why_hi="above 1 mm voxels see no cell defect")
    detector_pixels: DetectorPixels
    exposure_per_projection_s: Quantity(0, 60, lo_open=True, why_lo="must be positive",
                                        why_hi="above a minute per projection is not inline")
    a50_voxels: A50Voxels = 2.0
    a90_voxels: A90Voxels = 5.0
    false_call_probability: FalseCallProbability = 0.0


class ElectricalTestMethod(Strict):
    """End-of-line electrical test: OCV drift over days, or the leak current of a potentiostatic hold."""

    method: Literal["eol_electrical"]
    test: Literal["ocv", "potentiostatic"]
    test_time_h: Quantity(0, 2000, lo_open=True, why_lo="must be positive",
                          why_hi="above 12 weeks is storage, not a test (ageing runs up to 3 weeks)")
    channels_per_machine: Quantity(1, 100000, why_lo="a tester has at least one channel",
                                   why_hi="above 1e5 cells per rack system is not one machine",
                                   description="cells one machine tests at once")
    voltage_resolution_mV: Quantity(0, 100, lo_open=True, why_lo="must be positive",
                                    why_hi="above 100 mV the OCV test sees nothing") | None = None
    current_resolution_uA: Quantity(0, 10000, lo_open=True, why_lo="must be positive",
                                    why_hi="above 10 mA the hold sees nothing") | None = None
    ocv_slope_V_per_unit_soc: Quantity(0, 5, lo_open=True, why_lo="must be positive",
                                       why_hi="above 5 V per unit SOC is no cell chemistry") = 0.5
    self_discharge_scatter_uA: Quantity(0, 10000, why_hi="above 10 mA is a short, not scatter",
                                        description="spread of good cells' own self-discharge current") = 0.0
    short_resistivity_ohm_m: Quantity(1e-8, 1e6, why_lo="below Li metal (9.5e-8 ohm m) no path conducts",
                                      why_hi="above 1e6 ohm m the path is an insulator",
                                      description="resistivity of a defect's shorting path")
    a90_over_a50: Quantity(1, 100, lo_open=True, why_lo="a90 must be above a50",
                           why_hi="above 100 the test does not sort") = 2.0
    false_call_probability: FalseCallProbability = 0.0

    @model_validator(mode="after")
    def _has_its_resolution(self) -> ElectricalTestMethod:
        if self.test == "ocv" and self.voltage_resolution_mV is None:
            raise ValueError("voltage_resolution_mV: an OCV test needs the OCV change it resolves")
        if self.test == "potentiostatic" and self.current_resolution_uA is None:
            raise ValueError("current_resolution_uA: a potentiostatic hold needs the current it resolves")
        return self


InspectionMethod = Annotated[
    OpticalMethod | XrayRadiographyMethod | XrayCtMethod | ElectricalTestMethod,
    Field(discriminator="method"),
]

INSPECTION_METHODS = ("optical", "xray_2d", "xray_ct", "eol_electrical")


def check_pod_sizes(method) -> None:
    """a90 above a50 for an imaging method (the electrical test's ratio is bounded by its field)."""
    for low, high in (("a50_pixels", "a90_pixels"), ("a50_voxels", "a90_voxels")):
        if hasattr(method, low) and getattr(method, high) <= getattr(method, low):
            raise ValueError(f"{high}: {getattr(method, high):g} must be above {low} {getattr(method, low):g}")


__all__ = ["DEFECT_KINDS", "DefectSize", "ElectricalTestMethod", "INSPECTION_METHODS", "InspectionMethod",
           "OpticalMethod", "XrayCtMethod", "XrayRadiographyMethod", "check_pod_sizes"]
