"""Rate-limited delivery of a made cell layer: limits, exact numbers and monotonicity."""

from __future__ import annotations

import numpy as np
import pytest

from process_models.cell_delivery import delivered_energy_Wh_per_m2, rate_limited_delivery
from process_models.errors import PhysicsDomainError

pytestmark = pytest.mark.unit


def test_no_resistance_delivers_everything_at_the_nominal_voltage():
    fraction, voltage = rate_limited_delivery(3.5, 0.0, 1 / 3, 3.85, 3.0)
    assert fraction == 1.0
    assert voltage == pytest.approx(3.85, rel=1e-12)
    # 3.5 mAh/cm2 = 35 Ah/m2 at 3.85 V
    assert delivered_energy_Wh_per_m2(3.5, 0.0, 1 / 3, 3.85, 3.0) == pytest.approx(134.75, rel=1e-12)


def test_hand_calculation_of_the_ohmic_cut_off():
    # j = C/3 x 3.5 mA/cm2 = 11.667 A/m2; 100 ohm cm2 = 0.01 ohm m2 -> eta = 0.11667 V; window 2 x 0.85 V
    fraction, voltage = rate_limited_delivery(3.5, 0.01, 1 / 3, 3.85, 3.0)
    eta = (3.5 / 3) * 10 * 0.01
    assert fraction == pytest.approx(1 - eta / 1.7, rel=1e-12)
    assert voltage == pytest.approx(3.85 + 0.85 * eta / 1.7 - eta, rel=1e-12)


def test_a_drop_spanning_the_window_delivers_nothing():
    # 2 x (3.85 - 3.0) = 1.7 V; at C/3 and 3.5 mAh/cm2 that needs 1.7 / 11.667 = 0.1457 ohm m2
    assert rate_limited_delivery(3.5, 0.2, 1 / 3, 3.85, 3.0)[0] == 0.0
    assert delivered_energy_Wh_per_m2(3.5, 0.2, 1 / 3, 3.85, 3.0) == 0.0


def test_delivery_falls_monotonically_with_resistance_and_rate():
    asr = np.linspace(0.0, 0.2, 201)
    energy = delivered_energy_Wh_per_m2(3.5, asr, 1 / 3, 3.85, 3.0)
    assert np.all(np.diff(energy) <= 1e-12)
    faster = delivered_energy_Wh_per_m2(3.5, asr, 1.0, 3.85, 3.0)
    assert np.all(faster <= energy + 1e-12)


def test_cut_off_at_or_above_nominal_is_refused():
    with pytest.raises(PhysicsDomainError, match="cutoff_voltage_V"):
        rate_limited_delivery(3.5, 0.0, 1 / 3, 3.0, 3.0)
