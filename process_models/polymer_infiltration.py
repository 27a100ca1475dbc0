"""Back-filling a porous sintered ceramic scaffold with a polymer electrolyte (roadmap 2020 §14.2.1, §14.4).

A part-sintered porous LLZO layer is infiltrated with PEO-LiTFSI (melt or solution): the polymer flows into
the open pores by capillarity and any applied pressure difference (vacuum / gas pressure), closed pores stay
empty. The filled pores conduct in parallel with the ceramic skeleton.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive, check_range

# Final-stage sintering: pores pinch off into isolated (closed) pores near 92 % of theoretical density
# (Coble 1961; German, Sintering Theory and Practice 1996; memory [R]). The pore network starts to
# disconnect earlier; a linear transition from 85 % (assumption: onset of the final stage) is taken.
PORE_CLOSURE_START_RELATIVE_DENSITY = 0.85
PORE_CLOSURE_END_RELATIVE_DENSITY = 0.92


def open_porosity_fraction(relative_density):
    """Fraction of a sintered layer's porosity that is open (reachable from its surface).

    Parameters
    ----------
    relative_density : float or array_like
        Relative density of the scaffold, 0..1 [-]

    Returns
    -------
    numpy.ndarray or float
        f_open, 0..1 [-] (1 below 85 % dense, 0 above 92 %)

    Notes
    -----
    f_open = clip((rho_c - rho) / (rho_c - rho_s), 0, 1) with rho_s = 0.85, rho_c = 0.92: pores close at
    the transition to final-stage sintering (linear shape: assumption).

    References
    ----------
    R. L. Coble, J. Appl. Phys. 32 (1961) 787; R. M. German, Sintering Theory and Practice (1996).

    Examples
    --------
    >>> print(round(float(open_porosity_fraction(0.885)), 3))
    0.5
    """
    density = check_fraction("relative_density", relative_density)
    span = PORE_CLOSURE_END_RELATIVE_DENSITY - PORE_CLOSURE_START_RELATIVE_DENSITY
    return np.clip((PORE_CLOSURE_END_RELATIVE_DENSITY - density) / span, 0.0, 1.0)


def infiltration_depth_m(time_s, pore_radius_m, viscosity_Pa_s, surface_tension_N_per_m, contact_angle_rad,
                         applied_pressure_Pa=0.0, tortuosity=1.5):
    """Depth a liquid (polymer melt or solution) reaches into a porous layer in a time (Washburn + Darcy).

    Parameters
    ----------
    time_s : float or array_like
        Infiltration time t, >= 0 [s]
    pore_radius_m : float or array_like
        Mean pore (throat) radius r [m]
    viscosity_Pa_s : float or array_like
        Viscosity of the melt or solution eta [Pa s]
    surface_tension_N_per_m : float or array_like
        Liquid surface tension gamma [N/m]
    contact_angle_rad : float or array_like
        Contact angle theta on the ceramic, < pi/2 for a wetting liquid [rad]
    applied_pressure_Pa : float or array_like
        Pressure difference driving the liquid in beyond capillarity (vacuum infiltration: ~1e5 Pa) [Pa]
    tortuosity : float or array_like
        Pore path length over layer depth tau, >= 1 [-]

    Returns
    -------
    numpy.ndarray or float
        Depth reached normal to the surface L [m]

    Notes
    -----
    Poiseuille flow in a capillary with the Laplace pressure 2 gamma cos(theta)/r plus the applied
    difference dP: (tau L)^2 = r^2 (dP + 2 gamma cos(theta)/r) t / (4 eta). With dP = 0 this is
    Washburn's law (tau L)^2 = r gamma cos(theta) t / (2 eta).

    References
    ----------
    E. W. Washburn, Phys. Rev. 17 (1921) 273; Hagen-Poiseuille flow (Bird, Stewart, Lightfoot 2002).

    Examples
    --------
    >>> print(round(float(infiltration_depth_m(60.0, 0.5e-6, 100.0, 0.035, 0.0, 0.0, 1.0)) * 1e6, 1))
    72.5
    """
    t = check_non_negative("time_s", time_s)
    r = check_positive("pore_radius_m", pore_radius_m)
    eta = check_positive("viscosity_Pa_s", viscosity_Pa_s)
    gamma = check_non_negative("surface_tension_N_per_m", surface_tension_N_per_m)
    theta = check_range("contact_angle_rad", contact_angle_rad, 0.0, np.pi / 2)
    pressure = check_non_negative("applied_pressure_Pa", applied_pressure_Pa)
    tau = check_range("tortuosity", tortuosity, 1.0)
    driving = pressure + 2.0 * gamma * np.cos(theta) / r
    return np.sqrt(r * r * driving * t / (4.0 * eta)) / tau


def filled_pore_fraction(depth_m, thickness_m, faces, relative_density, fill_per_cycle=1.0, cycles=1):
    """Fraction of a scaffold's pore volume the polymer fills after infiltration.

    Parameters
    ----------
    depth_m : float or array_like
        Depth the liquid reaches from each open face in one infiltration L [m]
    thickness_m : float or array_like
        Scaffold thickness h [m]
    faces : int
        Faces the liquid enters from, 1 or 2 [-]
    relative_density : float or array_like
        Scaffold relative density (sets its open porosity) [-]
    fill_per_cycle : float or array_like
        Pore volume fraction one cycle leaves as solid polymer: 1 for a melt, the solution's
        solids volume fraction for a solution (the solvent dries off) [-]
    cycles : int
        Infiltrate-and-dry cycles n [-]

    Returns
    -------
    numpy.ndarray or float
        Filled fraction of the total pore volume, 0..1 [-]

    Notes
    -----
    filled = f_open(rho) x min(1, faces L / h) x (1 - (1 - s)^n): only open pores are reached, to the
    depth the flow reaches, and each solution cycle fills a fraction s of the pore volume left.

    References
    ----------
    Mass balance; open porosity from :func:`open_porosity_fraction`; 2020 SSB roadmap §14.2.1 (back-fill).

    Examples
    --------
    >>> print(round(float(filled_pore_fraction(10e-6, 20e-6, 1, 0.80, 0.2, 3)), 3))
    0.244
    """
    depth = check_non_negative("depth_m", depth_m)
    thickness = check_positive("thickness_m", thickness_m)
    per_cycle = check_fraction("fill_per_cycle", fill_per_cycle)
    reached = np.minimum(1.0, faces * depth / thickness)
    return open_porosity_fraction(relative_density) * reached * (1.0 - (1.0 - per_cycle) ** cycles)


def backfilled_conductivity_S_per_m(scaffold_conductivity_S_per_m, polymer_conductivity_S_per_m, porosity,
                                    filled_fraction, exponent=1.5):
    """Conductivity of a ceramic scaffold whose pores are (partly) filled with a polymer electrolyte.

    Parameters
    ----------
    scaffold_conductivity_S_per_m : float or array_like
        The porous ceramic's own conductivity (empty pores) [S/m]
    polymer_conductivity_S_per_m : float or array_like
        Polymer conductivity at the operating temperature [S/m]
    porosity : float or array_like
        Scaffold porosity 1 - rho [-]
    filled_fraction : float or array_like
        Filled fraction of that porosity [-]
    exponent : float
        Bruggeman exponent of the polymer network n [-]

    Returns
    -------
    numpy.ndarray or float
        sigma_eff [S/m]

    Notes
    -----
    Parallel paths: sigma = sigma_scaffold + sigma_polymer (P f)^n. The polymer network in the pores
    conducts like a phase of volume fraction P f with Bruggeman's tortuosity (physics-notes §3.2).
    The polymer/garnet interface resistance is ignored (current is assumed to stay in each phase),
    so this is an upper bound; with a percolating ceramic the polymer adds little conductivity, its
    benefit is toughness and contact (roadmap §14.4: "ionic mobility traded for improved interfacial
    contact and toughness").

    References
    ----------
    Physics-notes §3.2 (Bruggeman exponent 1.5); 2020 SSB roadmap §14.2.1, §14.4.

    Examples
    --------
    >>> print(round(float(backfilled_conductivity_S_per_m(0.0, 1e-2, 0.36, 1.0)), 6))
    0.00216
    """
    scaffold = check_non_negative("scaffold_conductivity_S_per_m", scaffold_conductivity_S_per_m)
    polymer = check_non_negative("polymer_conductivity_S_per_m", polymer_conductivity_S_per_m)
    porosity = check_fraction("porosity", porosity)
    filled = check_fraction("filled_fraction", filled_fraction)
    return scaffold + polymer * (porosity * filled) ** exponent


__all__ = ["backfilled_conductivity_S_per_m", "filled_pore_fraction", "infiltration_depth_m",
           "open_porosity_fraction"]
