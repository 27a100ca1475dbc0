"""Every shipped scenario validates and is physically coherent with itself.

Coherence (issue 2: "keep numbers physically coherent"): the cast blade gap gives the designed fired
thickness (Chou 1987 low-head limit and a volume balance, physics-notes §4.1), the areal capacity is
one the cathode can hold, and every station can carry the plant's target output (twin.capacity).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from twin.capacity import (
    casting_wet_thickness_m,
    cathode_design_capacity_mAh_per_cm2,
)
from twin.evaluate import evaluate_scenario
from twin.scenario import load_scenario
from twin.scenario.library import library_dir
from twin.scenario.route import TapeCasting

SCENARIO_FILES = sorted(library_dir().glob("*.yaml"))
# fired density the inspection steps accept (oxide) / calendered density of a sulphide composite (assumption
# stated in sulphide_spray.yaml); the thickness check allows the inspection's +-15 %.
DENSE_RELATIVE_DENSITY = {"electrolyte": 0.95, "cathode": 0.88}
THICKNESS_TOLERANCE = 0.15


@pytest.mark.unit
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_scenario_validates_and_is_named_after_its_file(path: Path):
    assert load_scenario(path).name == path.stem


@pytest.mark.unit
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_cast_layers_reach_their_designed_thickness(path: Path):
    scenario = load_scenario(path)
    for step in scenario.route:
        if not isinstance(step, TapeCasting):
            continue
        wet_m = casting_wet_thickness_m(step)
        # a Li-ion electrode is neither fired nor pressed denser here: it stays at its coated (calendered) density
        final_density = (step.green_relative_density if scenario.cell.electrolyte.material == "lipf6_carbonate"
                         else DENSE_RELATIVE_DENSITY[step.layer])
        dense_m = wet_m * step.slurry_solids_volume_fraction / final_density
        designed_m = getattr(scenario.cell, step.layer).thickness_um * 1e-6
        assert dense_m == pytest.approx(designed_m, rel=THICKNESS_TOLERANCE), step.name


@pytest.mark.unit
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_target_capacity_fits_in_the_cathode(path: Path):
    scenario = load_scenario(path)
    design = cathode_design_capacity_mAh_per_cm2(scenario)
    if scenario.cell.electrolyte.material == "lipf6_carbonate":
        # a Li-ion electrode is calendered to 25-35 % porosity, its pores filled by the liquid electrolyte
        assert 0.65 * design <= scenario.cell.target_areal_capacity_mAh_per_cm2 <= 0.75 * design
        return
    if any(step.kind == "catholyte_fill" for step in scenario.route):
        # a hybrid cell's cathode is porous by design, its pores filled by the liquid (roadmap s9): the target
        # is what it holds at a sprayed/cast packing of 50-75 % of full density
        assert 0.50 * design <= scenario.cell.target_areal_capacity_mAh_per_cm2 <= 0.75 * design
        return
    if any(step.kind == "cathode_anneal" for step in scenario.route):
        # a sputtered thin-film cathode holds what its anneal crystallised: 41.8-61.2 of the theoretical
        # 69.3 uAh/cm2/um after 500-700 C (research notes A2), i.e. 60-90 % of full capacity
        assert 0.60 * design <= scenario.cell.target_areal_capacity_mAh_per_cm2 <= 0.90 * design
        return
    # the target is what the cathode holds at 85-100 % of full density
    assert 0.85 * design <= scenario.cell.target_areal_capacity_mAh_per_cm2 <= design


# Round 10: the four lines that missed their target after the buffer-level law raised interface-ASR scrap (round 9)
# were resized as a line planner would, keeping their recipes: pilot_line and the gigafactory got a spray booth
# at their bottleneck, oxide_hybrid and oxide_backfill a -50 C dry room (their fired garnet waits out the holidays
# there before its Li). They are held to a margin above evaluate's own sampling error, so that its noise cannot
# tip them back under the target (the plant twin, 60 days x seeds 1-2, met it on each: 1.4-22 % above).
RESIZED_FOR_THEIR_TARGET = ("gigafactory", "oxide_backfill", "oxide_hybrid", "pilot_line")


@pytest.mark.component
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_every_library_line_delivers_its_target_output(path: Path):
    # delivered GWh/yr of good cells as evaluate counts them (yield, escapes, each sheet's delivered energy),
    # judged as every command judges it (twin.plant_metrics.target_shortfall: within its sampling tolerance)
    scenario = load_scenario(path)
    result = evaluate_scenario(scenario)
    shortfall = result["throughput"]["target_shortfall"]
    assert not shortfall["short"], shortfall["message"]
    # and the headline describes a cell that can be made: every shipped cell takes the rated charge without
    # shorting (its CCD over its cyclable capacity, twin.cell_rating), so no charge-limit sentence
    assert result["cell"]["charge_limit"] is None, result["cell"]["charge_limit"]


@pytest.mark.component
@pytest.mark.parametrize("name", RESIZED_FOR_THEIR_TARGET)
def test_a_resized_line_clears_its_target_by_more_than_the_sampling_error(name: str):
    # output = the bottleneck's capacity x yield x delivered energy per cell. The capacity is exact; the cost per kWh,
    # a nearly fixed yearly cost over that output, carries the sampled error of both the yield and the energy per
    # cell (whose own error is as large as the yield's on the hybrid and backfill lines): the margin must exceed the
    # larger relative 95 % half-width of the two
    result = evaluate_scenario(load_scenario(library_dir() / f"{name}.yaml"))
    made = result["throughput"]["gwh_per_year"]
    target = result["throughput"]["target_shortfall"]["target_gwh_per_year"]
    half_width = max((error["ci95_high"] - error["ci95_low"]) / 2.0 / error["value"]
                     for error in (result["sampling_error"]["yield_overall"], result["sampling_error"]["usd_per_kwh"]))
    assert made / target - 1.0 > half_width, (name, made, target, half_width)
