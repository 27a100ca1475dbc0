"""Interface ASR vs pressure: R_int ~ (contact area)^-1 and ~ P^-0.5 (arXiv 2501.00600, Li6PS5Cl)."""

import numpy as np
import pytest

from process_models.lamination import li_contact_fraction, li_interface_asr_ohm_m2
from process_models.parameters import load_material

LI = load_material("li_metal")


def _laminated_asr(pressure_Pa):
    contact = li_contact_fraction(pressure_Pa, 373.15, 0.06, LI)
    return li_interface_asr_ohm_m2(contact, LI, pressure_Pa=pressure_Pa)


@pytest.mark.unit
def test_asr_keeps_falling_as_p_to_the_minus_half_above_full_contact():
    # the old law went flat once the contact closed (~2.4 MPa = 3 x 0.8 MPa yield)
    pressure = np.array([3e6, 5e6, 10e6, 30e6])
    asr = _laminated_asr(pressure)
    slope = np.diff(np.log(asr)) / np.diff(np.log(pressure))
    np.testing.assert_allclose(slope, -0.5, atol=1e-9)  # published exponent -0.5
    assert float(asr[1]) == pytest.approx(2.0e-4)  # 2 ohm cm2 (Sharafi 2017 [R]) at the 5 MPa reference


@pytest.mark.unit
def test_asr_scales_as_inverse_contact_area_at_fixed_pressure():
    contact = np.array([0.1, 0.25, 0.5, 1.0])
    asr = li_interface_asr_ohm_m2(contact, LI, pressure_Pa=5e6)
    slope = np.diff(np.log(asr)) / np.diff(np.log(contact))
    np.testing.assert_allclose(slope, -1.0, atol=1e-12)  # published exponent -1


@pytest.mark.unit
def test_asr_is_monotone_over_the_whole_lamination_window():
    pressure = np.geomspace(0.1e6, 200e6, 200)
    asr = _laminated_asr(pressure)
    assert np.all(np.diff(asr) < 0)
    assert np.all(np.isfinite(asr))
