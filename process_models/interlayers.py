"""Interlayers for Li wetting of a garnet electrolyte: deposition time, material use and interface ASR.

A nanometre layer deposited on the electrolyte before the Li anode turns a lithiophobic garnet
surface (Li2CO3/LiOH-covered, ~1710 ohm cm2) into one that Li wets:

- ALD Al2O3 lithiates to a Li-Al-O interphase: ~1710 -> ~1 ohm cm2 (Han et al., Nat. Mater. 16 (2017) 572);
- ALD ZnO reacts to Li-Zn alloy + Li2O: ~20 ohm cm2 (Wang et al., Nano Lett. 17 (2017) 565);
- sputtered Au alloys with Li: 1200 -> 150 ohm after a 150 C anneal, falling with Au thickness up to
  50 nm (Wakasugi et al., J. Electrochem. Soc. 164 (2017) A1022);
- evaporated Mg alloys with (and dissolves into) the Li: a Li-Mg/garnet contact whose resistance does not
  change between 5, 10 and 100 nm of Mg (Fu et al., Angew. Chem. Int. Ed. 56 (2017) 14942, abstract read).

Interface model (per unit area, at full Li contact):
    R(t) = [theta(t) / R_wet + (1 - theta(t)) / R_bare]^-1 + t / sigma_layer,
    theta(t) = 1 - exp(-t / t_cov)
the covered share theta of a film of nominal thickness t wets (R_wet), the uncovered share keeps the
bare surface's ASR (R_bare: clean or carbonated garnet, process_models.atmosphere_exposure), in
parallel; the lithiated layer adds its own ionic resistance in series. Thin films are not closed
(island nucleation), thick insulating films add resistance: the ASR has a minimum in thickness.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_non_negative, check_positive
from process_models.atmosphere_exposure import CARBONATED_GARNET_INTERFACE_ASR_OHM_M2
from process_models.errors import PhysicsDomainError

INTERLAYER_MATERIALS: dict[str, dict[str, float | str]] = {
    "al2o3": {
        # Han et al., Nat. Mater. 16 (2017) 572 [R]: ALD Al2O3 on garnet, Li/garnet 1710 -> 1 ohm cm2
        "wetted_asr_ohm_m2": 0.5e-4,
        # assumption: lithiated Li-Al-O ionic conductivity 1e-6 S/cm, set so that a 5 nm layer (plus
        # R_wet 0.5 ohm cm2) gives Han's ~1 ohm cm2; ALD lithium aluminate films are reported lower
        # (~1e-7 S/cm, memory), which would put Han's layer below ~1 nm: refit to your own data
        "layer_conductivity_S_per_m": 1e-4,
        # assumption: TMA/H2O ALD Al2O3 closes on oxides within ~10 cycles (~1 nm; Puurunen, J. Appl.
        # Phys. 97 (2005) 121301, substrate-inhibited growth)
        "coverage_thickness_m": 0.4e-9,
        # ALD Al2O3 film density 3.0 g/cm3 (Groner et al., Chem. Mater. 16 (2004) 639)
        "film_density_kg_per_m3": 3000.0,
        # precursor per film: 2 Al(CH3)3 (2 x 72.09 g/mol) per Al2O3 (101.96 g/mol)
        "precursor_per_film_kg_per_kg": 2 * 72.09 / 101.96,
        "precursor": "trimethylaluminium",
    },
    "zno": {
        # Wang et al., Nano Lett. 17 (2017) 565 [R]: ALD ZnO on garnet, ~20 ohm cm2 (Zhou et al., Sustain.
        # Energy Fuels 2018: wet-chemical ZnO 70 -> 10 ohm cm2, physics-notes §6.4)
        "wetted_asr_ohm_m2": 18e-4,
        # assumption: the lithiated Li-Zn + Li2O composite conducts 1e-6 S/cm: 20 nm adds 2 ohm cm2,
        # Wang's 20 ohm cm2 at ~20 nm (thickness from memory)
        "layer_conductivity_S_per_m": 1e-4,
        # assumption: DEZ/H2O ZnO nucleates like Al2O3 on oxides (Puurunen 2005)
        "coverage_thickness_m": 0.4e-9,
        "film_density_kg_per_m3": 5610.0,   # ZnO 5.61 g/cm3 (CRC handbook)
        "precursor_per_film_kg_per_kg": 123.5 / 81.38,   # Zn(C2H5)2 per ZnO
        "precursor": "diethylzinc",
    },
    "au": {
        # Wakasugi et al., J. Electrochem. Soc. 164 (2017) A1022: 1200 -> 150 ohm with 50 nm Au (area not
        # known here): assumption R_wet = 150/1200 of the air-exposed 1710 ohm cm2 = 214 ohm cm2
        "wetted_asr_ohm_m2": 150.0 / 1200.0 * CARBONATED_GARNET_INTERFACE_ASR_OHM_M2,
        # Li-Au alloy is a metal: no ionic series term
        "layer_conductivity_S_per_m": np.inf,
        # Wakasugi 2017: the resistance falls with Au thickness up to 50 nm: 95 % covered at 50 nm
        "coverage_thickness_m": 50e-9 / 3.0,
        "film_density_kg_per_m3": 19300.0,  # Au (CRC handbook)
        "precursor_per_film_kg_per_kg": 1.0,  # the sputter target is the film material
        "precursor": "gold",
    },
    "mg": {
        # Fu et al., Angew. Chem. Int. Ed. 56 (2017) 14942 (abstract read): the Mg coating dissolves into the
        # Li and diffuses into its bulk, leaving a small, stable Li(Mg)/garnet resistance. Their value was not
        # read: assumption R_wet = the clean Li/garnet contact, 2 ohm cm2 (Sharafi et al., Chem. Mater. 29
        # (2017) 7961), since what touches the garnet is Li with a little Mg in solid solution
        "wetted_asr_ohm_m2": 2e-4,
        # Li-Mg is a metal (a solid solution up to ~70 at% Mg): no ionic series term
        "layer_conductivity_S_per_m": np.inf,
        # Fu et al. 2017: the same interfacial resistance at 5, 10 and 100 nm Mg, so 5 nm already covers:
        # 95 % covered at 5 nm (t_cov = 5 nm / 3)
        "coverage_thickness_m": 5e-9 / 3.0,
        "film_density_kg_per_m3": 1738.0,  # Mg (CRC handbook)
        "precursor_per_film_kg_per_kg": 1.0,  # the evaporation charge or sputter target is the film material
        "precursor": "magnesium",
    },
}
"""Interlayer materials: wetted-contact ASR, lithiated-layer conductivity, coverage scale, film density,
source (precursor or target) mass per film mass and the source's price key."""


