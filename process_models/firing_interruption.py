"""The temperature history of a kiln load whose firing a breakdown interrupted.

A furnace that stops mid-profile cools with its heaters off for the length of the repair; the load
then sees either the rest of its profile after a re-heat (resume), or the whole profile again from
the temperature it cooled to (refire). The history is an ordinary :class:`TemperatureProfile`, so
densification and Li loss are computed on it by the same master-curve and volatilisation physics.
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_non_negative, check_positive, check_range
from process_models.errors import PhysicsDomainError
from process_models.furnace_energy import REFERENCE_TEMPERATURE_K
from process_models.temperature_profile import TemperatureProfile

POLICIES = ("resume", "refire", "scrap")
# knots that sample the exponential cool-down (piecewise-linear error < 0.3 % of the drop)
COOLING_KNOTS = 16


def furnace_cooling_time_constant_s(thermal_mass_J_per_K, heat_loss_W_at_1000C, ambient_temperature_K=298.15):
    """Time constant of a switched-off furnace cooling towards ambient.

    Parameters
    ----------
    thermal_mass_J_per_K : float
        Heat capacity of lining, setters and load C, > 0 [J/K]
    heat_loss_W_at_1000C : float
        Steady wall loss at 1000 degC Q_1000, > 0 [W]
    ambient_temperature_K : float
        Surroundings temperature T_a [K]

    Returns
    -------
    float
        tau = C (1273.15 K - T_a) / Q_1000 [s]

    Notes
    -----
    C dT/dt = -G (T - T_a) with the loss conductance G = Q_1000 / (1273.15 K - T_a) of the furnace
    energy model (losses linear in the excess temperature), so T - T_a decays as exp(-t / tau).

    References
    ----------
    Lumped furnace heat balance, Mullinger & Jenkins, Industrial and Process Furnaces (2014).

    Examples
    --------
    >>> print(round(furnace_cooling_time_constant_s(1.2e6, 12e3) / 3600, 1))  # h
    27.1
    """
    capacity = float(check_positive("thermal_mass_J_per_K", thermal_mass_J_per_K))
    loss = float(check_positive("heat_loss_W_at_1000C", heat_loss_W_at_1000C))
    return capacity * (REFERENCE_TEMPERATURE_K - ambient_temperature_K) / loss


def _profile_after(profile: TemperatureProfile, start_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Knots of ``profile`` from ``start_s`` on (the first one interpolated), times relative to it."""
    times = np.asarray(profile.knot_time_s)
    temps = np.asarray(profile.knot_temperature_K)
    later = times > start_s
    return (np.concatenate([[0.0], times[later] - start_s]),
            np.concatenate([[float(profile.temperature_at(start_s))], temps[later]]))


