"""Tape casting: doctor-blade wet thickness, drying, crack-free limit and sintering shrinkage."""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_positive, check_range
from process_models.constants import STANDARD_GRAVITY_M_PER_S2
from process_models.errors import PhysicsDomainError

_fmin_reduce = np.fmin.reduce   # the smallest value, NaN skipped


def doctor_blade_wet_thickness_m(blade_gap_m, casting_speed_m_per_s, viscosity_Pa_s, reservoir_height_m,
                                 slurry_density_kg_per_m3, blade_length_m, flow_correction=1.0):
    """Wet film thickness behind a doctor blade (Couette drag plus pressure-driven flow).

    Parameters
    ----------
    blade_gap_m : float or array_like
        Blade gap h0 [m]
    casting_speed_m_per_s : float or array_like
        Carrier speed U [m/s]
    viscosity_Pa_s : float or array_like
        Newtonian slurry viscosity eta [Pa s]
    reservoir_height_m : float or array_like
        Slurry head H in the reservoir, >= 0 [m]
    slurry_density_kg_per_m3 : float or array_like
        Slurry density rho [kg/m^3]
    blade_length_m : float or array_like
        Blade land length L in the casting direction [m]
    flow_correction : float or array_like
        Empirical factor alpha for side flow and non-idealities (0.6-0.7 is typical in practice,
        Berni et al.; physics-notes §4.1) [-]

    Returns
    -------
    numpy.ndarray or float
        Wet thickness h_wet [m]

    Notes
    -----
    q = U h0 / 2 + h0^3 dP / (12 eta L), dP = rho g H;
    h_wet = alpha q / U = alpha (h0/2) [1 + h0^2 dP / (6 eta U L)].

    References
    ----------
    Chou, Ko, Yan, J. Am. Ceram. Soc. 70 (1987) C-280; physics-notes §4.1.

    Examples
    --------
    >>> print(round(float(doctor_blade_wet_thickness_m(200e-6, 0.01, 2.0, 0.01, 2000.0, 5e-3)) * 1e6, 1))
    101.3
    """
    gap = check_positive("blade_gap_m", blade_gap_m)
    speed = check_positive("casting_speed_m_per_s", casting_speed_m_per_s)
    viscosity = check_positive("viscosity_Pa_s", viscosity_Pa_s)
    head = check_range("reservoir_height_m", reservoir_height_m, 0.0, np.inf, high_inclusive=False)
    density = check_positive("slurry_density_kg_per_m3", slurry_density_kg_per_m3)
    length = check_positive("blade_length_m", blade_length_m)
    alpha = check_range("flow_correction", flow_correction, 0.0, 2.0, low_inclusive=False)
    pressure_drop = density * STANDARD_GRAVITY_M_PER_S2 * head
    wet = alpha * 0.5 * gap * (1.0 + gap**2 * pressure_drop / (6.0 * viscosity * speed * length))
    return wet[()] if np.ndim(wet) == 0 else wet


def green_thickness_m(wet_thickness_m, slurry_solids_volume_fraction, green_relative_density):
    """Dry (green) tape thickness from a volume balance of the non-volatiles.

    Parameters
    ----------
    wet_thickness_m : float or array_like
        Wet film thickness [m]
    slurry_solids_volume_fraction : float or array_like
        Volume fraction of non-volatile solids (powder + binder) in the slurry phi_s [-]
    green_relative_density : float or array_like
        Packing fraction of the dried tape phi_green (>= phi_s) [-]

    Returns
    -------
    numpy.ndarray or float
        Green thickness [m]

    Notes
    -----
    The carrier constrains the tape in-plane, so all drying shrinkage is in thickness:
    d_green = h_wet phi_s / phi_green.

    References
    ----------
    physics-notes §4.1 ("safer mass-balance form").

    Examples
    --------
    >>> print(round(float(green_thickness_m(100e-6, 0.3, 0.55)) * 1e6, 2))
    54.55
    """
    wet = check_positive("wet_thickness_m", wet_thickness_m)
    solids = check_fraction("slurry_solids_volume_fraction", slurry_solids_volume_fraction, allow_zero=False)
    green = check_fraction("green_relative_density", green_relative_density, allow_zero=False)
    # one recipe's solids against per-sheet densities (every casting roll): the densest-packed sheet decides,
    # one NaN-skipping reduction instead of a comparison array and np.any
    if solids.ndim == 0 and green.ndim:
        too_much = green.size and float(solids) > _fmin_reduce(green)
    else:
        too_much = np.any(solids > green)
    if too_much:
        solids_b, green_b = np.broadcast_arrays(solids, green)
        offender = float(solids_b[solids_b > green_b].flat[0])
        raise PhysicsDomainError(
            f"slurry_solids_volume_fraction={offender:.6g} is outside (0, green_relative_density]")
    result = wet * solids
    if isinstance(result, np.ndarray) and result.ndim and result.shape == green.shape:
        result /= green   # (h phi_s) / phi_green in place: the same two operations
        return result
    result = result / green
    return result[()] if np.ndim(result) == 0 else result


