"""Polymer electrolytes (PEO-LiTFSI): temperature-dependent conductivity, solvent-cast films, composites.

PEO-LiTFSI conducts through the segmental motion of its amorphous phase, so its conductivity follows a
Vogel-Tammann-Fulcher (VTF) law rather than Arrhenius, and drops by an order of magnitude or more below
the melting point of crystalline PEO (2020 SSB roadmap §10, §14.2.1; physics-notes §3.2 for the Bruggeman
connectivity factor). Composites of polymer and ceramic phases are treated with Bruggeman's symmetric
effective-medium approximation.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_positive, check_range
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K


def vtf_conductivity_S_per_m(temperature_K, material):
    """Ionic conductivity of a polymer electrolyte at a temperature (VTF, with crystallinity below melting).

    Parameters
    ----------
    temperature_K : float or array_like
        Operating temperature T, above the ideal glass temperature T0 [K]
    material : MaterialParameters
        Polymer with ``dense_conductivity_S_per_m`` (sigma_ref, amorphous, at
        ``conductivity_reference_temperature_K``), ``vtf_pseudo_activation_K`` (B),
        ``vtf_ideal_glass_temperature_K`` (T0), ``melting_temperature_K`` (Tm),
        ``crystalline_fraction_below_melting`` (chi_c) and ``porosity_exponent`` (n) [-]

    Returns
    -------
    numpy.ndarray or float
        sigma(T) [S/m]

    Notes
    -----
    sigma = sigma_ref exp(-B/(T - T0) + B/(T_ref - T0)) x f_c, with f_c = 1 at or above Tm and
    f_c = (1 - chi_c)^n below it: the crystalline spherulites do not conduct and the amorphous phase
    percolates around them (Bruggeman exponent n). The VTF form is the standard description of
    amorphous polymer electrolytes (Vogel 1921, Tammann & Hesse 1926, Fulcher 1925; Armand 1983).

    References
    ----------
    2020 SSB roadmap §14.2.1 (PEO-LiTFSI ~1e-4 S/cm at 60 C); parameter sources in
    ``process_models/parameters/peo_litfsi.yaml``.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> print(f"{float(vtf_conductivity_S_per_m(333.15, load_material('peo_litfsi'))):.2e}")
    1.00e-02
    """
    t0 = material["vtf_ideal_glass_temperature_K"]
    temperature = check_range("temperature_K", temperature_K, t0, np.inf, low_inclusive=False)
    b = material["vtf_pseudo_activation_K"]
    reference = material["conductivity_reference_temperature_K"]
    sigma = material["dense_conductivity_S_per_m"] * np.exp(b / (reference - t0) - b / (temperature - t0))
    crystalline = (1.0 - material["crystalline_fraction_below_melting"]) ** material["porosity_exponent"]
    return sigma * np.where(temperature < material["melting_temperature_K"], crystalline, 1.0)


def arrhenius_conductivity_S_per_m(temperature_K, material):
    """Conductivity of a ceramic filler at a temperature (Arrhenius about its reference temperature).

    Parameters
    ----------
    temperature_K : float or array_like
        Temperature T [K]
    material : MaterialParameters
        Ceramic with ``dense_conductivity_S_per_m`` (sigma_ref at ``conductivity_reference_temperature_K``)
        and ``conductivity_activation_energy_J_per_mol`` (Ea) [-]

    Returns
    -------
    numpy.ndarray or float
        sigma(T) [S/m]

    Notes
    -----
    sigma = sigma_ref exp(-Ea/R (1/T - 1/T_ref)); the sigma T form differs by < 12 % over 25-60 C and is not
    used because the sources quote Ea of sigma.

    References
    ----------
    Arrhenius law of ionic conduction; LAGP values in ``process_models/parameters/lagp.yaml``.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> print(f"{float(arrhenius_conductivity_S_per_m(298.15, load_material('lagp'))):.2f}")
    0.04
    """
    temperature = check_positive("temperature_K", temperature_K)
    activation = material["conductivity_activation_energy_J_per_mol"] / GAS_CONSTANT_J_PER_MOL_K
    return material["dense_conductivity_S_per_m"] * np.exp(
        -activation * (1.0 / temperature - 1.0 / material["conductivity_reference_temperature_K"]))


def bruggeman_conductivity_S_per_m(sigma_a_S_per_m, sigma_b_S_per_m, fraction_a):
    """Effective conductivity of a random two-phase composite (Bruggeman symmetric effective medium).

    Parameters
    ----------
    sigma_a_S_per_m, sigma_b_S_per_m : float or array_like
        Conductivities of the two phases, >= 0 [S/m]
    fraction_a : float or array_like
        Volume fraction of phase a, 0..1 (phase b fills the rest) [-]

    Returns
    -------
    numpy.ndarray or float
        sigma_eff [S/m]

    Notes
    -----
    Spherical inclusions: phi (s_a - s)/(s_a + 2 s) + (1 - phi)(s_b - s)/(s_b + 2 s) = 0, whose positive
    root is s = (beta + sqrt(beta^2 + 8 s_a s_b)) / 4 with beta = (3 phi - 1) s_a + (2 - 3 phi) s_b
    (Bruggeman, Ann. Phys. 1935; Landauer, J. Appl. Phys. 1952). With an insulating phase b the
    conducting phase percolates at phi = 1/3. Interfacial (space-charge) resistance between the phases
    is not included: a Li+ that crosses from polymer to garnet meets a large interface resistance
    (roadmap §14.4), so the value is an upper bound when both phases carry current.

    References
    ----------
    D. A. G. Bruggeman, Ann. Phys. 416 (1935) 636; R. Landauer, J. Appl. Phys. 23 (1952) 779.

    Examples
    --------
    >>> print(float(bruggeman_conductivity_S_per_m(1.0, 0.0, 0.5)))
    0.25
    """
    sigma_a = check_range("sigma_a_S_per_m", sigma_a_S_per_m, 0.0)
    sigma_b = check_range("sigma_b_S_per_m", sigma_b_S_per_m, 0.0)
    phi = check_fraction("fraction_a", fraction_a)
    beta = (3.0 * phi - 1.0) * sigma_a + (2.0 - 3.0 * phi) * sigma_b
    return (beta + np.sqrt(beta * beta + 8.0 * sigma_a * sigma_b)) / 4.0


def solvent_per_film_kg_per_m2(dry_thickness_m, film_density_kg_per_m3, solids_mass_fraction):
    """Solvent cast (and evaporated) per m2 of a solvent-cast polymer film.

    Parameters
    ----------
    dry_thickness_m : float or array_like
        Dry film thickness h [m]
    film_density_kg_per_m3 : float or array_like
        Dense film density rho_f [kg/m^3]
    solids_mass_fraction : float or array_like
        Polymer + salt mass fraction of the casting solution w, 0 < w <= 1 [-]

    Returns
    -------
    numpy.ndarray or float
        m_solvent [kg/m^2]

    Notes
    -----
    Mass balance: the film's mass rho_f h is a fraction w of the solution cast, so the solvent is
    rho_f h (1 - w) / w. PEO-LiTFSI is typically cast from acetonitrile at 5-10 wt% solids (assumption:
    common laboratory practice; viscosity limits the solids a doctor blade can spread).

    References
    ----------
    Mass balance of a solution cast; 2020 SSB roadmap §14.2.1 (solvent-cast PEO-LiTFSI films).

    Examples
    --------
    >>> print(round(float(solvent_per_film_kg_per_m2(50e-6, 1200.0, 0.1)), 3))
    0.54
    """
    thickness = check_positive("dry_thickness_m", dry_thickness_m)
    density = check_positive("film_density_kg_per_m3", film_density_kg_per_m3)
    w = check_range("solids_mass_fraction", solids_mass_fraction, 0.0, 1.0, low_inclusive=False)
    return density * thickness * (1.0 - w) / w


__all__ = ["arrhenius_conductivity_S_per_m", "bruggeman_conductivity_S_per_m", "solvent_per_film_kg_per_m2",
           "vtf_conductivity_S_per_m"]
