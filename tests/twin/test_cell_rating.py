"""What the made cell can do, said honestly: its fastest charge against the CCD, Wh/L of the finished cell
(packaging included, as in Wh/kg), and each layer's design thickness held against what the line makes."""

from __future__ import annotations

import numpy as np
import pytest

from twin.cell_output import good_sheet_mask
from twin.cell_rating import (
    PACKAGING_DENSITY_KG_PER_M3,
    c_rate_text,
    cyclable_capacity_mAh_per_cm2,
    finished_cell_metrics,
    max_charge_c_rate_per_h,
    thickness_recipe_step,
)
from twin.commands.output_notes import output_notes
from twin.evaluate import evaluate_details
from twin.results import quality_summary
from twin.scenario import apply_overrides, load_scenario, read_scenario_document, validate_scenario
from twin.scenario.errors import ScenarioError
from twin.sheet_batch import SHEET_STATE_FIELDS

BASELINE = "scenarios/oxide_baseline.yaml"
ROW = {name: i for i, name in enumerate(SHEET_STATE_FIELDS)}


def _scenario(**overrides):
    return validate_scenario(apply_overrides(read_scenario_document(BASELINE), overrides))


@pytest.fixture(scope="module")
def baseline():
    return evaluate_details(load_scenario(BASELINE))


@pytest.fixture(scope="module")
def unrated():
    """The baseline without its charge rating (C/20 since the grading tester charges at it): rated at C/3 only."""
    return evaluate_details(_scenario(**{"cell.rating.charge_c_rate_per_h": None}))


@pytest.mark.unit
@pytest.mark.parametrize(("rate", "at_most", "text"), [
    (0.3333, False, "C/3"), (1.0 / 16.0, False, "C/16"), (0.0586, True, "C/18"), (0.064, True, "C/16"),
    (0.2, True, "C/5"), (0.13, True, "C/7.7"), (1.77, True, "1.7C"), (2.0, False, "2C"), (0.0, True, "0C"),
])
def test_c_rates_are_written_as_a_cell_maker_writes_them_and_a_limit_never_rounds_faster(rate, at_most, text):
    assert c_rate_text(rate, at_most=at_most) == text


@pytest.mark.unit
def test_fastest_charge_is_ccd_over_areal_capacity_and_unset_where_no_ccd_or_cathode():
    values = np.full((len(SHEET_STATE_FIELDS), 4), np.nan)
    values[ROW["critical_current_density_A_per_m2"]] = [2.24, 10.0, np.nan, 5.0]    # A/m2 = 0.1 mA/cm2
    values[ROW["areal_capacity_mAh_per_cm2"]] = [3.5, 2.0, 3.0, 0.0]
    rates = max_charge_c_rate_per_h(values)
    # 0.224 mA/cm2 / 3.5 mAh/cm2 = 0.064 /h; 1 mA/cm2 / 2 mAh/cm2 = C/2
    assert rates[:2] == pytest.approx([0.064, 0.5], rel=1e-12)
    assert np.isnan(rates[2:]).all()


@pytest.mark.component
def test_the_cell_block_reports_the_fastest_charge_of_every_good_sheet(baseline):
    values = baseline.batch.values[:, good_sheet_mask(baseline.batch.values, baseline.batch.alive)]
    cell = baseline.result["cell"]
    ratio = values[ROW["critical_current_density_A_per_m2"]] * 0.1 / values[ROW["areal_capacity_mAh_per_cm2"]]
    assert cell["max_charge_c_rate_per_h"] == quality_summary(ratio)
    summary = cell["max_charge_c_rate_per_h"]
    assert 0.0 < summary["p5"] <= summary["mean"] <= summary["p95"]
    assert cell["rated_charge_c_rate_per_h"] == 0.05     # C/20, below every sampled sheet's limit


@pytest.mark.component
def test_the_baseline_rated_at_c3_is_told_its_cells_short_on_a_c3_charge(unrated):
    sentence = unrated.result["cell"]["charge_limit"]
    # the charge it recommends is the slowest good cell's limit, rounded down (never the weakest 5 %'s C/18,
    # which 5 % of the cells cannot take)
    values = unrated.batch.values[:, good_sheet_mask(unrated.batch.values, unrated.batch.alive)]
    limits = max_charge_c_rate_per_h(values, cyclable_capacity_mAh_per_cm2(unrated.scenario, values))
    SLOWEST = c_rate_text(float(np.nanmin(limits)), at_most=True)
    assert sentence == (
        "Charge: the cells' critical current density (mean 0.224 mA/cm2, p5 0.212) at 25 C and 5 MPa stack "
        "pressure allows at most C/16 charge (C/18 for the weakest 5 %); the rating assumes C/3 charge "
        "(cell.rating.c_rate_per_h; no charge_c_rate_per_h is given): all of the cells charged at C/3 would short "
        "(Li dendrites above the CCD, roadmap 2020 §2). The yield and cost above count them good, as if charging "
        "at C/3 were safe (no check scraps on the CCD unless a spec is set). Charge at "
        f"{SLOWEST} or slower (the slowest of those cells' limit), or raise the CCD (stack pressure, interface ASR, "
        "electrolyte density).")
    assert sentence in output_notes(unrated.result)


