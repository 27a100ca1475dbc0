"""Densification: master sintering curve (MSC) for oxides, Heckel cold pressing for sulphides."""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive, check_range
from process_models._log_sums import log_add_exp
from process_models.arrhenius_integral import log_arrhenius_time_integral
from process_models.parameters import MaterialParameters
from process_models.pressure_sintering import log_pressure_work, pressure_geometry_factor
from process_models.temperature_profile import TemperatureProfile


def log_work_of_sintering(profile: TemperatureProfile, activation_energy_J_per_mol: float,
                          temperature_offset_K=0.0):
    """Natural log of the work of sintering Theta of a temperature profile.

    Parameters
    ----------
    profile : TemperatureProfile
        Furnace temperature history [s], [K]
    activation_energy_J_per_mol : float
        Apparent sintering activation energy Q [J/mol]
    temperature_offset_K : float or array_like
        Per-sheet offset added to the whole profile (furnace non-uniformity) [K]

    Returns
    -------
    numpy.ndarray or float
        ln Theta, Theta in [s/K]; shaped like ``temperature_offset_K`` [ln(s/K)]

    Notes
    -----
    Theta = integral of (1/T) exp(-Q / (R T)) dt. Trapezoid rule on a grid with <= 1 K steps on
    ramps; large offset arrays use an exact grid of offsets with linear interpolation of ln Theta
    (error < 1e-6, see ``arrhenius_integral.log_arrhenius_time_integral``).

    References
    ----------
    Su & Johnson, J. Am. Ceram. Soc. 79 (1996) 3211; physics-notes §1.1.

    Examples
    --------
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3)])
    >>> print(round(float(log_work_of_sintering(p, 300e3)), 2))
    -25.52
    """
    return log_arrhenius_time_integral(profile, activation_energy_J_per_mol, temperature_offset_K,
                                       temperature_exponent=WORK_OF_SINTERING_TEMPERATURE_EXPONENT)


WORK_OF_SINTERING_TEMPERATURE_EXPONENT = -1.0
"""Power p of T in the work of sintering, Theta = integral T^p exp(-Q/RT) dt (Su & Johnson 1996)."""


def work_of_sintering_arrhenius_term(activation_energy_J_per_mol: float) -> tuple[float, float]:
    """(Q [J/mol], p [-]) of the work of sintering as a term of ``log_arrhenius_time_integrals``.

    Parameters
    ----------
    activation_energy_J_per_mol : float
        Apparent sintering activation energy Q [J/mol]

    Returns
    -------
    tuple of float
        (Q, -1): with it ``arrhenius_integral.log_arrhenius_time_integrals`` returns what
        ``log_work_of_sintering`` returns, bit for bit [J/mol], [-]

    Notes
    -----
    Theta = integral of (1/T) exp(-Q / (R T)) dt.

    References
    ----------
    Su & Johnson, J. Am. Ceram. Soc. 79 (1996) 3211.

    Examples
    --------
    >>> work_of_sintering_arrhenius_term(300e3)
    (300000.0, -1.0)
    """
    return float(activation_energy_J_per_mol), WORK_OF_SINTERING_TEMPERATURE_EXPONENT


def master_curve_relative_density(log_theta, green_relative_density, log_theta_half: float,
                                  log_theta_width: float, final_relative_density: float = 0.99):
    """Relative density on a sigmoidal master sintering curve.

    Parameters
    ----------
    log_theta : float or array_like
        ln of the work of sintering, Theta in [s/K] [ln(s/K)]
    green_relative_density : float or array_like
        Relative density before sintering rho_0 [-]
    log_theta_half : float
        ln Theta at half densification, a [ln(s/K)]
    log_theta_width : float
        Sigmoid width b [ln(s/K)]
    final_relative_density : float
        Asymptotic relative density rho_f [-]

    Returns
    -------
    numpy.ndarray or float
        Relative density, within [rho_0, rho_f] [-]

    Notes
    -----
    rho = rho_0 + (max(rho_f, rho_0) - rho_0) / (1 + exp(-(ln Theta - a) / b)).
    The curve holds for the green density it was fitted at; other rho_0 keep the fitted shape.

    References
    ----------
    Su & Johnson 1996; Ogum-type Boltzmann sigmoid (physics-notes §1.1).

    Examples
    --------
    >>> print(round(float(master_curve_relative_density(-20.0, 0.55, -20.0, 1.0, 0.99)), 3))
    0.77
    """
    log_theta = np.asarray(log_theta, dtype=float)
    green = check_fraction("green_relative_density", green_relative_density, allow_zero=False)
    check_positive("log_theta_width", log_theta_width)
    final = float(check_fraction("final_relative_density", final_relative_density, allow_zero=False))
    result = _master_curve(log_theta, green, log_theta_half, log_theta_width, final)
    return result[()] if result.ndim == 0 else result


