"""Co-sintered laminates: free shrinkage, bilayer curvature (Timoshenko 1925), camber geometry."""

from __future__ import annotations

import numpy as np
import pytest

from process_models import co_sintering as cs
from process_models.errors import PhysicsDomainError

pytestmark = pytest.mark.unit


def test_free_shrinkage_conserves_mass():
    e = cs.free_linear_shrinkage(0.55, np.array([0.55, 0.8, 0.99]))
    assert e[0] == 0.0
    # rho0 L0^3 = rho L^3
    np.testing.assert_allclose(0.55 * 1.0 ** 3, np.array([0.55, 0.8, 0.99]) * (1.0 - e) ** 3, rtol=1e-12)


def test_equal_layers_bend_at_three_halves_mismatch_over_thickness():
    # Timoshenko 1925, m = n = 1: kappa = 3 de / (2 h)
    assert cs.bilayer_curvature_per_m(0.004, 50e-6, 50e-6, 1.0) == pytest.approx(1.5 * 0.004 / 100e-6, rel=1e-12)


def test_curvature_is_odd_in_the_mismatch_and_symmetric_under_layer_swap():
    k = cs.bilayer_curvature_per_m(np.array([-0.01, 0.0, 0.01]), 20e-6, 90e-6, 2.0)
    assert k[1] == 0.0 and k[0] == pytest.approx(-k[2], rel=1e-12)
    # swapping the layers (and the sign, and the stiffness ratio) gives the same bend
    swapped = cs.bilayer_curvature_per_m(-0.01, 90e-6, 20e-6, 0.5)
    assert swapped == pytest.approx(-k[2], rel=1e-12)


def test_a_thin_layer_on_a_stiff_substrate_follows_stoney():
    # Stoney limit (t1 << t2): kappa -> 6 n t1 de / t2^2
    t1, t2, n, de = 1e-7, 1e-3, 1.0, 0.001
    assert cs.bilayer_curvature_per_m(de, t1, t2, n) == pytest.approx(6 * n * t1 * de / t2 ** 2, rel=1e-3)


def test_camber_is_the_sagitta_and_stays_within_the_sheet():
    assert cs.edge_deflection_m(0.1, 0.3) == pytest.approx((1 - np.cos(0.015)) / 0.1, rel=1e-12)
    assert cs.edge_deflection_m(0.0, 0.3) == 0.0
    curled = cs.edge_deflection_m(np.array([100.0, 1e4]), 0.3)
    assert np.all(curled <= 0.3)


def test_bad_input_names_the_field():
    with pytest.raises(PhysicsDomainError, match="thickness_1_m"):
        cs.bilayer_curvature_per_m(0.01, -1e-6, 1e-5, 1.0)
    with pytest.raises(PhysicsDomainError, match="green_relative_density"):
        cs.free_linear_shrinkage(0.0, 0.9)
