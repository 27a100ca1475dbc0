"""Fit of the Li6PS5Cl pressing parameters: Heckel slope, dense conductivity, thermal softening.

Run ``python -m process_models.calibration.sulphide_pressing_fit`` to print the numbers recorded in
docs/calibration/sulphide_pressing.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from process_models.conductivity import porosity_conductivity_factor
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K
from process_models.parameters import load_material

LOOSE_POWDER_RELATIVE_DENSITY = 0.50
"""assumption: argyrodite powder poured into a pellet die packs at ~50 % (no value in the source)."""

CONDUCTIVITY_POINTS_MPA_MS_PER_CM = ((250.0, 1.02), (625.0, 1.54))
"""Yan et al., J. Colloid Interface Sci. 2026: Li6PS5Cl pellets pressed at 250 / 625 MPa (room temperature)
conduct 1.02 / 1.54 mS/cm (summary at iestbattery.com, 'stepwise pressure effects' [M])."""

WARM_PRESSING_POINT = (453.15, 350.0, 0.98)
"""(T [K], p [MPa], relative density): hot pressing makes Li6PS5Cl near-theoretical (Wang et al., ChemSusChem
17 (2024) e202400718, abstract [M]; 180 C / 350 MPa as in the heated-press comparison of a sulphide at
kinteksolution.com [M]); 0.98 is the reading of 'near-theoretical' (assumption)."""


@dataclass(frozen=True)
class PressingFit:
    heckel_coefficient_per_MPa: float
    dense_conductivity_mS_per_cm: float
    softening_energy_J_per_mol: float


def fit_pressing() -> PressingFit:
    """Solve the Heckel slope and dense conductivity from the two Yan 2026 points, then the softening energy.

    Parameters
    ----------
    None : -
        No arguments [-]

    Returns
    -------
    PressingFit
        K at 25 C [1/MPa], dense conductivity [mS/cm], softening energy [J/mol]

    Notes
    -----
    sigma(p) = sigma_dense f(D(p)), D = 1 - (1 - D_0) exp(-K p), f the percolation law of
    ``conductivity.porosity_conductivity_factor`` with the stored threshold and exponent. The ratio
    sigma(625)/sigma(250) fixes K (one root), then sigma_dense follows. The softening energy puts the
    warm-pressing point on its density: K(T) = ln((1 - D_0)/(1 - D)) / p = K_25 exp(E/R (1/298.15 - 1/T)).

    References
    ----------
    Yan et al. 2026 [M]; Wang et al. 2024 [M]; Heckel 1961.

    Examples
    --------
    >>> fit = fit_pressing()
    >>> print(round(fit.heckel_coefficient_per_MPa * 1e3, 3), round(fit.dense_conductivity_mS_per_cm, 2))
    5.259 1.63
    """
    material = load_material("li6ps5cl")
    threshold = material["percolation_relative_density"]
    exponent = material["porosity_exponent"]
    green = LOOSE_POWDER_RELATIVE_DENSITY
    (p1, s1), (p2, s2) = CONDUCTIVITY_POINTS_MPA_MS_PER_CM

    def factor(slope, pressure):
        return float(porosity_conductivity_factor(1.0 - (1.0 - green) * np.exp(-slope * pressure), threshold,
                                                  exponent))

    slope = brentq(lambda k: factor(k, p2) / factor(k, p1) - s2 / s1, 1e-4, 2e-2, xtol=1e-12)
    dense = s1 / factor(slope, p1)
    temperature, pressure, density = WARM_PRESSING_POINT
    warm_slope = np.log((1.0 - green) / (1.0 - density)) / pressure
    energy = np.log(warm_slope / slope) * GAS_CONSTANT_J_PER_MOL_K / (1.0 / 298.15 - 1.0 / temperature)
    return PressingFit(float(slope), float(dense), float(energy))


if __name__ == "__main__":
    result = fit_pressing()
    print(f"Heckel K(25 C) = {result.heckel_coefficient_per_MPa:.4e} 1/MPa")
    print(f"dense conductivity = {result.dense_conductivity_mS_per_cm:.4f} mS/cm")
    print(f"softening energy = {result.softening_energy_J_per_mol:.0f} J/mol")
