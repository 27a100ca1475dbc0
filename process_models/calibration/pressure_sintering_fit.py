"""Fit of the pressure-assisted (hot press / SPS / HIP) densification constant of Al-LLZO.

Run ``python -m process_models.calibration.pressure_sintering_fit`` to print the numbers recorded in
docs/calibration/pressure_sintering.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from process_models.densification import (
    effective_log_work_of_sintering,
    master_curve_relative_density,
)
from process_models.parameters import MaterialParameters, load_material
from process_models.pressure_sintering import log_pressure_work, pressure_geometry_factor
from process_models.temperature_profile import TemperatureProfile, celsius_profile

GREEN_RELATIVE_DENSITY = 0.55
"""Green density of the master curve (docs/calibration/densification.md)."""

ANCHOR_PARTICLE_SIZE_M = 1.0e-6
"""assumption: solid-state-synthesised, milled Al-LLZO powders of the hot-pressing studies are ~1 um;
the papers' sizes were not read."""


def _with(material: MaterialParameters, **values: float) -> MaterialParameters:
    return replace(material, values={**material.values, **values})


@dataclass(frozen=True)
class PressurePoint:
    """One published pressure-assisted densification observation."""

    label: str
    mode: str
    profile: TemperatureProfile
    pressure_Pa: float
    start_relative_density: float   # density when the load goes on (pre-sintered for HIP)
    relative_density: float
    uncertainty: float
    source: str


def hot_press_anchor() -> PressurePoint:
    """The fitted point: Al-LLZO hot-pressed at 1000 C, 40 MPa, 1 h -> 0.975 +- 0.01.

    Parameters
    ----------
    None : -
        No arguments [-]

    Returns
    -------
    PressurePoint
        Profile (10 K/min ramp, assumed), pressure and density [-]

    Notes
    -----
    Loose powder in the die starts at the master curve's green density 0.55.

    References
    ----------
    Rangasamy, Wolfenstine, Sakamoto, Solid State Ionics 206 (2012) 28 (>= 97-98 %, conditions from
    memory [R]); Moy et al., J. Mater. Chem. A 10 (2022) 21955 (hot-pressed Al-LLZO < 2 % porosity [R]).

    Examples
    --------
    >>> print(hot_press_anchor().relative_density)
    0.975
    """
    return PressurePoint(
        "hot press Al-LLZO 1000 C / 40 MPa / 1 h", "hot_press",
        celsius_profile(25.0, [("ramp", 1000.0, 10.0), ("hold", 1.0)]), 40e6, GREEN_RELATIVE_DENSITY,
        0.975, 0.01, "Rangasamy 2012 [R]; Moy 2022 [R]")


def check_points() -> tuple[PressurePoint, ...]:
    """Observations used as checks, not in the fit (SPS, HIP).

    Parameters
    ----------
    None : -
        No arguments [-]

    Returns
    -------
    tuple of PressurePoint
        SPS (inequality: relative_density is a lower bound) and HIP (equality within uncertainty) [-]

    Notes
    -----
    The HIP pellet starts pre-sintered (0.905), as HIP needs closed pores.

    References
    ----------
    physics-notes §1.5 (SPS of LLZT, 900-1100 C, 10 min, 0.69 mS/cm [M]); kinteksolution.com summaries of
    HIP of Al-LLZ (1158 C, 127 MPa, 2 min -> ~98 %) and Ga-LLZO (0.905 -> 0.975) [M].

    Examples
    --------
    >>> print([p.mode for p in check_points()])
    ['sps', 'hip']
    """
    return (
        PressurePoint("SPS LLZT 1000 C / 10 min, 50 MPa (pressure assumed), >= 0.93", "sps",
                      celsius_profile(25.0, [("ramp", 1000.0, 100.0), ("hold", 10.0 / 60.0)]), 50e6,
                      GREEN_RELATIVE_DENSITY, 0.93, 0.0, "physics-notes §1.5 [M]"),
        PressurePoint("HIP Al-LLZ 1158 C / 127 MPa / 2 min from 0.905 pre-sintered", "hip",
                      celsius_profile(25.0, [("ramp", 1158.0, 10.0), ("hold", 2.0 / 60.0)]), 127e6,
                      0.905, 0.98, 0.01, "kinteksolution.com HIP summaries [M]"),
    )


def _log_theta_for_density(density: float, material: MaterialParameters, green: float) -> float:
    fraction = (density - green) / (material["msc_final_relative_density"] - green)
    return material["msc_log_theta_half"] + material["msc_log_theta_width"] * np.log(fraction / (1.0 - fraction))


