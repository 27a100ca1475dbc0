"""Li+/H+ exchange of garnet powder (process_models.protonation): Crank's sphere uptake, the published
saturation in water, smaller particles faster, and the Li the firing loses."""

import numpy as np
import pytest

from process_models.errors import PhysicsDomainError
from process_models.protonation import (
    PROTON_DIFFUSIVITY_M2_PER_S,
    proton_exchange_fraction,
    protonation_li_deficit_pfu,
    saturation_exchange_fraction,
)

pytestmark = pytest.mark.unit


def test_water_saturates_at_the_published_exchange():
    # Ma et al., J. Power Sources 282 (2015) 286: at most 74.8 % of the Li exchanged in water
    assert saturation_exchange_fraction(0.3, in_water=True) == pytest.approx(0.748)
    assert proton_exchange_fraction(30 * 86400.0, 1e-6, 0.748) == pytest.approx(0.748, rel=1e-9)
    assert saturation_exchange_fraction(0.0) == 0.0   # dry air exchanges nothing


def test_crank_sphere_uptake_by_hand():
    # Crank (1975) eq. 6.20: at tau = D t / r^2 = 0.1 the uptake is 1 - 6/pi^2 sum exp(-n^2 pi^2 0.1)/n^2
    r = 0.5e-6
    t = 0.1 * r ** 2 / PROTON_DIFFUSIVITY_M2_PER_S
    n = np.arange(1, 200)
    expected = 1 - 6 / np.pi ** 2 * np.sum(np.exp(-n ** 2 * np.pi ** 2 * 0.1) / n ** 2)
    assert proton_exchange_fraction(t, 2 * r, 1.0) == pytest.approx(expected, rel=1e-9)
    # the short-time form 6 sqrt(tau/pi) - 3 tau joins the series without a step
    t_join = 1e-2 * r ** 2 / PROTON_DIFFUSIVITY_M2_PER_S
    below, above = proton_exchange_fraction(np.array([0.9999, 1.0001]) * t_join, 2 * r, 1.0)
    assert above == pytest.approx(below, rel=1e-3)


def test_smaller_particles_and_longer_times_exchange_more():
    # Redhammer et al., Crystals 11 (2021) 721: the exchange is stronger for smaller particles
    sizes = np.geomspace(0.1e-6, 20e-6, 30)
    assert np.all(np.diff(proton_exchange_fraction(3600.0, sizes, 0.374)) < 0)
    times = np.geomspace(1.0, 1e6, 40)
    assert np.all(np.diff(proton_exchange_fraction(times, 1e-6, 0.374)) > 0)
    assert np.all(proton_exchange_fraction(times, 1e-6, 0.374) <= 0.374)


def test_li_deficit():
    assert protonation_li_deficit_pfu(0.1, 6.4) == pytest.approx(0.32)
    assert protonation_li_deficit_pfu(0.0, 6.4) == 0.0


def test_bad_inputs_name_the_field():
    with pytest.raises(PhysicsDomainError, match="relative_humidity"):
        saturation_exchange_fraction(1.5)
    with pytest.raises(PhysicsDomainError, match="particle_size_m"):
        proton_exchange_fraction(10.0, 0.0, 0.5)
