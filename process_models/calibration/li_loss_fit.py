"""Fit of the Li2O vapour-pressure prefactor to the Al-LLZO 1200 C dwell data (7.5 -> 6.5 Li pfu).

Run ``python -m process_models.calibration.li_loss_fit`` to print the numbers recorded in
docs/calibration/li_loss.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from process_models.li_loss import li_loss_per_formula_unit
from process_models.parameters import load_material
from process_models.temperature_profile import TemperatureProfile, celsius_profile

PELLET_THICKNESS_M = 1.5e-3
"""Assumed pellet thickness (typical pressed pellet; physics-notes §2.3 uses 1.5 mm) [m]."""

DWELL_H = 24.0
"""Assumed longest dwell at 1200 C of the dwell series [h]."""

HEATING_RATE_K_PER_MIN = 5.0
"""Assumed heating rate [K/min]."""

OBSERVED_LI_LOSS_PFU = 1.0
"""7.5 -> 6.5 Li pfu by ICP-OES (physics-notes §2.2, 'believed Tsai et al., J. Electroceram. ~2015')."""


@dataclass(frozen=True)
class LiLossFit:
    """Result of the Li-loss prefactor fit."""

    vapour_pressure_prefactor_Pa: float
    vaporisation_enthalpy_J_per_mol: float
    predicted_loss_pfu: float


def calibration_profile() -> TemperatureProfile:
    """The assumed Tsai-type sintering profile: 5 K/min to 1200 C, 24 h dwell.

    Parameters
    ----------
    None : -
        No arguments [-]

    Returns
    -------
    TemperatureProfile
        Heating ramp and dwell (cooling neglected: its Li loss is counted in the dwell) [s], [K]

    Notes
    -----
    T(t): 298.15 K -> 1473.15 K at 5 K/min, then 24 h hold.

    References
    ----------
    physics-notes §2.2 (Al-LLZO at 1200 C, increasing dwell).

    Examples
    --------
    >>> print(calibration_profile().peak_temperature_K)
    1473.15
    """
    return celsius_profile(25.0, [("ramp", 1200.0, HEATING_RATE_K_PER_MIN), ("hold", DWELL_H)])


def fit_li2o_prefactor() -> LiLossFit:
    """Vapour-pressure prefactor p0 that reproduces 1.0 Li pfu loss for the assumed pellet.

    Parameters
    ----------
    None : -
        No arguments [-]

    Returns
    -------
    LiLossFit
        p0 [Pa], dH [J/mol] (fixed), predicted loss with the fitted p0 [pfu]

    Notes
    -----
    The loss is linear in p0, so p0_fit = p0_trial * 1.0 / loss(p0_trial) for a 1.5 mm pellet,
    both faces open (leakage 1), Al-LLZO molar mass and density, dH = 431 kJ/mol fixed.

    References
    ----------
    docs/calibration/li_loss.md; physics-notes §2.2-2.3.

    Examples
    --------
    >>> print(f"{fit_li2o_prefactor().vapour_pressure_prefactor_Pa:.3e}")
    2.412e+12
    """
    material = load_material("llzo_al")
    trial = li_loss_per_formula_unit(calibration_profile(), PELLET_THICKNESS_M, 2.0, 1.0, material)
    prefactor = material["li2o_vapour_pressure_prefactor_Pa"] * OBSERVED_LI_LOSS_PFU / float(trial)
    return LiLossFit(
        vapour_pressure_prefactor_Pa=float(prefactor),
        vaporisation_enthalpy_J_per_mol=material["li2o_vaporisation_enthalpy_J_per_mol"],
        predicted_loss_pfu=float(trial) * prefactor / material["li2o_vapour_pressure_prefactor_Pa"],
    )


if __name__ == "__main__":  # pragma: no cover
    result = fit_li2o_prefactor()
    print(f"p0 = {result.vapour_pressure_prefactor_Pa:.4e} Pa, dH = "
          f"{result.vaporisation_enthalpy_J_per_mol / 1e3:.1f} kJ/mol, "
          f"loss = {result.predicted_loss_pfu:.4f} pfu")
