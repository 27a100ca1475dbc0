"""Li anode application: roll lamination (nip dwell, Li creep, contact, interface ASR) and evaporation."""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive, check_range
from process_models.constants import AVOGADRO_PER_MOL, BOLTZMANN_J_PER_K, GAS_CONSTANT_J_PER_MOL_K
from process_models.errors import PhysicsDomainError
from process_models.parameters import MaterialParameters, load_material


def _li_temperature(temperature_K, material):
    return check_range("temperature_K", temperature_K, 0.0, material["melting_point_K"], low_inclusive=False)


def nip_dwell_time_s(contact_length_m, line_speed_m_per_s):
    """Time a point of the web spends in the roll nip.

    Parameters
    ----------
    contact_length_m : float or array_like
        Nip contact length in the machine direction [m]
    line_speed_m_per_s : float or array_like
        Web speed [m/s]

    Returns
    -------
    numpy.ndarray or float
        Dwell time t_nip [s]

    Notes
    -----
    t_nip = contact length / line speed.

    References
    ----------
    physics-notes §6.1 (roll-pressing / lamination).

    Examples
    --------
    >>> print(float(nip_dwell_time_s(2e-3, 0.1)))
    0.02
    """
    length = check_positive("contact_length_m", contact_length_m)
    speed = check_positive("line_speed_m_per_s", line_speed_m_per_s)
    result = length / speed
    return result[()] if np.ndim(result) == 0 else result


def li_creep_strain(stress_Pa, dwell_time_s, temperature_K, material: MaterialParameters):
    """Creep strain accumulated by Li metal at constant stress (Norton power law).

    Parameters
    ----------
    stress_Pa : float or array_like
        Compressive stress sigma, >= 0 [Pa]
    dwell_time_s : float or array_like
        Time under stress t, >= 0 [s]
    temperature_K : float or array_like
        Li temperature, below the melting point [K]
    material : MaterialParameters
        ``load_material("li_metal")`` [-]

    Returns
    -------
    numpy.ndarray or float
        Creep strain epsilon [-]

    Notes
    -----
    epsilon = A (sigma / sigma_ref)^n exp(-Q / (R T)) t with n = 6.56, Q = 37 kJ/mol (Masias 2019,
    tagged [R]: constants quoted from memory, verify) and A set so that the rate is 5e-4 1/s at
    0.8 MPa and 298 K (assumption, li_metal.yaml).

    References
    ----------
    Masias et al., J. Mater. Sci. 54 (2019) 2585 [R]; physics-notes §6.1.

    Examples
    --------
    >>> print(round(float(li_creep_strain(0.8e6, 1.0, 298.15, load_material("li_metal"))), 6))
    0.0005
    """
    stress = check_non_negative("stress_Pa", stress_Pa)
    dwell = check_non_negative("dwell_time_s", dwell_time_s)
    temperature = _li_temperature(temperature_K, material)
    thermal = np.exp(-material["creep_activation_energy_J_per_mol"] / (GAS_CONSTANT_J_PER_MOL_K * temperature))
    if stress.ndim == 0 or np.ndim(thermal) or dwell.ndim:
        strain = material["creep_prefactor_per_s"] * (stress / material["creep_reference_stress_Pa"]) ** material[
            "creep_stress_exponent"] * thermal * dwell
        return strain[()] if np.ndim(strain) == 0 else strain
    # per-sheet stresses at one temperature and dwell (every sheet of every lamination lot): the same
    # operations in the same order, in place on one temporary
    strain = np.divide(stress, material["creep_reference_stress_Pa"], out=np.empty(stress.shape))
    np.power(strain, material["creep_stress_exponent"], out=strain)
    strain *= material["creep_prefactor_per_s"]
    strain *= thermal
    strain *= dwell
    return strain


