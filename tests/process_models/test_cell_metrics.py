"""Cell metrics: Li thickness, cathode capacity, stack energy, CCD surrogate."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from process_models.cell_metrics import (
    cathode_areal_capacity_mAh_per_cm2,
    cell_stack_metrics,
    critical_current_density_A_per_m2,
    li_thickness_for_capacity_m,
)
from process_models.constants import LI_THICKNESS_M_PER_MAH_PER_CM2
from process_models.errors import PhysicsDomainError
from process_models.parameters import load_material

MA_PER_CM2 = 10.0  # A/m^2


@pytest.mark.unit
def test_li_thickness_per_capacity():
    # physics-notes §0: 1 mAh/cm^2 = 4.85 um (Faraday's law, 3 significant figures).
    assert LI_THICKNESS_M_PER_MAH_PER_CM2 == pytest.approx(4.85e-6, rel=1e-3)
    # Burton et al. Nat. Energy 2025: <= 17 um Li for 1000 Wh/L, i.e. ~3.5 mAh/cm^2 (17/4.85 = 3.505).
    assert 17e-6 / float(li_thickness_for_capacity_m(1.0)) == pytest.approx(3.5, rel=0.01)


@pytest.mark.unit
def test_cathode_capacity_arithmetic():
    # 60 um, 60 vol% NMC811 (4750 kg/m^3, 200 mAh/g), dense: 60e-4 cm * 0.6 * 4.75 g/cm^3 * 200 = 3.42 mAh/cm^2
    assert float(cathode_areal_capacity_mAh_per_cm2(60e-6, 0.6, 4750.0, 200.0)) == pytest.approx(3.42, rel=1e-12)


@pytest.mark.unit
@settings(max_examples=50, deadline=None)
@given(st.floats(1e-6, 200e-6), st.floats(0.1, 5.0), st.integers(1, 50))
def test_stack_metrics_scale_correctly(li_thickness, capacity, units):
    layers = [(10e-6, 8960.0), (80e-6, 3500.0), (25e-6, 5100.0), (li_thickness, 534.0)]
    one = cell_stack_metrics(layers, 0.01, 1, capacity, 3.8)
    many = cell_stack_metrics(layers, 0.01, units, capacity, 3.8)
    assert many["energy_Wh"] == pytest.approx(units * one["energy_Wh"], rel=1e-12)
    assert many["specific_energy_Wh_per_kg"] == pytest.approx(one["specific_energy_Wh_per_kg"], rel=1e-12)
    packed = cell_stack_metrics(layers, 0.01, units, capacity, 3.8, packaging_mass_fraction=0.2,
                                packaging_thickness_m=1e-3)
    assert packed["specific_energy_Wh_per_kg"] == pytest.approx(0.8 * many["specific_energy_Wh_per_kg"], rel=1e-12)
    assert packed["energy_density_Wh_per_L"] < many["energy_density_Wh_per_L"]


@pytest.mark.unit
def test_thinner_li_raises_energy_density():
    # Burton 2025 / roadmap §14.2.2: thinner Li anodes raise cell-level energy density.
    thick = cell_stack_metrics([(80e-6, 3500.0), (25e-6, 5100.0), (100e-6, 534.0)], 0.01, 10, 3.5, 3.8)
    thin = cell_stack_metrics([(80e-6, 3500.0), (25e-6, 5100.0), (17e-6, 534.0)], 0.01, 10, 3.5, 3.8)
    assert thin["energy_density_Wh_per_L"] > thick["energy_density_Wh_per_L"]


@pytest.mark.unit
def test_ccd_surrogate_anchors():
    garnet = load_material("llzo_ga")
    # roadmap §2 (Krauskopf 2019): 0.1 mA/cm^2 with no pressure, ideal interface, dense electrolyte.
    assert float(critical_current_density_A_per_m2(0.0, 0.0, 1.0, garnet)) == pytest.approx(0.1 * MA_PER_CM2)
    # Flatscher 2020: 0.28 mA/cm^2 is the maximum without pressure; the surrogate must not exceed it.
    asr = np.linspace(0.0, 1e-2, 50)
    assert np.all(critical_current_density_A_per_m2(asr, 0.0, 1.0, garnet) <= 0.28 * MA_PER_CM2)
    assert np.all(np.diff(critical_current_density_A_per_m2(asr, 0.0, 1.0, garnet)) < 0)
    # Kasemchainan 2019 [R]: 0.2 / 1.0 mA/cm^2 at 3 / 7 MPa (Li6PS5Cl), used to set P_c and k.
    sulphide = load_material("li6ps5cl")
    ccd = critical_current_density_A_per_m2(0.0, np.array([3e6, 7e6]), 1.0, sulphide)
    np.testing.assert_allclose(ccd / MA_PER_CM2, [0.2, 1.0], rtol=1e-3)
    # Doux 2020: 5 MPa is a moderate, helpful pressure; the surrogate must rise from 0 to 5 MPa.
    assert critical_current_density_A_per_m2(0.0, 5e6, 1.0, sulphide) > 3 * critical_current_density_A_per_m2(
        0.0, 0.0, 1.0, sulphide)


@pytest.mark.unit
def test_ccd_monotone_in_density_and_limited_by_porosity():
    garnet = load_material("llzo_ga")
    density = np.linspace(0.6, 1.0, 41)
    ccd = critical_current_density_A_per_m2(0.0, 50e6, density, garnet)
    assert np.all(np.diff(ccd) >= 0) and float(ccd[0]) == 0.0


@pytest.mark.unit
def test_cell_metric_domain_errors():
    with pytest.raises(PhysicsDomainError, match=r"areal_capacity_mAh_per_cm2=-1 is outside \[0, inf\)"):
        li_thickness_for_capacity_m(-1.0)
    with pytest.raises(PhysicsDomainError, match=r"packaging_mass_fraction=1 is outside \[0, 1\)"):
        cell_stack_metrics([(1e-5, 1000.0)], 0.01, 1, 1.0, 3.8, packaging_mass_fraction=1.0)
    with pytest.raises(PhysicsDomainError, match=r"needs a material of kind garnet or sulphide"):
        critical_current_density_A_per_m2(0.0, 0.0, 1.0, load_material("peo_litfsi"))


@pytest.mark.unit
def test_stack_metrics_with_packaging_thickness_add_it_over_the_area_once():
    layers = [(10e-6, 8960.0), (80e-6, 3500.0)]
    plain = cell_stack_metrics(layers, 0.01, 20, 3.5, 3.8)
    packed = cell_stack_metrics(layers, 0.01, 20, 3.5, 3.8, packaging_thickness_m=200e-6)
    assert packed["volume_m3"] - plain["volume_m3"] == pytest.approx(0.01 * 200e-6, rel=1e-12)
