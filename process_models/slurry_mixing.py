"""Batch slurry mixing: slurry mass, number of mixer batches and mixing energy (SI units).

A layer's solids are dispersed at a solids mass fraction w: slurry = solids / w. A load of slurry M is
mixed in ceil(M / batch size) batches; the mixer draws a specific energy e per kg of slurry (energy =
e M). Specific mixing energies of electrode slurries: ~0.01-0.3 kWh/kg (planetary and dissolver mixers;
Kaiser et al., Chem. Ing. Tech. 86 (2014) 695, from memory [R]).
"""

from __future__ import annotations

import numpy as np


def slurry_kg(solids_kg, solids_mass_fraction):
    """Slurry mass that carries ``solids_kg`` at ``solids_mass_fraction`` [kg]; fraction in (0, 1]."""
    fraction = np.asarray(solids_mass_fraction, dtype=float)
    if np.any((fraction <= 0) | (fraction > 1)):
        raise ValueError("slurry_kg: solids_mass_fraction must be in (0, 1]")
    return np.asarray(solids_kg, dtype=float) / fraction


def mixer_batches(load_slurry_kg, batch_size_kg):
    """Whole mixer batches a load needs, ceil(load / batch size) (at least 1) [-]."""
    return np.maximum(1.0, np.ceil(np.asarray(load_slurry_kg, dtype=float) / batch_size_kg - 1e-9))


def mixing_energy_kWh(load_slurry_kg, specific_energy_kWh_per_kg):
    """Mixer energy for a load, e M [kWh]."""
    return np.asarray(load_slurry_kg, dtype=float) * specific_energy_kWh_per_kg


def bought_per_used(material_loss_fraction):
    """Material bought per unit that reaches the coater, 1 / (1 - loss) [-]; loss in [0, 1)."""
    loss = np.asarray(material_loss_fraction, dtype=float)
    if np.any((loss < 0) | (loss >= 1)):
        raise ValueError("bought_per_used: material_loss_fraction must be in [0, 1)")
    return 1.0 / (1.0 - loss)


__all__ = ["bought_per_used", "mixer_batches", "mixing_energy_kWh", "slurry_kg"]