@pytest.mark.component
def test_a_charge_rating_the_cells_take_gets_no_sentence_and_a_partial_one_gives_the_share(baseline, unrated):
    slow = baseline.result    # the library baseline is rated to charge at C/20
    assert slow["cell"]["charge_limit"] is None and slow["cell"]["rated_charge_c_rate_per_h"] == 0.05
    # the rating scraps nothing (no spec): the yield is the unrated line's; the capacity grading's tester charges
    # at the rated C/20, not at C/3, so each cell holds its channel 1.05 x 20 + 3.0003 + 0.3 x 20 + 0.5 + 1 h
    # (short test) = 31.5003 h instead of 1.35 x 3.0003 + 3.0003 + 0.5 + 1 = 8.5507 h: the same testers are
    # that much more loaded
    assert slow["yield"]["overall"] == pytest.approx(unrated.result["yield"]["overall"], abs=1e-12)
    loaded, light = (r["stations"]["end_of_line_test"]["utilization"] for r in (slow, unrated.result))
    assert loaded / light == pytest.approx((21.0 + 1.0 / 0.3333 + 6.0 + 1.5) / (1.35 / 0.3333 + 1.0 / 0.3333 + 1.5),
                                           rel=1e-9)
    values = baseline.batch.values[:, good_sheet_mask(baseline.batch.values, baseline.batch.alive)]
    share = float(np.mean(max_charge_c_rate_per_h(values) < 0.0625))
    middle = evaluate_details(_scenario(**{"cell.rating.charge_c_rate_per_h": 0.0625})).result["cell"]
    assert 0.0 < share < 1.0
    assert (f"the rating assumes C/16 charge (cell.rating.charge_c_rate_per_h): {share * 100:.3g} % of the cells "
            "charged at C/16 would short") in middle["charge_limit"]


@pytest.mark.component
def test_cells_with_a_ccd_above_the_rated_charge_and_cells_without_a_ccd_get_no_sentence():
    trilayer = evaluate_details(load_scenario("scenarios/oxide_trilayer.yaml")).result["cell"]
    assert trilayer["charge_limit"] is None and trilayer["max_charge_c_rate_per_h"]["p5"] > 1.0
    liion = evaluate_details(load_scenario("scenarios/liion_batpac_reference.yaml")).result["cell"]
    assert liion["charge_limit"] is None and liion["max_charge_c_rate_per_h"]["mean"] is None


@pytest.mark.unit
def test_a_charge_rating_outside_its_range_is_refused_naming_the_field():
    with pytest.raises(ScenarioError, match=r"cell.rating.charge_c_rate_per_h: 20 is above 10 "):
        _scenario(**{"cell.rating.charge_c_rate_per_h": 20})


@pytest.mark.component
def test_wh_per_l_counts_the_packaging_volume_that_wh_per_kg_counts_as_mass(baseline):
    scenario = baseline.scenario
    values = baseline.batch.values[:, good_sheet_mask(baseline.batch.values, baseline.batch.alive)]
    cell = finished_cell_metrics(scenario, values, 50.0)
    bare = finished_cell_metrics(_scenario(**{"cell.format.packaging_mass_fraction": 0.0}), values, 50.0)
    assert cell["energy_density_wh_per_l"] < bare["energy_density_wh_per_l"]
    assert cell["specific_energy_wh_per_kg"] < bare["specific_energy_wh_per_kg"]
    # the packaging: 12 % of the cell's mass, its volume that mass over the pouch laminate's density
    packaging_kg = cell["mass_kg"] * 0.12
    assert packaging_kg == pytest.approx(cell["mass_kg"] - bare["mass_kg"], rel=1e-12)
    volume_m3 = 50.0 / (cell["energy_density_wh_per_l"] * 1000.0)
    bare_volume_m3 = 50.0 / (bare["energy_density_wh_per_l"] * 1000.0)
    assert (volume_m3 - bare_volume_m3) * PACKAGING_DENSITY_KG_PER_M3["pouch"] == pytest.approx(packaging_kg,
                                                                                                rel=1e-9)


