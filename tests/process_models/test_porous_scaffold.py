"""Porous garnet scaffold with Li infiltration (process_models.porous_scaffold): volume balance, pore geometry,
Young-Laplace filling and the internal-area factor against the published scale (Hitz 2019, Flatscher 2020)."""

import numpy as np
import pytest

from process_models.constants import LI_THICKNESS_M_PER_MAH_PER_CM2
from process_models.errors import PhysicsDomainError
from process_models.porous_scaffold import (
    infiltrated_li_mAh_per_cm2,
    internal_area_factor,
    melt_fills_pores,
    scaffold_pore_size_m,
    scaffold_porosity,
)

pytestmark = pytest.mark.unit


def test_volume_balance():
    assert scaffold_porosity(0.0, 0.95) == pytest.approx(0.05)       # no pore former: the struts' own pores
    assert scaffold_porosity(0.6, 1.0) == pytest.approx(0.6)         # dense struts: the pore former's volume
    assert np.all(np.diff(scaffold_porosity(np.linspace(0, 0.8, 9), 0.95)) > 0)


def test_area_factor_reaches_the_scale_a_high_ccd_needs():
    # Flatscher et al. 2020: ~0.28 mA/cm2 flat-contact limit; Hitz et al. 2019 cycle a Li-filled 50 um
    # scaffold at ~10 mA/cm2 [R]: a factor of the order of 30 in interface area
    factor = internal_area_factor(scaffold_porosity(0.6, 0.95), scaffold_pore_size_m(5e-6, 0.2), 50e-6)
    assert 10 < factor < 60
    assert 0.28 * factor == pytest.approx(10, rel=0.6)
    assert internal_area_factor(0.6, 4e-6, 0.0) == 1.0                # no scaffold: the flat face
    assert internal_area_factor(0.6, 4e-6, 50e-6, 0.0) == 1.0         # unfilled pores add no interface


def test_only_a_wetting_melt_fills_the_pores():
    assert melt_fills_pores(np.array([0.0, 30.0, 89.9, 90.0, 142.0])).tolist() == [1.0, 1.0, 1.0, 0.0, 0.0]


def test_infiltrated_li_by_hand():
    assert infiltrated_li_mAh_per_cm2(0.5, 40e-6) == pytest.approx(0.5 * 40e-6 / LI_THICKNESS_M_PER_MAH_PER_CM2)
    # 4.85 um of dense Li per mAh/cm2
    assert LI_THICKNESS_M_PER_MAH_PER_CM2 == pytest.approx(4.85e-6, rel=0.01)


def test_bad_inputs_name_the_field():
    with pytest.raises(PhysicsDomainError, match="pore_former_volume_fraction"):
        scaffold_porosity(1.2, 0.9)
    with pytest.raises(PhysicsDomainError, match="pore_size_m"):
        internal_area_factor(0.5, 0.0, 1e-5)
