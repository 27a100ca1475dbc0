"""Field case 07: Li6PS5Cl pressed at 250 / 625 MPa in a -50 C dew-point dry room against Yan et al. 2026.

Published (pellets of loose powder pressed in a glove box, Yan et al., J. Colloid Interface Sci. 2026, via
iestbattery.com 'stepwise pressure effects'): 250 MPa -> 1.02 mS/cm, 625 MPa -> 1.54 mS/cm. The case's
sheet is not that pellet: it starts from a sprayed layer at 0.60 packing (the pellet from 0.50 loose powder,
so it ends a little denser) and it waits ~2.4 h porous in the dry room for the calender and ~6 h dense
before Li covers it. The twin gave 0.54 / 0.74 mS/cm because it applied the powder's hydrolysis rate
(GM R&D 2022) to the whole layer whatever its density; the rate now acts on the surface the air reaches.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from twin.evaluate import evaluate_scenario
from twin.scenario import load_scenario
from twin.sheet_batch import SheetBatch
from twin.sheet_physics import apply_step, sample_conditions

CASE = Path(__file__).parent / "cases" / "lpscl_overpress_750MPa.yaml"
PUBLISHED_MS_PER_CM = {250: 1.02, 625: 1.54}


def _pressed_without_air(pressure_MPa: float, sheets: int = 300) -> np.ndarray:
    """Conductivity [mS/cm] right after the calender, with no clock (no zone air: the glove-box pellet)."""
    scenario = load_scenario(CASE, {"route.electrolyte_calendering.pressure_MPa": pressure_MPa})
    last = [s.name for s in scenario.route].index("electrolyte_calendering")
    batch = SheetBatch.new(sheets)
    rng = np.random.default_rng(11)
    for index in range(last + 1):
        apply_step(scenario, index, batch, sample_conditions(scenario, index, sheets, rng))
    return batch.state["ionic_conductivity_S_per_m"][batch.alive] * 10.0


@pytest.mark.component
@pytest.mark.parametrize("pressure_MPa", [250, 625])
def test_sheet_pressed_without_air_matches_the_published_pellet(pressure_MPa):
    # the sprayed layer starts denser (0.60) than the loose powder of the pellet (0.50): at 250 MPa it ends
    # 0.89 against 0.86 dense, +11 % in conductivity; at 625 MPa both are near full density (+1 %). So the
    # sheet sits at or above the pellet, within 12 % (docs/calibration/sulphide_pressing.md)
    published = PUBLISHED_MS_PER_CM[pressure_MPa]
    mean = float(np.mean(_pressed_without_air(pressure_MPa)))
    assert published * 0.99 <= mean <= published * 1.12


@pytest.fixture(scope="module")
def dry_room_results():
    return {p: evaluate_scenario(load_scenario(CASE, {"route.electrolyte_calendering.pressure_MPa": p}))
            for p in PUBLISHED_MS_PER_CM}


@pytest.mark.component
@pytest.mark.parametrize("pressure_MPa", [250, 625])
def test_dry_room_sheet_keeps_most_of_the_pellet_conductivity(dry_room_results, pressure_MPa):
    # field-07: the twin gave 0.54 / 0.74 mS/cm (0.53x / 0.48x). In the -50 C room (3.9 Pa of water) the
    # sheet waits ~2.4 h porous (0.77 of its powder's surface open: retention ~0.84) and ~6 h pressed (its
    # face and remaining open pores: >= 0.93): 0.91 / 1.30 mS/cm, 0.89x / 0.84x of the glove-box pellet.
    # The tolerance: the pellet-to-sheet density difference above (+12 %) and the hydrolysis of the porous
    # wait, whose rate is the powder's (GM 2022, a Li3PS4-LiI proxy for Li6PS5Cl): 0.80x to 1.12x
    published = PUBLISHED_MS_PER_CM[pressure_MPa]
    mean = dry_room_results[pressure_MPa]["quality"]["ionic_conductivity_S_per_cm"]["mean"] * 1e3
    assert 0.80 * published <= mean <= 1.12 * published
    # and below the same sheet pressed without air: the dry room costs conductivity, it never adds any
    assert mean < float(np.mean(_pressed_without_air(pressure_MPa)))


@pytest.mark.component
def test_harder_pressing_still_conducts_better_in_the_dry_room(dry_room_results):
    conductivity = {p: r["quality"]["ionic_conductivity_S_per_cm"]["mean"] for p, r in dry_room_results.items()}
    assert conductivity[625] > 1.3 * conductivity[250]