def drying_time_s(wet_thickness_m, solvent_volume_fraction, evaporation_rate_m_per_s):
    """Constant-rate-period drying time of a cast film.

    Parameters
    ----------
    wet_thickness_m : float or array_like
        Wet film thickness [m]
    solvent_volume_fraction : float or array_like
        Volume fraction of solvent in the slurry [-]
    evaporation_rate_m_per_s : float or array_like
        Solvent evaporation rate as receding liquid height [m/s]

    Returns
    -------
    numpy.ndarray or float
        Drying time [s]

    Notes
    -----
    t = h_wet phi_solvent / E (constant-rate period; the falling-rate period is neglected).

    References
    ----------
    Mistler & Twiname, Tape Casting: Theory and Practice (2000); physics-notes §4.2.

    Examples
    --------
    >>> print(round(float(drying_time_s(100e-6, 0.7, 1e-7))))
    700
    """
    wet = check_positive("wet_thickness_m", wet_thickness_m)
    solvent = check_fraction("solvent_volume_fraction", solvent_volume_fraction)
    rate = check_positive("evaporation_rate_m_per_s", evaporation_rate_m_per_s)
    result = wet * solvent / rate
    return result[()] if np.ndim(result) == 0 else result


def critical_cracking_thickness_m(particle_radius_m, shear_modulus_Pa, surface_tension_N_per_m,
                                  coordination_number=6.0, random_close_packing_fraction=0.64,
                                  max_capillary_pressure_Pa=None, prefactor=0.64):
    """Maximum crack-free dry thickness of a binder-free particle film.

    Parameters
    ----------
    particle_radius_m : float or array_like
        Particle radius R [m]
    shear_modulus_Pa : float or array_like
        Particle shear modulus G [Pa]
    surface_tension_N_per_m : float or array_like
        Solvent surface tension gamma [N/m]
    coordination_number : float or array_like
        Particle coordination number M [-]
    random_close_packing_fraction : float or array_like
        Packing fraction phi_rcp [-]
    max_capillary_pressure_Pa : float or array_like, optional
        Maximum capillary pressure magnitude -P; default 5.3 (2 gamma / R) [Pa]
    prefactor : float
        Dimensionless prefactor, 0.64 in the PRL [-]

    Returns
    -------
    numpy.ndarray or float
        Critical cracking thickness h_c [m]

    Notes
    -----
    h_c = 0.64 (G M phi_rcp R^3 / (2 gamma))^(1/2) (2 gamma / (-P R))^(3/2).
    Caveat: the prefactor and the default capillary pressure are from the abstract / memory [R];
    binders and plasticisers raise h_c strongly, so treat this as a binder-free lower bound.

    References
    ----------
    Singh & Tirumkudulu, Phys. Rev. Lett. 98 (2007) 218302; physics-notes §4.3.

    Examples
    --------
    >>> print(round(float(critical_cracking_thickness_m(0.25e-6, 60e9, 0.022)) * 1e6, 1))
    15.0
    """
    radius = check_positive("particle_radius_m", particle_radius_m)
    modulus = check_positive("shear_modulus_Pa", shear_modulus_Pa)
    gamma = check_positive("surface_tension_N_per_m", surface_tension_N_per_m)
    coordination = check_positive("coordination_number", coordination_number)
    packing = check_fraction("random_close_packing_fraction", random_close_packing_fraction, allow_zero=False)
    if max_capillary_pressure_Pa is None:
        capillary = 5.3 * 2.0 * gamma / radius
    else:
        capillary = check_positive("max_capillary_pressure_Pa", max_capillary_pressure_Pa)
    result = prefactor * np.sqrt(modulus * coordination * packing * radius**3 / (2.0 * gamma)) * (
        2.0 * gamma / (capillary * radius)) ** 1.5
    return result[()] if np.ndim(result) == 0 else result


def sintered_thickness_m(green_thickness_m, green_relative_density, relative_density, constrained=True):
    """Layer thickness after sintering from a mass balance.

    Parameters
    ----------
    green_thickness_m : float or array_like
        Thickness before sintering [m]
    green_relative_density : float or array_like
        Relative density before sintering [-]
    relative_density : float or array_like
        Relative density after sintering (>= green) [-]
    constrained : bool
        True: film on a rigid setter/substrate, all shrinkage in thickness; False: free, isotropic [-]

    Returns
    -------
    numpy.ndarray or float
        Sintered thickness [m]

    Notes
    -----
    Constrained: L = L0 rho0 / rho. Free isotropic: L = L0 (rho0 / rho)^(1/3).

    References
    ----------
    physics-notes §4.2 (geometry); Green et al., J. Eur. Ceram. Soc. 28 (2008) 1451.

    Examples
    --------
    >>> print(round(float(sintered_thickness_m(50e-6, 0.55, 0.95)) * 1e6, 2))
    28.95
    """
    thickness = check_positive("green_thickness_m", green_thickness_m)
    green = check_fraction("green_relative_density", green_relative_density, allow_zero=False)
    final = check_fraction("relative_density", relative_density, allow_zero=False)
    result = _sintered_thickness(thickness, green, final, constrained)
    return result[()] if np.ndim(result) == 0 else result


def _sintered_thickness(thickness, green, final, constrained: bool = True):
    """``sintered_thickness_m`` on checked inputs (also the fused firing's, twin.electrolyte_firing)."""
    ratio = green / final
    return thickness * (ratio if constrained else np.cbrt(ratio))
