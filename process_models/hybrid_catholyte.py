"""Hybrid solid-liquid cells: a liquid catholyte filled into the porous cathode against a solid separator.

Roadmap 2020 s9: the solid electrolyte protects the Li-metal anode, a liquid wets the thick porous
cathode; the price is the solid-liquid electrolyte interphase (SLEI) between them, whose resistance
grows as the liquid reacts with the solid (Busche et al., Nat. Chem. 8 (2016) 426). Pure numpy, SI.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_positive


def catholyte_fill_volume_m3_per_m2(porosity, cathode_thickness_m, excess_fraction=0.0):
    """Liquid that fills the cathode's pores, per m^2 of cathode.

    Parameters
    ----------
    porosity : float or array_like
        Open pore volume fraction of the cathode, 1 - relative density [-]
    cathode_thickness_m : float or array_like
        Cathode thickness [m]
    excess_fraction : float or array_like
        Overfill beyond the pore volume (wets edges and dead volume) [-]

    Returns
    -------
    numpy.ndarray or float
        Fill volume V [m^3/m^2]

    Notes
    -----
    V = eps L (1 + x): the electrolyte fills the open pores (the filling rule of Li-ion cells).

    References
    ----------
    Günter & Wassiliadis, J. Electrochem. Soc. 169 (2022) 030515 (filling and wetting review); roadmap s9.

    Examples
    --------
    >>> print(f"{float(catholyte_fill_volume_m3_per_m2(0.4, 100e-6, 0.1)) * 1e6:.1f}")
    44.0
    """
    eps = check_fraction("porosity", porosity)
    return eps * np.asarray(cathode_thickness_m, dtype=float) * (1.0 + np.asarray(excess_fraction, dtype=float))


def washburn_wetting_time_s(distance_m, viscosity_Pa_s, surface_tension_N_per_m, pore_radius_m,
                            contact_angle_deg=0.0, tortuosity=1.0):
    """Time for a liquid to wick a distance into a porous layer by capillarity.

    Parameters
    ----------
    distance_m : float or array_like
        Straight-line wetting distance (from the cell edge inwards) [m]
    viscosity_Pa_s : float or array_like
        Liquid viscosity [Pa s]
    surface_tension_N_per_m : float or array_like
        Liquid surface tension [N/m]
    pore_radius_m : float or array_like
        Mean capillary radius of the pores [m]
    contact_angle_deg : float or array_like
        Liquid-solid contact angle, below 90 [deg]
    tortuosity : float or array_like
        Path length over straight distance [-]

    Returns
    -------
    numpy.ndarray or float
        Wetting time t [s]

    Notes
    -----
    Washburn: (tau L)^2 = gamma r cos(theta) t / (2 mu), so t = 2 mu (tau L)^2 / (gamma r cos(theta)).

    References
    ----------
    Washburn, Phys. Rev. 17 (1921) 273.

    Examples
    --------
    >>> print(f"{float(washburn_wetting_time_s(0.01, 1e-3, 0.03, 1e-6)):.2f}")
    6.67
    """
    mu = check_positive("viscosity_Pa_s", viscosity_Pa_s)
    gamma = check_positive("surface_tension_N_per_m", surface_tension_N_per_m)
    radius = check_positive("pore_radius_m", pore_radius_m)
    cosine = np.cos(np.radians(np.asarray(contact_angle_deg, dtype=float)))
    if np.any(cosine <= 0.0):
        raise ValueError(f"contact_angle_deg: {contact_angle_deg!r} must be below 90 (a non-wetting liquid "
                         "does not wick in)")
    path = np.asarray(distance_m, dtype=float) * np.asarray(tortuosity, dtype=float)
    return 2.0 * mu * path ** 2 / (gamma * radius * cosine)


def wetted_fraction(wetting_time_s, required_time_s):
    """Share of the cell area the liquid reached after a wetting time.

    Parameters
    ----------
    wetting_time_s : float or array_like
        Time given to wetting [s]
    required_time_s : float or array_like
        Washburn time to wet the full distance [s]

    Returns
    -------
    numpy.ndarray or float
        Wetted fraction, in (0, 1] [-]

    Notes
    -----
    Washburn's front advances as sqrt(t): f = min(1, sqrt(t / t_required)) (assumption: the front
    advances from the edges uniformly, so the wetted area scales as the front distance).

    References
    ----------
    Washburn, Phys. Rev. 17 (1921) 273.

    Examples
    --------
    >>> print(f"{float(wetted_fraction(900.0, 3600.0)):.2f}")
    0.50
    """
    required = check_positive("required_time_s", required_time_s)
    given = check_positive("wetting_time_s", wetting_time_s)
    return np.minimum(1.0, np.sqrt(given / required))


def slei_asr_ohm_m2(initial_asr_ohm_m2, age_s, growth_time_s):
    """Area-specific resistance of the solid-liquid electrolyte interphase after it has grown.

    Parameters
    ----------
    initial_asr_ohm_m2 : float or array_like
        SLEI resistance when the liquid first wets the solid [ohm m^2]
    age_s : float or array_like
        Time since the fill [s]
    growth_time_s : float or array_like
        Time over which the interphase's squared thickness doubles [s]

    Returns
    -------
    numpy.ndarray or float
        SLEI resistance R [ohm m^2]

    Notes
    -----
    R = R0 sqrt(1 + t / t_g): a diffusion-limited (parabolic) layer, x^2 = x0^2 + k t, with R
    proportional to x (assumption: the square-root law of SEI growth, carried to the SLEI).

    References
    ----------
    SLEI forms and grows: Busche et al., Nat. Chem. 8 (2016) 426; roadmap 2020 s9 (100-1000 ohm cm^2
    for some pairs). Parabolic SEI growth: Horstmann et al., Curr. Opin. Electrochem. 13 (2019) 61.

    Examples
    --------
    >>> print(f"{float(slei_asr_ohm_m2(30e-4, 3 * 86400.0, 86400.0)) * 1e4:.1f}")
    60.0
    """
    growth = check_positive("growth_time_s", growth_time_s)
    return np.asarray(initial_asr_ohm_m2, dtype=float) * np.sqrt(1.0 + np.asarray(age_s, dtype=float) / growth)


def pore_electrolyte_asr_ohm_m2(cathode_thickness_m, porosity, conductivity_S_per_m):
    """Ionic resistance of the liquid in the cathode's pores, per m^2 of cathode.

    Parameters
    ----------
    cathode_thickness_m : float or array_like
        Cathode thickness [m]
    porosity : float or array_like
        Liquid-filled pore fraction [-]
    conductivity_S_per_m : float or array_like
        Bulk conductivity of the liquid [S/m]

    Returns
    -------
    numpy.ndarray or float
        ASR of the pore electrolyte [ohm m^2]

    Notes
    -----
    R = L / (3 kappa eps^1.5): Bruggeman's effective conductivity kappa eps^1.5, and the factor 1/3 of a
    uniformly reacting porous electrode.

    References
    ----------
    Bruggeman, Ann. Phys. 416 (1935) 636; Newman & Tobias, J. Electrochem. Soc. 109 (1962) 1183.

    Examples
    --------
    >>> print(f"{float(pore_electrolyte_asr_ohm_m2(150e-6, 0.25, 1.0)) * 1e4:.2f}")
    4.00
    """
    eps = check_fraction("porosity", porosity, allow_zero=False)
    kappa = check_positive("conductivity_S_per_m", conductivity_S_per_m)
    return np.asarray(cathode_thickness_m, dtype=float) / (3.0 * kappa * eps ** 1.5)


__all__ = [
    "catholyte_fill_volume_m3_per_m2", "pore_electrolyte_asr_ohm_m2", "slei_asr_ohm_m2",
    "washburn_wetting_time_s", "wetted_fraction",
]
