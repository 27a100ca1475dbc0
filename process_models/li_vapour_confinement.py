"""Li2O vapour confinement: how much of a garnet's free evaporation flux escapes a cover plate or a felt sandwich.

A sheet under a cover plate (setter gap) or between carbon felts (ultrafast high-temperature sintering, Wang
et al., Science 368 (2020) 521) evaporates into a small, closed gas volume. That volume reaches the Li2O
saturation pressure within micro- to milliseconds (:func:`gap_saturation_time_s`), after which the sheet
loses only what the vapour's escape from the enclosure carries away: gas diffusion along the gap to its
open edges, or through the felt. The escape fractions here are against the Hertz-Knudsen surface flux; the
felt's multiplies the calibrated free flux of :mod:`process_models.li_loss` (its ``cover_leakage_fraction``),
while a cover plate is put against the open furnace's boundary layer by
:func:`process_models.open_furnace_transport.cover_plate_loss_relative_to_open`.

Transport in series (per m^2 of evaporating face, conductances in mol/(m^2 s Pa)):

- surface: g_s = alpha / sqrt(2 pi M R T) (Hertz-Knudsen; alpha and the vapour pressure as fitted in
  docs/calibration/li_loss.md);
- felt of thickness t and porosity eps: g_f = eps^1.5 D / (t R T) (Bruggeman tortuosity);
- cover gap of height h and escape length W = (sheet area) / (open edge length): a slit fed along its
  length, d^2p/dx^2 = (g_s R T / (h D)) (p - p_eq), p = 0 at the open edge, whose mean net flux is
  g_s p_eq tanh(phi) / phi with phi = W sqrt(g_s R T / (h D)) (the fin / Thiele effectiveness).

D is the Li2O-carrier gas diffusivity (Chapman-Enskog with Neufeld's collision integral) combined with
Knudsen diffusion in the gap or felt pores (Bosanquet). Not modelled: carbothermal reduction of the garnet
by the felt (graphite envelopes are used for LLZO tapes in non-oxidising gas, 2020 SSB roadmap §15),
Li diffusion/depletion in the solid, and gas expelled from the enclosure by thermal expansion.
docs/calibration/li_vapour_confinement.md records the numbers and their sources.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_positive, check_range
from process_models.constants import (
    AVOGADRO_PER_MOL,
    BOLTZMANN_J_PER_K,
    GAS_CONSTANT_J_PER_MOL_K,
    LI2O_MOLAR_MASS_KG_PER_MOL,
)

STANDARD_PRESSURE_PA = 101325.0
"""One standard atmosphere [Pa]: furnaces and UHS chambers run at ambient pressure in flowing gas."""

ARGON_MOLAR_MASS_KG_PER_MOL = 39.948e-3
"""Molar mass of Ar [kg/mol] (IUPAC)."""

ARGON_COLLISION_DIAMETER_M = 3.542e-10
"""Lennard-Jones collision diameter of Ar [m] (Poling, Prausnitz, O'Connell, Properties of Gases and Liquids,
5th ed. 2001, App. B; 3.542 A)."""

ARGON_WELL_DEPTH_K = 93.3
"""Lennard-Jones well depth eps/k of Ar [K] (Poling et al. 2001, App. B)."""

LI2O_COLLISION_DIAMETER_M = 3.6e-10
"""Collision diameter of gaseous Li2O [m]. assumption: linear Li-O-Li of ~3.2 A (Li-O 1.6 A) plus the ion
radii; no Lennard-Jones fit for Li2O(g) was found. D scales as 1/sigma^2: +-10 % in sigma is +-20 % in D."""

LI2O_WELL_DEPTH_K = 1000.0
"""Lennard-Jones well depth eps/k of gaseous Li2O [K]. assumption: a strongly polar (ionic) molecule; the
range 300-3000 K moves D at 1500 C by about +-15 % through the collision integral."""

ARGON_CARRIER = (ARGON_MOLAR_MASS_KG_PER_MOL, ARGON_COLLISION_DIAMETER_M, ARGON_WELL_DEPTH_K)


def neufeld_collision_integral(reduced_temperature):
    """Diffusion collision integral of the Lennard-Jones 12-6 potential.

    Parameters
    ----------
    reduced_temperature : float or array_like
        T* = k T / eps_12, 0.3-100 [-]

    Returns
    -------
    numpy.ndarray or float
        Omega_D [-]

    Notes
    -----
    Omega_D = A/T*^B + C exp(-D T*) + E exp(-F T*) + G exp(-H T*), within 0.1 % of the tabulated integral
    for 0.3 <= T* <= 100 (1.439 at T* = 1 in Hirschfelder, Curtiss, Bird 1954).

    References
    ----------
    Neufeld, Janzen, Aziz, J. Chem. Phys. 57 (1972) 1100; Poling, Prausnitz, O'Connell, The Properties of
    Gases and Liquids, 5th ed. (2001), eq. 11-3.6.

    Examples
    --------
    >>> print(round(float(neufeld_collision_integral(1.0)), 4))
    1.4405
    """
    t = check_range("reduced_temperature", reduced_temperature, 0.3, 100.0)
    omega = (1.06036 / t ** 0.15610 + 0.19300 * np.exp(-0.47635 * t) + 1.03587 * np.exp(-1.52996 * t)
             + 1.76474 * np.exp(-3.89411 * t))
    return omega[()] if np.ndim(omega) == 0 else omega


def binary_gas_diffusivity_m2_per_s(temperature_K, pressure_Pa=STANDARD_PRESSURE_PA,
                                    molar_masses_kg_per_mol=(LI2O_MOLAR_MASS_KG_PER_MOL, ARGON_MOLAR_MASS_KG_PER_MOL),
                                    collision_diameters_m=(LI2O_COLLISION_DIAMETER_M, ARGON_COLLISION_DIAMETER_M),
                                    well_depths_K=(LI2O_WELL_DEPTH_K, ARGON_WELL_DEPTH_K)):
    """Binary molecular diffusivity of a dilute gas pair (Chapman-Enskog).

    Parameters
    ----------
    temperature_K : float or array_like
        Gas temperature [K]
    pressure_Pa : float
        Total gas pressure [Pa]
    molar_masses_kg_per_mol : tuple of float
        Molar masses of the two gases [kg/mol]
    collision_diameters_m : tuple of float
        Lennard-Jones collision diameters [m]
    well_depths_K : tuple of float
        Lennard-Jones well depths eps/k [K]

    Returns
    -------
    numpy.ndarray or float
        D_12 [m^2/s]; defaults: Li2O(g) in argon

    Notes
    -----
    D_12 = (3/16) sqrt(2 pi (k T)^3 / mu) / (p pi sigma_12^2 Omega_D), mu = m1 m2 / (m1 + m2) per molecule,
    sigma_12 = (sigma_1 + sigma_2) / 2, eps_12 = sqrt(eps_1 eps_2) (first Chapman-Enskog approximation).

    References
    ----------
    Poling, Prausnitz, O'Connell 2001, eq. 11-3.1/11-3.2; Hirschfelder, Curtiss, Bird, Molecular Theory of
    Gases and Liquids (1954).

    Examples
    --------
    >>> print(f"{float(binary_gas_diffusivity_m2_per_s(1773.15)):.2e}")
    3.22e-04
    """
    temperature = check_range("temperature_K", temperature_K, 0.0, 4000.0, low_inclusive=False)
    pressure = check_positive("pressure_Pa", pressure_Pa)
    m1, m2 = (m / AVOGADRO_PER_MOL for m in molar_masses_kg_per_mol)
    reduced_mass = m1 * m2 / (m1 + m2)
    sigma = 0.5 * (collision_diameters_m[0] + collision_diameters_m[1])
    omega = neufeld_collision_integral(temperature / np.sqrt(well_depths_K[0] * well_depths_K[1]))
    kt = BOLTZMANN_J_PER_K * temperature
    diffusivity = 3.0 / 16.0 * np.sqrt(2.0 * np.pi * kt ** 3 / reduced_mass) / (pressure * np.pi * sigma ** 2 * omega)
    return diffusivity[()] if np.ndim(diffusivity) == 0 else diffusivity


def knudsen_diffusivity_m2_per_s(temperature_K, pore_size_m, molar_mass_kg_per_mol=LI2O_MOLAR_MASS_KG_PER_MOL):
    """Knudsen (free-molecular) diffusivity in a pore or gap.

    Parameters
    ----------
    temperature_K : float or array_like
        Gas temperature [K]
    pore_size_m : float or array_like
        Pore diameter or gap height d [m]
    molar_mass_kg_per_mol : float
        Molar mass of the diffusing gas [kg/mol]

    Returns
    -------
    numpy.ndarray or float
        D_K [m^2/s]

    Notes
    -----
    D_K = (d / 3) sqrt(8 R T / (pi M)).

    References
    ----------
    Knudsen 1909; Cussler, Diffusion: Mass Transfer in Fluid Systems, 3rd ed. (2009), §5.4.

    Examples
    --------
    >>> print(f"{float(knudsen_diffusivity_m2_per_s(1773.15, 1e-6)):.2e}")
    3.74e-04
    """
    temperature = check_range("temperature_K", temperature_K, 0.0, 4000.0, low_inclusive=False)
    size = check_positive("pore_size_m", pore_size_m)
    mean_speed = np.sqrt(8.0 * GAS_CONSTANT_J_PER_MOL_K * temperature / (np.pi * molar_mass_kg_per_mol))
    diffusivity = size / 3.0 * mean_speed
    return diffusivity[()] if np.ndim(diffusivity) == 0 else diffusivity


def li2o_escape_diffusivity_m2_per_s(temperature_K, pore_size_m, pressure_Pa=STANDARD_PRESSURE_PA):
    """Li2O diffusivity in a gap or felt pore filled with argon, molecular and Knudsen in series.

    Parameters
    ----------
    temperature_K : float or array_like
        Gas temperature [K]
    pore_size_m : float or array_like
        Gap height or pore size [m]
    pressure_Pa : float
        Argon pressure [Pa]

    Returns
    -------
    numpy.ndarray or float
        D [m^2/s]

    Notes
    -----
    1/D = 1/D_12 + 1/D_K (Bosanquet). At one atmosphere and 1500 C the mean free path is ~0.5 um, so D_12
    rules in mm gaps and ~50 um felt pores; D_K takes over in vacuum.

    References
    ----------
    Bosanquet interpolation, Cussler 2009 §5.4.

    Examples
    --------
    >>> print(f"{float(li2o_escape_diffusivity_m2_per_s(1773.15, 1e-3)):.2e}")
    3.21e-04
    """
    molecular = binary_gas_diffusivity_m2_per_s(temperature_K, pressure_Pa)
    knudsen = knudsen_diffusivity_m2_per_s(temperature_K, pore_size_m)
    return 1.0 / (1.0 / molecular + 1.0 / knudsen)


def surface_evaporation_conductance(temperature_K, evaporation_coefficient=1.0):
    """Hertz-Knudsen conductance of an evaporating Li2O face.

    Parameters
    ----------
    temperature_K : float or array_like
        Surface temperature [K]
    evaporation_coefficient : float or array_like
        alpha, 0-1 [-]

    Returns
    -------
    numpy.ndarray or float
        g_s = alpha / sqrt(2 pi M R T) [mol/(m^2 s Pa)]

    Notes
    -----
    J = g_s (p_eq - p): the flux law of :func:`process_models.li_loss.li2o_volatilisation_flux_mol_per_m2_s`
    (alpha = 1 in its calibration, docs/calibration/li_loss.md).

    References
    ----------
    Hertz-Knudsen equation; physics-notes §2.3.

    Examples
    --------
    >>> print(f"{float(surface_evaporation_conductance(1773.15)):.4f}")
    0.0190
    """
    temperature = check_range("temperature_K", temperature_K, 0.0, 4000.0, low_inclusive=False)
    alpha = check_range("evaporation_coefficient", evaporation_coefficient, 0.0, 1.0, low_inclusive=False)
    conductance = alpha / np.sqrt(2.0 * np.pi * LI2O_MOLAR_MASS_KG_PER_MOL * GAS_CONSTANT_J_PER_MOL_K * temperature)
    return conductance[()] if np.ndim(conductance) == 0 else conductance


def gap_saturation_time_s(temperature_K, gap_height_m, evaporation_coefficient=1.0):
    """Time constant for a closed gas gap over an evaporating face to fill to the vapour pressure.

    Parameters
    ----------
    temperature_K : float or array_like
        Gap temperature [K]
    gap_height_m : float or array_like
        Gap height h [m]
    evaporation_coefficient : float
        alpha [-]

    Returns
    -------
    numpy.ndarray or float
        tau = h / (R T g_s) [s]

    Notes
    -----
    The gap holds p h / (R T) mol/m^2 and fills at g_s (p_eq - p), so p approaches p_eq as 1 - exp(-t/tau).
    A 1 mm gap at 1500 C fills in ~4 us: the quasi-steady escape fractions hold for any firing.

    References
    ----------
    Hertz-Knudsen equation with an ideal-gas gap; physics-notes §2.3 (p_local -> p_eq under a cover).

    Examples
    --------
    >>> print(f"{float(gap_saturation_time_s(1773.15, 1e-3)):.1e}")
    3.6e-06
    """
    height = check_positive("gap_height_m", gap_height_m)
    temperature = np.asarray(temperature_K, dtype=float)
    tau = height / (GAS_CONSTANT_J_PER_MOL_K * temperature
                    * surface_evaporation_conductance(temperature, evaporation_coefficient))
    return tau[()] if np.ndim(tau) == 0 else tau


def cover_gap_escape_fraction(temperature_K, gap_height_m, escape_length_m, pressure_Pa=STANDARD_PRESSURE_PA,
                              evaporation_coefficient=1.0):
    """Fraction of the free Li2O flux that leaves a face under a cover plate, through the gap's open edges [-].

    Parameters
    ----------
    temperature_K : float or array_like
        Sheet and gap temperature [K]
    gap_height_m : float or array_like
        Height h of the gas gap between the face and the cover [m]
    escape_length_m : float or array_like
        W = face area / open edge length [m] (half the width of a long strip open on both long edges)
    pressure_Pa, evaporation_coefficient : float
        Furnace gas pressure [Pa]; Hertz-Knudsen coefficient alpha [-]

    Returns
    -------
    numpy.ndarray or float
        f = tanh(phi) / phi, phi = W sqrt(g_s R T / (h D)) [-]; 1 for an open face (phi -> 0)

    Notes
    -----
    Steady diffusion along the gap, fed by evaporation g_s (p_eq - p) and emptied at the open edge
    (p = 0): h D/(R T) p'' = -g_s (p_eq - p). Integrating the net flux over the face gives tanh(phi)/phi,
    exact for a strip and the right edge-band limit lambda/W (lambda = sqrt(h D / (g_s R T))) for any
    shape with W = area / open perimeter. Gas diffusion: :func:`li2o_escape_diffusivity_m2_per_s` with
    the gap height as pore size.

    References
    ----------
    Fin / catalyst-effectiveness solution (Thiele, Ind. Eng. Chem. 31 (1939) 916); Hertz-Knudsen surface
    law as physics-notes §2.3 (p_local -> p_eq under a cover).

    Examples
    --------
    >>> print(f"{float(cover_gap_escape_fraction(1773.15, 1e-3, 0.06)):.1e}")
    5.6e-04
    """
    height = check_positive("gap_height_m", gap_height_m)
    length = check_positive("escape_length_m", escape_length_m)
    temperature = np.asarray(temperature_K, dtype=float)
    diffusivity = li2o_escape_diffusivity_m2_per_s(temperature, height, pressure_Pa)
    conductance = surface_evaporation_conductance(temperature, evaporation_coefficient)
    phi = length * np.sqrt(conductance * GAS_CONSTANT_J_PER_MOL_K * temperature / (height * diffusivity))
    fraction = np.tanh(phi) / phi
    return fraction[()] if np.ndim(fraction) == 0 else fraction


def felt_escape_fraction(temperature_K, felt_thickness_m, felt_porosity, felt_pore_size_m=50e-6,
                         pressure_Pa=STANDARD_PRESSURE_PA, evaporation_coefficient=1.0):
    """Fraction of the free Li2O flux that leaves a face pressed against a porous felt, through the felt [-].

    Parameters
    ----------
    temperature_K : float or array_like
        Sheet and felt temperature (the felt is the Joule heater in UHS) [K]
    felt_thickness_m : float or array_like
        Felt thickness t between the face and the chamber gas [m]
    felt_porosity : float or array_like
        Open porosity eps of the felt [-]
    felt_pore_size_m : float
        Pore size between fibres [m] (Knudsen term only; assumption 50 um for ~10 um fibres at eps ~0.9)
    pressure_Pa, evaporation_coefficient : float
        Chamber gas pressure [Pa]; Hertz-Knudsen coefficient alpha [-]

    Returns
    -------
    numpy.ndarray or float
        f = g_f / (g_s + g_f), g_f = eps^1.5 D / (t R T) [-]

    Notes
    -----
    The vapour leaves the face (conductance g_s) and diffuses through the felt to the chamber, where it
    condenses on the cold walls (p = 0); the two resistances add. Bruggeman tortuosity eps^-0.5 for the
    felt's effective diffusivity eps D / tau.

    References
    ----------
    Wang et al., Science 368 (2020) 521 (sample between two Joule-heated carbon felts); Bruggeman effective
    medium (Cussler 2009 §5.4); Hertz-Knudsen as physics-notes §2.3.

    Examples
    --------
    >>> print(f"{float(felt_escape_fraction(1773.15, 3e-3, 0.93)):.1e}")
    3.4e-04
    """
    thickness = check_positive("felt_thickness_m", felt_thickness_m)
    porosity = check_range("felt_porosity", felt_porosity, 0.0, 1.0, low_inclusive=False)
    temperature = np.asarray(temperature_K, dtype=float)
    diffusivity = li2o_escape_diffusivity_m2_per_s(temperature, felt_pore_size_m, pressure_Pa)
    felt = porosity ** 1.5 * diffusivity / (thickness * GAS_CONSTANT_J_PER_MOL_K * temperature)
    surface = surface_evaporation_conductance(temperature, evaporation_coefficient)
    fraction = felt / (surface + felt)
    return fraction[()] if np.ndim(fraction) == 0 else fraction
