"""How long a garnet may stay above its long-hold limit: time-at-temperature of ultrafast sintering.

Garnet LLZO is held for hours up to ~1400 C at most; above that it loses Li2O and decomposes to
La2Zr2O7 at a rate that grows steeply with temperature. Ultrafast high-temperature sintering (UHS) runs
at ~1500 C for ~10 s (Wang et al., Science 368 (2020) 521) precisely because seconds are too short for
that damage. So the limit is a dose, not a temperature: time above 1400 C weighted by the Arrhenius
rate of Li2O loss, counted in equivalent seconds at 1500 C.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_positive
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K
from process_models.temperature_profile import TemperatureProfile

LONG_HOLD_LIMIT_K = 1673.15
"""1400 C: the highest set point garnet processing holds for hours (the former flat cap of the twin;
assumption: conventional LLZO sintering stays at or below ~1230-1300 C, hot pressing ~1000-1100 C)."""

EXPOSURE_REFERENCE_K = 1773.15
"""1500 C, the UHS temperature for garnets (Wang et al. 2020, from memory [R])."""

MAX_EXPOSURE_AT_REFERENCE_S = 60.0
"""assumption: six times the ~10 s UHS dwell of Wang et al. 2020 [R]; longer exposures above 1400 C are
outside any published garnet process (the Li-loss model still scores the ones allowed)."""

LI2O_LOSS_ACTIVATION_J_PER_MOL = 431e3
"""Li2O sublimation enthalpy, the temperature dependence of the Li-loss flux (llzo_*.yaml, JANAF [R])."""


def exposure_above_limit_s(profile: TemperatureProfile, limit_K: float = LONG_HOLD_LIMIT_K,
                           reference_K: float = EXPOSURE_REFERENCE_K,
                           activation_energy_J_per_mol: float = LI2O_LOSS_ACTIVATION_J_PER_MOL) -> float:
    """Time above the long-hold limit, in equivalent seconds at the reference temperature.

    Parameters
    ----------
    profile : TemperatureProfile
        Temperature history [s], [K]
    limit_K : float
        Long-hold limit; time at or below it does not count [K]
    reference_K : float
        Temperature the exposure is expressed at [K]
    activation_energy_J_per_mol : float
        Activation energy of the damage rate (Li2O loss) [J/mol]

    Returns
    -------
    float
        t_eq = integral over T > limit of exp(-E/R (1/T - 1/T_ref)) dt [s]

    Notes
    -----
    Trapezoid rule on the profile resampled at <= 0.1 s (UHS ramps last seconds). A 10 s hold at
    1500 C counts 10 s (plus the ramps above 1400 C); at 1550 C the same hold counts ~21 s.

    References
    ----------
    Wang et al., Science 368 (2020) 521 [R]; Li2O sublimation enthalpy (JANAF [R]).

    Examples
    --------
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1500.0, 6000.0), ("hold", 10.0 / 3600.0), ("ramp", 25.0, 3000.0)])
    >>> print(round(exposure_above_limit_s(p), 1))
    11.4
    """
    limit = float(check_positive("limit_K", limit_K))
    reference = float(check_positive("reference_K", reference_K))
    energy = float(check_positive("activation_energy_J_per_mol", activation_energy_J_per_mol))
    times = np.asarray(profile.knot_time_s, dtype=float)
    temperatures = np.asarray(profile.knot_temperature_K, dtype=float)
    if temperatures.max() <= limit:
        return 0.0
    # only the stretches above the limit matter: resample each hot interval finely
    total = 0.0
    for t0, t1, temp0, temp1 in zip(times[:-1], times[1:], temperatures[:-1], temperatures[1:], strict=True):
        if max(temp0, temp1) <= limit:
            continue
        steps = max(2, int(np.ceil((t1 - t0) / 0.1)) + 1)
        t = np.linspace(t0, t1, min(steps, 200001))
        temp = np.interp(t, (t0, t1), (temp0, temp1))
        rate = np.where(temp > limit, np.exp(-energy / GAS_CONSTANT_J_PER_MOL_K * (1.0 / temp - 1.0 / reference)), 0.0)
        total += float(np.sum(0.5 * (rate[1:] + rate[:-1]) * np.diff(t)))
    return total