def _master_curve(log_theta: np.ndarray, green, log_theta_half: float, log_theta_width: float,
                  final: float) -> np.ndarray:
    """``master_curve_relative_density`` on checked arrays (also the fused firing's, twin.electrolyte_firing):
    a fresh array."""
    # in place on two temporaries (this runs for every sheet of every firing); exp overflows past
    # ~709: capping the argument keeps 1 / (1 + e) at its limit 0 without a warning
    denominator = np.subtract(log_theta_half, log_theta, out=np.empty(np.shape(log_theta)))
    denominator /= log_theta_width
    np.minimum(denominator, 700.0, out=denominator)
    np.exp(denominator, out=denominator)
    denominator += 1.0
    result = np.maximum(final, green)
    result -= green
    result /= denominator
    result += green
    return result


def sintering_stress_Pa(particle_size_m, surface_energy_J_per_m2: float):
    """Sintering stress of a powder compact, 3 gamma / r.

    Parameters
    ----------
    particle_size_m : float or array_like
        Particle diameter d (radius r = d/2) [m]
    surface_energy_J_per_m2 : float
        Solid-vapour surface energy gamma [J/m^2]

    Returns
    -------
    numpy.ndarray or float
        Effective sintering stress P_L at full density [Pa]

    Notes
    -----
    P_L = 3 gamma / r (Skorohod-Olevsky viscous sintering, the (1 - theta)^2 factor dropped).

    References
    ----------
    Olevsky, Mater. Sci. Eng. R 23 (1998) 41; physics-notes §1.3.

    Examples
    --------
    >>> print(round(float(sintering_stress_Pa(100e-9, 1.0)) / 1e6, 1))
    60.0
    """
    size = check_positive("particle_size_m", particle_size_m)
    gamma = check_positive("surface_energy_J_per_m2", surface_energy_J_per_m2)
    return 3.0 * gamma / (0.5 * size)


def sintered_relative_density(profile: TemperatureProfile, green_relative_density,
                              material: MaterialParameters, temperature_offset_K=0.0,
                              particle_size_m=None, applied_pressure_Pa=0.0, pressure_mode: str = "hot_press"):
    """Relative density after a sintering profile, from the material's calibrated MSC.

    Parameters
    ----------
    profile : TemperatureProfile
        Furnace (or hot-press, rapid, UHS) temperature history [s], [K]
    green_relative_density : float or array_like
        Relative density before sintering [-]
    material : MaterialParameters
        Garnet or composite with ``msc_*`` parameters (``load_material("llzo_ga")``) [-]
    temperature_offset_K : float or array_like
        Per-sheet furnace temperature offset [K]
    particle_size_m : float or array_like, optional
        Powder particle size; None uses the MSC reference size (no Herring shift) [m]
    applied_pressure_Pa : float or array_like
        Pressure during sintering (hot press, SPS die or HIP gas), >= 0 [Pa]
    pressure_mode : str
        ``"hot_press"``, ``"sps"`` (uniaxial die) or ``"hip"`` (isostatic); used when p > 0 [-]

    Returns
    -------
    numpy.ndarray or float
        Relative density, within [green, max(green, rho_f)], broadcast over the inputs [-]

    Notes
    -----
    ln Theta_eff = ln(Theta(Q, T + delta) (d_ref / d)^m + Theta_p), rho = MSC(ln Theta_eff).
    Herring scaling: the time to equal densification scales as d^m. Theta_p is the pressure-driven
    creep densification of :func:`process_models.pressure_sintering.log_pressure_work`, its own
    mechanism (own activation energy and rate constant); p >= 0 never lowers density. For HIP the
    caller decides whether the pores are closed (``pressure_sintering.gas_pressure_acts``).

    References
    ----------
    Su & Johnson 1996 (MSC); Herring, J. Appl. Phys. 21 (1950) 301; Olevsky 1998 (SOVS);
    fits: docs/calibration/densification.md (Yi et al., J. Power Sources 2017),
    docs/calibration/pressure_sintering.md (Rangasamy et al. 2012).

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3)])
    >>> print(round(float(sintered_relative_density(p, 0.55, load_material("llzo_ga"))), 2))
    0.95
    """
    log_theta_effective = effective_log_work_of_sintering(
        profile, material, temperature_offset_K=temperature_offset_K, particle_size_m=particle_size_m)
    pressure = check_non_negative("applied_pressure_Pa", applied_pressure_Pa)
    if np.any(pressure > 0.0):
        factor = pressure_geometry_factor(pressure_mode, green_relative_density)
        pressed = log_pressure_work(profile, material, np.maximum(pressure, 1e-300), factor,
                                    temperature_offset_K=temperature_offset_K, particle_size_m=particle_size_m)
        log_theta_effective = log_add_exp(log_theta_effective, np.where(pressure > 0.0, pressed, -np.inf))
    return master_curve_relative_density(
        log_theta_effective,
        green_relative_density,
        material["msc_log_theta_half"],
        material["msc_log_theta_width"],
        material["msc_final_relative_density"],
    )