def _material(name: str) -> dict:
    if name not in INTERLAYER_MATERIALS:
        raise PhysicsDomainError(f"interlayer material: {name!r} is not known; allowed "
                                 f"{', '.join(INTERLAYER_MATERIALS)}")
    return INTERLAYER_MATERIALS[name]


def _out(value):
    return value[()] if np.ndim(value) == 0 else value


def interlayer_coverage(thickness_m, material: str):
    """Share of the electrolyte surface a film of nominal thickness t closes [-].

    Parameters
    ----------
    thickness_m : float or array_like
        Nominal (mass-equivalent) film thickness t, >= 0 [m]
    material : str
        Interlayer material, a key of ``INTERLAYER_MATERIALS`` [-]

    Returns
    -------
    numpy.ndarray or float
        Coverage theta = 1 - exp(-t / t_cov) [-]

    Notes
    -----
    Random (Poisson) island nucleation and growth: the uncovered share decays exponentially with the
    deposited amount (Avrami-type coverage), t_cov the material's coverage thickness.

    References
    ----------
    Puurunen, J. Appl. Phys. 97 (2005) 121301 (ALD nucleation on oxides); Wakasugi et al. 2017 (Au).

    Examples
    --------
    >>> print(round(float(interlayer_coverage(50e-9, "au")), 3))
    0.95
    """
    t = check_non_negative("thickness_m", thickness_m)
    return _out(-np.expm1(-t / _material(material)["coverage_thickness_m"]))


