"""What a made cell layer delivers at its rated discharge rate: capacity and energy after Ohmic loss.

A layer's cathode stores ``Q`` (its areal capacity as made); at the rated C-rate the current density
``j = C Q`` drops ``eta = j ASR`` over the cell's area-specific resistance (electrolyte plus the
Li/electrolyte interface). The discharge reaches the cut-off voltage early by ``eta`` and runs at a
voltage lower by ``eta``: a cell whose ASR cannot carry the rated current above the cut-off delivers
less than it stores, and nothing once ``eta`` spans the whole voltage window.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_non_negative, check_positive
from process_models.errors import PhysicsDomainError

# 1 mAh/cm2 at 1 C is 1 mA/cm2 = 10 A/m2; 1 mAh/cm2 is 10 Ah/m2.
_A_PER_M2_PER_MA_PER_CM2 = 10.0
_AH_PER_M2_PER_MAH_PER_CM2 = 10.0


def rate_limited_delivery(areal_capacity_mAh_per_cm2, total_asr_ohm_m2, c_rate_per_h, nominal_voltage_V,
                          cutoff_voltage_V):
    """Share of the stored capacity a layer delivers at the rated rate, and its mean discharge voltage.

    Parameters
    ----------
    areal_capacity_mAh_per_cm2 : float or array_like
        Capacity the cathode stores as made, Q [mAh/cm^2]
    total_asr_ohm_m2 : float or array_like
        Area-specific resistance in series with the discharge (electrolyte + interface) [ohm m^2]
    c_rate_per_h : float
        Rated discharge rate, C [1/h] (C/3 = 1/3)
    nominal_voltage_V : float
        Mean discharge voltage at a vanishing current, V_nom [V]
    cutoff_voltage_V : float
        Discharge cut-off voltage, V_cut < V_nom [V]

    Returns
    -------
    tuple of numpy.ndarray or float
        ``(delivered_fraction, mean_voltage_V)``: f in [0, 1] and the mean voltage under load [V];
        arrays broadcast over the inputs.

    Raises
    ------
    PhysicsDomainError
        Negative capacity or ASR, non-positive rate or voltage, cut-off not below the nominal voltage.

    Notes
    -----
    First-order rule: the open-circuit curve is taken as linear in depth of discharge between
    V_top = 2 V_nom - V_cut and V_cut (mean V_nom); an Ohmic drop eta = j ASR with j = C Q
    (physics-notes §0, ASR = L/sigma) moves the cut-off forward, so

        f = clip(1 - eta / (2 (V_nom - V_cut)), 0, 1),
        V_mean = V_nom + (V_nom - V_cut)(1 - f) - eta.

    At eta = 0 this gives f = 1 and V_mean = V_nom. Ignores transport limits inside the composite
    cathode (no published law for sintered LCO/LLZO composites) and charge-transfer overpotential.

    References
    ----------
    Ohmic drop: physics-notes §0 and the 2020 SSB roadmap §15 (~1 ohm cm^2 acceptable for a 10 um LLZO
    layer). Energy rated at C/3: Nelson et al., BatPaC, Argonne ANL-12/55 (2011).

    Examples
    --------
    >>> f, v = rate_limited_delivery(3.5, 10e-4, 1 / 3, 3.85, 3.0)  # 10 ohm cm2 at C/3
    >>> print(round(float(f), 4), round(float(v), 4))
    0.9931 3.8442
    """
    capacity = check_non_negative("areal_capacity_mAh_per_cm2", areal_capacity_mAh_per_cm2)
    asr = check_non_negative("total_asr_ohm_m2", total_asr_ohm_m2)
    rate = float(check_positive("c_rate_per_h", c_rate_per_h))
    nominal = float(check_positive("nominal_voltage_V", nominal_voltage_V))
    cutoff = float(check_positive("cutoff_voltage_V", cutoff_voltage_V))
    if cutoff >= nominal:
        raise PhysicsDomainError(f"cutoff_voltage_V={cutoff:g} must be below nominal_voltage_V={nominal:g}")
    half_window = nominal - cutoff
    drop = rate * capacity * _A_PER_M2_PER_MA_PER_CM2 * asr
    fraction = np.clip(1.0 - drop / (2.0 * half_window), 0.0, 1.0)
    voltage = nominal + half_window * (1.0 - fraction) - drop
    if np.ndim(fraction) == 0:
        return fraction[()], voltage[()]
    return fraction, voltage


def delivered_energy_Wh_per_m2(areal_capacity_mAh_per_cm2, total_asr_ohm_m2, c_rate_per_h, nominal_voltage_V,
                               cutoff_voltage_V):
    """Energy a layer delivers per area at the rated rate.

    Parameters
    ----------
    areal_capacity_mAh_per_cm2 : float or array_like
        Capacity the cathode stores as made, Q [mAh/cm^2]
    total_asr_ohm_m2 : float or array_like
        Area-specific resistance in series with the discharge [ohm m^2]
    c_rate_per_h : float
        Rated discharge rate, C [1/h]
    nominal_voltage_V : float
        Mean discharge voltage at a vanishing current [V]
    cutoff_voltage_V : float
        Discharge cut-off voltage, below the nominal voltage [V]

    Returns
    -------
    numpy.ndarray or float
        Delivered energy per layer area [Wh/m^2]; 0 where the Ohmic drop spans the voltage window

    Raises
    ------
    PhysicsDomainError
        As :func:`rate_limited_delivery`.

    Notes
    -----
    E = 10 Q f V_mean, with f and V_mean from :func:`rate_limited_delivery` (1 mAh/cm^2 = 10 Ah/m^2).

    References
    ----------
    As :func:`rate_limited_delivery`.

    Examples
    --------
    >>> print(round(float(delivered_energy_Wh_per_m2(3.5, 0.0, 1 / 3, 3.85, 3.0)), 2))  # 35 Ah/m2 x 3.85 V
    134.75
    """
    fraction, voltage = rate_limited_delivery(areal_capacity_mAh_per_cm2, total_asr_ohm_m2, c_rate_per_h,
                                              nominal_voltage_V, cutoff_voltage_V)
    capacity = np.asarray(areal_capacity_mAh_per_cm2, dtype=float)
    energy = _AH_PER_M2_PER_MAH_PER_CM2 * capacity * fraction * voltage
    return energy[()] if np.ndim(energy) == 0 else energy


__all__ = ["delivered_energy_Wh_per_m2", "rate_limited_delivery"]