def effective_log_work_of_sintering(profile: TemperatureProfile, material: MaterialParameters,
                                    temperature_offset_K=0.0, particle_size_m=None):
    """ln of the free (pressureless) work of sintering a profile delivers, shifted for particle size.

    Parameters
    ----------
    profile : TemperatureProfile
        Furnace temperature history [s], [K]
    material : MaterialParameters
        Material with the ``msc_*`` keys and ``herring_exponent`` [-]
    temperature_offset_K : float or array_like
        Per-sheet furnace offset [K]
    particle_size_m : float or array_like or None
        Powder particle size; None means the master curve's reference size [m]

    Returns
    -------
    numpy.ndarray or float
        ln Theta_eff, the argument of the master curve [ln(s/K)]

    Notes
    -----
    ln Theta_eff = ln Theta(profile, Q) + m ln(r_ref / r). Applied pressure is a mechanism of its own
    (:mod:`process_models.pressure_sintering`), added in logs (``process_models._log_sums.log_add_exp``).
    Work of sintering adds along a thermal path (Su & Johnson 1996), so a later firing of the same layer
    continues on the master curve at ln(exp(ln Theta_eff,1) + exp(ln Theta_eff,2)) (``log_add_exp``).

    References
    ----------
    Su & Johnson, J. Am. Ceram. Soc. 79 (1996) 3211; Herring, J. Appl. Phys. 21 (1950) 301;
    Olevsky, Mater. Sci. Eng. R 23 (1998) 41.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3)])
    >>> print(round(float(effective_log_work_of_sintering(p, load_material("llzo_ga"))), 2))
    -42.82
    """
    log_theta = log_work_of_sintering(profile, material["msc_activation_energy_J_per_mol"],
                                      temperature_offset_K)
    return log_theta + log_theta_shift(material, particle_size_m)


def log_theta_shift(material: MaterialParameters, particle_size_m=None):
    """Shift of ln Theta on the master curve for particle size (Herring scaling).

    Parameters
    ----------
    material : MaterialParameters
        Material with ``msc_reference_particle_size_m`` and ``herring_exponent`` [-]
    particle_size_m : float or array_like or None
        Powder particle size; None means the master curve's reference size [m]

    Returns
    -------
    numpy.ndarray or float
        Shift added to ln Theta [-]

    Notes
    -----
    shift = m ln(r_ref / r): Herring scaling of the time to a given density (t ~ r^m). Pressure is not
    a shift of the free curve (3 gamma / r is tens of MPa only for nano powders, and a 40 MPa hot press
    densified 0.5-1 um LLZO that this shift left at 0.64-0.69); see :mod:`process_models.pressure_sintering`.

    References
    ----------
    Herring, J. Appl. Phys. 21 (1950) 301; physics-notes §1.4.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> print(round(float(log_theta_shift(load_material("llzo_ga"), 50e-9)), 3))
    2.079
    """
    if particle_size_m is None:
        return 0.0
    size = check_positive("particle_size_m", particle_size_m)
    size_shift = np.log(material["msc_reference_particle_size_m"] / size)
    size_shift *= material["herring_exponent"]
    return size_shift


def cold_pressed_relative_density(pressure_Pa, green_relative_density, heckel_coefficient_per_Pa):
    """Relative density of a powder compact pressed at room temperature (Heckel equation).

    Parameters
    ----------
    pressure_Pa : float or array_like
        Compaction pressure P, >= 0 [Pa]
    green_relative_density : float or array_like
        Relative density at zero pressure D_0 [-]
    heckel_coefficient_per_Pa : float or array_like
        Heckel slope K [1/Pa]

    Returns
    -------
    numpy.ndarray or float
        Relative density D in [D_0, 1) [-]

    Notes
    -----
    ln(1/(1 - D)) = K P + A with A = ln(1/(1 - D_0)), i.e. D = 1 - (1 - D_0) exp(-K P).
    Sulphides densify this way at room temperature (2020 SSB roadmap §14.1).

    References
    ----------
    Heckel, Trans. Metall. Soc. AIME 221 (1961) 671; 2020 SSB roadmap §14.1.

    Examples
    --------
    >>> print(round(float(cold_pressed_relative_density(370e6, 0.55, 3.0e-9)), 3))
    0.852
    """
    pressure = check_non_negative("pressure_Pa", pressure_Pa)
    green = check_range("green_relative_density", green_relative_density, 0.0, 1.0,
                        low_inclusive=False, high_inclusive=False)
    slope = check_non_negative("heckel_coefficient_per_Pa", heckel_coefficient_per_Pa)
    result = 1.0 - (1.0 - green) * np.exp(-slope * pressure)
    return result[()] if np.ndim(result) == 0 else result
