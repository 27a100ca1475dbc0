"""A composite cathode's accessible capacity against its made density, and an anode-free cell's first-cycle Li
loss (process_models.cell_metrics.composite_cathode_utilisation, process_models.formation)."""

from __future__ import annotations

import numpy as np
import pytest

from process_models.cell_metrics import composite_cathode_utilisation
from process_models.errors import PhysicsDomainError
from process_models.formation import (
    ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION,
    cyclable_capacity_after_formation_mAh_per_cm2,
)
from process_models.parameters import load_material

DRY_COMPOSITES = ("lco_llzto_composite", "nmc811_li6ps5cl_composite")


def _law(material):
    return (material["utilisation_percolation_relative_density"], material["utilisation_full_relative_density"],
            material["utilisation_exponent"])


@pytest.mark.unit
@pytest.mark.parametrize("name", DRY_COMPOSITES)
def test_utilisation_lies_in_0_1_and_a_denser_cathode_never_reaches_less(name):
    density = np.linspace(0.0, 1.0, 1001)
    utilisation = composite_cathode_utilisation(density, *_law(load_material(name)))
    assert np.all((utilisation >= 0.0) & (utilisation <= 1.0))
    assert np.all(np.diff(utilisation) >= 0.0)
    # nothing at the particulate packing of an as-sprayed / as-cast deposit, all of it when fully dense
    assert utilisation[550] == 0.0 and utilisation[-1] == 1.0


@pytest.mark.unit
def test_sulphide_composite_at_14_percent_porosity_reaches_the_published_share():
    # Minnmann et al., J. Electrochem. Soc. 168 (2021) 040537: NCM622/Li6PS5Cl cold-pressed to a mean 14 %
    # porosity, 154 mAh/g at C/10 against ~175 mAh/g of NCM622 in liquid cells ([R]): u = 0.88 at 0.86
    material = load_material("nmc811_li6ps5cl_composite")
    assert float(composite_cathode_utilisation(0.86, *_law(material))) == pytest.approx(154.0 / 175.0, abs=0.02)


@pytest.mark.unit
def test_oxide_composite_density_pair_of_fast_sintered_half_cells():
    # 'High-pressure field assisted sintering of half-cell for all-solid-state battery' (abstract; Laptev et al.,
    # Mater. Lett. 2019 [R]): LCO/LLZO mixed cathode on LLZO, FAST at 675 C; the half-cell at ~95 % relative
    # density stores two-fold the areal capacity of the one at ~78 % (same powders, same loading). 'Two-fold' is a
    # rounded word and the densities are half-cell means: held to x/1.25 (the law gives 1/0.6 = 1.67).
    law = _law(load_material("lco_llzto_composite"))
    ratio = float(composite_cathode_utilisation(0.95, *law) / composite_cathode_utilisation(0.78, *law))
    assert 2.0 / 1.25 <= ratio <= 2.0 * 1.25
    assert ratio == pytest.approx(1.0 / 0.6, rel=1e-12)


@pytest.mark.unit
def test_utilisation_law_exact_values_and_exponent():
    assert float(composite_cathode_utilisation(0.75, 0.6, 0.9)) == 0.5
    assert float(composite_cathode_utilisation(0.75, 0.6, 0.9, exponent=2.0)) == 0.25
    per_sheet = composite_cathode_utilisation(np.array([0.6, 0.72, 0.9, 0.97]), 0.6, 0.9)
    np.testing.assert_allclose(per_sheet, [0.0, 0.4, 1.0, 1.0], rtol=0, atol=1e-15)


@pytest.mark.unit
def test_utilisation_refuses_a_full_density_at_or_below_the_threshold_and_densities_out_of_range():
    with pytest.raises(PhysicsDomainError, match=r"full_utilisation_relative_density 0.6 must be above "
                                                 r"percolation_relative_density 0.6"):
        composite_cathode_utilisation(0.8, 0.6, 0.6)
    with pytest.raises(PhysicsDomainError, match=r"relative_density=1.2 is outside \[0, 1\]"):
        composite_cathode_utilisation(1.2, 0.6, 0.9)
    with pytest.raises(PhysicsDomainError, match=r"exponent"):
        composite_cathode_utilisation(0.8, 0.6, 0.9, exponent=0.0)


@pytest.mark.unit
def test_anode_free_cell_cycles_its_first_charge_less_the_li_lost_plating_the_anode():
    assert float(cyclable_capacity_after_formation_mAh_per_cm2(2.0, 0.1)) == pytest.approx(1.8, rel=1e-15)
    charged = np.array([0.0, 1.0, 3.5])
    np.testing.assert_array_equal(cyclable_capacity_after_formation_mAh_per_cm2(charged, 0.0), charged)
    kept = cyclable_capacity_after_formation_mAh_per_cm2(charged, ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION)
    np.testing.assert_allclose(kept, charged * (1.0 - ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION), rtol=1e-15)
    assert 0.0 < ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION < 0.5


@pytest.mark.unit
def test_anode_free_first_cycle_loss_is_the_published_first_cycle_loss_of_an_ag_c_cell():
    # Lee et al., Nat. Energy 5 (2020) 299, Supplementary Fig. 7 (Ag-C interlayer, Li6PS5Cl, NMC90, 0.1 C / 0.2 C,
    # 60 C), figure-read: ~233 mAh/g charged, ~214 discharged; +-3 mAh/g per reading is +-1.5 points. The cell
    # without Ag-C (~217, 6.9 %) and their 0.6 Ah pouch (~690 / ~630 mAh, 8.7 %) bracket it.
    published = 1.0 - 214.0 / 233.0
    assert ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION == pytest.approx(published, abs=0.015)
    assert 1.0 - 217.0 / 233.0 <= ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION <= 1.0 - 630.0 / 690.0
    # what the cell cycles: the first discharge over the first charge
    kept = float(cyclable_capacity_after_formation_mAh_per_cm2(233.0, ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION))
    assert kept == pytest.approx(214.0, abs=3.0)


@pytest.mark.unit
def test_first_cycle_loss_out_of_range_names_the_field():
    with pytest.raises(PhysicsDomainError, match=r"first_cycle_li_loss_fraction=1 is outside \[0, 1\)"):
        cyclable_capacity_after_formation_mAh_per_cm2(2.0, 1.0)
    with pytest.raises(PhysicsDomainError, match=r"charged_capacity_mAh_per_cm2=-1"):
        cyclable_capacity_after_formation_mAh_per_cm2(-1.0, 0.1)
