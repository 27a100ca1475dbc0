"""Gas-side transport of Li2O vapour from an open sheet in a furnace, and a cover plate's loss relative to it.

An open face at one atmosphere does not lose Li2O at the Hertz-Knudsen rate: the vapour must cross the
concentration boundary layer above the face (natural convection in the furnace gas), whose conductance
k_m / (R T) is ~1e-6 mol/(m^2 s Pa) against the surface's g_s ~ 0.02 (alpha = 1). The calibrated free flux
of :mod:`process_models.li_loss` was fitted to an open furnace, so it already contains that boundary layer
(its p0 is an effective value, docs/calibration/li_loss.md). A cover plate is therefore expressed relative
to the open furnace, both sides in the same gas, per m^2 of face:

- open face:     1/G_open  = 1/g_s + 1/g_bl
- covered face:  1/G_cover = 1/g_gap + 1/g_bl,  g_gap = g_s tanh(phi)/phi (the slit of
  :func:`process_models.li_vapour_confinement.cover_gap_escape_fraction`, p = 0 at its open edge)

and the loss multiplies the calibrated (open) flux by G_cover / G_open. Gap -> large: tanh(phi)/phi -> 1, so the
ratio -> 1 (the open furnace); gap -> small: G_cover -> g_gap, the confined slit's own conductance. The vapour
that leaves the slit still has to cross the furnace boundary layer around the sheet, hence the series term.

Not modelled: the constriction of the edge outflow into the outer boundary layer (a line source along the open
edge instead of the face area), which would cut the covered loss further by about (W/delta) ln(delta/h)/pi; the
relative loss is an upper bound on a cover's escape. Forced furnace gas flow is neglected: at the usual
1-10 L/min of argon the hot gas moves at mm/s over the load (Re < 10).
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_positive, check_range
from process_models.constants import (
    AVOGADRO_PER_MOL,
    BOLTZMANN_J_PER_K,
    GAS_CONSTANT_J_PER_MOL_K,
    STANDARD_GRAVITY_M_PER_S2,
)
from process_models.li_vapour_confinement import (
    ARGON_CARRIER,
    STANDARD_PRESSURE_PA,
    binary_gas_diffusivity_m2_per_s,
    cover_gap_escape_fraction,
    surface_evaporation_conductance,
)

FURNACE_BUOYANCY_TEMPERATURE_DIFFERENCE_K = 20.0
"""Temperature difference between the load and the furnace gas that drives natural convection over the
sheet [K]. assumption: a batch or tunnel kiln holds load and gas within ~10-50 K (element and door gradients);
Sh grows as dT^(1/6)-dT^(1/4) here, so 10 or 50 K moves the open-face conductance by -11 % / +16-21 %."""

DISK_DIFFUSION_SHERWOOD = 2.0 / np.pi
"""Sherwood number (length area/perimeter) of a face in stagnant gas [-]: steady diffusion from a disk of radius
a into a half-space carries 4 D a c (Saito, Rev. Polarogr. 15 (1968) 177; the microdisk electrode current), per
area 4 D c / (pi a), and area/perimeter = a/2. Natural convection only adds to it."""


def gas_viscosity_Pa_s(temperature_K, molar_mass_kg_per_mol=ARGON_CARRIER[0],
                       collision_diameter_m=ARGON_CARRIER[1], well_depth_K=ARGON_CARRIER[2]):
    """Dynamic viscosity of a dilute gas (Chapman-Enskog, Lennard-Jones 12-6).

    Parameters
    ----------
    temperature_K : float or array_like
        Gas temperature [K]
    molar_mass_kg_per_mol, collision_diameter_m, well_depth_K : float
        Molar mass [kg/mol], Lennard-Jones diameter [m] and well depth eps/k [K]; defaults argon

    Returns
    -------
    numpy.ndarray or float
        mu [Pa s]

    Notes
    -----
    mu = (5/16) sqrt(pi m k T) / (pi sigma^2 Omega_v), Omega_v = 1.16145 T*^-0.14874 + 0.52487 exp(-0.77320 T*)
    + 2.16178 exp(-2.43787 T*) (Neufeld 1972, 0.3 <= T* <= 100).

    References
    ----------
    Poling, Prausnitz, O'Connell, The Properties of Gases and Liquids, 5th ed. (2001), eqs. 9-3.8, 9-4.3;
    Neufeld, Janzen, Aziz, J. Chem. Phys. 57 (1972) 1100.

    Examples
    --------
    >>> print(f"{float(gas_viscosity_Pa_s(300.0)) * 1e6:.1f}")
    22.8
    """
    temperature = check_range("temperature_K", temperature_K, 0.0, 4000.0, low_inclusive=False)
    reduced = check_range("reduced_temperature", temperature / well_depth_K, 0.3, 100.0)
    omega = (1.16145 * reduced ** -0.14874 + 0.52487 * np.exp(-0.77320 * reduced)
             + 2.16178 * np.exp(-2.43787 * reduced))
    mass = molar_mass_kg_per_mol / AVOGADRO_PER_MOL
    viscosity = 5.0 / 16.0 * np.sqrt(np.pi * mass * BOLTZMANN_J_PER_K * temperature) / (
        np.pi * collision_diameter_m ** 2 * omega)
    return viscosity[()] if np.ndim(viscosity) == 0 else viscosity


def upward_face_sherwood_number(rayleigh):
    """Mean Sherwood number of the upper face of a horizontal plate whose gas rises (hot face up).

    Parameters
    ----------
    rayleigh : float or array_like
        Mass-transfer Rayleigh number Ra = g beta dT L^3 / (nu D), L = area / perimeter, 0-1e11 [-]

    Returns
    -------
    numpy.ndarray or float
        Sh = k_m L / D [-]

    Notes
    -----
    The largest of the published laws, so the blend is continuous and rises with Ra:
    Sh = max(2/pi, 0.96 Ra^(1/6), 0.54 Ra^(1/4), 0.15 Ra^(1/3)). The Ra^(1/6) law (Goldstein, Sparrow, Jones,
    naphthalene sublimation, 1 < Ra < 200) leads below Ra ~ 1e3, Lloyd & Moran's laminar 0.54 Ra^(1/4) up to
    Ra ~ 5e6, their turbulent 0.15 Ra^(1/3) above; 2/pi is stagnant diffusion (:data:`DISK_DIFFUSION_SHERWOOD`).
    Between 200 and 1e4 Goldstein et al. measured 0.59 Ra^(1/4): the blend is within -9 % / +5 % of it.

    References
    ----------
    Lloyd & Moran, J. Heat Transfer 96 (1974) 443 (electrochemical mass transfer, L = A/P), as Incropera, DeWitt,
    Bergman, Lavine, Fundamentals of Heat and Mass Transfer, 6th ed. (2007) eqs. 9.30-9.31 [R, memory];
    Goldstein, Sparrow, Jones, Int. J. Heat Mass Transfer 16 (1973) 1025 [R, memory].

    Examples
    --------
    >>> print(round(float(upward_face_sherwood_number(1e6)), 2))
    17.08
    """
    ra = check_range("rayleigh", rayleigh, 0.0, 1e11)
    sherwood = np.maximum(np.maximum(DISK_DIFFUSION_SHERWOOD, 0.96 * ra ** (1.0 / 6.0)),
                          np.maximum(0.54 * ra ** 0.25, 0.15 * np.cbrt(ra)))
    return sherwood[()] if np.ndim(sherwood) == 0 else sherwood


def open_face_mass_transfer_coefficient_m_per_s(
        temperature_K, face_length_m, buoyancy_temperature_difference_K=FURNACE_BUOYANCY_TEMPERATURE_DIFFERENCE_K,
        pressure_Pa=STANDARD_PRESSURE_PA):
    """Li2O mass-transfer coefficient from an open, upward-facing sheet into the furnace argon.

    Parameters
    ----------
    temperature_K : float or array_like
        Sheet and gas temperature [K]
    face_length_m : float or array_like
        L = face area / face perimeter [m] (60 mm for a 300 x 200 mm sheet)
    buoyancy_temperature_difference_K : float
        Load-to-gas temperature difference driving natural convection [K]
    pressure_Pa : float
        Furnace gas pressure [Pa]

    Returns
    -------
    numpy.ndarray or float
        k_m = Sh D_12 / L [m/s]

    Notes
    -----
    Ra = g (dT / T) L^3 / (nu D_12) (ideal gas beta = 1/T, heat-mass analogy with Sc for Pr), nu = mu R T / (p M),
    Sh from :func:`upward_face_sherwood_number`, D_12 the Li2O-Ar diffusivity (Chapman-Enskog).

    References
    ----------
    Incropera et al. 2007 §9.6 and the heat-mass analogy §6.7 [R, memory]; Poling et al. 2001 ch. 9, 11.

    Examples
    --------
    >>> print(f"{float(open_face_mass_transfer_coefficient_m_per_s(1773.15, 0.06)):.1e}")
    1.3e-02
    """
    temperature = check_range("temperature_K", temperature_K, 0.0, 4000.0, low_inclusive=False)
    length = check_positive("face_length_m", face_length_m)
    delta_t = check_positive("buoyancy_temperature_difference_K", buoyancy_temperature_difference_K)
    pressure = check_positive("pressure_Pa", pressure_Pa)
    diffusivity = binary_gas_diffusivity_m2_per_s(temperature, pressure)
    kinematic = gas_viscosity_Pa_s(temperature) * GAS_CONSTANT_J_PER_MOL_K * temperature / (
        pressure * ARGON_CARRIER[0])
    rayleigh = STANDARD_GRAVITY_M_PER_S2 * delta_t / temperature * length ** 3 / (kinematic * diffusivity)
    coefficient = upward_face_sherwood_number(rayleigh) * diffusivity / length
    return coefficient[()] if np.ndim(coefficient) == 0 else coefficient


def cover_plate_loss_relative_to_open(temperature_K, gap_height_m, escape_length_m, face_length_m,
                                      buoyancy_temperature_difference_K=FURNACE_BUOYANCY_TEMPERATURE_DIFFERENCE_K,
                                      pressure_Pa=STANDARD_PRESSURE_PA, evaporation_coefficient=1.0):
    """Li2O loss of a face under a cover plate over that of the same face open in the same furnace [-].

    Parameters
    ----------
    temperature_K : float or array_like
        Sheet, gap and furnace gas temperature [K]
    gap_height_m : float or array_like
        Gas gap h between the face and the cover [m]
    escape_length_m : float or array_like
        W = face area / open edge length [m]
    face_length_m : float or array_like
        L = face area / face perimeter [m] (the boundary layer's length scale)
    buoyancy_temperature_difference_K, pressure_Pa, evaporation_coefficient : float
        As :func:`open_face_mass_transfer_coefficient_m_per_s`; Hertz-Knudsen alpha [-]

    Returns
    -------
    numpy.ndarray or float
        G_cover / G_open = (1/g_s + 1/g_bl) / (1/g_gap + 1/g_bl), between 0 and 1; multiplies the calibrated
        open flux [-]

    Notes
    -----
    g_bl = k_m / (R T), g_gap = g_s tanh(phi)/phi (module docstring). Rises with the gap and the open edge
    (tanh(phi)/phi falls with phi = W sqrt(g_s R T / (h D))) and tends to 1 as the gap opens.

    References
    ----------
    Series mass-transfer resistances (Incropera et al. 2007 §6.7 [R, memory]); slit: Thiele, Ind. Eng. Chem. 31
    (1939) 916; boundary layer: Lloyd & Moran 1974.

    Examples
    --------
    >>> print(f"{float(cover_plate_loss_relative_to_open(1773.15, 20e-3, 0.06, 0.06)):.3f}")
    0.982
    """
    temperature = np.asarray(temperature_K, dtype=float)
    slit = cover_gap_escape_fraction(temperature, gap_height_m, escape_length_m, pressure_Pa,
                                     evaporation_coefficient)
    surface = surface_evaporation_conductance(temperature, evaporation_coefficient)
    boundary_layer = open_face_mass_transfer_coefficient_m_per_s(
        temperature, face_length_m, buoyancy_temperature_difference_K, pressure_Pa) / (
        GAS_CONSTANT_J_PER_MOL_K * temperature)
    # resistances per m^2 of face, in (m^2 s Pa)/mol; the open face's surface term is ~1e-4 of its total
    open_resistance = 1.0 / surface + 1.0 / boundary_layer
    ratio = open_resistance / (1.0 / (surface * slit) + 1.0 / boundary_layer)
    return ratio[()] if np.ndim(ratio) == 0 else ratio
