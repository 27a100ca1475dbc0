"""Batch slurry mixing: slurry mass, number of mixer batches, mixing energy and material loss (SI units).

A layer's solids are dispersed at a solids mass fraction w: slurry = solids / w. A load of slurry M is
mixed in ceil(M / batch size) batches; the mixer draws a specific energy e per kg of slurry (energy = e M).
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive, check_range


def slurry_kg(solids_kg, solids_mass_fraction):
    """Slurry mass that carries a mass of solids [kg].

    Parameters
    ----------
    solids_kg : float or array_like
        Solids (active material, binder, carbon) to disperse, >= 0 [kg]
    solids_mass_fraction : float or array_like
        Solids loading of the slurry, w in (0, 1] [-]

    Returns
    -------
    numpy.ndarray
        Slurry mass M = solids / w [kg]

    Notes
    -----
    Mass balance of the dispersion.

    References
    ----------
    Kaiser et al., Chem. Ing. Tech. 86 (2014) 695 (electrode slurry processing; from memory [R]).

    Examples
    --------
    >>> print(round(float(slurry_kg(6.76, 0.676)), 6))
    10.0
    """
    solids = check_non_negative("solids_kg", solids_kg)
    return solids / check_fraction("solids_mass_fraction", solids_mass_fraction, allow_zero=False)


def mixer_batches(load_slurry_kg, batch_size_kg):
    """Whole mixer batches a load of slurry needs [-].

    Parameters
    ----------
    load_slurry_kg : float or array_like
        Slurry of one station load, >= 0 [kg]
    batch_size_kg : float or array_like
        Slurry one mixer batch holds, > 0 [kg]

    Returns
    -------
    numpy.ndarray
        n = max(1, ceil(M / batch size)) [-]

    Notes
    -----
    A part-filled last batch takes a whole mixing cycle.

    References
    ----------
    Assumption of the batch count (whole batches).

    Examples
    --------
    >>> print(mixer_batches([1.0, 2000.0, 2000.5], 2000.0).tolist())
    [1.0, 1.0, 2.0]
    """
    load = check_non_negative("load_slurry_kg", load_slurry_kg)
    batch = check_positive("batch_size_kg", batch_size_kg)
    return np.maximum(1.0, np.ceil(load / batch - 1e-9))


def mixing_energy_kWh(load_slurry_kg, specific_energy_kWh_per_kg):
    """Mixer energy for a load of slurry [kWh].

    Parameters
    ----------
    load_slurry_kg : float or array_like
        Slurry mixed, >= 0 [kg]
    specific_energy_kWh_per_kg : float or array_like
        Energy put into each kg of slurry, >= 0 [kWh/kg]

    Returns
    -------
    numpy.ndarray
        E = e M [kWh]

    Notes
    -----
    Electrode slurries take ~0.01-0.3 kWh/kg in planetary and dissolver mixers.

    References
    ----------
    Kaiser et al., Chem. Ing. Tech. 86 (2014) 695 (from memory [R]).

    Examples
    --------
    >>> print(float(mixing_energy_kWh(2000.0, 0.05)))
    100.0
    """
    return (check_non_negative("load_slurry_kg", load_slurry_kg)
            * check_non_negative("specific_energy_kWh_per_kg", specific_energy_kWh_per_kg))


def bought_per_used(material_loss_fraction):
    """Material bought per unit that reaches the coater [-].

    Parameters
    ----------
    material_loss_fraction : float or array_like
        Share of the slurry lost in the mixer, tank and lines, in [0, 1) [-]

    Returns
    -------
    numpy.ndarray
        1 / (1 - loss) [-]

    Notes
    -----
    The lost slurry was bought too: the yield divides the material need (BatPaC's yield rule).

    References
    ----------
    Nelson et al., BatPaC V5 (Argonne 2022): materials divided by the process yields (cost-notes §1.3).

    Examples
    --------
    >>> print(round(float(bought_per_used(0.02)), 6))
    1.020408
    """
    loss = check_range("material_loss_fraction", material_loss_fraction, 0.0, 1.0, low_inclusive=True,
                       high_inclusive=False)
    return 1.0 / (1.0 - loss)


__all__ = ["bought_per_used", "mixer_batches", "mixing_energy_kWh", "slurry_kg"]