def interrupted_firing_profile(profile: TemperatureProfile, interrupt_s, downtime_s, cooling_time_constant_s,
                               policy: str, ambient_temperature_K=298.15) -> TemperatureProfile:
    """Temperature history of a load whose firing stopped at ``interrupt_s`` for ``downtime_s``.

    Parameters
    ----------
    profile : TemperatureProfile
        The firing the load was getting [s], [K]
    interrupt_s : float
        Time into ``profile`` at which the heaters stopped, 0 < t_i < duration [s]
    downtime_s : float
        Repair time with the heaters off, >= 0 [s]
    cooling_time_constant_s : float
        Furnace cooling time constant tau (:func:`furnace_cooling_time_constant_s`), > 0 [s]
    policy : str
        ``resume``: re-heat to T(t_i) at the profile's fastest heating rate and run the rest;
        ``refire``: run the profile again from the first time it reaches the cooled temperature;
        ``scrap``: the history ends when the load has cooled (it is taken out) [-]
    ambient_temperature_K : float
        Temperature the furnace cools towards [K]

    Returns
    -------
    TemperatureProfile
        The load's whole history: the profile up to t_i, the cool-down, and what follows [s], [K]

    Notes
    -----
    Cool-down: T(t) = T_a + (T(t_i) - T_a) exp(-t / tau) over the downtime (heaters off).
    Re-heat (resume) at r = the largest heating rate of the profile. The master curve (work of
    sintering) and the Li2O loss integrate over this history like over any other profile.

    References
    ----------
    Interrupted firings leave loads under-fired or spoiled and are re-fired or scrapped in practice
    (potters' reports of power cuts mid-firing, Clayart 2003-2004); Su & Johnson 1996 (work of
    sintering adds along the thermal path).

    Examples
    --------
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1125.0, 5.0), ("hold", 60.0), ("ramp", 25.0, 5.0)])
    >>> h = interrupted_firing_profile(p, 13200.0 + 1800.0, 3600.0, 97500.0, "resume")
    >>> print(round(h.duration_s - p.duration_s - 3600.0))  # s of re-heat added
    478
    """
    if policy not in POLICIES:
        raise PhysicsDomainError(f"policy={policy!r} is not one of {', '.join(POLICIES)}")
    interrupt = float(check_range("interrupt_s", interrupt_s, 0.0, profile.duration_s, low_inclusive=False,
                                  high_inclusive=False))
    downtime = float(check_non_negative("downtime_s", downtime_s))
    tau = float(check_positive("cooling_time_constant_s", cooling_time_constant_s))
    times = np.asarray(profile.knot_time_s)
    temps = np.asarray(profile.knot_temperature_K)
    before = times < interrupt
    stop_K = float(profile.temperature_at(interrupt))
    knot_t = [times[before], [interrupt]]
    knot_T = [temps[before], [stop_K]]
    cooled_K = stop_K
    if downtime > 0.0:
        elapsed = np.linspace(0.0, downtime, COOLING_KNOTS + 1)[1:]
        cooling = ambient_temperature_K + (stop_K - ambient_temperature_K) * np.exp(-elapsed / tau)
        # never below the ambient and never above where it stopped (a load below ambient does not warm)
        cooling = np.where(stop_K > ambient_temperature_K, cooling, stop_K)
        knot_t.append(interrupt + elapsed)
        knot_T.append(cooling)
        cooled_K = float(cooling[-1])
    end_s = interrupt + downtime
    if policy == "resume":
        rate = float(np.max(np.diff(temps) / np.diff(times), initial=0.0))
        if stop_K > cooled_K and rate > 0.0:
            end_s += (stop_K - cooled_K) / rate
            knot_t.append([end_s])
            knot_T.append([stop_K])
        rest_t, rest_T = _profile_after(profile, interrupt)
        knot_t.append(end_s + rest_t[1:])
        knot_T.append(rest_T[1:])
    elif policy == "refire":
        reached = np.flatnonzero(temps >= cooled_K)
        # the refire joins the profile where its heating first reaches the cooled temperature
        first = int(reached[0]) if reached.size else 0
        if first == 0:
            join_s = 0.0
        else:
            t0, t1, T0, T1 = times[first - 1], times[first], temps[first - 1], temps[first]
            join_s = float(t0 + (cooled_K - T0) / (T1 - T0) * (t1 - t0)) if T1 > T0 else float(t1)
        rest_t, rest_T = _profile_after(profile, join_s)
        knot_t.append(end_s + rest_t[1:])
        knot_T.append(rest_T[1:])
    time_s = np.concatenate([np.atleast_1d(np.asarray(t, dtype=float)) for t in knot_t])
    temperature_K = np.concatenate([np.atleast_1d(np.asarray(t, dtype=float)) for t in knot_T])
    keep = np.concatenate([[True], np.diff(time_s) > 0.0])
    return TemperatureProfile(tuple(time_s[keep]), tuple(temperature_K[keep]))


__all__ = ["COOLING_KNOTS", "POLICIES", "furnace_cooling_time_constant_s", "interrupted_firing_profile"]
