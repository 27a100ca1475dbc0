"""Effective ionic conductivity of a sintered or pressed electrolyte layer, and its ohmic ASR."""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive, require_kind
from process_models._powers import power
from process_models.parameters import MaterialParameters

_minimum_reduce = np.minimum.reduce   # the ufunc's reduction without ndarray.min's Python layer

ELECTROLYTE_KINDS = ("garnet", "sulphide", "polymer", "glass")


def _common_shape(*shapes) -> tuple:
    # np.broadcast_shapes costs ~2 us a call in Python; per-sheet inputs of one unit share one shape
    first = shapes[0]
    if all(shape == first or shape == () for shape in shapes):
        return first if first != () else max(shapes, key=len)
    return np.broadcast_shapes(*shapes)


def porosity_conductivity_factor(relative_density, percolation_relative_density, porosity_exponent):
    """Conductivity reduction by porosity, a percolation form of Archie's law.

    Parameters
    ----------
    relative_density : float or array_like
        Relative density rho in (0, 1] [-]
    percolation_relative_density : float
        Density rho_c at which the solid network stops conducting [-]
    porosity_exponent : float
        Archie/Bruggeman exponent m [-]

    Returns
    -------
    numpy.ndarray or float
        sigma_eff / sigma_dense in [0, 1] [-]

    Notes
    -----
    f = ((rho - rho_c) / (1 - rho_c))^m for rho > rho_c, else 0. With rho_c = 0.60 and m = 1.5
    (Bruggeman) a 95 % dense film keeps 0.82 of the dense conductivity: 1.6 mS/cm dense cubic
    LLZO (Parascos 2022) gives 1.31 mS/cm, matching Yi 2017 (1.3 +- 0.1 mS/cm at 95 %). The
    LLZO exponential law exp(-P/2.62 %) (physics-notes §3.2) is not used: its abstract is ambiguous
    and would predict 0.15 at 5 % porosity, contradicting Yi 2017.

    References
    ----------
    Archie 1942; Bruggeman 1935; physics-notes §3.2; Yi et al. 2017.

    Examples
    --------
    >>> print(round(float(porosity_conductivity_factor(0.95, 0.60, 1.5)), 3))
    0.818
    """
    density = check_fraction("relative_density", relative_density, allow_zero=False)
    threshold = float(check_fraction("percolation_relative_density", percolation_relative_density))
    exponent = float(check_positive("porosity_exponent", porosity_exponent))
    # in place on the one temporary: this runs for every sheet of every firing
    connected = np.subtract(density, threshold, out=np.empty(density.shape))
    connected /= 1.0 - threshold
    np.maximum(connected, 0.0, out=connected)
    np.minimum(connected, 1.0, out=connected)
    factor = power(connected, exponent)
    return factor[()] if np.ndim(factor) == 0 else factor


