"""Cell-level metrics: Li and cathode areal capacity, a composite cathode's utilisation, stack energy, CCD surrogate."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from process_models._domain_checks import (
    check_fraction,
    check_non_negative,
    check_positive,
    check_range,
    require_kind,
)
from process_models._powers import power
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K, LI_THICKNESS_M_PER_MAH_PER_CM2
from process_models.errors import PhysicsDomainError
from process_models.parameters import MaterialParameters


def li_thickness_for_capacity_m(areal_capacity_mAh_per_cm2):
    """Dense Li metal thickness holding a given areal capacity.

    Parameters
    ----------
    areal_capacity_mAh_per_cm2 : float or array_like
        Areal capacity [mAh/cm^2]

    Returns
    -------
    numpy.ndarray or float
        Li thickness [m]

    Notes
    -----
    L = q V_m / F: 1 mAh/cm^2 = 4.85 um of Li.

    References
    ----------
    physics-notes §0 (Faraday's law); Burton et al., Nat. Energy 10 (2025): <= 17 um for 1000 Wh/L.

    Examples
    --------
    >>> print(round(float(li_thickness_for_capacity_m(3.5)) * 1e6, 2))
    16.97
    """
    capacity = check_non_negative("areal_capacity_mAh_per_cm2", areal_capacity_mAh_per_cm2)
    result = capacity * LI_THICKNESS_M_PER_MAH_PER_CM2
    return result[()] if np.ndim(result) == 0 else result


def cathode_areal_capacity_mAh_per_cm2(thickness_m, active_volume_fraction, active_density_kg_per_m3,
                                       specific_capacity_mAh_per_g, relative_density=1.0):
    """Areal capacity of a composite cathode layer.

    Parameters
    ----------
    thickness_m : float or array_like
        Cathode layer thickness L [m]
    active_volume_fraction : float or array_like
        Active-material fraction of the solid volume phi_am [-]
    active_density_kg_per_m3 : float or array_like
        Active-material density rho_am [kg/m^3]
    specific_capacity_mAh_per_g : float or array_like
        Practical specific capacity q [mAh/g]
    relative_density : float or array_like
        Solid fraction of the layer (1 - porosity) [-]

    Returns
    -------
    numpy.ndarray or float
        Areal capacity [mAh/cm^2]

    Notes
    -----
    Q_A = L rho_rel phi_am rho_am q; with L in m, rho in kg/m^3 and q in mAh/g the factor
    1000 g/kg / 1e4 cm^2/m^2 = 0.1 gives mAh/cm^2.

    References
    ----------
    2020 SSB roadmap §14.2.3 (composite cathodes 30-150 um).

    Examples
    --------
    >>> print(round(float(cathode_areal_capacity_mAh_per_cm2(60e-6, 0.6, 4750.0, 200.0, 0.95)), 2))
    3.25
    """
    thickness = check_positive("thickness_m", thickness_m)
    fraction = check_fraction("active_volume_fraction", active_volume_fraction)
    density = check_positive("active_density_kg_per_m3", active_density_kg_per_m3)
    capacity = check_non_negative("specific_capacity_mAh_per_g", specific_capacity_mAh_per_g)
    solid = check_fraction("relative_density", relative_density)
    # scalars first: two passes over the sheets instead of five
    result = thickness * (0.1 * fraction * density * capacity) * solid
    return result[()] if np.ndim(result) == 0 else result


def composite_cathode_utilisation(relative_density, percolation_relative_density,
                                  full_utilisation_relative_density, exponent=1.0):
    """Share of a dry composite cathode's active material that cycles (its accessible capacity / stored).

    Parameters
    ----------
    relative_density : float or array_like
        Solid fraction of the composite cathode layer (1 - porosity) [-]
    percolation_relative_density : float or array_like
        Relative density at and below which no active particle is reached by both a percolating ionic
        (solid electrolyte) and electronic path: the particulate, point-contact packing [-]
    full_utilisation_relative_density : float or array_like
        Relative density at and above which every active particle is connected, above the threshold [-]
    exponent : float or array_like
        Shape of the rise between the two, > 0 (1: linear) [-]

    Returns
    -------
    numpy.ndarray or float
        Utilisation u in [0, 1] [-]; non-decreasing in ``relative_density``

    Notes
    -----
    u = clip((rho - rho_c) / (rho_full - rho_c), 0, 1)^k.

    Empty pores cut the ionic and electronic paths through a solid composite: the accessible capacity of
    an all-solid-state composite cathode falls with porosity (Bielefeld et al., J. Phys. Chem. C 123 (2019)
    1626, percolation of the active particles' ionic and electronic contacts; Minnmann et al.,
    J. Electrochem. Soc. 168 (2021) 040537: composite cathodes at 7.6-17 % porosity, "porosity has a major
    influence"). At the green packing (relative density ~0.6) a particulate solid barely percolates
    (physics-notes §3.2: sigma -> 0 near 0.6-0.65). The parameters per material are in its parameter file
    (``utilisation_*``); a layer whose pores a liquid or polymer fills is not limited by this law.

    References
    ----------
    Bielefeld et al. 2019; Minnmann et al. 2021; physics-notes §3.2; 2020 SSB roadmap §14.3.

    Examples
    --------
    >>> print(float(composite_cathode_utilisation(0.75, 0.6, 0.9)))
    0.5
    >>> composite_cathode_utilisation([0.5, 0.95], 0.6, 0.9).tolist()
    [0.0, 1.0]
    """
    density = check_fraction("relative_density", relative_density)
    threshold = check_fraction("percolation_relative_density", percolation_relative_density)
    full = check_fraction("full_utilisation_relative_density", full_utilisation_relative_density, allow_zero=False)
    if np.any(full <= threshold):
        raise PhysicsDomainError(
            f"full_utilisation_relative_density {np.min(full):g} must be above percolation_relative_density "
            f"{np.max(threshold):g}")
    shape = check_positive("exponent", exponent)
    connected = np.minimum(np.maximum((density - threshold) / (full - threshold), 0.0), 1.0)
    if np.ndim(shape) == 0:
        result = connected if shape == 1.0 else power(connected, float(shape))
    else:
        result = connected ** shape
    return result[()] if np.ndim(result) == 0 else result


def cell_stack_metrics(repeat_unit_layers: Sequence[tuple], cell_area_m2, repeat_units_per_cell,
                       areal_capacity_mAh_per_cm2, average_voltage_V, packaging_mass_fraction=0.0,
                       packaging_thickness_m=0.0) -> dict:
    """Energy, specific energy and energy density of a stacked cell.

    Parameters
    ----------
    repeat_unit_layers : sequence of (thickness_m, density_kg_per_m3)
        Layers of one repeat unit (current collectors, cathode, electrolyte, Li...), each thickness
        and effective (porosity-included) density; arrays broadcast [m], [kg/m^3]
    cell_area_m2 : float or array_like
        Active area of one layer [m^2]
    repeat_units_per_cell : int or array_like
        Number of repeat units (each with one cathode of the given capacity) [-]
    areal_capacity_mAh_per_cm2 : float or array_like
        Limiting (cathode) areal capacity per repeat unit [mAh/cm^2]
    average_voltage_V : float or array_like
        Average discharge voltage [V]
    packaging_mass_fraction : float or array_like
        Fraction of total cell mass in tabs, pouch, end plates [-]
    packaging_thickness_m : float or array_like
        Thickness added by packaging over the stack area [m]

    Returns
    -------
    dict of numpy.ndarray
        ``energy_Wh`` [Wh], ``mass_kg`` [kg], ``volume_m3`` [m^3], ``specific_energy_Wh_per_kg``
        [Wh/kg], ``energy_density_Wh_per_L`` [Wh/L]

    Notes
    -----
    E = N A Q_A V (A in cm^2, /1000 for Wh); m = N A sum_i L_i rho_i / (1 - f_pack);
    V = A (N sum_i L_i + L_pack).

    References
    ----------
    Burton et al., Nat. Energy 10 (2025) (Li thickness vs Wh/L); 2020 SSB roadmap §14.2.2.

    Examples
    --------
    >>> layers = [(10e-6, 8960.0), (80e-6, 3500.0), (25e-6, 5100.0), (17e-6, 534.0)]
    >>> m = cell_stack_metrics(layers, 0.01, 20, 3.5, 3.8)
    >>> print(round(float(m["specific_energy_Wh_per_kg"])))
    263
    """
    if len(repeat_unit_layers) == 0:
        raise PhysicsDomainError("repeat_unit_layers must hold at least one (thickness_m, density) layer")
    area = check_positive("cell_area_m2", cell_area_m2)
    units = check_positive("repeat_units_per_cell", repeat_units_per_cell)
    capacity = check_non_negative("areal_capacity_mAh_per_cm2", areal_capacity_mAh_per_cm2)
    voltage = check_positive("average_voltage_V", average_voltage_V)
    packaging_mass = check_range("packaging_mass_fraction", packaging_mass_fraction, 0.0, 1.0,
                                 high_inclusive=False)
    packaging_thickness = check_non_negative("packaging_thickness_m", packaging_thickness_m)
    unit_thickness = 0.0
    unit_areal_mass = 0.0
    for index, (thickness, density) in enumerate(repeat_unit_layers):
        thickness = check_non_negative(f"repeat_unit_layers[{index}] thickness_m", thickness)
        density = check_non_negative(f"repeat_unit_layers[{index}] density_kg_per_m3", density)
        unit_thickness = unit_thickness + thickness
        unit_areal_mass = unit_areal_mass + thickness * density
    energy = units * area * 1e4 * capacity * voltage / 1000.0
    mass = units * area * unit_areal_mass / (1.0 - packaging_mass)
    volume = area * (units * unit_thickness + packaging_thickness)
    return {
        "energy_Wh": energy,
        "mass_kg": mass,
        "volume_m3": volume,
        "specific_energy_Wh_per_kg": energy / mass,
        "energy_density_Wh_per_L": energy / (volume * 1000.0),
    }


def critical_current_density_A_per_m2(interface_asr_ohm_m2, stack_pressure_Pa, relative_density,
                                      material: MaterialParameters, temperature_K=298.15):
    """Critical current density from interface state, stack pressure, electrolyte density and temperature.

    Parameters
    ----------
    interface_asr_ohm_m2 : float or array_like
        Li/electrolyte interface ASR [ohm m^2]
    stack_pressure_Pa : float or array_like
        Stack pressure during cycling, >= 0 [Pa]
    relative_density : float or array_like
        Electrolyte relative density [-]
    material : MaterialParameters
        Electrolyte (garnet or sulphide) with ``ccd_*`` and ``percolation_relative_density`` [-]
    temperature_K : float or array_like
        Cycling temperature, 200-453 K (Li melts at 453.6 K) [K]

    Returns
    -------
    numpy.ndarray or float
        CCD [A/m^2] (1 mA/cm^2 = 10 A/m^2)

    Notes
    -----
    SURROGATE; the factors multiply, so every one of them moves the CCD at any pressure (the earlier
    min(interface, density) form let the interface term win at every lab pressure):
    CCD = CCD_0 exp(-ASR/ASR_c) (1 + (P/P_c)^k) exp(-Q/R (1/T - 1/T_ref)) g(rho),
    g(rho) = clip((rho - rho_c)/(1 - rho_c), 0, 1)^k_m.

    * interface state: Flatscher et al. 2020 (CCD falls exponentially with the interface ASR, at most
      0.28 mA/cm^2 without pressure on single crystals);
    * stack pressure: CCD_0 = 0.1 mA/cm^2 without pressure (2020 SSB roadmap §2, Krauskopf 2019),
      P_c = 3 MPa and k = 2.59 through 0.2 and 1.0 mA/cm^2 at 3 and 7 MPa (Kasemchainan 2019 [R]);
    * temperature: the stripping CCD is set by how fast Li creeps to the interface (2020 SSB roadmap
      §2.3.1; physics-notes §6.1: interface velocity j V_m / F), so it follows the Li creep
      activation energy Q = 37 kJ/mol (Masias 2019 [R]); CCD rises with temperature (Wang,
      Wolfenstine, Sakamoto, "Temperature dependent flux balance of the Li/LLZO interface", 2019);
    * density and pore structure: pores connected through the layer are the Li paths (Shen et al.,
      ACS Energy Lett. 2018); g is the connected-solid fraction above the percolation density with
      exponent k_m (assumption, see the material file); g = 1 for a dense layer, 0 at percolation.

    References
    ----------
    Flatscher et al., J. Mater. Chem. A 8 (2020) 15782; 2020 SSB roadmap §2; Kasemchainan et al.,
    Nat. Mater. 18 (2019) 1105 [R]; Masias et al. 2019 [R]; Shen et al. 2018; physics-notes §7.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> ccd = critical_current_density_A_per_m2(0.0, 0.0, 1.0, load_material("llzo_ga"))
    >>> print(round(float(ccd) / 10, 3))  # mA/cm^2
    0.1
    """
    require_kind(material, ("garnet", "sulphide"), "critical_current_density_A_per_m2")
    asr = check_non_negative("interface_asr_ohm_m2", interface_asr_ohm_m2)
    pressure = check_non_negative("stack_pressure_Pa", stack_pressure_Pa)
    density = check_fraction("relative_density", relative_density, allow_zero=False)
    temperature = check_range("temperature_K", temperature_K, 200.0, 453.0)
    # in place, scalar factors first: this runs for every sheet a stacker handles
    result = np.multiply(asr, -1.0 / material["ccd_interface_asr_scale_ohm_m2"], out=np.empty(np.shape(asr)))
    np.exp(result, out=result)
    activation = material["ccd_activation_energy_J_per_mol"] / GAS_CONSTANT_J_PER_MOL_K
    thermal = np.exp(-activation * (1.0 / temperature - 1.0 / material["ccd_reference_temperature_K"]))
    # pressure and temperature may be per sheet too: this product broadcasts
    result = result * (material["ccd_zero_pressure_A_per_m2"] * thermal * (
        1.0 + (pressure / material["ccd_pressure_scale_Pa"]) ** material["ccd_pressure_exponent"]))
    threshold = material["percolation_relative_density"]
    connected = np.subtract(density, threshold, out=np.empty(np.shape(density)))
    connected /= 1.0 - threshold
    np.maximum(connected, 0.0, out=connected)
    np.minimum(connected, 1.0, out=connected)
    result = result * power(connected, material["ccd_microstructure_exponent"])
    return result[()] if np.ndim(result) == 0 else result
