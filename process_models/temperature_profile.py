"""Piecewise-linear furnace temperature-time profiles (conventional, hot-press, rapid, UHS)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from process_models._domain_checks import check_non_negative, check_positive, check_range
from process_models.errors import PhysicsDomainError

MAX_TEMPERATURE_K = 4000.0
"""Upper validity limit of profile temperatures [K] (UHS reaches ~3300 K; Wang et al. 2020)."""


@dataclass(frozen=True)
class TemperatureProfile:
    """Piecewise-linear temperature history T(t) defined by knots.

    Parameters
    ----------
    knot_time_s : tuple of float
        Strictly increasing knot times starting at 0 [s]
    knot_temperature_K : tuple of float
        Temperatures at the knots [K]

    Notes
    -----
    Between knots T(t) is linear. Build profiles with ``from_segments`` (ramps at a rate, holds).
    The profile covers conventional furnace cycles (hours at 1-5 K/min), hot pressing, pulsed
    heating of thin layers (~10 s at 1e3-1e4 K/min; 2020 SSB roadmap §14.4) and ultrafast
    high-temperature sintering (UHS; Wang et al., Science 368 (2020) 521).

    References
    ----------
    2020 SSB roadmap §14.4; Wang et al. 2020 (UHS).

    Examples
    --------
    >>> profile = TemperatureProfile.from_segments(298.15, [("ramp", 1403.15, 5 / 60), ("hold", 1080.0)])
    >>> print(round(profile.duration_s))
    14340
    """

    knot_time_s: tuple[float, ...]
    knot_temperature_K: tuple[float, ...]

    def __post_init__(self) -> None:
        times = np.asarray(self.knot_time_s, dtype=float)
        temperatures = np.asarray(self.knot_temperature_K, dtype=float)
        if times.ndim != 1 or times.shape != temperatures.shape or times.size < 2:
            raise PhysicsDomainError(
                "knot_time_s and knot_temperature_K must be 1-D sequences of equal length >= 2"
            )
        if times[0] != 0.0:
            raise PhysicsDomainError(f"knot_time_s[0]={times[0]:.6g} is outside [0, 0]")
        if np.any(np.diff(times) <= 0.0):
            raise PhysicsDomainError("knot_time_s must be strictly increasing")
        check_range("knot_temperature_K", temperatures, 0.0, MAX_TEMPERATURE_K, low_inclusive=False)

    @classmethod
    def from_segments(cls, start_temperature_K: float, segments: Sequence[tuple]) -> TemperatureProfile:
        """Build a profile from ramp and hold segments.

        Parameters
        ----------
        start_temperature_K : float
            Temperature at t = 0 [K]
        segments : sequence of tuple
            ``("ramp", target_temperature_K, rate_K_per_s)`` heats or cools to the target at |rate|
            [K], [K/s]; ``("hold", duration_s)`` keeps the temperature [s]

        Returns
        -------
        TemperatureProfile
            Profile with one knot per segment end [s], [K]

        Notes
        -----
        Ramp duration = |T_target - T_current| / |rate|; a zero-length ramp adds no knot.

        References
        ----------
        2020 SSB roadmap §14.4 (pulsed heating of thin layers, ~10 s).

        Examples
        --------
        >>> p = TemperatureProfile.from_segments(300.0, [("ramp", 1800.0, 100.0), ("hold", 10.0)])
        >>> print(p.duration_s)
        25.0
        """
        start = float(check_range("start_temperature_K", start_temperature_K, 0.0, MAX_TEMPERATURE_K,
                                  low_inclusive=False))
        times = [0.0]
        temperatures = [start]
        for index, segment in enumerate(segments):
            kind = segment[0] if len(segment) else None
            if kind == "ramp" and len(segment) == 3:
                target = float(check_range(f"segments[{index}] target_temperature_K", segment[1], 0.0,
                                           MAX_TEMPERATURE_K, low_inclusive=False))
                rate = abs(float(segment[2]))
                if not (0.0 < rate < np.inf):
                    raise PhysicsDomainError(
                        f"segments[{index}] rate_K_per_s={float(segment[2]):.6g} "
                        "is outside |rate| in (0, inf)")
                duration = abs(target - temperatures[-1]) / rate
                if times[-1] + duration == times[-1]:
                    continue
                times.append(times[-1] + duration)
                temperatures.append(target)
            elif kind == "hold" and len(segment) == 2:
                duration = float(check_non_negative(f"segments[{index}] duration_s", segment[1]))
                if times[-1] + duration == times[-1]:
                    continue
                times.append(times[-1] + duration)
                temperatures.append(temperatures[-1])
            else:
                raise PhysicsDomainError(
                    f"segments[{index}]={segment!r} is not ('ramp', target_temperature_K, rate_K_per_s) "
                    "or ('hold', duration_s)"
                )
        if len(times) < 2:
            raise PhysicsDomainError("segments describe a profile of zero duration")
        return cls(tuple(times), tuple(temperatures))

    @property
    def duration_s(self) -> float:
        """Total profile duration [s]."""
        return float(self.knot_time_s[-1])

    # cached: read on every Arrhenius integral, i.e. for every kiln load (a frozen dataclass still has
    # the instance __dict__ cached_property writes to; equality and hashing use the knots only)
    @cached_property
    def peak_temperature_K(self) -> float:
        """Highest temperature of the profile [K]."""
        return float(max(self.knot_temperature_K))

    @cached_property
    def lowest_temperature_K(self) -> float:
        """Lowest temperature of the profile [K]."""
        return float(min(self.knot_temperature_K))

    def temperature_at(self, time_s) -> np.ndarray:
        """Temperature at the given times by linear interpolation between knots [K]."""
        return np.interp(np.asarray(time_s, dtype=float), self.knot_time_s, self.knot_temperature_K)

    def time_above_s(self, threshold_K: float) -> float:
        """Time the profile spends above ``threshold_K`` (exact for the piecewise-linear profile) [s]."""
        threshold = float(threshold_K)
        t = np.asarray(self.knot_time_s)
        temperature = np.asarray(self.knot_temperature_K)
        t0, t1 = t[:-1], t[1:]
        a, b = temperature[:-1], temperature[1:]
        dt = t1 - t0
        span = b - a
        with np.errstate(divide="ignore", invalid="ignore"):
            crossing = np.where(span != 0.0, (threshold - a) / span, 0.0)
        crossing = np.clip(crossing, 0.0, 1.0)
        rising = span > 0
        falling = span < 0
        fraction = np.where(
            rising, 1.0 - crossing, np.where(falling, crossing, (a > threshold).astype(float))
        )
        return float(np.sum(fraction * dt))

    def fine_grid(
        self, max_temperature_step_K: float = 1.0, max_time_step_s: float = np.inf
    ) -> tuple[np.ndarray, np.ndarray]:
        """Sample the profile finely enough for trapezoid integration of Arrhenius integrands.

        Each segment between knots is split into n = max(1, ceil(|dT|/max_temperature_step_K),
        ceil(dt/max_time_step_s)) equal steps, so fast ramps get fine time steps and isothermal
        holds (integrated exactly by the trapezoid rule) stay cheap.

        Returns
        -------
        tuple of numpy.ndarray
            ``(time_s, temperature_K)`` [s], [K]
        """
        check_positive("max_temperature_step_K", max_temperature_step_K)
        check_range("max_time_step_s", max_time_step_s, 0.0, np.inf, low_inclusive=False)
        t = np.asarray(self.knot_time_s)
        temperature = np.asarray(self.knot_temperature_K)
        dt = np.diff(t)
        dT = np.abs(np.diff(temperature))
        steps = np.maximum.reduce([
            np.ones_like(dt),
            np.ceil(dT / max_temperature_step_K),
            np.ceil(dt / max_time_step_s) if np.isfinite(max_time_step_s) else np.ones_like(dt),
        ]).astype(int)
        segment_index = np.repeat(np.arange(dt.size), steps)
        within = np.concatenate([np.arange(n) / n for n in steps])
        time_s = np.append(t[:-1][segment_index] + within * dt[segment_index], t[-1])
        temperature_K = np.interp(time_s, t, temperature)
        return time_s, temperature_K


def celsius_profile(start_temperature_C: float, segments_C: Sequence[tuple]) -> TemperatureProfile:
    """Build a profile from segments in degC, K/min and hours (convenience for recipes).

    Parameters
    ----------
    start_temperature_C : float
        Temperature at t = 0 [degC]
    segments_C : sequence of tuple
        ``("ramp", target_C, rate_K_per_min)`` [degC], [K/min]; ``("hold", duration_h)`` [h]

    Returns
    -------
    TemperatureProfile
        Equivalent SI profile [s], [K]

    Notes
    -----
    T[K] = T[degC] + 273.15; rate[K/s] = rate[K/min] / 60; t[s] = 3600 t[h].

    References
    ----------
    Yi et al., J. Power Sources 2017 (1130 degC, 0.3 h recipe used in the examples).

    Examples
    --------
    >>> p = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3)])
    >>> print(p.peak_temperature_K)
    1403.15
    """
    segments = []
    for segment in segments_C:
        if segment and segment[0] == "ramp" and len(segment) == 3:
            segments.append(("ramp", float(segment[1]) + 273.15, float(segment[2]) / 60.0))
        elif segment and segment[0] == "hold" and len(segment) == 2:
            segments.append(("hold", float(segment[1]) * 3600.0))
        else:
            segments.append(segment)
    return TemperatureProfile.from_segments(float(start_temperature_C) + 273.15, segments)
