"""Li+/H+ exchange of garnet (LLZO) powder in water or moist air, and the Li it costs the firing.

Garnet exchanges Li+ for H+ as soon as it meets water: in air from the first exposure, more for smaller
particles (Redhammer et al., Crystals 11 (2021) 721), and in water up to 74.8 % of its Li (Nb-LLZO powder in
distilled water, Ma et al., J. Power Sources 282 (2015) 286). The exchanged Li leaves the lattice as
LiOH/Li2CO3 on the particle surfaces; on heating the protons leave as water (200-350 C), the Li-poor surface
forms La2Zr2O7 (550-700 C) and part of the surface Li2CO3 re-forms garnet with it (700-870 C; J. Mater. Chem. A
10 (2022) 9080, via physics-notes §1.2). So the powder enters the kiln short of Li.

Exchange model: proton uptake by a sphere from a surface held at the saturation exchange, diffusion-limited
(Crank, The Mathematics of Diffusion, 2nd ed. 1975, eq. 6.20):
    F(tau) = 1 - 6/pi^2 sum_n exp(-n^2 pi^2 tau) / n^2,   tau = D t / r^2,   x = x_sat F.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive

# Largest share of the garnet's Li exchanged in water: Ma et al. 2015, 74.8 % (Nb-LLZO, distilled water)
WATER_SATURATION_EXCHANGE = 0.748
# Proton (Li/H interdiffusion) coefficient in cubic LLZO at room temperature: assumption 1e-18 m2/s, so that
# 1 um powder in water approaches saturation within a day, as the stepwise exchange levels of Ma et al. 2015
# (continuous immersion over hours to days) suggest; single-crystal bulk diffusion was measured by Hiebl et
# al., J. Phys. Chem. C 123 (2019) 1094 (value not read)
PROTON_DIFFUSIVITY_M2_PER_S = 1e-18
# Share of the exchanged Li that the firing loses (assumption: half; the rest of the surface Li2CO3 re-forms
# garnet with the La2Zr2O7 at 700-870 C, J. Mater. Chem. A 10 (2022) 9080)
EXCHANGED_LI_LOST_SHARE = 0.5

_TERMS = np.arange(1, 61, dtype=float)


def _out(value):
    return value[()] if np.ndim(value) == 0 else value


def saturation_exchange_fraction(relative_humidity, in_water=False):
    """Share of the Li the surface exchange tends to at a water activity [-].

    Parameters
    ----------
    relative_humidity : float or array_like
        Relative humidity of the air the powder sits in, in [0, 1]; ignored in water [-]
    in_water : bool
        Powder in liquid water (water-based milling or slurry) [-]

    Returns
    -------
    numpy.ndarray or float
        x_sat = 0.748 in water, 0.748 RH in air [-]

    Notes
    -----
    Linear in the water activity (assumption: the exchange equilibrium scales with the water on the
    surface; dry air exchanges nothing).

    References
    ----------
    Ma et al., J. Power Sources 282 (2015) 286 (74.8 % in water); Redhammer et al., Crystals 11 (2021) 721
    (exchange in ambient air).

    Examples
    --------
    >>> print(round(float(saturation_exchange_fraction(0.5)), 3))
    0.374
    """
    humidity = check_fraction("relative_humidity", relative_humidity)
    if in_water:
        return _out(np.full(np.shape(humidity), WATER_SATURATION_EXCHANGE))
    return _out(WATER_SATURATION_EXCHANGE * humidity)


def proton_exchange_fraction(time_s, particle_size_m, saturation_fraction,
                             diffusivity_m2_per_s=PROTON_DIFFUSIVITY_M2_PER_S):
    """Share of the powder's Li exchanged for H after a time in water or moist air [-].

    Parameters
    ----------
    time_s : float or array_like
        Exposure time t, >= 0 [s]
    particle_size_m : float or array_like
        Particle diameter d = 2 r, > 0 [m]
    saturation_fraction : float or array_like
        Exchange the surface is held at x_sat in [0, 1] [-]
    diffusivity_m2_per_s : float
        Proton interdiffusion coefficient D [m2/s]

    Returns
    -------
    numpy.ndarray or float
        x = x_sat [1 - 6/pi^2 sum_n exp(-n^2 pi^2 D t / r^2) / n^2] [-]

    Notes
    -----
    Diffusion into a sphere with a constant surface concentration (Crank 1975, eq. 6.20); 60 terms of the
    series (below tau = 0.01 the short-time form 6 sqrt(tau/pi) - 3 tau, which the series approaches).
    Smaller particles exchange faster (Redhammer et al. 2021).

    References
    ----------
    Crank, The Mathematics of Diffusion (1975) eq. 6.20; module constants.

    Examples
    --------
    >>> print(round(float(proton_exchange_fraction(48 * 3600.0, 1e-6, 0.748)), 3))
    0.748
    """
    time = check_non_negative("time_s", time_s)
    size = check_positive("particle_size_m", particle_size_m)
    saturation = check_fraction("saturation_fraction", saturation_fraction)
    tau = np.asarray(diffusivity_m2_per_s * time / (0.5 * size) ** 2, dtype=float)
    series = 1.0 - 6.0 / np.pi ** 2 * np.sum(
        np.exp(-np.multiply.outer(tau, _TERMS ** 2) * np.pi ** 2) / _TERMS ** 2, axis=-1)
    short = 6.0 * np.sqrt(tau / np.pi) - 3.0 * tau
    uptake = np.where(tau < 1e-2, short, series)
    return _out(saturation * np.clip(uptake, 0.0, 1.0))


def protonation_li_deficit_pfu(proton_fraction, nominal_li_pfu, lost_share=EXCHANGED_LI_LOST_SHARE):
    """Li the firing loses from a protonated powder, per formula unit [pfu].

    Parameters
    ----------
    proton_fraction : float or array_like
        Share of the garnet's Li exchanged for H x in [0, 1] [-]
    nominal_li_pfu : float
        Li per formula unit of the garnet (e.g. 6.4 for Ta-LLZO) [-]
    lost_share : float
        Share of the exchanged Li the firing loses, in [0, 1] [-]

    Returns
    -------
    numpy.ndarray or float
        Delta Li = x Li_nominal f_lost [pfu]

    Notes
    -----
    The exchanged Li sits on the particles as LiOH/Li2CO3; the share that does not re-form garnet with the
    La2Zr2O7 of the Li-poor surface is lost (assumption, module constant).

    References
    ----------
    Ma et al. 2015; J. Mater. Chem. A 10 (2022) 9080 (via physics-notes §1.2); module constants.

    Examples
    --------
    >>> print(round(float(protonation_li_deficit_pfu(0.1, 6.4)), 3))
    0.32
    """
    x = check_fraction("proton_fraction", proton_fraction)
    share = check_fraction("lost_share", lost_share)
    return _out(x * nominal_li_pfu * share)


__all__ = ["EXCHANGED_LI_LOST_SHARE", "PROTON_DIFFUSIVITY_M2_PER_S", "WATER_SATURATION_EXCHANGE",
           "proton_exchange_fraction", "protonation_li_deficit_pfu", "saturation_exchange_fraction"]
