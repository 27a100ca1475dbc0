"""Liquid electrolyte in porous layers: Bruggeman effective conductivity, the ionic ASR of a filled
separator and of a porous electrode, and the fill volume of a cell (SI units).

Bruggeman (1935): kappa_eff = kappa eps^1.5 for a random porous medium (tortuosity eps^-0.5).
A separator of thickness L: ASR = L / kappa_eff. A porous electrode with a uniform reaction distribution
adds a third of its pore resistance, L / (3 kappa_eff) (Newman & Tobias, J. Electrochem. Soc. 109 (1962)
1183; the usual porous-electrode limit).
"""

from __future__ import annotations

import numpy as np

BRUGGEMAN_EXPONENT = 1.5  # Bruggeman 1935; the value used by BatPaC and Newman-type cell models


def effective_conductivity_S_per_m(conductivity_S_per_m, porosity):
    """kappa_eff = kappa eps^1.5 [S/m]; porosity in [0, 1]."""
    porosity = np.asarray(porosity, dtype=float)
    if np.any((porosity < 0) | (porosity > 1)):
        raise ValueError("effective_conductivity_S_per_m: porosity must be in [0, 1]")
    return np.asarray(conductivity_S_per_m, dtype=float) * porosity ** BRUGGEMAN_EXPONENT


def separator_asr_ohm_m2(thickness_m, porosity, conductivity_S_per_m):
    """Ionic ASR of a liquid-filled separator, L / (kappa eps^1.5) [ohm m^2]."""
    return np.asarray(thickness_m, dtype=float) / effective_conductivity_S_per_m(conductivity_S_per_m, porosity)


def porous_electrode_asr_ohm_m2(thickness_m, porosity, conductivity_S_per_m):
    """Ionic ASR of a liquid-filled porous electrode at uniform reaction, L / (3 kappa eps^1.5) [ohm m^2]."""
    return separator_asr_ohm_m2(thickness_m, porosity, conductivity_S_per_m) / 3.0


def fill_volume_m3_per_m2(positive_thickness_m, positive_porosity, separator_thickness_m, separator_porosity,
                          negative_thickness_m, negative_porosity, excess_fraction):
    """Electrolyte dosed per m^2 of cell layer: open pores of the three layers x (1 + excess) [m^3/m^2]."""
    pores = (np.asarray(positive_thickness_m, dtype=float) * positive_porosity
             + separator_thickness_m * separator_porosity + negative_thickness_m * negative_porosity)
    return pores * (1.0 + excess_fraction)


__all__ = ["BRUGGEMAN_EXPONENT", "effective_conductivity_S_per_m", "fill_volume_m3_per_m2",
           "porous_electrode_asr_ohm_m2", "separator_asr_ohm_m2"]