def li_contact_fraction(pressure_Pa, temperature_K, dwell_time_s, material: MaterialParameters):
    """Real contact fraction between a pressed Li foil and the electrolyte.

    Parameters
    ----------
    pressure_Pa : float or array_like
        Nominal lamination pressure P, >= 0 [Pa]
    temperature_K : float or array_like
        Lamination temperature, below the Li melting point [K]
    dwell_time_s : float or array_like
        Time under pressure (nip dwell or press hold), >= 0 [s]
    material : MaterialParameters
        ``load_material("li_metal")`` [-]

    Returns
    -------
    numpy.ndarray or float
        Contact fraction in [f0, 1], non-decreasing in P, T and t [-]

    Notes
    -----
    Instantaneous plastic contact (Tabor): f_p = f0 + (1 - f0) min(1, P / H), H = 3 sigma_y.
    Asperity creep then closes the remaining gap: f = 1 - (1 - f_p) exp(-epsilon_creep(P, T, t) / epsilon_c),
    with epsilon_c the asperity-closure strain. A surrogate: f0 and epsilon_c are assumptions.

    References
    ----------
    Tabor 1951; Masias et al. 2019 [R]; Darnbrough & Armstrong, Batteries 10 (2024) 20 (contact-area
    growth under compression); physics-notes §6.1.

    Examples
    --------
    >>> print(round(float(li_contact_fraction(1e6, 298.15, 60.0, load_material("li_metal"))), 3))
    0.959
    """
    pressure = check_non_negative("pressure_Pa", pressure_Pa)
    initial = material["initial_contact_fraction"]
    hardness = material["hardness_to_yield_ratio"] * material["yield_strength_Pa"]
    strain = li_creep_strain(pressure, dwell_time_s, temperature_K, material)
    if pressure.ndim == 0 or np.shape(strain) != pressure.shape:
        plastic = initial + (1.0 - initial) * np.minimum(1.0, pressure / hardness)
        contact = 1.0 - (1.0 - plastic) * np.exp(-strain / material["asperity_closure_strain"])
        return contact[()] if np.ndim(contact) == 0 else contact
    # per-sheet pressures (every lamination lot): the same operations in place on two temporaries
    gap = np.divide(pressure, hardness, out=np.empty(pressure.shape))   # 1 - f_p = 1 - (f0 + (1 - f0) m)
    np.minimum(gap, 1.0, out=gap)
    gap *= 1.0 - initial
    gap += initial
    np.subtract(1.0, gap, out=gap)
    strain /= -material["asperity_closure_strain"]   # -(e / e_c): negating is exact
    np.exp(strain, out=strain)
    gap *= strain
    return np.subtract(1.0, gap, out=gap)


def li_interface_asr_ohm_m2(contact_fraction, material: MaterialParameters, full_contact_asr_ohm_m2=None,
                            pressure_Pa=None):
    """Li/electrolyte interface resistance from the real contact fraction (constriction).

    Parameters
    ----------
    contact_fraction : float or array_like
        Real contact fraction f in (0, 1] [-]
    material : MaterialParameters
        ``load_material("li_metal")`` [-]
    full_contact_asr_ohm_m2 : float or array_like, optional
        ASR at full contact; default 2 ohm cm^2 (clean garnet, Sharafi 2017 [R]). Other anchors
        (physics-notes §6.4): Li2CO3-covered garnet ~1710 ohm cm^2, ALD Al2O3 ~1 ohm cm^2
        (Han 2017 [R]), ZnO interlayer 10 ohm cm^2 (Zhou 2018) [ohm m^2]
    pressure_Pa : float or array_like, optional
        Pressure on the interface, > 0; None leaves the pressure term out (ASR at the reference
        pressure) [Pa]

    Returns
    -------
    numpy.ndarray or float
        Interface ASR [ohm m^2]

    Notes
    -----
    ASR = ASR_full / f * (P_ref / max(P, P_min))^m. R_int scales as the inverse recoverable contact
    area (exponent -1) and as P^-0.5 at a given contact geometry (constriction of the micro-contacts,
    which keep growing after the nominal contact has closed), both measured on electrode/Li6PS5Cl
    (arXiv 2501.00600, 2024/2025); m = 0.5. P_ref is the pressure the full-contact anchors stand
    for (assumption, li_metal.yaml); below P_min the foil only rests on the electrolyte and the
    contact fraction alone sets the ASR (assumption).

    References
    ----------
    arXiv 2501.00600 (constriction impedance); Sharafi et al., Chem. Mater. 2017 [R]; physics-notes §6.4.

    Examples
    --------
    >>> print(round(float(li_interface_asr_ohm_m2(0.5, load_material("li_metal"))) * 1e4, 2))  # ohm cm^2
    4.0
    """
    contact = check_fraction("contact_fraction", contact_fraction, allow_zero=False)
    if full_contact_asr_ohm_m2 is None:
        full = material["interface_asr_full_contact_ohm_m2"]
    else:
        full = check_positive("full_contact_asr_ohm_m2", full_contact_asr_ohm_m2)
    asr = full / contact
    if pressure_Pa is not None:
        pressure = np.maximum(check_non_negative("pressure_Pa", pressure_Pa), material["interface_asr_min_pressure_Pa"])
        asr = asr * (material["interface_asr_reference_pressure_Pa"] / pressure) ** material[
            "interface_asr_pressure_exponent"]
    return asr[()] if np.ndim(asr) == 0 else asr


