"""Molten-Li anode on a Mg-coated garnet (oxide_molten_li.yaml): the interface ASR follows the surface the melt
meets, the melt temperature and the coating; timing, Li bought, energy and the scenario rules."""

import copy

import pytest

import twin
from process_models.molten_li import melt_heat_J_per_m2
from twin.capacity import station_timing
from twin.operations import operation_for
from twin.scenario.errors import ScenarioError
from twin.scenario.loader import read_scenario_document, validate_scenario

MOLTEN = "scenarios/oxide_molten_li.yaml"
pytestmark = pytest.mark.component


@pytest.fixture(scope="module")
def doc():
    return read_scenario_document(MOLTEN)


def _without_mg(doc, **lamination):
    changed = copy.deepcopy(doc)
    changed["route"] = [s for s in changed["route"] if s["name"] != "mg_interlayer"]
    del changed["line"]["stations"]["mg_interlayer"]
    del changed["line"]["buffers"]["before"]["mg_interlayer"]
    next(s for s in changed["route"] if s["name"] == "li_lamination").update(lamination)
    return changed


def _interface_asr_ohm_cm2(document):
    # as measured at the cell inspection (scrapped sheets included), not only the good output
    return twin.evaluate(document)["quality_at_check"]["cell_inspection"]["interface_asr_ohm_cm2"]["mean"]


def test_mg_coated_garnet_is_wetted_by_the_melt(doc):
    result = twin.evaluate(doc)
    asr = result["quality"]["interface_asr_ohm_cm2"]["mean"]
    # 10 nm Mg covers 99.8 %: R_wet 2 ohm cm2 over the Young-Dupre contact of a 30 deg angle (0.93)
    assert 2.0 < asr < 2.4
    assert result["yield"]["overall"] > 0.9


def test_carbonated_garnet_needs_the_hot_melt(doc):
    # air-exposed garnet, no coating: at 300 C the melt beads up, above ~380 C it wets (Jin et al. 2023)
    cold = _interface_asr_ohm_cm2(_without_mg(doc, surface_treatment="none", melt_temperature_C=300))
    hot = _interface_asr_ohm_cm2(_without_mg(doc, surface_treatment="none", melt_temperature_C=420))
    assert cold > 1000
    assert hot < 20
    assert twin.evaluate(_without_mg(doc, surface_treatment="none", melt_temperature_C=300))["yield"]["overall"] == 0


def test_cleaned_garnet_wets_at_300_C(doc):
    # the hall exposure regrows only a little carbonate: the clean-garnet angle (95 deg, Sharafi 2017) rules
    asr = _interface_asr_ohm_cm2(_without_mg(doc, surface_treatment="cleaned", melt_temperature_C=300))
    assert 4.0 < asr < 20


def test_station_speed_li_bought_and_heat(doc):
    scenario = validate_scenario(doc)
    timing = station_timing(scenario, "li_lamination")
    # 5 m melt zone / 60 s contact = 5 m/min, the station's line speed: a 500 m roll in 100 min
    assert timing.unit_process_time_s == pytest.approx(500 / (5 / 60.0), rel=1e-9)
    step = next(s for s in scenario.route if s.name == "li_lamination")
    index = scenario.route.index(step)
    items = operation_for(step).material_items_per_sheet(scenario, index, step.name, step)
    li_kg = 20e-6 * 534.0 * scenario.sheet_area_m2
    assert items == {"li_metal": pytest.approx(li_kg / 0.95 * 100.0, rel=1e-12)}
    # the metered 40 kW covers the physics heat: Li melted and a ~330 J/m2 K sheet brought to 300 C
    m2_per_s = 0.9 * 5 / 60.0
    heat_W = float(melt_heat_J_per_m2(20e-6, 573.15, 330.0)) * m2_per_s
    station = scenario.line.stations["li_lamination"]
    assert heat_W < station.power_kW * 1e3


def test_mg_interlayer_evaporation_time(doc):
    scenario = validate_scenario(doc)
    timing = station_timing(scenario, "mg_interlayer")
    assert timing.unit_process_time_s == pytest.approx(10 / 300 * 60.0, rel=1e-12)   # 10 nm at 300 nm/min
    step = next(s for s in scenario.route if s.name == "mg_interlayer")
    items = operation_for(step).material_items_per_sheet(scenario, scenario.route.index(step), step.name, step)
    assert items == {"magnesium": pytest.approx(10e-9 * 1738.0 / 0.3 * scenario.sheet_area_m2 * 5.0, rel=1e-12)}


def test_mg_interlayer_under_a_foil(doc):
    # the same Mg film under a rolled foil (roadmap s5 alloy interlayer): the foil's contact, the Li(Mg) chemistry
    changed = copy.deepcopy(doc)
    changed["cell"]["anode"]["type"] = "li_foil"
    lamination = next(s for s in changed["route"] if s["name"] == "li_lamination")
    for key in ("melt_temperature_C", "contact_time_s", "melt_loss_fraction"):
        lamination.pop(key)
    lamination.update(method="foil", pressure_MPa=5, temperature_C=100)
    station = changed["line"]["stations"]["li_lamination"]
    station.pop("deposition_zone_length_m")
    station["zone"] = "dry_room"
    changed["costs"]["materials"]["li_foil"] = {"usd_per_kg_at_reference": 150, "reference_thickness_um": 100,
                                                "thickness_exponent": 0.6}
    asr = _interface_asr_ohm_cm2(changed)
    assert 1.0 < asr < 20


@pytest.mark.parametrize("change, message", [
    (lambda d: d["line"]["stations"]["li_lamination"].update(zone="dry_room"), "zone: 'dry_room'; molten Li"),
    (lambda d: d["line"]["stations"]["li_lamination"].pop("deposition_zone_length_m"), "deposition_zone_length_m"),
    (lambda d: next(s for s in d["route"] if s["name"] == "li_lamination").pop("contact_time_s"),
     "melt_temperature_C and contact_time_s are required"),
    (lambda d: next(s for s in d["route"] if s["name"] == "li_lamination").update(melt_temperature_C=150),
     "melt_temperature_C"),
    (lambda d: next(s for s in d["route"] if s["name"] == "mg_interlayer").update(method="ald",
                                                                                    growth_per_cycle_nm=0.1,
                                                                                    cycle_time_s=1),
     "'mg' is sputtered or evaporated"),
])
def test_scenario_rules_name_the_field(doc, change, message):
    changed = copy.deepcopy(doc)
    change(changed)
    with pytest.raises(ScenarioError, match=message):
        validate_scenario(changed)
