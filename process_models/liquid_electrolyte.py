"""Liquid electrolyte in porous layers: Bruggeman effective conductivity, the ionic ASR of a filled
separator and of a porous electrode, and the fill volume of a cell (SI units).

Bruggeman (1935): kappa_eff = kappa eps^1.5 for a random porous medium (tortuosity eps^-0.5).
A separator of thickness L: ASR = L / kappa_eff. A porous electrode with a uniform reaction distribution
adds a third of its pore resistance, L / (3 kappa_eff) (Newman & Tobias, J. Electrochem. Soc. 109 (1962)
1183; the usual porous-electrode limit).
"""

from __future__ import annotations

from process_models._domain_checks import check_fraction, check_non_negative, check_positive

BRUGGEMAN_EXPONENT = 1.5  # Bruggeman 1935; the value BatPaC and Newman-type cell models use


def effective_conductivity_S_per_m(conductivity_S_per_m, porosity):
    """Ionic conductivity of a liquid-filled porous layer [S/m].

    Parameters
    ----------
    conductivity_S_per_m : float or array_like
        Conductivity of the bulk liquid electrolyte, kappa > 0 [S/m]
    porosity : float or array_like
        Open pore volume fraction of the layer, eps in [0, 1] [-]

    Returns
    -------
    numpy.ndarray
        Effective conductivity kappa_eff [S/m]

    Notes
    -----
    kappa_eff = kappa eps^1.5 (Bruggeman: tortuosity eps^-0.5).

    References
    ----------
    Bruggeman, Ann. Phys. 416 (1935) 636; Tjaden et al., Curr. Opin. Chem. Eng. 12 (2016) 44 (review).

    Examples
    --------
    >>> print(round(float(effective_conductivity_S_per_m(0.9, 0.5)), 4))  # 9 mS/cm in a 50 % porous separator
    0.3182
    """
    kappa = check_positive("conductivity_S_per_m", conductivity_S_per_m)
    eps = check_fraction("porosity", porosity)
    return kappa * eps ** BRUGGEMAN_EXPONENT


def separator_asr_ohm_m2(thickness_m, porosity, conductivity_S_per_m):
    """Ionic area-specific resistance of a liquid-filled separator [ohm m^2].

    Parameters
    ----------
    thickness_m : float or array_like
        Separator thickness, L >= 0 [m]
    porosity : float or array_like
        Separator porosity, eps in (0, 1] [-]
    conductivity_S_per_m : float or array_like
        Bulk electrolyte conductivity, kappa > 0 [S/m]

    Returns
    -------
    numpy.ndarray
        ASR = L / (kappa eps^1.5) [ohm m^2]

    Notes
    -----
    Series ionic resistance through the pores, Bruggeman tortuosity.

    References
    ----------
    Bruggeman 1935; Arora & Zhang, Chem. Rev. 104 (2004) 4419 (separator MacMullin numbers 4-15).

    Examples
    --------
    >>> print(round(float(separator_asr_ohm_m2(18e-6, 0.5, 0.9)) * 1e4, 3))  # ohm cm2
    0.566
    """
    thickness = check_non_negative("thickness_m", thickness_m)
    check_fraction("porosity", porosity, allow_zero=False)
    return thickness / effective_conductivity_S_per_m(conductivity_S_per_m, porosity)


def porous_electrode_asr_ohm_m2(thickness_m, porosity, conductivity_S_per_m):
    """Ionic ASR of the liquid in a porous electrode at a uniform reaction distribution [ohm m^2].

    Parameters
    ----------
    thickness_m : float or array_like
        Electrode thickness, L >= 0 [m]
    porosity : float or array_like
        Electrode porosity, eps in (0, 1] [-]
    conductivity_S_per_m : float or array_like
        Bulk electrolyte conductivity, kappa > 0 [S/m]

    Returns
    -------
    numpy.ndarray
        ASR = L / (3 kappa eps^1.5) [ohm m^2]

    Notes
    -----
    With the reaction spread evenly through the thickness, the mean ionic path is a third of it.

    References
    ----------
    Newman & Tobias, J. Electrochem. Soc. 109 (1962) 1183.

    Examples
    --------
    >>> print(round(float(porous_electrode_asr_ohm_m2(80e-6, 0.3, 0.9)) * 1e4, 2))  # ohm cm2
    1.8
    """
    return separator_asr_ohm_m2(thickness_m, porosity, conductivity_S_per_m) / 3.0


def fill_volume_m3_per_m2(positive_thickness_m, positive_porosity, separator_thickness_m, separator_porosity,
                          negative_thickness_m, negative_porosity, excess_fraction):
    """Electrolyte dosed per m^2 of cell layer [m^3/m^2].

    Parameters
    ----------
    positive_thickness_m, separator_thickness_m, negative_thickness_m : float or array_like
        Layer thicknesses, >= 0 [m]
    positive_porosity, separator_porosity, negative_porosity : float or array_like
        Open porosities of the three layers, in [0, 1] [-]
    excess_fraction : float or array_like
        Electrolyte dosed above the pore volume, as a fraction of it, >= 0 [-]

    Returns
    -------
    numpy.ndarray
        Fill volume V = (L+ eps+ + Ls epss + L- eps-)(1 + excess) [m^3/m^2]

    Notes
    -----
    The pores of the three layers are filled; the excess wets the tabs and the pouch.

    References
    ----------
    Assumption of the volume balance; 5-15 % excess is usual practice (Wood et al., J. Power Sources 275 (2015)
    234, from memory [R]).

    Examples
    --------
    >>> print(round(float(fill_volume_m3_per_m2(80e-6, 0.3, 18e-6, 0.5, 100e-6, 0.3, 0.1)) * 1e6, 2))  # um
    69.3
    """
    layers = [(check_non_negative("positive_thickness_m", positive_thickness_m),
               check_fraction("positive_porosity", positive_porosity)),
              (check_non_negative("separator_thickness_m", separator_thickness_m),
               check_fraction("separator_porosity", separator_porosity)),
              (check_non_negative("negative_thickness_m", negative_thickness_m),
               check_fraction("negative_porosity", negative_porosity))]
    pores = sum(thickness * porosity for thickness, porosity in layers)
    return pores * (1.0 + check_non_negative("excess_fraction", excess_fraction))


__all__ = ["BRUGGEMAN_EXPONENT", "effective_conductivity_S_per_m", "fill_volume_m3_per_m2",
           "porous_electrode_asr_ohm_m2", "separator_asr_ohm_m2"]
