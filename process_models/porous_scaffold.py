"""Porous garnet scaffold on a dense garnet layer, infiltrated with Li (roadmap 2020 §15, fig. 19).

A porous LLZO layer co-sintered on the dense separator and filled with molten Li spreads the Li/garnet
interface over the pore walls: the current per real interface area drops by the internal-area factor, so
the critical current density per geometric area rises and the interface ASR per geometric area falls
(Hitz et al., Materials Today 22 (2019) 50: porous-dense-porous trilayer cycling Li at 10 mA/cm2, memory [R];
Flatscher et al., J. Mater. Chem. A 8 (2020) 15782: ~0.28 mA/cm2 is the room-temperature limit of a flat
Li/LLZO contact without pressure, so "a significant increase of the interfacial area is needed", read).

* porosity after the pore former burns out and the struts sinter: P = 1 - (1 - f_pf) rho_strut (the
  pore-former volume leaves macro-pores, the struts keep their own residual porosity);
* pore size: the pore-former size shrunk with the matrix, d = d_pf (1 - linear shrinkage) (assumption);
* internal area per geometric area of a layer of cylindrical pores: a = 1 + S_v t, S_v = 4 P / d;
* a melt enters the pores only if it wets them (Young-Laplace: the capillary pressure 4 gamma cos(theta) / d is
  positive only below 90 deg), and the pores then hold P t of Li.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive, check_range
from process_models.constants import LI_THICKNESS_M_PER_MAH_PER_CM2


def _out(value):
    return value[()] if np.ndim(value) == 0 else value


def scaffold_porosity(pore_former_volume_fraction, strut_relative_density):
    """Porosity of a sintered layer made with a fugitive pore former [-].

    Parameters
    ----------
    pore_former_volume_fraction : float or array_like
        Pore former share of the green solids volume f_pf in [0, 1) [-]
    strut_relative_density : float or array_like
        Relative density the ceramic struts sinter to rho in (0, 1] [-]

    Returns
    -------
    numpy.ndarray or float
        P = 1 - (1 - f_pf) rho [-]

    Notes
    -----
    Volume balance: the burnt-out pore former leaves its (shrunk) volume as macro-pores; assumption: no
    pore collapse beyond the matrix shrinkage, all pores open.

    References
    ----------
    Volume balance; porous garnet scaffolds from pore-former tapes: Hitz et al. 2019 [R].

    Examples
    --------
    >>> print(round(float(scaffold_porosity(0.6, 0.95)), 3))
    0.62
    """
    f = check_range("pore_former_volume_fraction", pore_former_volume_fraction, 0.0, 0.99)
    rho = check_fraction("strut_relative_density", strut_relative_density, allow_zero=False)
    return _out(1.0 - (1.0 - f) * rho)


def scaffold_pore_size_m(pore_former_size_m, linear_shrinkage):
    """Pore size of the fired scaffold from the pore former's size and the matrix shrinkage [m].

    Parameters
    ----------
    pore_former_size_m : float or array_like
        Pore former (e.g. PMMA sphere) diameter, > 0 [m]
    linear_shrinkage : float or array_like
        Free linear shrinkage of the matrix in the firing, in [0, 1) [-]

    Returns
    -------
    numpy.ndarray or float
        d = d_pf (1 - s) [m]

    Notes
    -----
    The pores shrink with the matrix around them (assumption: no pore coarsening).

    References
    ----------
    Assumption; shrinkage from process_models.co_sintering.free_linear_shrinkage.

    Examples
    --------
    >>> print(round(float(scaffold_pore_size_m(10e-6, 0.2)) * 1e6, 2))
    8.0
    """
    size = check_positive("pore_former_size_m", pore_former_size_m)
    shrinkage = check_range("linear_shrinkage", linear_shrinkage, 0.0, 0.99)
    return _out(size * (1.0 - shrinkage))


def internal_area_factor(porosity, pore_size_m, thickness_m, filled_fraction=1.0):
    """Li/garnet interface area per geometric area of a Li-filled porous layer on a dense one [-].

    Parameters
    ----------
    porosity : float or array_like
        Open porosity of the scaffold P in [0, 1) [-]
    pore_size_m : float or array_like
        Pore diameter d, > 0 [m]
    thickness_m : float or array_like
        Scaffold thickness t, >= 0 [m]
    filled_fraction : float or array_like
        Share of the pores the Li fills, in [0, 1] [-]

    Returns
    -------
    numpy.ndarray or float
        a = 1 + (4 P / d) t x filled [-]

    Notes
    -----
    Cylindrical pores: specific surface S_v = 4 P / d per unit volume; the dense layer's face counts once.

    References
    ----------
    Pore geometry (e.g. Gibson & Ashby, Cellular Solids, 1997); Hitz et al. 2019 [R]; Flatscher et al. 2020.

    Examples
    --------
    >>> print(round(float(internal_area_factor(0.6, 5e-6, 50e-6)), 1))
    25.0
    """
    p = check_range("porosity", porosity, 0.0, 0.99)
    d = check_positive("pore_size_m", pore_size_m)
    t = check_non_negative("thickness_m", thickness_m)
    filled = check_fraction("filled_fraction", filled_fraction)
    return _out(1.0 + 4.0 * p / d * t * filled)


def melt_fills_pores(contact_angle_deg):
    """Share of the pores a melt fills without applied pressure: 1 if it wets (theta < 90 deg), else 0 [-].

    Parameters
    ----------
    contact_angle_deg : float or array_like
        Contact angle of the melt on the pore walls, in [0, 180] [deg]

    Returns
    -------
    numpy.ndarray or float
        1.0 where theta < 90, 0.0 elsewhere [-]

    Notes
    -----
    Young-Laplace: the capillary pressure 4 gamma cos(theta) / d pulls a wetting melt into the pores and
    pushes a non-wetting one out; the pores are thin against the melt's hydrostatic head (no pressure applied).

    References
    ----------
    Young-Laplace; Washburn, Phys. Rev. 17 (1921) 273.

    Examples
    --------
    >>> print(float(melt_fills_pores(30.0)), float(melt_fills_pores(95.0)))
    1.0 0.0
    """
    angle = check_range("contact_angle_deg", contact_angle_deg, 0.0, 180.0)
    return _out(np.where(angle < 90.0, 1.0, 0.0))


def infiltrated_li_mAh_per_cm2(porosity, thickness_m, filled_fraction=1.0):
    """Li capacity the filled pores of the scaffold hold, per geometric area [mAh/cm^2].

    Parameters
    ----------
    porosity : float or array_like
        Open porosity P in [0, 1) [-]
    thickness_m : float or array_like
        Scaffold thickness t, >= 0 [m]
    filled_fraction : float or array_like
        Share of the pores filled, in [0, 1] [-]

    Returns
    -------
    numpy.ndarray or float
        Q = P t filled / (Li thickness per mAh/cm^2) [mAh/cm^2]

    Notes
    -----
    Dense Li metal: 4.85 um of Li per mAh/cm^2 (process_models.constants).

    References
    ----------
    Faraday's law with the Li molar volume (process_models.constants).

    Examples
    --------
    >>> print(round(float(infiltrated_li_mAh_per_cm2(0.6, 50e-6)), 2))
    6.19
    """
    p = check_range("porosity", porosity, 0.0, 0.99)
    t = check_non_negative("thickness_m", thickness_m)
    filled = check_fraction("filled_fraction", filled_fraction)
    return _out(p * t * filled / LI_THICKNESS_M_PER_MAH_PER_CM2)


__all__ = ["infiltrated_li_mAh_per_cm2", "internal_area_factor", "melt_fills_pores", "scaffold_pore_size_m",
           "scaffold_porosity"]