def interlayer_interface_asr_ohm_m2(thickness_m, material: str, bare_asr_ohm_m2):
    """Li / electrolyte ASR at full contact through an interlayer of a given thickness [ohm m^2].

    Parameters
    ----------
    thickness_m : float or array_like
        Nominal film thickness t, >= 0 [m]
    material : str
        Interlayer material, a key of ``INTERLAYER_MATERIALS`` [-]
    bare_asr_ohm_m2 : float or array_like
        ASR of the uncovered surface R_bare, > 0 (clean 2e-4, air-exposed 0.171) [ohm m^2]

    Returns
    -------
    numpy.ndarray or float
        R = [theta / R_wet + (1 - theta) / R_bare]^-1 + t / sigma_layer [ohm m^2]

    Notes
    -----
    Covered and bare patches conduct in parallel; the lithiated layer adds t / sigma in series.
    t = 0 gives R_bare.

    References
    ----------
    Han et al., Nat. Mater. 16 (2017) 572 [R]; Wang et al., Nano Lett. 17 (2017) 565 [R]; Wakasugi et
    al., J. Electrochem. Soc. 164 (2017) A1022; see ``INTERLAYER_MATERIALS``.

    Examples
    --------
    >>> print(round(float(interlayer_interface_asr_ohm_m2(5e-9, "al2o3", 0.171)) * 1e4, 2))  # ohm cm2
    1.0
    """
    props = _material(material)
    t = check_non_negative("thickness_m", thickness_m)
    bare = check_positive("bare_asr_ohm_m2", bare_asr_ohm_m2)
    theta = -np.expm1(-t / props["coverage_thickness_m"])
    parallel = 1.0 / (theta / props["wetted_asr_ohm_m2"] + (1.0 - theta) / bare)
    return _out(parallel + t / props["layer_conductivity_S_per_m"])


def ald_cycles(thickness_m, growth_per_cycle_m):
    """ALD cycles to reach a thickness: ceil(t / GPC) (self-limiting growth per cycle) [-].

    Parameters
    ----------
    thickness_m : float or array_like
        Target film thickness t, > 0 [m]
    growth_per_cycle_m : float or array_like
        Growth per cycle GPC, > 0 (TMA/H2O Al2O3 ~0.11 nm, Puurunen 2005) [m]

    Returns
    -------
    numpy.ndarray or float
        Number of cycles N = ceil(t / GPC) [-]

    Notes
    -----
    Each cycle adds one self-limited growth per cycle once the film has nucleated; the nucleation delay
    is in the coverage (:func:`interlayer_coverage`), not in the cycle count.

    References
    ----------
    Puurunen, J. Appl. Phys. 97 (2005) 121301.

    Examples
    --------
    >>> print(int(ald_cycles(5e-9, 0.11e-9)))
    46
    """
    t = check_positive("thickness_m", thickness_m)
    gpc = check_positive("growth_per_cycle_m", growth_per_cycle_m)
    # the rounding guard keeps an exact multiple (5 nm at 0.1 nm) from rounding up by float error
    return _out(np.ceil(t / gpc - 1e-9))


def film_source_kg_per_m2(thickness_m, material: str, source_utilisation):
    """Precursor or target material consumed per m^2 of coated electrolyte [kg/m^2].

    Parameters
    ----------
    thickness_m : float or array_like
        Film thickness t, >= 0 [m]
    material : str
        Interlayer material, a key of ``INTERLAYER_MATERIALS`` [-]
    source_utilisation : float or array_like
        Share of the source that ends in the film on the sheet, in (0, 1] [-]

    Returns
    -------
    numpy.ndarray or float
        m = t rho_film (source mass per film mass) / utilisation [kg/m^2]

    Notes
    -----
    Source mass per film mass from the reaction stoichiometry (e.g. 2 Al(CH3)3 per Al2O3); the rest of
    the dose is purged (ALD) or lands on shields (sputtering), which the utilisation accounts for.

    References
    ----------
    Stoichiometry of the precursor reaction; target utilisation: planar ~30 %, rotary ~80 %
    (indium.com, via the thin-film reference notes).

    Examples
    --------
    >>> print(round(float(film_source_kg_per_m2(5e-9, "al2o3", 1.0)) * 1e6, 2))  # mg per m2
    21.21
    """
    props = _material(material)
    t = check_non_negative("thickness_m", thickness_m)
    utilisation = check_positive("source_utilisation", source_utilisation)
    if np.any(utilisation > 1.0):
        raise PhysicsDomainError(f"source_utilisation: {float(np.max(utilisation)):g} is above 1")
    return _out(t * props["film_density_kg_per_m3"] * props["precursor_per_film_kg_per_kg"] / utilisation)


__all__ = ["INTERLAYER_MATERIALS", "ald_cycles", "film_source_kg_per_m2", "interlayer_coverage",
           "interlayer_interface_asr_ohm_m2"]
