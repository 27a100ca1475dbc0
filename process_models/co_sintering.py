"""Co-sintering of a laminate (cathode + electrolyte green tapes fired together): shrinkage mismatch and camber.

Roadmap 2020 §15 and its fig. 19 make the LLZO cell by laminating tape-cast layers and co-sintering them.
Each layer densifies on its own master curve; when their free shrinkages differ, an asymmetric laminate
bends (camber), and one held flat (under a cover plate) carries the mismatch as stress that can open the
interface (delamination). Two relations, both for isotropic free sintering:

* linear free sintering strain of a layer, ``e = 1 - (rho0 / rho)^(1/3)`` (mass conservation);
* curvature of a bilayer with a mismatch strain (Timoshenko 1925), with the layers' viscosities in
  place of the moduli (the viscous analogy of co-sintering laminates, Cai, Green & Messing 1997);
  viscosity ratio from the Skorohod-Olevsky shear viscosity ``phi = rho^2`` at a shared eta0
  (physics-notes §1.3), the layers' matrices being the same garnet.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_positive, check_range


def free_linear_shrinkage(green_relative_density, fired_relative_density):
    """Linear shrinkage of a layer sintering freely and isotropically.

    Parameters
    ----------
    green_relative_density : float or array_like
        rho0 in (0, 1] [-]
    fired_relative_density : float or array_like
        rho in [rho0, 1] [-]

    Returns
    -------
    numpy.ndarray or float
        e = 1 - (rho0 / rho)^(1/3) [-]

    Notes
    -----
    Mass conservation: rho0 L0^3 = rho L^3.

    References
    ----------
    Rahaman, Ceramic Processing and Sintering (2003), ch. 8 (isotropic shrinkage).

    Examples
    --------
    >>> print(round(float(free_linear_shrinkage(0.55, 0.98)), 4))
    0.1751
    """
    green = check_range("green_relative_density", green_relative_density, 0.0, 1.0, low_inclusive=False)
    fired = check_range("fired_relative_density", fired_relative_density, 0.0, 1.0, low_inclusive=False)
    result = 1.0 - np.cbrt(green / fired)
    return result[()] if np.ndim(result) == 0 else result


def bilayer_curvature_per_m(mismatch_strain, thickness_1_m, thickness_2_m, stiffness_ratio):
    """Curvature of a bilayer whose layer 1 shrinks ``mismatch_strain`` more than layer 2 (Timoshenko).

    Parameters
    ----------
    mismatch_strain : float or array_like
        e1 - e2, the free in-plane strain difference (positive: layer 1 shrinks more) [-]
    thickness_1_m, thickness_2_m : float or array_like
        Layer thicknesses t1, t2 > 0 [m]
    stiffness_ratio : float or array_like
        n = E1/E2 (elastic) or eta1/eta2 (viscous analogy) > 0 [-]

    Returns
    -------
    numpy.ndarray or float
        kappa [1/m], concave towards layer 1 when positive

    Notes
    -----
    kappa = 6 de (1 + m)^2 / (h [3 (1 + m)^2 + (1 + m n)(m^2 + 1/(m n))]), m = t1/t2, h = t1 + t2.
    Equal layers (m = n = 1): kappa = 3 de / (2 h).

    References
    ----------
    Timoshenko, J. Opt. Soc. Am. 11 (1925) 233; Cai, Green, Messing, J. Am. Ceram. Soc. 80 (1997) 1929
    (viscous analogy for sintering laminates).

    Examples
    --------
    >>> print(round(float(bilayer_curvature_per_m(0.01, 1e-4, 1e-4, 1.0)), 3))
    75.0
    """
    t1 = check_positive("thickness_1_m", thickness_1_m)
    t2 = check_positive("thickness_2_m", thickness_2_m)
    n = check_positive("stiffness_ratio", stiffness_ratio)
    m = t1 / t2
    h = t1 + t2
    one_m = (1.0 + m) ** 2
    denominator = h * (3.0 * one_m + (1.0 + m * n) * (m * m + 1.0 / (m * n)))
    result = 6.0 * np.asarray(mismatch_strain, dtype=float) * one_m / denominator
    return result[()] if np.ndim(result) == 0 else result


def edge_deflection_m(curvature_per_m, span_m):
    """Camber: rise of a sheet of ``span_m`` bent to ``curvature_per_m`` over its chord [m].

    Parameters
    ----------
    curvature_per_m : float or array_like
        kappa [1/m]
    span_m : float
        Chord length L > 0 [m]

    Returns
    -------
    numpy.ndarray or float
        Sagitta s = (1 - cos(kappa L / 2)) / |kappa|; a sheet curled past half a turn is reported at the
        curl's diameter 2/|kappa|, and never above L (out of any flatness spec either way) [m]

    Notes
    -----
    Circular arc of length L; s ~ kappa L^2 / 8 for a shallow bend.

    References
    ----------
    Geometry of a circular arc.

    Examples
    --------
    >>> print(round(float(edge_deflection_m(0.1, 0.3)) * 1e3, 3))
    1.125
    """
    span = check_positive("span_m", span_m)
    kappa = np.abs(np.asarray(curvature_per_m, dtype=float))
    half_angle = np.minimum(kappa * span / 2.0, np.pi)
    safe = np.where(kappa > 0, kappa, 1.0)
    result = np.where(kappa > 0, (1.0 - np.cos(half_angle)) / safe, 0.0)
    result = np.minimum(result, span)
    return result[()] if np.ndim(result) == 0 else result


__all__ = ["bilayer_curvature_per_m", "edge_deflection_m", "free_linear_shrinkage"]