def li_foil_min_thickness_m(width_m, material: MaterialParameters):
    """Thinnest free-standing Li foil of a given width a web line can unwind, guide and laminate.

    Parameters
    ----------
    width_m : float or array_like
        Foil (web) width, > 0 [m]
    material : MaterialParameters
        ``load_material("li_metal")`` [-]

    Returns
    -------
    numpy.ndarray or float
        Minimum foil thickness [m]; inf where no thickness keeps the edge below the allowed stress

    Notes
    -----
    The foil carries the web tension T' (N per m of width) as a membrane stress T'/t; roller
    misalignment adds a tension gradient across the web, E kappa w / 2 at the edge (kappa: strain
    gradient per m of width). The edge must stay below a fraction f of the yield strength, else the
    soft foil necks and tears:
    T'/t + E kappa w / 2 <= f sigma_y  =>  t_min = T' / (f sigma_y - E kappa w / 2).
    With sigma_y = 0.8 MPa (Masias 2019 [R]) and the web-handling assumptions of li_metal.yaml this
    gives ~17.5 um for a narrow foil and ~19 um at 1.3 m: rolled free-standing foil below
    ~17-20 um is not a scalable product (Burton et al., Nat. Energy 10, 2025: thermal evaporation is
    the only currently feasible scalable route for <= 17 um; CN111725496A, China Energy Lithium 2020:
    20 um rolled foil is hard to make, the strip breaks).

    References
    ----------
    Burton et al., Nat. Energy 10 (2025); Masias et al. 2019 [R]; physics-notes §6.2.

    Examples
    --------
    >>> print(round(float(li_foil_min_thickness_m(0.2, load_material("li_metal"))) * 1e6, 1))
    17.8
    """
    width = check_positive("width_m", width_m)
    allowed = material["foil_allowed_yield_fraction"] * material["yield_strength_Pa"]
    edge = material["youngs_modulus_Pa"] * material["web_misalignment_strain_per_m"] * width / 2.0
    margin = allowed - edge
    with np.errstate(divide="ignore"):
        result = np.where(margin > 0.0, material["foil_web_tension_N_per_m"] / np.where(margin > 0, margin, 1.0),
                          np.inf)
    return result[()] if np.ndim(result) == 0 else result


def li_vapour_pressure_Pa(temperature_K, material: MaterialParameters | None = None):
    """Li vapour pressure from a Clausius-Clapeyron fit to handbook points.

    Parameters
    ----------
    temperature_K : float or array_like
        Li temperature, 600-1400 K (fit range 797-1144 K) [K]
    material : MaterialParameters, optional
        ``load_material("li_metal")`` (default) [-]

    Returns
    -------
    numpy.ndarray or float
        Equilibrium vapour pressure [Pa]

    Notes
    -----
    ln p = A - B / T, A = 22.83, B = 18176 K (least squares through 1 Pa/797 K, 10 Pa/885 K,
    100 Pa/995 K, 1 kPa/1144 K).

    References
    ----------
    CRC Handbook (via physics-notes §6.3).

    Examples
    --------
    >>> print(round(float(li_vapour_pressure_Pa(885.0)), 1))
    9.9
    """
    material = load_material("li_metal") if material is None else material
    temperature = check_range("temperature_K", temperature_K, 600.0, 1400.0)
    pressure = np.exp(material["vapour_pressure_ln_prefactor_Pa"]
                      - material["vapour_pressure_temperature_K"] / temperature)
    return pressure[()] if np.ndim(pressure) == 0 else pressure


def li_evaporation_rate_m_per_s(source_temperature_K, geometry_factor=1.0, material=None):
    """Thickness rate of Li deposited by thermal evaporation (Hertz-Knudsen).

    Parameters
    ----------
    source_temperature_K : float or array_like
        Li source (melt) temperature, 600-1400 K [K]
    geometry_factor : float or array_like
        Fraction of the source recession rate arriving on the substrate, A_src cos cos/(pi d^2);
        1 gives the source-surface recession rate [-]
    material : MaterialParameters, optional
        ``load_material("li_metal")`` (default) [-]

    Returns
    -------
    numpy.ndarray or float
        Dense Li thickness rate [m/s]

    Notes
    -----
    J = alpha p(T) / sqrt(2 pi m k_B T) [atoms/(m^2 s)]; rate = g J m / rho_Li. With alpha = 1 the
    source recedes 0.76 um/s at 797 K, 7.3 at 885 K, 68 at 995 K (physics-notes §6.3).

    References
    ----------
    Hertz-Knudsen equation; physics-notes §6.3.

    Examples
    --------
    >>> print(round(float(li_evaporation_rate_m_per_s(885.0)) * 1e6, 1))
    7.2
    """
    material = load_material("li_metal") if material is None else material
    temperature = check_range("source_temperature_K", source_temperature_K, 600.0, 1400.0)
    geometry = check_fraction("geometry_factor", geometry_factor)
    atom_mass = material["molar_mass_kg_per_mol"] / AVOGADRO_PER_MOL
    pressure = li_vapour_pressure_Pa(temperature, material)
    flux = material["evaporation_coefficient"] * pressure / np.sqrt(
        2.0 * np.pi * atom_mass * BOLTZMANN_J_PER_K * temperature)
    rate = geometry * flux * atom_mass / material["density_kg_per_m3"]
    if np.any(~np.isfinite(rate)):
        raise PhysicsDomainError("li_evaporation_rate_m_per_s produced a non-finite rate")
    return rate[()] if np.ndim(rate) == 0 else rate
