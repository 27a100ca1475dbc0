"""Back-fill physics: Washburn/Darcy infiltration depth, open porosity, filled pores, composite conductivity."""

import numpy as np
import pytest

from process_models.errors import PhysicsDomainError
from process_models.polymer_infiltration import (
    backfilled_conductivity_S_per_m,
    filled_pore_fraction,
    infiltration_depth_m,
    open_porosity_fraction,
)

pytestmark = pytest.mark.unit


def test_capillary_uptake_is_washburns_law():
    # Washburn 1921: L^2 = r gamma cos(theta) t / (2 eta); water in a 1 um capillary for 1 s reaches 6 mm
    depth = float(infiltration_depth_m(1.0, 1e-6, 1e-3, 0.072, 0.0, 0.0, 1.0))
    assert depth == pytest.approx(np.sqrt(1e-6 * 0.072 * 1.0 / (2 * 1e-3)), rel=1e-12)
    assert depth == pytest.approx(6.0e-3, rel=1e-3)


def test_pressure_driven_uptake_is_poiseuille_flow():
    # no capillarity (gamma = 0): (tau L)^2 = r^2 dP t / (4 eta)
    depth = float(infiltration_depth_m(10.0, 2e-6, 50.0, 0.0, 0.0, 1e5, 2.0))
    assert depth == pytest.approx(np.sqrt(4e-12 * 1e5 * 10.0 / 200.0) / 2.0, rel=1e-12)


def test_depth_scales_with_root_time_over_viscosity_and_falls_with_contact_angle():
    base = float(infiltration_depth_m(60.0, 0.1e-6, 100.0, 0.035, 0.5, 1e5))
    assert float(infiltration_depth_m(240.0, 0.1e-6, 100.0, 0.035, 0.5, 1e5)) == pytest.approx(2 * base, rel=1e-12)
    assert float(infiltration_depth_m(60.0, 0.1e-6, 400.0, 0.035, 0.5, 1e5)) == pytest.approx(base / 2, rel=1e-12)
    assert float(infiltration_depth_m(60.0, 0.1e-6, 100.0, 0.035, 1.2, 1e5)) < base


def test_a_non_wetting_angle_is_refused():
    with pytest.raises(PhysicsDomainError, match="contact_angle_rad"):
        infiltration_depth_m(1.0, 1e-6, 1.0, 0.03, 2.0)


def test_pores_close_between_85_and_92_percent_dense():
    np.testing.assert_allclose(open_porosity_fraction([0.6, 0.85, 0.885, 0.92, 0.97]), [1.0, 1.0, 0.5, 0.0, 0.0],
                               atol=1e-12)


def test_filled_fraction_is_reach_times_open_times_cycles():
    # half the depth reached from one face, all pores open, three 20 vol% solution cycles: 0.5 x 0.488
    assert float(filled_pore_fraction(10e-6, 20e-6, 1, 0.8, 0.2, 3)) == pytest.approx(0.5 * (1 - 0.8 ** 3), rel=1e-12)
    # from both faces the same depth fills the whole layer; a melt fills in one cycle
    assert float(filled_pore_fraction(10e-6, 20e-6, 2, 0.8)) == pytest.approx(1.0)
    # a scaffold above pore closure takes nothing in
    assert float(filled_pore_fraction(1e-3, 20e-6, 2, 0.95)) == 0.0


def test_backfilled_conductivity_adds_the_polymer_network():
    assert float(backfilled_conductivity_S_per_m(0.02, 0.01, 0.3, 0.0)) == pytest.approx(0.02)
    assert float(backfilled_conductivity_S_per_m(0.02, 0.01, 0.3, 1.0)) == pytest.approx(0.02 + 0.01 * 0.3 ** 1.5)
    filled = np.linspace(0.0, 1.0, 11)
    assert np.all(np.diff(backfilled_conductivity_S_per_m(0.02, 0.01, 0.3, filled)) > 0)
