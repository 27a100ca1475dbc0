"""Temperature profiles and the Arrhenius time integral (accuracy on fast ramps, offset grid)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from process_models.arrhenius_integral import log_arrhenius_time_integral, offset_grid_error_bound
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K as R
from process_models.errors import PhysicsDomainError
from process_models.temperature_profile import TemperatureProfile, celsius_profile

CONVENTIONAL = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3), ("ramp", 25.0, 5.0)])
PULSED = TemperatureProfile.from_segments(298.15, [("ramp", 1473.15, 1e4 / 60), ("hold", 10.0),
                                                   ("ramp", 298.15, 1e4 / 60)])
UHS = TemperatureProfile.from_segments(298.15, [("ramp", 1773.15, 1e4 / 60), ("hold", 10.0)])


def reference_log_integral(profile, energy, exponent=-1.0, offset=0.0):
    """Adaptive quadrature of each linear segment in temperature (independent of the trapezoid grid)."""
    total = 0.0
    t, temp = profile.knot_time_s, profile.knot_temperature_K
    for t0, t1, a, b in zip(t[:-1], t[1:], temp[:-1], temp[1:], strict=True):
        def integrand(time, t0=t0, t1=t1, a=a, b=b):
            T = a + (b - a) * (time - t0) / (t1 - t0) + offset
            return T**exponent * np.exp(-energy / (R * T)) * 1e60
        total += quad(integrand, t0, t1, epsabs=0.0, epsrel=1e-12, limit=500)[0]
    return np.log(total) - np.log(1e60)


@pytest.mark.unit
def test_from_segments_builds_knots_and_duration():
    profile = TemperatureProfile.from_segments(300.0, [("ramp", 1300.0, 10.0), ("hold", 50.0), ("ramp", 300.0, -5.0)])
    assert profile.knot_time_s == (0.0, 100.0, 150.0, 350.0)
    assert profile.duration_s == 350.0
    assert profile.peak_temperature_K == 1300.0


@pytest.mark.unit
def test_time_above_threshold_is_exact_for_linear_segments():
    # 5 K/min ramp and cooling through 1273.15 K: 130 K above on each side at 5/60 K/s = 1560 s each, + 1080 s hold
    assert CONVENTIONAL.time_above_s(1273.15) == pytest.approx(2 * 130.0 / (5.0 / 60.0) + 1080.0, rel=1e-12)
    assert CONVENTIONAL.time_above_s(2000.0) == 0.0


@pytest.mark.unit
def test_isothermal_integral_matches_closed_form():
    # Theta = t / T exp(-Q/RT) exactly for a hold.
    profile = TemperatureProfile((0.0, 3600.0), (1400.0, 1400.0))
    expected = np.log(3600.0 / 1400.0) - 500e3 / (R * 1400.0)
    assert float(log_arrhenius_time_integral(profile, 500e3)) == pytest.approx(expected, abs=1e-12)


@pytest.mark.unit
@pytest.mark.parametrize("profile", [CONVENTIONAL, PULSED, UHS], ids=["conventional", "pulsed", "uhs"])
@pytest.mark.parametrize("energy", [250e3, 500e3, 700e3])
def test_trapezoid_on_1K_grid_matches_adaptive_quadrature(profile, energy):
    # Tolerance 2e-4 in ln Theta: the 1 K trapezoid error is ~(Q/RT^2)^2/12 per step (< 1e-4 at 700 kJ/mol, 1400 K).
    assert float(log_arrhenius_time_integral(profile, energy)) == pytest.approx(
        reference_log_integral(profile, energy), abs=2e-4)


@pytest.mark.unit
def test_fine_grid_refines_fast_ramps_in_time():
    time_s, temperature_K = PULSED.fine_grid(max_temperature_step_K=1.0)
    assert np.max(np.abs(np.diff(temperature_K))) <= 1.0 + 1e-9
    assert time_s[1] - time_s[0] < 0.01  # 166.7 K/s ramp: 1 K per 6 ms


@pytest.mark.unit
def test_offset_grid_interpolation_error_below_documented_bound():
    rng = np.random.default_rng(1)
    offsets = rng.uniform(-60.0, 60.0, 5000)
    interpolated = log_arrhenius_time_integral(CONVENTIONAL, 500e3, offsets)
    exact = np.array([float(log_arrhenius_time_integral(CONVENTIONAL, 500e3, o)) for o in offsets[:200]])
    assert np.max(np.abs(interpolated[:200] - exact)) < 1e-6
    assert offset_grid_error_bound(CONVENTIONAL, 500e3, -60.0, 60.0, points=101) > 1e-6  # coarse grid is worse


@pytest.mark.unit
@pytest.mark.parametrize("profile", [CONVENTIONAL, PULSED], ids=["conventional", "pulsed"])
@pytest.mark.parametrize("energy, exponent", [(500e3, -1.0), (431e3, -0.5)])
def test_offset_table_meets_its_tolerance_on_a_dense_grid(profile, energy, exponent):
    # Offsets within +-50 K are read from a cached Chebyshev series of the lowest degree that meets
    # INTERPOLATION_TOLERANCE at its check points; it must hold everywhere in the range, not only there.
    from process_models.arrhenius_integral import INTERPOLATION_TOLERANCE, _exact

    offsets = np.linspace(-50.0, 50.0, 1001)
    tabled = log_arrhenius_time_integral(profile, energy, offsets, temperature_exponent=exponent)
    time_s, temperature_K = profile.fine_grid(max_temperature_step_K=1.0)
    exact = _exact(time_s, temperature_K, offsets, energy, exponent)
    assert np.max(np.abs(tabled - exact)) < INTERPOLATION_TOLERANCE


@pytest.mark.unit
def test_offset_shape_is_preserved():
    offsets = np.zeros((3, 4))
    assert np.shape(log_arrhenius_time_integral(CONVENTIONAL, 500e3, offsets)) == (3, 4)


@pytest.mark.unit
@settings(max_examples=40, deadline=None)
@given(st.floats(-80.0, 80.0), st.floats(0.5, 20.0))
def test_integral_increases_with_offset(offset, step):
    low = log_arrhenius_time_integral(CONVENTIONAL, 500e3, offset)
    high = log_arrhenius_time_integral(CONVENTIONAL, 500e3, offset + step)
    assert high > low


@pytest.mark.unit
def test_bad_segments_raise_domain_error():
    with pytest.raises(PhysicsDomainError, match=r"segments\[0\] rate_K_per_s=0 is outside \|rate\| in \(0, inf\)"):
        TemperatureProfile.from_segments(300.0, [("ramp", 1000.0, 0.0)])
    with pytest.raises(PhysicsDomainError, match=r"segments\[1\]=\('soak', 5\) is not"):
        TemperatureProfile.from_segments(300.0, [("hold", 5.0), ("soak", 5)])
    with pytest.raises(PhysicsDomainError, match=r"segments\[0\] target_temperature_K=5000 is outside \(0, 4000\]"):
        TemperatureProfile.from_segments(300.0, [("ramp", 5000.0, 10.0)])
    with pytest.raises(PhysicsDomainError, match="knot_time_s must be strictly increasing"):
        TemperatureProfile((0.0, 10.0, 10.0), (300.0, 400.0, 500.0))


@pytest.mark.unit
def test_offset_that_would_cool_below_zero_kelvin_raises():
    with pytest.raises(PhysicsDomainError, match=r"temperature_offset_K=-400 is outside \(-298.15, "):
        log_arrhenius_time_integral(CONVENTIONAL, 500e3, -400.0)
