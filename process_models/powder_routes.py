"""Powder routes and sintering aids: each garnet powder gets its own master curve, each aid its own effect.

A garnet's master sintering curve depends on how its powder was made (physics-notes §1.1-1.2: "one MSC
per powder route"). Three routes are calibrated (docs/calibration/powder_routes.md):

* ``flame_spray_nano``: flame-spray-pyrolysis nano-powder (Yi et al. 2017), the curve of the
  materials' YAML files;
* ``calcined``: solid-state-reaction (or sol-gel) powder calcined and milled, the usual lab route;
* ``reactive_precursor``: pyrochlore (La2Zr2O7) nanocrystals + Li salt that react to garnet while
  sintering (Weller & Chan 2020; Guo et al. 2023).

Sintering aids act on top of a route: ``li3bo3`` (liquid Li3BO3), ``li6zr2o7`` (decomposes to
Li2ZrO3 + Li2O, an in-situ Li2O source), ``li2o_al2o3_liquid`` (excess Li salt + Al from alumina
setters forms a Li2O-Al2O3 grain-boundary liquid, Liu et al. 2014). Each shifts ln Theta on the
master curve, and may add Li, slow Li loss or change grain-boundary conduction.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from process_models._domain_checks import check_non_negative, check_range
from process_models.errors import PhysicsDomainError
from process_models.parameters import MaterialParameters

LI6ZR2O7_MOLAR_MASS_KG_PER_MOL = 0.33606
"""6 x 6.941 + 2 x 91.224 + 7 x 15.999 g/mol (IUPAC atomic weights)."""


@dataclass(frozen=True)
class PowderRoute:
    """Master-curve position of one powder route (the shape b and Q are shared, see module doc)."""

    name: str
    log_theta_half: float              # a of the sigmoid [ln(s/K)]
    reference_particle_size_m: float   # powder size the curve belongs to (Herring shift is relative to it)
    conductivity_factor: float         # total / model conductivity of dense layers from this route [-]
    source: str


@dataclass(frozen=True)
class SinteringAid:
    """Effects of one sintering aid at saturation; below saturation they scale linearly with the amount."""

    name: str
    log_theta_shift: float            # added to ln Theta at saturation [-]
    saturation: float                 # wt fraction (li3bo3, li6zr2o7) or Li excess pfu (li2o_al2o3_liquid)
    li_loss_factor: float             # multiplier on the Li2O flux at saturation [-]
    conductivity_factor: float        # multiplier on conductivity at saturation [-]
    source: str


POWDER_ROUTES = MappingProxyType({
    "flame_spray_nano": PowderRoute(
        "flame_spray_nano", -46.9437, 100e-9, 1.0,
        "fit to Yi et al., J. Power Sources 2017 (Ga-LLZO FSP film 1130 C / 0.3 h -> 95 %), "
        "docs/calibration/densification.md; 100 nm powder (assumption)"),
    "calcined": PowderRoute(
        "calcined", -42.9352, 1e-6, 1.0,
        "fit to Liu et al., Ceram. Int. 45 (2019) 18439 (Ta-LLZO 1230 C / 1 h -> 91.6-93.9 %) and Tian et al., "
        "Solid State Ionics 2020 (Al-LLZO 1100 C / 15 h -> 92.5 %), docs/calibration/powder_routes.md; "
        "1 um calcined and milled powder (assumption)"),
    "reactive_precursor": PowderRoute(
        "reactive_precursor", -45.4098, 100e-9, 0.5648,
        "fit to Guo, Weller, Yang, Bhat, Chan, Ionics 29 (2023) 581 (pyrochlore -> LLZTO, 1100 C / 2 h, dense "
        "(read as 0.93 +- 0.03, Weller & Chan 2020: up to 94.7 %), 0.4 mS/cm), docs/calibration/powder_routes.md; "
        "100 nm nanocrystals (assumption)"),
})

SINTERING_AIDS = MappingProxyType({
    "none": SinteringAid("none", 0.0, 1.0, 1.0, 1.0, "no aid"),
    "li3bo3": SinteringAid(
        "li3bo3", 6.2716, 0.01, 1.0, 0.317,
        "liquid Li3BO3: densification 200 C cooler (LLZO densifies above 1200 C without, Shin et al., J. Korean "
        "Ceram. Soc. 53 (2016); LLZNbO + 1-2 wt% Li3BO3 sintered at 1000 C / 6 h, Rosenberg et al. 'Tape casting "
        "and sintering of Li7La3Zr1.75Nb0.25Al0.1O12 with Li3BO3 additions'), saturating at 1 wt% (optimum 1-2 "
        "wt%, same); conductivity factor fitted to its 2.5e-4 S/cm; Li loss unchanged (no data); "
        "docs/calibration/powder_routes.md"),
    "li6zr2o7": SinteringAid(
        "li6zr2o7", 1.6574, 0.02, 1.0, 1.0,
        "in-situ Li2O source (Li6Zr2O7 -> 2 Li2ZrO3 + Li2O): shift fitted to Nb-LLZO + 2 wt% Li6Zr2O7, "
        "1300 C / 1 min -> 96.8 % (Energy Mater. 4 (2024) 400022), saturating at the 2 wt% studied; adds 2 Li per "
        "Li6Zr2O7 to the Li budget (stoichiometry); conductivity unchanged (assumption: Li2ZrO3 bridges, no factor "
        "reported); docs/calibration/powder_routes.md"),
    "li2o_al2o3_liquid": SinteringAid(
        "li2o_al2o3_liquid", 6.2716, 1.95, 0.5, 0.4887,
        "excess Li salt + Al from alumina setters -> Li2O-Al2O3 grain-boundary liquid (Liu, Ma, Wang, J. Power "
        "Sources 260 (2014) 109): saturates at 30 mol% excess Li (1.95 pfu on Li6.5), where conductivity levels "
        "at ~4e-4 S/cm (factor fitted at 95 % density, assumption); 'reduced lithium loss' read as half the flux "
        "(assumption); densification shift taken equal to the Li3BO3 liquid's (assumption)"),
})

POWDER_ROUTE_NAMES = tuple(POWDER_ROUTES)
SINTERING_AID_NAMES = tuple(SINTERING_AIDS)


def _lookup(table, kind: str, name: str):
    if name not in table:
        raise PhysicsDomainError(f"{kind}={name!r} is unknown; known: {', '.join(table)}")
    return table[name]


_ROUTE_MATERIALS: dict = {}


def route_material(material: MaterialParameters, powder_route: str) -> MaterialParameters:
    """The material with the master-curve position and reference powder size of ``powder_route``.

    Parameters
    ----------
    material : MaterialParameters
        Garnet or garnet-matrix composite with ``msc_*`` keys [-]
    powder_route : str
        One of ``POWDER_ROUTE_NAMES`` [-]

    Returns
    -------
    MaterialParameters
        Same values except ``msc_log_theta_half`` and ``msc_reference_particle_size_m`` (and their sources) [-]

    Notes
    -----
    One MSC per powder route (physics-notes §1.1); Q and the width b are shared because the anchors do not
    identify them per route (docs/calibration/powder_routes.md).

    References
    ----------
    Su & Johnson 1996; docs/calibration/powder_routes.md.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> print(route_material(load_material("llzo_ta"), "calcined")["msc_log_theta_half"])
    -42.9352
    """
    key = (id(material), powder_route)
    cached = _ROUTE_MATERIALS.get(key)
    if cached is not None and cached[0] is material:
        return cached[1]
    route = _lookup(POWDER_ROUTES, "powder_route", powder_route)
    if "msc_log_theta_half" not in material:
        raise PhysicsDomainError(f"material {material.name!r} has no master sintering curve; powder_route applies "
                                 "to sintered garnets")
    values = dict(material.values)
    sources = dict(material.sources)
    values["msc_log_theta_half"] = route.log_theta_half
    values["msc_reference_particle_size_m"] = route.reference_particle_size_m
    sources["msc_log_theta_half"] = sources["msc_reference_particle_size_m"] = route.source
    result = MaterialParameters(name=material.name, kind=material.kind, description=material.description,
                                values=MappingProxyType(values), sources=MappingProxyType(sources))
    # keyed by identity (materials hold read-only mappings, not hashable); the entry keeps the material alive
    _ROUTE_MATERIALS[key] = (material, result)
    return result


def route_conductivity_factor(powder_route: str) -> float:
    """Conductivity of dense layers from ``powder_route`` relative to the material's model value.

    Parameters
    ----------
    powder_route : str
        One of ``POWDER_ROUTE_NAMES`` [-]

    Returns
    -------
    float
        sigma_route / sigma_model [-]

    Notes
    -----
    A multiplier on the conductivity law: grain-boundary phases of the route (reactive sintering leaves
    some, Guo et al. 2023).

    References
    ----------
    docs/calibration/powder_routes.md.

    Examples
    --------
    >>> print(route_conductivity_factor("reactive_precursor"))
    0.5648
    """
    return _lookup(POWDER_ROUTES, "powder_route", powder_route).conductivity_factor


def li6zr2o7_li_pfu(weight_fraction, garnet_molar_mass_kg_per_mol: float):
    """Li (per garnet formula unit) that Li6Zr2O7 releases as Li2O: 2 Li per Li6Zr2O7.

    Parameters
    ----------
    weight_fraction : float or array_like
        Li6Zr2O7 added, weight fraction of the powder, in [0, 0.5) [-]
    garnet_molar_mass_kg_per_mol : float
        Molar mass of the garnet [kg/mol]

    Returns
    -------
    numpy.ndarray or float
        Li added to the budget [pfu]

    Notes
    -----
    Li6Zr2O7 -> 2 Li2ZrO3 + Li2O (Energy Mater. 4 (2024) 400022);
    x = 2 (w / M_LZO) / ((1 - w) / M_garnet).

    References
    ----------
    Energy Mater. 4 (2024) 400022 (Li6Zr2O7 as an in-situ Li2O source).

    Examples
    --------
    >>> print(round(float(li6zr2o7_li_pfu(0.02, 0.889)), 3))
    0.108
    """
    w = check_range("sintering_aid_wt_fraction", weight_fraction, 0.0, 0.5, high_inclusive=False)
    result = 2.0 * (w / LI6ZR2O7_MOLAR_MASS_KG_PER_MOL) / ((1.0 - w) / garnet_molar_mass_kg_per_mol)
    return result[()] if np.ndim(result) == 0 else result


def sintering_aid_effects(aid: str, weight_fraction, li_excess_pfu, material: MaterialParameters) -> dict:
    """What a sintering aid does to densification, the Li budget, Li loss and conduction.

    Parameters
    ----------
    aid : str
        One of ``SINTERING_AID_NAMES`` [-]
    weight_fraction : float or array_like
        Aid added, weight fraction of the garnet powder (li3bo3, li6zr2o7; 0 for the others) [-]
    li_excess_pfu : float or array_like
        Li excess of the recipe (what forms the Li2O-Al2O3 liquid) [pfu]
    material : MaterialParameters
        The garnet (``molar_mass_kg_per_mol``) [-]

    Returns
    -------
    dict
        ``log_theta_shift`` [-], ``li_added_pfu`` [pfu], ``li_loss_factor`` [-], ``conductivity_factor`` [-]

    Notes
    -----
    s = min(amount / saturation, 1); shift = s Delta; loss factor = 1 - s (1 - f_loss);
    conductivity factor = 1 - s (1 - f_sigma); Li added from Li6Zr2O7 stoichiometry.

    References
    ----------
    ``SINTERING_AIDS`` sources; docs/calibration/powder_routes.md.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> e = sintering_aid_effects("li3bo3", 0.005, 0.0, load_material("llzo_ta"))
    >>> print(round(float(e["log_theta_shift"]), 3))
    3.136
    """
    spec = _lookup(SINTERING_AIDS, "sintering_aid", aid)
    amount = li_excess_pfu if aid == "li2o_al2o3_liquid" else weight_fraction
    share = np.minimum(check_non_negative("sintering aid amount", amount) / spec.saturation, 1.0)
    added = li6zr2o7_li_pfu(weight_fraction, material["molar_mass_kg_per_mol"]) if aid == "li6zr2o7" else 0.0
    return {
        "log_theta_shift": share * spec.log_theta_shift,
        "li_added_pfu": added,
        "li_loss_factor": 1.0 - share * (1.0 - spec.li_loss_factor),
        "conductivity_factor": 1.0 - share * (1.0 - spec.conductivity_factor),
    }