@pytest.mark.component
def test_a_cathode_design_off_what_the_line_makes_says_which_recipe_field_sets_it(baseline):
    assert baseline.result["cell"]["layer_thickness_note"] is None
    thin = evaluate_details(_scenario(**{"cell.cathode.thickness_um": 40})).result
    assert thin["cell"]["layer_thickness_note"] == (
        "Cathode thickness: the line makes 85.4 um against the design's 40 um (cell.cathode.thickness_um, +113.5 %, "
        "beyond the +-15 % tolerance): the recipe sets it: change route.cathode_spray.target_thickness_um (now 150; "
        "about 70.3 makes 40 um), or set cell.cathode.thickness_um to the 85.4 um the line makes.")
    assert thin["cell"]["layer_thickness"]["cathode"]["design_um"] == 40.0
    assert thin["cell"]["layer_thickness_note"] in output_notes(thin)
    # the design thickness is never ignored: 40 and 150 um give different outputs
    thick = evaluate_details(_scenario(**{"cell.cathode.thickness_um": 150})).result["cell"]
    assert "against the design's 150 um" in thick["layer_thickness_note"]
    assert "-43.1 %" in thick["layer_thickness_note"]


@pytest.mark.component
def test_an_electrolyte_design_off_the_cast_tape_names_the_blade_gap_and_the_gap_it_names_makes_it():
    result = evaluate_details(_scenario(**{"cell.electrolyte.thickness_um": 30})).result
    # the inspection scraps 98.6 % (thickness_out_of_tolerance): the made thickness comes from every sheet
    assert result["cell"]["layer_thickness_note"] == (
        "Electrolyte thickness: the line makes 15.1 um (p5 14.4, p95 15.9) against the design's 30 um "
        "(cell.electrolyte.thickness_um, -49.5 %, beyond the +-15 % tolerance), so 100.0 % of its sheets fall outside "
        "the tolerance and electrolyte_inspection scraps them (thickness_out_of_tolerance): the recipe sets it: "
        "change route.electrolyte_casting.blade_gap_um (now 150; about 297 makes 30 um), or set "
        "cell.electrolyte.thickness_um to the 15.1 um the line makes.")
    fixed = evaluate_details(_scenario(**{"cell.electrolyte.thickness_um": 30,
                                          "route.electrolyte_casting.blade_gap_um": 297})).result
    assert fixed["cell"]["layer_thickness_note"] is None
    assert fixed["cell"]["layer_thickness"]["electrolyte"]["made_um"]["mean"] == pytest.approx(30.0, rel=0.05)
    assert fixed["yield"]["scrap_by_cause"].get("thickness_out_of_tolerance", 0.0) < 0.05


@pytest.mark.component
def test_a_vacuum_deposited_layer_is_made_to_the_design_and_has_no_recipe_field():
    evaluation = evaluate_details(load_scenario("scenarios/thinfilm_microbattery.yaml"))
    assert thickness_recipe_step(evaluation.scenario, "cathode") is None
    assert thickness_recipe_step(evaluation.scenario, "electrolyte") is None
    layers = evaluation.result["cell"]["layer_thickness"]
    assert layers["electrolyte"]["made_um"]["mean"] == pytest.approx(layers["electrolyte"]["design_um"], rel=0.01)
    assert evaluation.result["cell"]["layer_thickness_note"] is None


@pytest.mark.component
def test_the_fastest_charge_figure_and_sentence_use_the_capacity_the_anode_free_cell_cycles():
    # anode-free: the first charge loses Li (stored 2.14 mAh/cm2, cycled ~1.97); a C-rate refers to the
    # cycled capacity, so the JSON figure and the printed sentence must give the same C/8.2, not C/8.9 and C/8.2
    details = evaluate_details(validate_scenario(apply_overrides(read_scenario_document("scenarios/anode_free.yaml"),
                                                                 {"cell.rating.charge_c_rate_per_h": None})))
    cell = details.result["cell"]
    mean = cell["max_charge_c_rate_per_h"]["mean"]
    assert c_rate_text(mean, at_most=True) == "C/8.2"
    assert f"allows at most {c_rate_text(mean, at_most=True)} charge" in cell["charge_limit"]
    assert (f"({c_rate_text(cell['max_charge_c_rate_per_h']['p5'], at_most=True)} for the weakest 5 %)"
            in cell["charge_limit"])
