"""What the air of a zone does to an electrolyte between steps: moisture dose, carbonate, hydrolysis.

A sheet waiting in a buffer or on a machine sees the water vapour of its zone (ambient hall, dry room,
inert booth). The dose it collects is the time integral of the water partial pressure, D = int p_H2O dt.

- Garnet (LLZO) exchanges Li+ for H+ and grows LiOH/Li2CO3 on its surface; the layer is not wetted by
  Li and raises the Li/garnet interface resistance from ~2 ohm cm2 (clean, Sharafi et al. 2017) to
  ~1710 ohm cm2 (air-exposed, Han et al. 2017). A firing above ~700 C decomposes it again
  (physics-notes §1.3: surface Li2CO3 reacts back at 700-870 C).
- Sulphides (Li6PS5Cl, Li3PS4) hydrolyse: H2S leaves and the ionic conductivity falls with the dose
  (GM R&D, Front. Energy Res. 10 (2022) 882508: 30 min at a -40 C dew point).
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive
from process_models.dry_room import saturation_vapour_pressure_Pa
from process_models.errors import PhysicsDomainError

# Garnet surface carbonate (Li2CO3/LiOH) -----------------------------------------------------------
CLEAN_GARNET_INTERFACE_ASR_OHM_M2 = 2.0e-4
"""Li / garnet ASR of a cleaned (Li2CO3-free) surface, 2 ohm cm2 (Sharafi et al., Chem. Mater. 29 (2017) 7961)."""
CARBONATED_GARNET_INTERFACE_ASR_OHM_M2 = 1710e-4
"""Li / garnet ASR of an air-exposed surface, 1710 ohm cm2 (Han et al., Nat. Mater. 16 (2017) 572)."""
CARBONATE_DOSE_SCALE_PA_S = 1.01e8
"""Moisture dose for 1 - 1/e of the saturated contamination layer [Pa s]. Assumption: 24 h in air at 20 C and
50 % RH (1170 Pa) carbonates a cleaned garnet surface to 63 % of the air-exposed state. No dose- or time-resolved
Li/garnet ASR series was readable (round 10 search, docs/calibration/atmosphere_exposure.md "Sources
searched"): Sharafi et al., J. Mater. Chem. A 5 (2017) 13475 was not found; Cheng et al., ACS Appl. Mater.
Interfaces (2015), doi 10.1021/acsami.5b02528, compare pristine with air-exposed pellets only; Sahal et al.,
Batteries 10 (2024) 249 find Li2CO3 on LLZTO within 3 min of ambient air (this law: 3 min at 1170 Pa gives c =
0.002, 5.6 ohm cm2); Zhang et al., Nat. Commun. 15 (2024) 2777 find the H2O reaction lagging the CO2 one and
growing with the water pressure, so growth linear in p_H2O (used here down to a -40 C dew point, 1/90 of the
calibration air) likely over-states the dry-room carbonate: the dry-room scrap below is then an upper
estimate. Cheng 2015: ~20 um grains carbonate far less than ~150 um grains, so no one scale fits every
microstructure. Refit to your own exposure series.

The dry-room high_interface_asr scrap hangs on this number: a day at a -40 C dew point gives 20.6 ohm cm2, at
the usual 20 ohm cm2 cell limit. evaluate on round 10's tree (scenario seeds), 0.5 / 1 / 2 x this scale:
pilot_line yield 57.9 / 83.3 / 87.6 %, 10,483 / 7,327 / 6,963 USD/kWh; oxide_baseline 81.7 / 81.6 / 82.4 %;
gigafactory 75.1 / 75.1 / 76.0 % (docs/calibration/buffer_waits.md): measure it before trusting that scrap."""
CARBONATE_DECOMPOSITION_K = 973.15
"""Firing temperature above which the surface Li2CO3 reacts back, 700 C (physics-notes §1.3; Cheng et
al. 2015 heat surface-cleaned LLZO at 500-700 C)."""

# Sulphide hydrolysis -------------------------------------------------------------------------------
SULPHIDE_CONDUCTIVITY_DOSE_SCALE_PA_S = 1.53e5
"""Dose that lowers a sulphide's conductivity by 1/e when every particle surface is open to the air [Pa s]: a
slurry-coated Li3PS4-LiI powder lost 14 % of its conductivity in 30 min at a -40 C dew point (12.84 Pa): 12.84 x
1800 / -ln(0.86) (GM R&D, Front. Energy Res. 10 (2022) 882508). Li6PS5Cl uses this value as a proxy: no
dose-resolved Li6PS5Cl series was readable in round 10 ("Elucidating the effect of dry-room atmospheres on ...
sulfidic sheet-type separators", Li6PS5Cl/HNBR sheets at a -48 C dew point, and Morino et al., ChemPhysChem
(2024) e202400872, Li6PS5Cl at a -20 C dew point under Ar, O2 and CO2: abstracts only; Morino: the carrier gas
changes the conductivity loss at equal H2S, so a dose-only law misses the atmosphere). The same powder dry
degraded > 3x faster (> 50 % in 30 min, D_s < 3.3e4 Pa s), so for a dry open layer this rate is a lower bound:
at 3.3e4 sulphide_spray's evaluate yield falls from 81.5 to 18.5 %. A pressed layer exposes less surface than
the powder: :func:`sulphide_exposed_surface_share` scales the dose."""
SULPHIDE_LOOSE_RELATIVE_DENSITY = 0.50
"""Relative density at and below which every particle surface of a layer is open to the air [-]; the loose
Li6PS5Cl powder density of the pressing calibration (docs/calibration/sulphide_pressing.md, assumption)."""
PORE_CLOSURE_RELATIVE_DENSITY = 0.92
"""Relative density at which the open pores of a compact pinch off into isolated ones [-]: the start of
final-stage densification, ~92 % (Coble, J. Appl. Phys. 32 (1961) 787; German, Sintering Theory and
Practice (1996), from memory [R]). Above it the air reaches only the layer's face."""


def water_partial_pressure_Pa(dew_point_K):
    """Water vapour partial pressure of air with a given dew (frost) point [Pa].

    Parameters
    ----------
    dew_point_K : float or array_like
        Dew (frost) point of the zone T_d [K]

    Returns
    -------
    numpy.ndarray or float
        Partial pressure of water p_H2O = e_s(T_d) [Pa]

    Notes
    -----
    p_H2O = e_s(T_d) (process_models.dry_room.saturation_vapour_pressure_Pa; over ice below 0 C).

    References
    ----------
    Alduchov & Eskridge (1996); a -40 C dew point is ~126 ppm water (GM R&D, Front. Energy Res. 2022).

    Examples
    --------
    >>> print(round(float(water_partial_pressure_Pa(233.15) / 101325 * 1e6)))  # ppm by volume at -40 C
    127
    """
    return saturation_vapour_pressure_Pa(dew_point_K)


def carbonate_fraction(moisture_dose_Pa_s, dose_scale_Pa_s=CARBONATE_DOSE_SCALE_PA_S):
    """Share of the saturated Li2CO3/LiOH surface layer a garnet surface has grown [-].

    Parameters
    ----------
    moisture_dose_Pa_s : float or array_like
        Water-vapour dose since the surface was last clean D = int p_H2O dt [Pa s]
    dose_scale_Pa_s : float
        Dose for 1 - 1/e of the saturated layer D_c [Pa s]

    Returns
    -------
    numpy.ndarray or float
        Carbonate fraction c = 1 - exp(-D / D_c) [-]

    Notes
    -----
    Reaction-limited growth with a self-passivating layer: linear in the dose while thin (the rate is
    set by the water reaching the surface), saturating at the air-exposed state.

    References
    ----------
    Sharafi et al., J. Mater. Chem. A 5 (2017) 13475 and Chem. Mater. 29 (2017) 7961; Han et al., Nat.
    Mater. 16 (2017) 572; dose scale: ``CARBONATE_DOSE_SCALE_PA_S`` (assumption).

    Examples
    --------
    >>> print(round(float(carbonate_fraction(12.84 * 3600)), 5))  # 1 h in a -40 C dew-point dry room
    0.00046
    """
    dose = check_non_negative("moisture_dose_Pa_s", moisture_dose_Pa_s)
    scale = check_positive("dose_scale_Pa_s", dose_scale_Pa_s)
    if dose.ndim == 0 or scale.ndim:
        fraction = -np.expm1(-dose / scale)
        return fraction[()] if fraction.ndim == 0 else fraction
    # per-sheet doses (every lamination lot): in place on one temporary; (-d) / s is d / (-s) exactly
    fraction = np.divide(dose, -scale)
    np.expm1(fraction, out=fraction)
    return np.negative(fraction, out=fraction)


def carbonated_interface_asr_ohm_m2(carbonate, clean_asr_ohm_m2=CLEAN_GARNET_INTERFACE_ASR_OHM_M2,
                                    carbonated_asr_ohm_m2=CARBONATED_GARNET_INTERFACE_ASR_OHM_M2):
    """Li / garnet interface ASR at full contact for a surface carrying a share of carbonate [ohm m^2].

    Parameters
    ----------
    carbonate : float or array_like
        Carbonate fraction of the surface c in [0, 1] (:func:`carbonate_fraction`) [-]
    clean_asr_ohm_m2 : float
        ASR of the clean surface R_0 [ohm m^2]
    carbonated_asr_ohm_m2 : float
        ASR of the air-exposed (saturated) surface R_air [ohm m^2]

    Returns
    -------
    numpy.ndarray or float
        Interface ASR R = R_0 + c (R_air - R_0) [ohm m^2]

    Notes
    -----
    Linear in the covered share: the unwetted carbonate patches block the current that the clean
    patches carry (Sharafi 2017: Li wets clean LLZO, not Li2CO3). An assumption between the two
    published end points.

    References
    ----------
    Sharafi et al., Chem. Mater. 29 (2017) 7961 (2 ohm cm2); Han et al., Nat. Mater. 16 (2017) 572 (1710 ohm cm2).

    Examples
    --------
    >>> print(round(float(carbonated_interface_asr_ohm_m2(0.01)) * 1e4, 1))  # ohm cm2
    19.1
    """
    carbonate = check_non_negative("carbonate", carbonate)
    if carbonate.ndim == 0 or np.ndim(clean_asr_ohm_m2) or np.ndim(carbonated_asr_ohm_m2):
        fraction = np.clip(carbonate, 0.0, 1.0)
        asr = clean_asr_ohm_m2 + fraction * (carbonated_asr_ohm_m2 - clean_asr_ohm_m2)
        return asr[()] if asr.ndim == 0 else asr
    # per-sheet shares with scalar end points (every lamination lot): np.clip's values and the same
    # product and sum, in place on one temporary
    asr = np.maximum(carbonate, 0.0)
    np.minimum(asr, 1.0, out=asr)
    asr *= carbonated_asr_ohm_m2 - clean_asr_ohm_m2
    asr += clean_asr_ohm_m2
    return asr


def sulphide_exposed_surface_share(relative_density, thickness_m, particle_size_m,
                                   loose_relative_density=SULPHIDE_LOOSE_RELATIVE_DENSITY,
                                   closure_relative_density=PORE_CLOSURE_RELATIVE_DENSITY):
    """Share of a sulphide layer's particle surface that the zone air reaches, against loose powder [-].

    Parameters
    ----------
    relative_density : float or array_like
        Relative density of the layer rho in (0, 1] [-]
    thickness_m : float or array_like
        Layer thickness L [m]
    particle_size_m : float or array_like
        Particle size d of the pressed powder [m]
    loose_relative_density : float
        Density rho_0 up to which every particle surface is open [-]
    closure_relative_density : float
        Density rho_c at which the open pores close [-]

    Returns
    -------
    numpy.ndarray or float
        Exposed share s = f_open + (1 - f_open) d / (6 rho L), at most 1 [-]

    Notes
    -----
    Hydrolysis of a sulphide is a reaction of its surface with the water that reaches it (H2S leaves,
    Li3PO4/LiOH stay), so the conductivity a dose takes scales with the surface the air reaches per
    volume of solid. Loose powder: all of it, 6/d. A compact: the pore surface open to the outside,
    taken to fall linearly from all of it at rho_0 to none at pore closure rho_c,
    f_open = (rho_c - rho) / (rho_c - rho_0) clipped to [0, 1] (assumption: linear between the two
    limits), plus its face, 1 / (rho L) per volume of solid. A 30 um layer of 5 um particles pressed
    past closure exposes 5 / (6 x 30) ~ 3 % of what its powder did.

    References
    ----------
    GM R&D, Front. Energy Res. 10 (2022) 882508 (powder in a carrier 14 % vs dry powder > 50 % in 30 min
    at -40 C: the open surface sets the loss); Coble, J. Appl. Phys. 32 (1961) 787 (pore closure ~92 %).

    Examples
    --------
    >>> print(round(float(sulphide_exposed_surface_share(0.60, 42e-6, 5e-6)), 3))  # sprayed, before pressing
    0.77
    >>> print(round(float(sulphide_exposed_surface_share(0.98, 30e-6, 5e-6)), 3))  # calendered past closure
    0.028
    """
    density = check_fraction("relative_density", relative_density, allow_zero=False)
    thickness = check_positive("thickness_m", thickness_m)
    particle = check_positive("particle_size_m", particle_size_m)
    if not 0.0 <= loose_relative_density < closure_relative_density <= 1.0:
        raise PhysicsDomainError(f"loose_relative_density={loose_relative_density} and closure_relative_density="
                                 f"{closure_relative_density}: need 0 <= loose < closure <= 1")
    open_share = np.clip((closure_relative_density - density) / (closure_relative_density - loose_relative_density),
                         0.0, 1.0)
    face = particle / (6.0 * density * thickness)
    share = np.minimum(open_share + (1.0 - open_share) * face, 1.0)
    return share[()] if share.ndim == 0 else share


def sulphide_conductivity_retention(moisture_dose_Pa_s, dose_scale_Pa_s=SULPHIDE_CONDUCTIVITY_DOSE_SCALE_PA_S,
                                    exposed_share=1.0):
    """Share of a sulphide electrolyte's ionic conductivity left after a moisture dose [-].

    Parameters
    ----------
    moisture_dose_Pa_s : float or array_like
        Water-vapour dose D = int p_H2O dt [Pa s]
    dose_scale_Pa_s : float
        Dose for a 1/e loss with every particle surface open D_s [Pa s]
    exposed_share : float or array_like
        Share s of the particle surface the air reaches (:func:`sulphide_exposed_surface_share`; 1 for
        loose powder) [-]

    Returns
    -------
    numpy.ndarray or float
        Conductivity retention exp(-s D / D_s) [-]

    Notes
    -----
    First order in the dose on the surface the air reaches: each increment hydrolyses the same share of
    the P-S bonds left there (H2S release), so retentions of successive exposures multiply, each at the
    exposed share the layer had while it waited (porous before pressing, its face after).

    References
    ----------
    GM R&D, "Moisture stability of sulfide solid-state electrolytes", Front. Energy Res. 10 (2022) 882508.

    Examples
    --------
    >>> print(round(float(sulphide_conductivity_retention(12.84 * 1800)), 2))  # 30 min at -40 C dew point
    0.86
    """
    dose = check_non_negative("moisture_dose_Pa_s", moisture_dose_Pa_s)
    share = check_fraction("exposed_share", exposed_share)
    retention = np.exp(-dose * share / check_positive("dose_scale_Pa_s", dose_scale_Pa_s))
    return retention[()] if retention.ndim == 0 else retention


__all__ = [
    "CARBONATED_GARNET_INTERFACE_ASR_OHM_M2",
    "CARBONATE_DECOMPOSITION_K",
    "CARBONATE_DOSE_SCALE_PA_S",
    "CLEAN_GARNET_INTERFACE_ASR_OHM_M2",
    "PORE_CLOSURE_RELATIVE_DENSITY",
    "SULPHIDE_CONDUCTIVITY_DOSE_SCALE_PA_S",
    "SULPHIDE_LOOSE_RELATIVE_DENSITY",
    "carbonate_fraction",
    "carbonated_interface_asr_ohm_m2",
    "sulphide_conductivity_retention",
    "sulphide_exposed_surface_share",
    "water_partial_pressure_Pa",
]
