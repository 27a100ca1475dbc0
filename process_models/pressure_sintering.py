"""Pressure-assisted densification of garnets: uniaxial hot pressing, SPS/FAST and HIP.

Under tens of MPa a garnet compact densifies by creep driven by the applied stress, a mechanism of its
own: a 0.5-1 um Al-LLZO powder that barely sinters free at 1000 C reaches 97-98 % in 1 h at 40 MPa
(Rangasamy et al. 2012). The applied stress is not a small correction to the sintering stress 3 gamma / r
(that gave 0.64-0.69 here); it has its own rate law, mapped onto the material's master sintering curve
as an equivalent work of sintering (calibration: docs/calibration/pressure_sintering.md).
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive
from process_models.arrhenius_integral import log_arrhenius_time_integral
from process_models.parameters import MaterialParameters
from process_models.temperature_profile import TemperatureProfile

PRESSURE_MODES = ("hot_press", "sps", "hip")
"""Uniaxial die hot pressing, spark plasma sintering (uniaxial die, Joule heated) and hot isostatic pressing."""

CLOSED_PORE_RELATIVE_DENSITY = 0.90
"""Density above which the pores are closed, so gas pressure (HIP without a capsule) can squeeze them.

German, Sintering Theory and Practice (1996): the final stage with isolated pores begins near 0.92 [R];
HIP of Ga-LLZO pellets pre-sintered to 0.905 did densify to ~0.975 (kinteksolution.com summary of a HIP
study, 1160 C, 120-127 MPa [M]), so 0.90 is taken."""

REFERENCE_PRESSURE_Pa = 1.0e6
"""Unit of the pressure term (1 MPa), so the fitted constant is a plain number."""


def uniaxial_die_efficiency(relative_density):
    """Densification rate in a rigid die per unit axial stress, relative to isostatic pressing.

    Parameters
    ----------
    relative_density : float or array_like
        Relative density rho of the compact, in (0, 1) [-]

    Returns
    -------
    numpy.ndarray or float
        psi / (psi + 2 phi / 3), in (0, 1) [-]

    Notes
    -----
    Linear-viscous Skorohod-Olevsky law, porosity theta = 1 - rho, phi = (1 - theta)^2,
    psi = (2/3)(1 - theta)^3 / theta. Isostatic: e_dot = p / (2 eta0 psi). Rigid die (lateral strain
    rates zero): sigma_z = 2 eta0 (psi + 2 phi / 3) e_dot. The ratio is the die efficiency; it rises
    from ~0.5 for a green compact to ~0.9 at 90 % density.

    References
    ----------
    Olevsky, Mater. Sci. Eng. R 23 (1998) 41; physics-notes §1.3.

    Examples
    --------
    >>> print(round(float(uniaxial_die_efficiency(0.775)), 3))
    0.775
    """
    density = check_fraction("relative_density", relative_density, allow_zero=False)
    porosity = np.maximum(1.0 - density, 1e-9)
    shear = density * density
    bulk = (2.0 / 3.0) * density ** 3 / porosity
    result = bulk / (bulk + (2.0 / 3.0) * shear)
    return result[()] if np.ndim(result) == 0 else result


def pressure_geometry_factor(mode: str, green_relative_density):
    """Effective share of the applied pressure that drives densification, by press type.

    Parameters
    ----------
    mode : str
        ``"hot_press"`` or ``"sps"`` (uniaxial die) or ``"hip"`` (isostatic gas) [-]
    green_relative_density : float or array_like
        Relative density at the start of the pressing [-]

    Returns
    -------
    numpy.ndarray or float
        1 for HIP; the die efficiency at the mid-way density (1 + rho_0) / 2 for a die [-]

    Notes
    -----
    The die efficiency changes as the compact densifies; it is taken at half-way to full density
    (assumption: one factor per firing keeps the law a master-curve shift).

    References
    ----------
    Olevsky 1998 (see ``uniaxial_die_efficiency``).

    Examples
    --------
    >>> print(round(float(pressure_geometry_factor("hot_press", 0.55)), 3))
    0.775
    """
    if mode not in PRESSURE_MODES:
        raise ValueError(f"mode: {mode!r} is not one of {', '.join(PRESSURE_MODES)}")
    green = check_fraction("green_relative_density", green_relative_density, allow_zero=False)
    if mode == "hip":
        return np.ones_like(green)[()] if np.ndim(green) == 0 else np.ones_like(green)
    return uniaxial_die_efficiency(0.5 * (1.0 + green))


def log_pressure_work(profile: TemperatureProfile, material: MaterialParameters, applied_pressure_Pa,
                      geometry_factor=1.0, temperature_offset_K=0.0, particle_size_m=None):
    """ln of the work of sintering equivalent to pressure-driven creep densification over a profile.

    Parameters
    ----------
    profile : TemperatureProfile
        Temperature history under load [s], [K]
    material : MaterialParameters
        Garnet with ``pressure_sintering_*`` keys and ``msc_reference_particle_size_m`` [-]
    applied_pressure_Pa : float or array_like
        Applied (axial or gas) pressure p, > 0 [Pa]
    geometry_factor : float or array_like
        Share of p that drives densification (``pressure_geometry_factor``) [-]
    temperature_offset_K : float or array_like
        Per-sheet furnace offset [K]
    particle_size_m : float or array_like or None
        Powder particle size; None is the master curve's reference size [m]

    Returns
    -------
    numpy.ndarray or float
        ln Theta_p in the units of the master curve, ln(s/K) [-]

    Notes
    -----
    Diffusional creep densification, rate ~ (F p)^n / d^(m-1) exp(-Q_p / R T) / T
    (Nabarro-Herring/Coble: the applied stress does not scale with 1/r as the sintering stress does,
    so the size exponent is one less than Herring's m), mapped onto the master curve:
    ln Theta_p = ln A_p + n ln(F p / 1 MPa) + (m - 1) ln(d_ref / d) + ln Theta(Q_p).
    It adds to the free work: Theta_eff = Theta_free + Theta_p (``numpy.logaddexp``), as the two
    driving stresses add in the Skorohod-Olevsky law. A_p is fitted, Q_p and n are fixed
    (docs/calibration/pressure_sintering.md).

    References
    ----------
    Olevsky, Mater. Sci. Eng. R 23 (1998) 41; Coble, J. Appl. Phys. 41 (1970) 4798 (diffusional
    hot-pressing); Rangasamy, Wolfenstine, Sakamoto, Solid State Ionics 206 (2012) 28 [R].

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1000.0, 5.0), ("hold", 1.0)])
    >>> print(round(float(log_pressure_work(p, load_material("llzo_al"), 40e6, 0.775, particle_size_m=1e-6)), 2))
    -40.86
    """
    pressure = check_positive("applied_pressure_Pa", applied_pressure_Pa)
    factor = check_positive("geometry_factor", geometry_factor)
    log_theta = log_arrhenius_time_integral(profile, material["pressure_sintering_activation_energy_J_per_mol"],
                                            temperature_offset_K, temperature_exponent=-1.0)
    shift = material["pressure_sintering_log_rate_constant"] + material["pressure_sintering_stress_exponent"] * np.log(
        factor * pressure / REFERENCE_PRESSURE_Pa)
    if particle_size_m is not None:
        size = check_positive("particle_size_m", particle_size_m)
        shift = shift + (material["herring_exponent"] - 1.0) * np.log(material["msc_reference_particle_size_m"] / size)
    return log_theta + shift


def gas_pressure_acts(relative_density, encapsulated: bool = False):
    """Whether HIP gas pressure densifies a compact: only once its pores are closed (or it is canned).

    Parameters
    ----------
    relative_density : float or array_like
        Relative density before the pressure is applied [-]
    encapsulated : bool
        True for a compact sealed in a capsule (the gas presses on the can) [-]

    Returns
    -------
    numpy.ndarray or bool
        True where the gas pressure drives densification [-]

    Notes
    -----
    Open pores fill with the pressurising gas, so there is no pressure difference across them:
    rho >= CLOSED_PORE_RELATIVE_DENSITY or a capsule is needed.

    References
    ----------
    German, Sintering Theory and Practice (1996) [R]; Atkinson & Davies, Powder Metall. 43 (2000) 41 [R].

    Examples
    --------
    >>> print(bool(gas_pressure_acts(0.62)), bool(gas_pressure_acts(0.93)))
    False True
    """
    density = check_non_negative("relative_density", relative_density)
    if encapsulated:
        return np.ones(np.shape(density), dtype=bool)[()] if np.ndim(density) == 0 else np.ones(density.shape, bool)
    return density >= CLOSED_PORE_RELATIVE_DENSITY
