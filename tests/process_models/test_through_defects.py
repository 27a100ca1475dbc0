"""Killer defects that cross a cast/sintered electrolyte: the density above the layer's thickness."""

import numpy as np
import pytest

from process_models.errors import PhysicsDomainError
from process_models.through_defects import through_defect_density_per_m2


@pytest.mark.unit
def test_reference_thickness_gives_the_stated_density_exactly():
    # the library scenarios state 0.5 killer defects per m2 for a 15 um tape: unchanged at 15 um, bit for bit
    for density in (0.0, 0.1, 0.5, 2.0, 999.0):
        for exponent in (0.0, 1.5, 3.0, 7.0):
            assert through_defect_density_per_m2(15e-6, density, 15e-6, exponent) == density


@pytest.mark.unit
def test_density_strictly_rises_as_the_layer_thins():
    thickness_m = np.linspace(40e-6, 2e-6, 50)        # thick to thin
    density = through_defect_density_per_m2(thickness_m, 0.5, 15e-6, 3.0)
    assert np.all(np.diff(density) > 0)
    # and a larger exponent (a finer flaw population, higher Weibull modulus) rises faster below the reference
    steeper = through_defect_density_per_m2(thickness_m, 0.5, 15e-6, 5.0)
    below = thickness_m < 15e-6
    assert np.all(steeper[below] > density[below])


@pytest.mark.unit
def test_power_law_of_the_flaw_sizes_exact_numbers():
    # D = D_ref (t_ref / t)^k: 15 -> 10 um at k = 3 is x(1.5^3) = x3.375; halving the thickness at k = 2 is x4
    assert through_defect_density_per_m2(10e-6, 0.5, 15e-6, 3.0) == pytest.approx(1.6875, rel=1e-14)
    assert through_defect_density_per_m2(7.5e-6, 1.0, 15e-6, 2.0) == pytest.approx(4.0, rel=1e-14)
    # scale-free: only the ratio matters
    assert through_defect_density_per_m2(1e-3, 0.2, 2e-3, 3.0) == pytest.approx(1.6, rel=1e-14)


@pytest.mark.unit
def test_bad_thickness_names_the_argument_and_value():
    with pytest.raises(PhysicsDomainError, match=r"thickness_m=0 is outside \(0, inf\)"):
        through_defect_density_per_m2(0.0, 0.5, 15e-6, 3.0)
    with pytest.raises(PhysicsDomainError, match=r"size_exponent=-1"):
        through_defect_density_per_m2(10e-6, 0.5, 15e-6, -1.0)