def predicted_density(point: PressurePoint, material: MaterialParameters) -> float:
    """Relative density the model gives for a pressure point (free + pressure work on the master curve).

    Parameters
    ----------
    point : PressurePoint
        The observation [-]
    material : MaterialParameters
        Garnet parameter set [-]

    Returns
    -------
    float
        Predicted relative density [-]

    Notes
    -----
    A pre-sintered start (HIP) continues on the master curve from the ln Theta of its start density.

    References
    ----------
    Su & Johnson 1996 (additivity of work along a path).

    Examples
    --------
    >>> print(round(predicted_density(hot_press_anchor(), load_material("llzo_al")), 3))
    0.975
    """
    free = effective_log_work_of_sintering(point.profile, material, particle_size_m=ANCHOR_PARTICLE_SIZE_M)
    factor = pressure_geometry_factor(point.mode, point.start_relative_density)
    pressed = log_pressure_work(point.profile, material, point.pressure_Pa, factor,
                                particle_size_m=ANCHOR_PARTICLE_SIZE_M)
    total = np.logaddexp(free, pressed)
    if point.start_relative_density > GREEN_RELATIVE_DENSITY:
        total = np.logaddexp(total, _log_theta_for_density(point.start_relative_density, material,
                                                           GREEN_RELATIVE_DENSITY))
    return float(master_curve_relative_density(total, GREEN_RELATIVE_DENSITY, material["msc_log_theta_half"],
                                               material["msc_log_theta_width"],
                                               material["msc_final_relative_density"]))


def fit_log_rate_constant(activation_energy_J_per_mol: float | None = None) -> float:
    """ln A_p that puts the hot-press anchor exactly on its observed density.

    Parameters
    ----------
    activation_energy_J_per_mol : float, optional
        Q_p of the pressure law; None uses the stored value [J/mol]

    Returns
    -------
    float
        ln A_p [-]

    Notes
    -----
    One anchor, one unknown: Theta_p = Theta(rho_obs) - Theta_free, so
    ln A_p = ln Theta_p - [n ln(F p / 1 MPa) + (m - 1) ln(d_ref / d) + ln Theta(Q_p)].

    References
    ----------
    docs/calibration/pressure_sintering.md.

    Examples
    --------
    >>> print(round(fit_log_rate_constant(), 4))
    -12.5224
    """
    material = load_material("llzo_al")
    point = hot_press_anchor()
    if activation_energy_J_per_mol is not None:
        material = _with(material, pressure_sintering_activation_energy_J_per_mol=activation_energy_J_per_mol)
    needed = _log_theta_for_density(point.relative_density, material, GREEN_RELATIVE_DENSITY)
    free = float(effective_log_work_of_sintering(point.profile, material, particle_size_m=ANCHOR_PARTICLE_SIZE_M))
    log_theta_pressure = needed + np.log1p(-np.exp(free - needed))
    factor = pressure_geometry_factor(point.mode, point.start_relative_density)
    unit = _with(material, pressure_sintering_log_rate_constant=0.0)
    without_constant = float(log_pressure_work(point.profile, unit, point.pressure_Pa, factor,
                                               particle_size_m=ANCHOR_PARTICLE_SIZE_M))
    return float(log_theta_pressure - without_constant)


def activation_energy_table(energies_J_per_mol=(250e3, 300e3, 400e3, 500e3)) -> list[tuple[float, float, list[float]]]:
    """(Q_p, fitted ln A_p, predicted densities of the check points) for each Q_p.

    Parameters
    ----------
    energies_J_per_mol : sequence of float
        Activation energies to try [J/mol]

    Returns
    -------
    list of tuple
        One row per Q_p [J/mol], [-], [-]

    Notes
    -----
    Shows that Q_p is not identified by the anchors (every row meets the checks).

    References
    ----------
    docs/calibration/pressure_sintering.md.

    Examples
    --------
    >>> print(len(activation_energy_table((300e3,))))
    1
    """
    rows = []
    base = load_material("llzo_al")
    for energy in energies_J_per_mol:
        constant = fit_log_rate_constant(energy)
        material = _with(base, pressure_sintering_activation_energy_J_per_mol=energy,
                                pressure_sintering_log_rate_constant=constant)
        rows.append((energy, constant, [predicted_density(p, material) for p in check_points()]))
    return rows


def _main() -> None:
    material = load_material("llzo_al")
    print(f"ln A_p (stored Q_p {material['pressure_sintering_activation_energy_J_per_mol'] / 1e3:.0f} kJ/mol): "
          f"{fit_log_rate_constant():.4f}")
    print(f"anchor: {hot_press_anchor().label}: {predicted_density(hot_press_anchor(), material):.4f}")
    for point in check_points():
        print(f"check: {point.label}: {predicted_density(point, material):.4f} (observed {point.relative_density})")
    for energy, constant, checks in activation_energy_table():
        print(f"Q_p {energy / 1e3:.0f} kJ/mol: ln A_p {constant:.4f}; checks " + ", ".join(f"{c:.4f}" for c in checks))


if __name__ == "__main__":
    _main()
