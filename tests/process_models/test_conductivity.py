"""Ionic conductivity and ohmic ASR."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from process_models.conductivity import (
    area_specific_resistance_ohm_m2,
    ionic_conductivity_S_per_m,
    porosity_conductivity_factor,
)
from process_models.errors import PhysicsDomainError
from process_models.parameters import load_material

GA = load_material("llzo_ga")
MS_PER_CM = 0.1  # S/m


@pytest.mark.unit
def test_yi_2017_conductivity_at_95_percent():
    # Yi et al. 2017: 95 % dense Ga-LLZO film, sigma = 1.3 +- 0.1 mS/cm (abstract); tolerance = reported +-0.1.
    sigma = float(ionic_conductivity_S_per_m(0.95, 1.0, 0.0, 0.0, GA))
    assert sigma == pytest.approx(1.3 * MS_PER_CM, abs=0.1 * MS_PER_CM)


@pytest.mark.unit
def test_asr_25um_at_1p3_mS_per_cm_is_about_2_ohm_cm2():
    # Yi 2017 / physics-notes §0: ASR = L / sigma; 25 um / 0.13 S/m = 1.923e-4 ohm m^2 (exact arithmetic),
    # the paper's "2 ohm cm^2" is this rounded, so 5 % tolerance.
    asr = float(area_specific_resistance_ohm_m2(25e-6, 1.3 * MS_PER_CM))
    assert asr == pytest.approx(25e-6 / 0.13, rel=1e-12)
    assert asr == pytest.approx(2.0e-4, rel=0.05)


@pytest.mark.unit
def test_tetragonal_garnet_is_two_orders_lower():
    # physics-notes §2.1: tetragonal ~1e-6 S/cm vs cubic 1e-4-1e-3 S/cm, "more than two orders of magnitude".
    cubic = float(ionic_conductivity_S_per_m(1.0, 1.0, 0.0, 0.0, GA))
    tetragonal = float(ionic_conductivity_S_per_m(1.0, 0.0, 1.0, 0.0, GA))
    assert cubic / tetragonal > 100.0


@pytest.mark.unit
def test_pyrochlore_is_insulating_and_reduces_conductivity():
    assert float(ionic_conductivity_S_per_m(1.0, 0.0, 0.0, 1.0, GA)) == 0.0
    fractions = np.linspace(0.0, 1.0, 21)
    sigma = ionic_conductivity_S_per_m(1.0, 1.0 - fractions, 0.0, fractions, GA)
    assert np.all(np.diff(sigma) < 0.0)


@pytest.mark.unit
@settings(max_examples=100, deadline=None)
@given(st.floats(0.3, 1.0), st.floats(0.0, 0.3), st.floats(0.0, 1.0))
def test_conductivity_monotone_in_density(density, step, pyrochlore):
    higher = min(1.0, density + step)
    low = ionic_conductivity_S_per_m(density, 1.0 - pyrochlore, 0.0, pyrochlore, GA)
    high = ionic_conductivity_S_per_m(higher, 1.0 - pyrochlore, 0.0, pyrochlore, GA)
    assert high >= low >= 0.0


@pytest.mark.unit
def test_percolation_threshold_and_dense_limit():
    assert float(porosity_conductivity_factor(0.60, 0.60, 1.5)) == 0.0
    assert float(porosity_conductivity_factor(0.55, 0.60, 1.5)) == 0.0
    assert float(porosity_conductivity_factor(1.0, 0.60, 1.5)) == pytest.approx(1.0)


@pytest.mark.unit
def test_grain_boundaries_lower_conductivity_more_for_small_grains():
    large = float(ionic_conductivity_S_per_m(1.0, 1.0, 0.0, 0.0, GA, grain_size_m=10e-6))
    small = float(ionic_conductivity_S_per_m(1.0, 1.0, 0.0, 0.0, GA, grain_size_m=0.2e-6))
    bulk = float(ionic_conductivity_S_per_m(1.0, 1.0, 0.0, 0.0, GA))
    assert small < large < bulk


@pytest.mark.unit
def test_reprecipitated_li6ps5cl_penalty():
    # Rosero-Navarro 2023 (2.0e-4 S/cm) vs the dense value fitted to Yan 2026 (1.63e-3 S/cm,
    # docs/calibration/sulphide_pressing.md); 2020 SSB roadmap §14.3.
    sulphide = load_material("li6ps5cl")
    pressed = float(ionic_conductivity_S_per_m(1.0, 1.0, 0.0, 0.0, sulphide))
    sprayed = float(ionic_conductivity_S_per_m(1.0, 1.0, 0.0, 0.0, sulphide,
                                               conductivity_factor=sulphide["reprecipitation_conductivity_factor"]))
    assert pressed == pytest.approx(1.6306 * MS_PER_CM, rel=1e-12)
    assert sprayed == pytest.approx(2.0e-4 * 100, rel=0.001)  # 0.1227 is 2.0/16.306 rounded to 4 digits


@pytest.mark.unit
def test_asr_of_non_conducting_layer_is_infinite():
    assert np.isinf(area_specific_resistance_ohm_m2(25e-6, 0.0))


@pytest.mark.unit
def test_conductivity_domain_errors():
    with pytest.raises(PhysicsDomainError, match=r"relative_density=1.2 is outside \(0, 1\]"):
        ionic_conductivity_S_per_m(1.2, 1.0, 0.0, 0.0, GA)
    with pytest.raises(PhysicsDomainError, match=r"needs a material of kind garnet or sulphide or polymer"):
        ionic_conductivity_S_per_m(0.9, 1.0, 0.0, 0.0, load_material("li_metal"))
    with pytest.raises(PhysicsDomainError, match=r"thickness_m=-1e-05 is outside \(0, inf\)"):
        area_specific_resistance_ohm_m2(-10e-6, 0.1)
