"""How a firing confines the Li2O vapour over the sheet: open, under a cover plate, or between carbon felts.

The physics is :mod:`process_models.li_vapour_confinement`; docs/calibration/li_vapour_confinement.md gives
the sources. A sintering step without the block keeps the assumed leakage factors of its ``cover_powder`` and
``closed_setter`` flags, except ``heating_mode: ultrafast``, whose sheet lies against the Joule-heated carbon
felt by definition (Wang et al., Science 368 (2020) 521) and takes :data:`UHS_FELT`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from twin.scenario.cell import Strict
from twin.scenario.quantities import Quantity


class VapourConfinement(Strict):
    """The enclosure over the sheet's exposed face(s) that the Li2O vapour must escape from."""

    enclosure: Literal["open", "cover_plate", "carbon_felt"] = Field(
        description="open: face open to the furnace gas; cover_plate: a plate or closed setter at gap_height_mm "
                    "over the face, vapour escaping through the open share of the sheet's edges; carbon_felt: "
                    "face against a felt (UHS heater), vapour diffusing through felt_thickness_mm")
    gap_height_mm: Quantity(0.02, 20, why_lo="below 20 um a cover plate touches the sheet (a rough setter "
                                             "surface)",
                            why_hi="above 20 mm a cover is an open furnace") | None = None
    open_edge_fraction: Quantity(0.01, 1, why_lo="below 1 % of the edge open the enclosure is a sealed "
                                                  "crucible, outside the gap-diffusion model",
                                 why_hi="a fraction of the sheet's edge length",
                                 description="share of the sheet's perimeter through which the gap vents "
                                             "(1: plate on spacers, open all round)") | None = None
    felt_thickness_mm: Quantity(0.5, 50, why_lo="below 0.5 mm is a paper, not a felt",
                                why_hi="above 50 mm no felt heater is built") | None = None
    felt_porosity: Quantity(0.5, 0.99, why_lo="below 0.5 porosity is a board, not a felt",
                            why_hi="above 0.99 the felt does not hold together") | None = None

    @model_validator(mode="after")
    def _fields_match_enclosure(self) -> VapourConfinement:
        needed = {"open": (), "cover_plate": ("gap_height_mm", "open_edge_fraction"),
                  "carbon_felt": ("felt_thickness_mm", "felt_porosity")}[self.enclosure]
        for name in ("gap_height_mm", "open_edge_fraction", "felt_thickness_mm", "felt_porosity"):
            value = getattr(self, name)
            if name in needed and value is None:
                given = "got null" if name in self.model_fields_set else "missing"
                raise ValueError(f"{name} is required for enclosure '{self.enclosure}' ({given}); "
                                 f"allowed {_allowed_range(name)}")
            if name not in needed and value is not None:
                raise ValueError(f"{name}: {value:g} does not apply to enclosure '{self.enclosure}' (it takes "
                                 f"{', '.join(needed) or 'no dimensions'})")
        return self


def _allowed_range(name: str) -> str:
    """The bounds of a dimension as the schema states them, e.g. '[0.02, 20]' (one source for both messages)."""
    number = next(option for option in VapourConfinement.model_json_schema()["properties"][name]["anyOf"]
                  if option.get("type") == "number")
    return f"[{number['minimum']:g}, {number['maximum']:g}]"


UHS_FELT = VapourConfinement(enclosure="carbon_felt", felt_thickness_mm=3.0, felt_porosity=0.93)
"""The felt of an ultrafast (UHS) firing when the scenario does not describe it. assumption: Wang et al. 2020
sandwich the sample between carbon felt strips (thickness not verified); 3 mm is a thin commercial graphite felt
(2-10 mm are sold); porosity 0.93 from a felt bulk density ~0.12 g/cm3 over ~1.8 g/cm3 carbon fibre."""


CONFINEMENT_HELP = ("the enclosure the Li2O vapour escapes from (cover plate gap, carbon felt); without it the "
                    "cover_powder/closed_setter flags' assumed leakage applies, and an ultrafast firing lies against "
                    "its carbon felt heater (docs/calibration/li_vapour_confinement.md)")


def check_one_enclosure(closed_setter: bool, confinement: VapourConfinement | None) -> None:
    """A sintering step describes its setter once: by the closed_setter flag or by vapour_confinement."""
    if confinement is not None and closed_setter:
        raise ValueError("closed_setter: true and vapour_confinement both describe the enclosure; describe the "
                         "setter once, in vapour_confinement (enclosure 'cover_plate' with its gap)")


def confinement_for(heating_mode: str, confinement: VapourConfinement | None) -> VapourConfinement | None:
    """The enclosure a firing has: the one described, the UHS felt for ultrafast firings, else None (flags)."""
    if confinement is not None:
        return confinement
    return UHS_FELT if heating_mode == "ultrafast" else None


__all__ = ["CONFINEMENT_HELP", "UHS_FELT", "VapourConfinement", "check_one_enclosure", "confinement_for"]
