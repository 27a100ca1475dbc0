"""The temperature history of a kiln load whose firing a breakdown interrupted.

A furnace that stops mid-profile cools with its heaters off for the length of the repair; the load
then sees either the rest of its profile after a re-heat (resume), or the whole profile again from
the temperature it cooled to (refire). :func:`interrupted_firing_history` is the one place that
composes such a history, stop after stop, always from the recipe as programmed: its path gives the
kiln's time and energy, its pieces (the recipe whole plus what the stops added) the work of sintering
and the Li2O loss, which add along the path, so an interrupted load never reads less fired than an
uninterrupted one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from process_models._domain_checks import check_non_negative, check_positive, check_range
from process_models._log_sums import log_add_exp
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


@dataclass(frozen=True)
class FiringHistory:
    """A load's whole thermal history, as a path and as pieces whose path integrals add up to the path's.

    ``path``: the temperatures the load saw in order (for durations and furnace energy) [s], [K].
    ``pieces``: (times counted, profile) pairs; any additive path integral of the history (work of
    sintering, integrated Li2O flux) is sum(count * integral over the piece). When the recipe was fired
    to its end, the first piece is the recipe itself, whole, and every other piece is what the stops
    added (cool-downs, re-heats, the stretch of recipe a refire ran again), so the history's integral
    is never below the uninterrupted firing's, to the last bit.
    """

    path: TemperatureProfile
    pieces: tuple[tuple[float, TemperatureProfile], ...]

    def integral(self, integral_of):
        """sum(count * integral_of(piece)) for an integral linear in the path (e.g. Li lost [pfu])."""
        (count, first), *rest = self.pieces
        total = integral_of(first) if count == 1.0 else count * integral_of(first)
        for count, piece in rest:
            total = total + count * integral_of(piece)
        return total

    def log_integral(self, log_integral_of):
        """ln sum(count * exp(log_integral_of(piece))): a path integral kept as its log (ln Theta)."""
        (count, first), *rest = self.pieces
        total = log_integral_of(first) + (np.log(count) if count != 1.0 else 0.0)
        for count, piece in rest:
            total = log_add_exp(total, np.log(count) + log_integral_of(piece))
        return total


def uninterrupted_history(recipe: TemperatureProfile) -> FiringHistory:
    """The history of a firing no breakdown stopped: the recipe, once.

    Parameters
    ----------
    recipe : TemperatureProfile
        The firing as programmed [s], [K]

    Returns
    -------
    FiringHistory
        Path = the recipe, pieces = ((1, recipe),) [s], [K]

    Notes
    -----
    Any additive path integral of it is the recipe's own, bit for bit (count 1 is not multiplied in).

    References
    ----------
    Su & Johnson, J. Am. Ceram. Soc. 79 (1996) 3211 (work of sintering adds along the thermal path).

    Examples
    --------
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1125.0, 5.0), ("hold", 60.0)])
    >>> uninterrupted_history(p).integral(lambda piece: piece.duration_s) == p.duration_s
    True
    """
    return FiringHistory(recipe, ((1.0, recipe),))


def _recipe_stretch(recipe: TemperatureProfile, start_s: float, end_s: float) -> TemperatureProfile:
    """The recipe between ``start_s`` and ``end_s`` (end knots interpolated), times from 0."""
    times = np.asarray(recipe.knot_time_s)
    inside = (times > start_s) & (times < end_s)
    knot_t = np.concatenate([[start_s], times[inside], [end_s]])
    return TemperatureProfile(tuple(knot_t - start_s), tuple(recipe.temperature_at(knot_t)))


def _cool_down(stop_K: float, downtime_s: float, tau_s: float, ambient_K: float) -> TemperatureProfile:
    """Heaters off: T = T_a + (T_stop - T_a) exp(-t / tau); a load at or below ambient stays put."""
    elapsed = np.linspace(0.0, downtime_s, COOLING_KNOTS + 1)
    cooling = ambient_K + (stop_K - ambient_K) * np.exp(-elapsed / tau_s)
    return TemperatureProfile(tuple(elapsed), tuple(np.where(stop_K > ambient_K, cooling, stop_K)))


def _refire_start_s(recipe: TemperatureProfile, cooled_K: float) -> float:
    """Where a refire joins the recipe: the first time its heating reaches the cooled temperature."""
    times = np.asarray(recipe.knot_time_s)
    temps = np.asarray(recipe.knot_temperature_K)
    reached = np.flatnonzero(temps >= cooled_K)
    first = int(reached[0]) if reached.size else 0
    if first == 0:
        return 0.0
    t0, t1, T0, T1 = times[first - 1], times[first], temps[first - 1], temps[first]
    return float(t0 + (cooled_K - T0) / (T1 - T0) * (t1 - t0)) if T1 > T0 else float(t1)


# A stretch of the path: ("recipe", start_s, end_s) of the recipe, or ("added", profile) for a cool-down
# or re-heat. Keeping recipe stretches as times into the recipe lets the pieces be counted exactly.
def _length_s(stretch) -> float:
    return stretch[2] - stretch[1] if stretch[0] == "recipe" else stretch[1].duration_s


def _split(recipe: TemperatureProfile, stretch, at_s: float):
    """(head, tail, temperature at the split [K]) of a stretch split ``at_s`` into it (None if empty)."""
    if stretch[0] == "recipe":
        _, start, end = stretch
        head = ("recipe", start, start + at_s) if at_s > 0.0 else None
        tail = ("recipe", start + at_s, end) if start + at_s < end else None
        return head, tail, float(recipe.temperature_at(start + at_s))
    profile = stretch[1]
    times = np.asarray(profile.knot_time_s)
    head = tail = None
    if at_s > 0.0:
        head = ("added", _recipe_stretch(profile, 0.0, at_s))
    if at_s < profile.duration_s:
        tail = ("added", _recipe_stretch(profile, at_s, float(times[-1])))
    return head, tail, float(profile.temperature_at(at_s))


def _counted_pieces(recipe: TemperatureProfile, stretches,
                    recipe_pieces=None) -> tuple[tuple[float, TemperatureProfile], ...]:
    """Pieces of the history: the recipe whole (if fired to its end) plus what the stops added."""
    spans = [(s[1], s[2]) for s in stretches if s[0] == "recipe"]
    edges = np.unique([0.0, recipe.duration_s] + [edge for span in spans for edge in span])
    middles = (edges[:-1] + edges[1:]) / 2.0
    counts = np.array([sum(start <= m < end for start, end in spans) for m in middles], dtype=float)
    whole = bool(np.all(counts >= 1.0))
    if whole:  # the recipe once, whole; what was fired more than once counts again
        counts -= 1.0
    pieces = list(recipe_pieces or [(1.0, recipe)]) if whole else []
    start = 0
    for k in range(1, counts.size + 1):  # runs of equal count, each one piece
        if k == counts.size or counts[k] != counts[start]:
            if counts[start] > 0.0:
                pieces.append((float(counts[start]), _recipe_stretch(recipe, edges[start], edges[k])))
            start = k
    pieces += [(1.0, s[1]) for s in stretches if s[0] == "added"]
    return tuple(pieces)


def _path(recipe: TemperatureProfile, stretches) -> TemperatureProfile:
    times, temps, now = [], [], 0.0
    for stretch in stretches:
        piece = _recipe_stretch(recipe, stretch[1], stretch[2]) if stretch[0] == "recipe" else stretch[1]
        times.append(now + np.asarray(piece.knot_time_s))
        temps.append(np.asarray(piece.knot_temperature_K))
        now += piece.duration_s
    time_s, temperature_K = np.concatenate(times), np.concatenate(temps)
    # a stretch starts where the last one ended: keep one knot per time (the first, as before)
    keep = np.concatenate([[True], np.diff(time_s) > 0.0])
    return TemperatureProfile(tuple(time_s[keep]), tuple(temperature_K[keep]))


def interrupted_firing_history(recipe: TemperatureProfile, stops, cooling_time_constant_s, policy: str,
                               ambient_temperature_K=298.15, recipe_pieces=None) -> FiringHistory:
    """Whole thermal history of a load whose firing of ``recipe`` breakdowns stopped, one after another.

    Parameters
    ----------
    recipe : TemperatureProfile
        The firing as programmed [s], [K]
    stops : sequence of (float, float)
        (time into the load's history at which the heaters stopped [s], repair time [s]), in order; a
        stop at or after the end of the history so far leaves it as it was
    cooling_time_constant_s : float
        Furnace cooling time constant tau (:func:`furnace_cooling_time_constant_s`), > 0 [s]
    policy : str
        ``resume``: re-heat to the stop temperature at the recipe's fastest heating rate and run the rest;
        ``refire``: run the recipe again from where its heating first reaches the cooled temperature;
        ``scrap``: the history ends when the load has cooled (it is taken out) [-]
    ambient_temperature_K : float
        Temperature the furnace cools towards [K]
    recipe_pieces : sequence of (float, TemperatureProfile), optional
        How the whole recipe counts, e.g. ((n, one sub-layer cycle),); default ((1, recipe),) [-], [s, K]

    Returns
    -------
    FiringHistory
        The path (what was fired, cool-down, what followed, for every stop) and its pieces [s], [K]

    Notes
    -----
    Cool-down: T(t) = T_a + (T_stop - T_a) exp(-t / tau) over the repair (heaters off). Work of
    sintering Theta = int (1/T) exp(-Q/RT) dt and the Li2O loss int J(T) dt add along the path (Su &
    Johnson 1996), so the history is counted as pieces: a refire that stops at recipe time b and
    re-joins at a <= b has fired [a, b] twice, i.e. history = recipe + recipe[a, b] + cool-down; a
    resume adds the cool-down and the re-heat. Every added piece has a non-negative integral.

    References
    ----------
    Su & Johnson, J. Am. Ceram. Soc. 79 (1996) 3211; interrupted firings are re-fired or scrapped in
    practice (potters' reports of power cuts mid-firing, Clayart 2003-2004).

    Examples
    --------
    >>> from process_models.temperature_profile import celsius_profile
    >>> p = celsius_profile(25.0, [("ramp", 1125.0, 5.0), ("hold", 60.0), ("ramp", 25.0, 5.0)])
    >>> h = interrupted_firing_history(p, [(15000.0, 3600.0)], 97500.0, "refire")
    >>> [round(count) for count, _ in h.pieces], round(h.pieces[1][1].duration_s)  # recipe, fired again, cool
    ([1, 1, 1], 2278)
    """
    if policy not in POLICIES:
        raise PhysicsDomainError(f"policy={policy!r} is not one of {', '.join(POLICIES)}")
    tau = float(check_positive("cooling_time_constant_s", cooling_time_constant_s))
    times = np.asarray(recipe.knot_time_s)
    temps = np.asarray(recipe.knot_temperature_K)
    reheat_K_per_s = float(np.max(np.diff(temps) / np.diff(times), initial=0.0))
    stretches = [("recipe", 0.0, recipe.duration_s)]
    for stop_s, downtime_s in stops:
        downtime = float(check_non_negative("downtime_s", downtime_s))
        elapsed = 0.0
        for index, stretch in enumerate(stretches):  # noqa: B007 - index and stretch are read after the loop
            if elapsed + _length_s(stretch) > stop_s:
                break
            elapsed += _length_s(stretch)
        else:
            continue  # the stop came after the history ended
        if stop_s <= 0.0:
            continue
        head, tail, stop_K = _split(recipe, stretch, float(stop_s) - elapsed)
        done = stretches[:index] + ([head] if head else [])
        cooled_K = stop_K
        if downtime > 0.0:
            cooling = _cool_down(stop_K, downtime, tau, ambient_temperature_K)
            done.append(("added", cooling))
            cooled_K = float(cooling.knot_temperature_K[-1])
        if policy == "resume":
            if stop_K > cooled_K and reheat_K_per_s > 0.0:
                reheat_s = (stop_K - cooled_K) / reheat_K_per_s
                done.append(("added", TemperatureProfile((0.0, reheat_s), (cooled_K, stop_K))))
            done += ([tail] if tail else []) + stretches[index + 1:]
        elif policy == "refire":
            done.append(("recipe", _refire_start_s(recipe, cooled_K), recipe.duration_s))
        stretches = done
    return FiringHistory(_path(recipe, stretches), _counted_pieces(recipe, stretches, recipe_pieces))


def interrupted_firing_profile(profile: TemperatureProfile, interrupt_s, downtime_s, cooling_time_constant_s,
                               policy: str, ambient_temperature_K=298.15) -> TemperatureProfile:
    """Temperature history of a load whose firing stopped once, at ``interrupt_s`` for ``downtime_s``.

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
        ``resume``, ``refire`` or ``scrap`` (see :func:`interrupted_firing_history`) [-]
    ambient_temperature_K : float
        Temperature the furnace cools towards [K]

    Returns
    -------
    TemperatureProfile
        The path of :func:`interrupted_firing_history` for this one stop [s], [K]

    Notes
    -----
    Cool-down T(t) = T_a + (T(t_i) - T_a) exp(-t / tau); re-heat (resume) at the profile's largest
    heating rate.

    References
    ----------
    Mullinger & Jenkins, Industrial and Process Furnaces (2014) (lumped cooling); Su & Johnson 1996.

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
    return interrupted_firing_history(profile, [(interrupt, downtime)], cooling_time_constant_s, policy,
                                      ambient_temperature_K).path


__all__ = ["COOLING_KNOTS", "POLICIES", "FiringHistory", "furnace_cooling_time_constant_s",
           "interrupted_firing_history", "interrupted_firing_profile", "uninterrupted_history"]
