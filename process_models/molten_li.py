"""Molten-Li contact: Li melted onto a garnet electrolyte under argon instead of a rolled foil.

Whether molten Li wets a garnet depends on its surface (roadmap 2020 §5): Li2CO3/LiOH-covered garnet is
lithiophobic, a cleaned or coated garnet is wetted (Sharafi et al., Chem. Mater. 29 (2017) 7961; Han et
al., Nat. Mater. 16 (2017) 572). Hot enough, molten Li also turns an untreated garnet lithiophilic
(Jin et al., Small Methods 7 (2023) 2201140: the transition lies near 380 C; Li/LLZTO then ~3.6 ohm cm2).
Three pieces of physics:

* the carbonate left under the melt: the molten Li reduces the Li2CO3 layer (Li2CO3 + 4 Li -> 3 Li2O + C)
  at a first-order, Arrhenius rate, ``x(t) = x0 exp(-k(T) t)``, anchored at Jin's 380 C transition;
* the contact angle of the melt on the mixed surface: Cassie's law for a chemically heterogeneous
  surface, ``cos(theta) = sum_i phi_i cos(theta_i)`` (Cassie, Discuss. Faraday Soc. 3 (1948) 11);
* the real contact fraction from the contact angle: the work of adhesion over the liquid's work of
  cohesion (Young-Dupre), ``f = W_a / W_c = (1 + cos theta) / 2``; the interface ASR is then the
  full-contact ASR of the surface over f (constriction, as for a foil: process_models.lamination).

And the heat to melt the Li and bring the sheet to the melt temperature (CRC handbook Li data).
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_positive, check_range
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K

LI_MELTING_POINT_K = 453.65              # 180.5 C (CRC handbook)
LI_HEAT_OF_FUSION_J_PER_KG = 3.00e3 / 6.941e-3   # 3.00 kJ/mol over 6.941 g/mol (CRC handbook): 432 kJ/kg
LI_SOLID_HEAT_CAPACITY_J_PER_KG_K = 24.86 / 6.941e-3   # 24.86 J/(mol K) at 25 C (CRC handbook): 3.58 kJ/(kg K)
LI_LIQUID_HEAT_CAPACITY_J_PER_KG_K = 30.3 / 6.941e-3   # ~30.3 J/(mol K) near the melting point (NIST-JANAF, memory)

# Young contact angles of molten Li [deg]: on the air-exposed (Li2CO3/LiOH) garnet surface and on the
# cleaned one (Sharafi et al., Chem. Mater. 29 (2017) 7961: contact-angle measurements show Li does not wet
# the contaminated surface and wets the cleaned one; ~142 deg and ~95 deg read from memory [R]).
CONTACT_ANGLE_CARBONATED_DEG = 142.0
CONTACT_ANGLE_CLEAN_GARNET_DEG = 95.0
# A lithiophilic coating (ALD Al2O3 that lithiates, Han 2017; Mg that alloys and dissolves, Fu et al.
# Angew. Chem. 56 (2017) 14942) lets the melt spread: assumption 30 deg (both papers show molten Li
# spreading over the coated garnet; no angle read)
CONTACT_ANGLE_COATED_DEG = 30.0

# Reduction of the Li2CO3 layer by the melt. Jin et al. 2023 (abstract read): an untreated garnet turns
# lithiophilic above ~380 C. Assumptions: at 380 C a minute's contact removes 90 % of the layer
# (k = ln 10 / 60 s), and an activation energy of 200 kJ/mol, steep enough that at 300 C (k x 0.006) the
# surface stays lithiophobic over minutes, as Jin finds below the transition.
CARBONATE_REDUCTION_REFERENCE_K = 653.15
CARBONATE_REDUCTION_RATE_AT_REFERENCE_PER_S = np.log(10.0) / 60.0
CARBONATE_REDUCTION_ACTIVATION_J_PER_MOL = 200e3


def _out(value):
    return value[()] if np.ndim(value) == 0 else value


def carbonate_left_fraction(initial_fraction, melt_temperature_K, contact_time_s):
    """Share of the surface still carrying Li2CO3 after the molten Li has sat on it [-].

    Parameters
    ----------
    initial_fraction : float or array_like
        Carbonate share of the surface before the melt x0 in [0, 1] [-]
    melt_temperature_K : float or array_like
        Temperature of the melt and the sheet, >= 453.65 (Li melts) [K]
    contact_time_s : float or array_like
        Time the melt stays liquid on the surface t, > 0 [s]

    Returns
    -------
    numpy.ndarray or float
        x = x0 exp(-k(T) t), k = k_ref exp(-E/R (1/T - 1/T_ref)) [-]

    Notes
    -----
    First-order reduction of the carbonate by the melt (Li2CO3 + 4 Li -> 3 Li2O + C). Anchored at the
    ~380 C lithiophobic-to-lithiophilic transition of untreated garnet (Jin et al. 2023); the rate at the
    anchor and the activation energy are assumptions (module constants).

    References
    ----------
    Jin et al., Small Methods 7 (2023) 2201140 (abstract read).

    Examples
    --------
    >>> print(round(float(carbonate_left_fraction(1.0, 653.15, 60.0)), 3))
    0.1
    """
    x0 = check_fraction("initial_fraction", initial_fraction)
    temperature = check_range("melt_temperature_K", melt_temperature_K, LI_MELTING_POINT_K, 2000.0)
    time = check_positive("contact_time_s", contact_time_s)
    rate = CARBONATE_REDUCTION_RATE_AT_REFERENCE_PER_S * np.exp(
        -CARBONATE_REDUCTION_ACTIVATION_J_PER_MOL / GAS_CONSTANT_J_PER_MOL_K
        * (1.0 / temperature - 1.0 / CARBONATE_REDUCTION_REFERENCE_K))
    return _out(x0 * np.exp(-rate * time))


def molten_li_contact_angle_deg(carbonate_fraction, coated_fraction=0.0):
    """Apparent contact angle of molten Li on a garnet surface of mixed chemistry [deg].

    Parameters
    ----------
    carbonate_fraction : float or array_like
        Share of the bare (uncoated) surface carrying Li2CO3/LiOH x in [0, 1] [-]
    coated_fraction : float or array_like
        Share of the surface under a lithiophilic interlayer c in [0, 1] [-]

    Returns
    -------
    numpy.ndarray or float
        theta = arccos(c cos th_coat + (1 - c)(x cos th_carb + (1 - x) cos th_clean)) [deg]

    Notes
    -----
    Cassie's law for a chemically heterogeneous flat surface: the cosines add by area share.

    References
    ----------
    Cassie, Discuss. Faraday Soc. 3 (1948) 11; angles: Sharafi et al., Chem. Mater. 29 (2017) 7961 [R]
    (module constants).

    Examples
    --------
    >>> print(round(float(molten_li_contact_angle_deg(1.0)), 1))
    142.0
    """
    x = check_fraction("carbonate_fraction", carbonate_fraction)
    c = check_fraction("coated_fraction", coated_fraction)
    cosine = (c * np.cos(np.radians(CONTACT_ANGLE_COATED_DEG))
              + (1.0 - c) * (x * np.cos(np.radians(CONTACT_ANGLE_CARBONATED_DEG))
                             + (1.0 - x) * np.cos(np.radians(CONTACT_ANGLE_CLEAN_GARNET_DEG))))
    return _out(np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0))))


def wetted_contact_fraction(contact_angle_deg):
    """Real contact fraction of a melt from its contact angle: work of adhesion over work of cohesion [-].

    Parameters
    ----------
    contact_angle_deg : float or array_like
        Apparent contact angle theta in [0, 180) [deg]

    Returns
    -------
    numpy.ndarray or float
        f = (1 + cos theta) / 2 in (0, 1] [-]

    Notes
    -----
    Young-Dupre: W_a = gamma (1 + cos theta), W_c = 2 gamma. A melt that wets (theta -> 0) bonds over the
    whole surface (f -> 1); a non-wetting one (theta -> 180) touches only at points. Reading W_a / W_c as
    the contact share is an assumption (no measured Li contact-area law).

    References
    ----------
    Young (1805), Dupre (1869); e.g. Eustathopoulos, Nicholas, Drevet, Wettability at High Temperatures
    (Pergamon 1999) ch. 1.

    Examples
    --------
    >>> print(round(float(wetted_contact_fraction(90.0)), 3))
    0.5
    """
    angle = check_range("contact_angle_deg", contact_angle_deg, 0.0, 179.9)
    return _out(0.5 * (1.0 + np.cos(np.radians(angle))))


def melt_heat_J_per_m2(li_thickness_m, melt_temperature_K, sheet_heat_capacity_J_per_m2_K,
                       start_temperature_K=298.15):
    """Heat to melt a Li layer onto a sheet and bring both to the melt temperature, per m^2 [J/m^2].

    Parameters
    ----------
    li_thickness_m : float or array_like
        Li anode thickness, > 0 [m]
    melt_temperature_K : float or array_like
        Melt temperature, >= 453.65 [K]
    sheet_heat_capacity_J_per_m2_K : float or array_like
        Heat capacity of the sheet under the Li per m^2, >= 0 [J/(m^2 K)]
    start_temperature_K : float
        Temperature of the Li ingot and the sheet before [K]

    Returns
    -------
    numpy.ndarray or float
        q = rho_Li t [c_s (T_m - T0) + L + c_l (T - T_m)] + C_sheet (T - T0) [J/m^2]

    Notes
    -----
    Sensible heat of the solid, latent heat, sensible heat of the liquid; the sheet is heated so the melt
    does not freeze on contact. Heater losses are the station's (its metered power).

    References
    ----------
    CRC Handbook of Chemistry and Physics (Li: T_m 180.5 C, L 3.00 kJ/mol, c_p 24.86 J/(mol K)); NIST-JANAF
    (liquid c_p, memory); density 534 kg/m3.

    Examples
    --------
    >>> print(round(float(melt_heat_J_per_m2(20e-6, 573.15, 0.0))))
    16136
    """
    from process_models.constants import LI_METAL_DENSITY_KG_PER_M3

    thickness = check_positive("li_thickness_m", li_thickness_m)
    temperature = check_range("melt_temperature_K", melt_temperature_K, LI_MELTING_POINT_K, 2000.0)
    sheet = check_range("sheet_heat_capacity_J_per_m2_K", sheet_heat_capacity_J_per_m2_K, 0.0)
    li_kg = LI_METAL_DENSITY_KG_PER_M3 * thickness
    per_kg = (LI_SOLID_HEAT_CAPACITY_J_PER_KG_K * (LI_MELTING_POINT_K - start_temperature_K)
              + LI_HEAT_OF_FUSION_J_PER_KG + LI_LIQUID_HEAT_CAPACITY_J_PER_KG_K * (temperature - LI_MELTING_POINT_K))
    return _out(li_kg * per_kg + sheet * (temperature - start_temperature_K))


__all__ = ["CONTACT_ANGLE_CARBONATED_DEG", "CONTACT_ANGLE_CLEAN_GARNET_DEG", "CONTACT_ANGLE_COATED_DEG",
           "LI_MELTING_POINT_K", "carbonate_left_fraction", "melt_heat_J_per_m2", "molten_li_contact_angle_deg",
           "wetted_contact_fraction"]