def ionic_conductivity_S_per_m(relative_density, cubic_fraction, tetragonal_fraction, pyrochlore_fraction,
                               material: MaterialParameters, grain_size_m=None, conductivity_factor=1.0):
    """Effective room-temperature ionic conductivity of an electrolyte layer.

    Parameters
    ----------
    relative_density : float or array_like
        Relative density of the layer [-]
    cubic_fraction : float or array_like
        Volume fraction of the fast-conducting (cubic garnet or single) phase [-]
    tetragonal_fraction : float or array_like
        Volume fraction of tetragonal garnet (~1e-6 S/cm) [-]
    pyrochlore_fraction : float or array_like
        Volume fraction of insulating La2Zr2O7 [-]
    material : MaterialParameters
        Electrolyte (garnet, sulphide or polymer) with ``dense_conductivity_S_per_m``,
        ``percolation_relative_density``, ``porosity_exponent`` [-]
    grain_size_m : float or array_like, optional
        Grain size G for the brick-layer grain-boundary term; None omits it [m]
    conductivity_factor : float or array_like
        Extra multiplier, e.g. ``reprecipitation_conductivity_factor`` of Li6PS5Cl [-]

    Returns
    -------
    numpy.ndarray or float
        sigma_eff [S/m]

    Notes
    -----
    sigma_solid = (x_c sigma_c + x_t sigma_t) / (x_c + x_t) * (1 - x_p)^1.5 (conducting phases in
    parallel; Bruggeman for the insulating pyrochlore);
    1/sigma_grain = 1/sigma_solid + r_gb / G (series brick layer, r_gb = delta_gb / sigma_gb);
    sigma_eff = factor * sigma_grain * ((rho - rho_c)/(1 - rho_c))^m.

    References
    ----------
    physics-notes §3.1-3.4; Parascos et al. 2022; Awaka et al. 2009; Yi et al. 2017.

    Examples
    --------
    >>> from process_models.parameters import load_material
    >>> s = ionic_conductivity_S_per_m(0.95, 1.0, 0.0, 0.0, load_material("llzo_ga"))
    >>> print(round(float(s) * 10, 2))  # mS/cm
    1.31
    """
    require_kind(material, ELECTROLYTE_KINDS, "ionic_conductivity_S_per_m")
    cubic = check_fraction("cubic_fraction", cubic_fraction)
    tetragonal = check_fraction("tetragonal_fraction", tetragonal_fraction)
    pyrochlore = check_fraction("pyrochlore_fraction", pyrochlore_fraction)
    factor = check_non_negative("conductivity_factor", conductivity_factor)
    sigma_cubic = material["dense_conductivity_S_per_m"]
    sigma_tetragonal = material.get("tetragonal_conductivity_S_per_m", 0.0)
    conducting = cubic + tetragonal
    mixture = cubic * sigma_cubic
    mixture += tetragonal * sigma_tetragonal
    # no conducting phase left: 0, without dividing 0 by 0 (no warning to silence)
    # the output has the broadcast shape of every input, so the products below can work in place
    shape = _common_shape(cubic.shape, tetragonal.shape, pyrochlore.shape, factor.shape,
                          np.shape(relative_density))
    if conducting.shape == shape and conducting.ndim and conducting.size and _minimum_reduce(conducting) > 0.0:
        # every sheet has a conducting phase (the usual unit): a plain division, into the sum's array
        sigma_solid = np.divide(mixture, conducting, out=conducting)
    else:
        sigma_solid = np.divide(mixture, conducting, out=np.zeros(shape), where=conducting > 0.0)
    # 1 - x_p into the mixture's array, free once divided (per-sheet inputs of one shape)
    reuse = isinstance(mixture, np.ndarray) and mixture.ndim and mixture.shape == pyrochlore.shape
    solid = np.subtract(1.0, pyrochlore, out=mixture if reuse else None)
    sigma_solid *= power(solid, 1.5)
    if grain_size_m is not None:
        grain = check_positive("grain_size_m", grain_size_m)
        resistivity_gb = material["grain_boundary_specific_resistance_ohm_m2"] / grain
        with np.errstate(divide="ignore"):
            sigma_solid = np.where(sigma_solid > 0.0, 1.0 / (1.0 / sigma_solid + resistivity_gb), 0.0)
    porosity_factor = porosity_conductivity_factor(
        relative_density, material["percolation_relative_density"], material["porosity_exponent"])
    if factor.ndim or factor != 1.0:   # x 1 changes no bit: no pass over the sheets for the neutral factor
        sigma_solid *= factor
    sigma_solid *= porosity_factor
    return sigma_solid[()] if sigma_solid.ndim == 0 else sigma_solid


def area_specific_resistance_ohm_m2(thickness_m, conductivity_S_per_m):
    """Ohmic area-specific resistance of a layer.

    Parameters
    ----------
    thickness_m : float or array_like
        Layer thickness L [m]
    conductivity_S_per_m : float or array_like
        Effective ionic conductivity sigma, >= 0 (0 gives inf) [S/m]

    Returns
    -------
    numpy.ndarray or float
        ASR = L / sigma [ohm m^2]

    Notes
    -----
    ASR = L / sigma; 25 um at 1.3 mS/cm gives 1.9 ohm cm^2 = 1.9e-4 ohm m^2 (Yi 2017: ~2 ohm cm^2).

    References
    ----------
    physics-notes §0; Yi et al., J. Power Sources 2017.

    Examples
    --------
    >>> print(round(float(area_specific_resistance_ohm_m2(25e-6, 0.13)) * 1e4, 2))  # ohm cm^2
    1.92
    """
    thickness = check_positive("thickness_m", thickness_m)
    sigma = check_non_negative("conductivity_S_per_m", conductivity_S_per_m)
    # no conduction: infinite resistance, without dividing by zero
    if sigma.size and sigma.ndim and sigma.shape == thickness.shape and _minimum_reduce(sigma) > 0.0:
        asr = np.divide(thickness, sigma)   # every layer conducts (the usual unit): no mask, no fill
    else:
        asr = np.divide(thickness, sigma, out=np.full(_common_shape(thickness.shape, sigma.shape), np.inf),
                        where=sigma > 0.0)
    return asr[()] if asr.ndim == 0 else asr
