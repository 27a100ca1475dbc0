"""Killer defects that cross a cast, pressed or sintered electrolyte, and how their density grows as it thins.

A sintered or pressed separator is shorted by a flaw that bridges its thickness: a pore or agglomerate
as large as the layer, or the path a Li dendrite follows through it. The flaws a ceramic process leaves
have a size distribution; only those at least as large as the layer cross it. So the killer density is
the flaw density above the layer's own thickness, and it rises as the layer thins. The deposited
(thin-film) counterpart, pinholes that a thicker film closes over, is :mod:`process_models.electrolyte_pinholes`.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_non_negative, check_positive


def through_defect_density_per_m2(thickness_m, density_at_reference_per_m2, reference_thickness_m,
                                  size_exponent):
    """Killer defects per area that cross an electrolyte layer of the given thickness.

    Parameters
    ----------
    thickness_m : float or array_like
        Electrolyte (separator) thickness t [m]
    density_at_reference_per_m2 : float or array_like
        Killer (through-thickness) defect density D_ref counted at the reference thickness [1/m2]
    reference_thickness_m : float
        Thickness t_ref at which D_ref holds [m]
    size_exponent : float
        Exponent k of the cumulative flaw-size distribution N(>a) ~ a^-k [-]

    Returns
    -------
    numpy.ndarray or float
        D(t) = D_ref (t_ref / t)^k [1/m2]

    Notes
    -----
    A flaw crosses the layer when its size a is at least the thickness t, so the killer density is the
    flaw density above t: D(t) = N(>t). With a power-law flaw population N(>a) = C a^-k, fixed by the
    density counted at the reference thickness (C = D_ref t_ref^k), D(t) = D_ref (t_ref / t)^k: exactly
    D_ref at t_ref, strictly rising as the layer thins (k > 0). The power law is the flaw population of
    weakest-link fracture statistics: a flaw-size density n(a) ~ a^-r gives a Weibull strength modulus
    m = 2 (r - 1) (Jayatilaka & Trustrum 1977), so k = r - 1 = m / 2 ties the exponent to the Weibull
    modulus of the sintered electrolyte. Sensitivity from 15 to 10 um: k = 2 gives x2.25, k = 3 x3.4,
    k = 5 x7.6. The density is that of the layer's nominal flaws; a layer thinner than the grains or the
    powder agglomerates is outside the power law's range.

    References
    ----------
    Jayatilaka, A. de S. & Trustrum, K., J. Mater. Sci. 12 (1977) 1426 (flaw-size distribution and
    Weibull modulus); 2020 SSB roadmap (J. Phys. Energy 2, 032008) sec. 10-12 (dendrite shorts through
    the electrolyte, thin separators); Yan et al., J. Mater. Sci. 54 (2019) 5671 (Weibull strength
    distribution of LLZO).

    Examples
    --------
    >>> print(round(float(through_defect_density_per_m2(10e-6, 0.5, 15e-6, 3.0)), 4))   # 15 -> 10 um
    1.6875
    """
    t = check_positive("thickness_m", thickness_m)
    d_ref = check_non_negative("density_at_reference_per_m2", density_at_reference_per_m2)
    t_ref = check_positive("reference_thickness_m", reference_thickness_m)
    k = check_non_negative("size_exponent", size_exponent)
    # written as a power of the ratio so that t == t_ref gives D_ref exactly (ratio 1.0, 1.0**k == 1.0)
    density = d_ref * np.power(t_ref / t, k)
    return density[()] if density.ndim == 0 else density


__all__ = ["through_defect_density_per_m2"]
