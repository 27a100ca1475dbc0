"""Critical current density: every driver moves it at lab stack pressure, each against its anchor."""

import numpy as np
import pytest

from process_models.cell_metrics import critical_current_density_A_per_m2 as ccd
from process_models.errors import PhysicsDomainError
from process_models.parameters import load_material

MA_PER_CM2 = 10.0  # A/m^2
GARNET = load_material("llzo_ta")
SULPHIDE = load_material("li6ps5cl")
CLEAN_ASR = 2e-4  # ohm m^2, cleaned Li/garnet (Sharafi 2017 [R])


@pytest.mark.unit
def test_density_moves_ccd_at_lab_pressure():
    # the old min(interface, density) form gave the same CCD for 0.90 and 0.99 dense layers at 5 MPa
    low, high = ccd(CLEAN_ASR, 5e6, np.array([0.90, 0.99]), GARNET)
    assert high > 1.3 * low
    # g(rho) = ((rho - 0.6) / 0.4)^4, exact
    assert low / high == pytest.approx(((0.90 - 0.6) / 0.4) ** 4 / ((0.99 - 0.6) / 0.4) ** 4, rel=1e-12)


@pytest.mark.unit
def test_interface_state_moves_ccd_exponentially():
    # Flatscher 2020: CCD falls exponentially with interface ASR; Li2CO3-covered garnet (1710 ohm cm2,
    # Han 2017 [R]) cycles at a small fraction of a cleaned interface
    clean, dirty = ccd(np.array([CLEAN_ASR, 1710e-4]), 5e6, 0.97, GARNET)
    assert dirty < 1e-3 * clean
    asr = np.linspace(0.0, 1e-2, 50)
    values = ccd(asr, 0.0, 1.0, GARNET)
    np.testing.assert_allclose(np.diff(np.log(values)) / np.diff(asr), -1.0 / GARNET["ccd_interface_asr_scale_ohm_m2"])
    assert np.all(values <= 0.28 * MA_PER_CM2)  # Flatscher 2020: no-pressure maximum


@pytest.mark.unit
def test_stack_pressure_anchors():
    # 0.1 mA/cm2 without pressure (roadmap §2, Krauskopf 2019); 0.2 / 1.0 at 3 / 7 MPa (Kasemchainan 2019 [R])
    values = ccd(0.0, np.array([0.0, 3e6, 7e6]), 1.0, SULPHIDE) / MA_PER_CM2
    np.testing.assert_allclose(values, [0.1, 0.2, 1.0], rtol=1e-3)


@pytest.mark.unit
def test_temperature_follows_li_creep_activation():
    # stripping CCD tracks Li creep supply: Q = 37 kJ/mol (Masias 2019 [R]); 60 C gives ~4.8x 25 C
    room, warm = ccd(CLEAN_ASR, 5e6, 0.97, GARNET, temperature_K=np.array([298.15, 333.15]))
    expected = np.exp(37e3 / 8.314462618 * (1 / 298.15 - 1 / 333.15))
    assert warm / room == pytest.approx(expected, rel=1e-6)
    assert 4.5 < expected < 5.2


@pytest.mark.unit
def test_ccd_domain():
    assert float(ccd(0.0, 5e6, 0.6, GARNET)) == 0.0  # at percolation no dense path is left
    with pytest.raises(PhysicsDomainError, match="temperature_K"):
        ccd(0.0, 0.0, 1.0, GARNET, temperature_K=500.0)
