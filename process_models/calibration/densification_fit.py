"""Fit of the LLZO master sintering curve (Q, a, b) to published densification points.

Run ``python -m process_models.calibration.densification_fit`` to print the fit table that is
recorded in docs/calibration/densification.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from process_models.densification import log_work_of_sintering, master_curve_relative_density
from process_models.temperature_profile import TemperatureProfile, celsius_profile

GREEN_RELATIVE_DENSITY = 0.55
"""Assumed green density of the fitted tapes/compacts (physics-notes §4.2, [R])."""

FINAL_RELATIVE_DENSITY = 0.99
"""Asymptote rho_f, fixed (2020 SSB roadmap §15: 99 % attainable)."""


@dataclass(frozen=True)
class DensificationPoint:
    """One published (or transcribed) densification observation used in the fit."""

    label: str
    profile: TemperatureProfile
    relative_density: float
    uncertainty: float
    source: str


def anchor_points() -> tuple[DensificationPoint, ...]:
    """The published densification anchors of the LLZO MSC fit.

    Parameters
    ----------
    None : -
        No arguments [-]

    Returns
    -------
    tuple of DensificationPoint
        Profiles with observed relative density and 1-sigma uncertainty [-]

    Notes
    -----
    Assumed heating rates are stated per point; relative densities of the onset points are
    rho_0 + f (rho_f - rho_0) with the transcribed densification fraction f.

    References
    ----------
    Yi et al., J. Power Sources 2017; J. Mater. Chem. A 10 (2022) 9080; Wang et al.,
    Science 368 (2020) 521 [R]; physics-notes §1.2, §1.5.

    Examples
    --------
    >>> print(len(anchor_points()))
    3
    """
    span = FINAL_RELATIVE_DENSITY - GREEN_RELATIVE_DENSITY
    return (
        DensificationPoint(
            "Yi 2017: 25 um Ga-LLZO film, 1130 C / 0.3 h (5 K/min assumed)",
            celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3)]),
            0.95, 0.01,
            "Yi et al., J. Power Sources 2017 (abstract) [E]",
        ),
        DensificationPoint(
            "onset: 5 K/min ramp to 900 C, densification fraction 0.05 +- 0.05",
            celsius_profile(25.0, [("ramp", 900.0, 5.0)]),
            GREEN_RELATIVE_DENSITY + 0.05 * span, 0.05 * span,
            "J. Mater. Chem. A 10 (2022) 9080: 'gradual densification 750-900 C' [M]",
        ),
        DensificationPoint(
            "onset: 5 K/min ramp to 1000 C, densification fraction 0.25 +- 0.15",
            celsius_profile(25.0, [("ramp", 1000.0, 5.0)]),
            GREEN_RELATIVE_DENSITY + 0.25 * span, 0.15 * span,
            "J. Mater. Chem. A 10 (2022) 9080: 'large pore-volume reduction >= 1000 C' [M]",
        ),
    )


def uhs_check_point() -> DensificationPoint:
    """The ultrafast-high-temperature-sintering observation, used as a check (not in the fit).

    Parameters
    ----------
    None : -
        No arguments [-]

    Returns
    -------
    DensificationPoint
        1e4 K/min to 1500 C, 10 s hold; 'densified', read as relative density >= 0.90 [-]

    Notes
    -----
    Only an inequality is usable: the Wang 2020 density and temperature are from memory [R].

    References
    ----------
    Wang et al., Science 368 (2020) 521; physics-notes §1.5.

    Examples
    --------
    >>> print(uhs_check_point().relative_density)
    0.9
    """
    return DensificationPoint(
        "UHS: 1e4 K/min to 1500 C, 10 s hold -> densified (>= 0.90)",
        celsius_profile(25.0, [("ramp", 1500.0, 1.0e4), ("hold", 10.0 / 3600.0)]),
        0.90, 0.05,
        "Wang et al., Science 368 (2020) 521: garnet densified in ~10 s (numbers from memory [R])",
    )


ACTIVATION_ENERGY_J_PER_MOL = 500e3
"""Fixed MSC activation energy: mid generic-oxide range (300-700 kJ/mol, physics-notes §1.2) and
above the Li2O sublimation enthalpy (431 kJ/mol) so that fast heating suppresses Li loss at equal
density (Zhao et al., J. Power Sources 2024 [M]); the anchors alone do not identify Q."""


@dataclass(frozen=True)
class DensificationFit:
    """Result of the MSC fit."""

    activation_energy_J_per_mol: float
    log_theta_half: float
    log_theta_width: float
    residuals: tuple[float, ...]
    predicted: tuple[float, ...]
    normalised_residuals: tuple[float, ...]
    chi_square: float


def predict(points, activation_energy_J_per_mol, log_theta_half, log_theta_width):
    """Relative densities the MSC predicts for the anchor profiles.

    Parameters
    ----------
    points : sequence of DensificationPoint
        Anchors [-]
    activation_energy_J_per_mol : float
        Q [J/mol]
    log_theta_half : float
        a [ln(s/K)]
    log_theta_width : float
        b [ln(s/K)]

    Returns
    -------
    numpy.ndarray
        Predicted relative density per point [-]

    Notes
    -----
    rho = MSC(ln Theta(profile, Q)) with rho_0 = 0.55, rho_f = 0.99.

    References
    ----------
    Su & Johnson 1996.

    Examples
    --------
    >>> print(predict(anchor_points()[:1], 300e3, -25.0, 1.0).shape)
    (1,)
    """
    return np.array([
        master_curve_relative_density(
            log_work_of_sintering(point.profile, activation_energy_J_per_mol), GREEN_RELATIVE_DENSITY,
            log_theta_half, log_theta_width, FINAL_RELATIVE_DENSITY)
        for point in points
    ])


def fit_master_sintering_curve(activation_energy_J_per_mol: float = ACTIVATION_ENERGY_J_PER_MOL
                               ) -> DensificationFit:
    """Weighted least-squares fit of the MSC sigmoid (a, b) at a given activation energy Q.

    Parameters
    ----------
    activation_energy_J_per_mol : float
        Fixed Q [J/mol]

    Returns
    -------
    DensificationFit
        Q [J/mol], a and b [ln(s/K)], residuals [-], chi-square [-]

    Notes
    -----
    minimise chi2 = sum_i ((rho_pred,i - rho_obs,i) / sigma_i)^2 over a and b (b in [0.2, 5]);
    rho_0 = 0.55 and rho_f = 0.99 fixed.

    References
    ----------
    docs/calibration/densification.md.

    Examples
    --------
    >>> fit = fit_master_sintering_curve()
    >>> print(abs(fit.residuals[0]) < 0.01)
    True
    """
    points = anchor_points()
    observed = np.array([p.relative_density for p in points])
    sigma = np.array([p.uncertainty for p in points])
    energy = float(activation_energy_J_per_mol)

    def weighted(x):
        return (predict(points, energy, x[0], x[1]) - observed) / sigma

    start = [float(log_work_of_sintering(points[0].profile, energy)) - 2.0, 1.0]
    solution = least_squares(weighted, start, bounds=([-400.0, 0.2], [50.0, 5.0]), xtol=1e-12,
                             ftol=1e-12)
    a, b = solution.x
    predicted = predict(points, energy, a, b)
    return DensificationFit(
        activation_energy_J_per_mol=energy,
        log_theta_half=float(a),
        log_theta_width=float(b),
        residuals=tuple(float(r) for r in predicted - observed),
        predicted=tuple(float(r) for r in predicted),
        normalised_residuals=tuple(float(r) for r in (predicted - observed) / sigma),
        chi_square=float(np.sum(((predicted - observed) / sigma) ** 2)),
    )


def activation_energy_profile(activation_energies_J_per_mol=(250e3, 300e3, 400e3, 500e3, 600e3, 700e3)):
    """Chi-square of the best (a, b) fit at each fixed Q, plus the UHS check prediction.

    Parameters
    ----------
    activation_energies_J_per_mol : sequence of float
        Q values to profile [J/mol]

    Returns
    -------
    list of tuple
        ``(Q, a, b, chi_square, uhs_relative_density)`` [J/mol], [ln(s/K)], [ln(s/K)], [-], [-]

    Notes
    -----
    A flat chi-square shows that the anchors do not identify Q.

    References
    ----------
    docs/calibration/densification.md.

    Examples
    --------
    >>> print(len(activation_energy_profile((400e3,))))
    1
    """
    rows = []
    for energy in activation_energies_J_per_mol:
        fit = fit_master_sintering_curve(energy)
        uhs = float(predict([uhs_check_point()], energy, fit.log_theta_half, fit.log_theta_width)[0])
        rows.append((energy, fit.log_theta_half, fit.log_theta_width, fit.chi_square, uhs))
    return rows


if __name__ == "__main__":  # pragma: no cover
    result = fit_master_sintering_curve()
    print(f"Q = {result.activation_energy_J_per_mol / 1e3:.1f} kJ/mol (fixed), "
          f"a = {result.log_theta_half:.4f}, "
          f"b = {result.log_theta_width:.4f}, chi2 = {result.chi_square:.4f}")
    for point, pred, res, z in zip(anchor_points(), result.predicted, result.residuals,
                                   result.normalised_residuals, strict=True):
        print(f"{point.label:70s} obs {point.relative_density:.3f} pred {pred:.4f} res {res:+.4f} z {z:+.2f}")
    print("profile over Q: Q [kJ/mol], a, b, chi2, UHS rho")
    for energy, a, b, chi2, uhs in activation_energy_profile():
        print(f"  {energy / 1e3:5.0f}  {a:9.3f}  {b:6.3f}  {chi2:7.4f}  {uhs:.3f}")
