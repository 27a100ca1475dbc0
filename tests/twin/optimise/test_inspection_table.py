"""The inspection trials table: one label per trial within its check, and a trial short of the target marked."""

from __future__ import annotations

import pytest
from rich.console import Console

from twin.commands.optimise_inspection import BELOW_TARGET, inspection_table, trial_labels


def _trial(**fields) -> dict:
    row = {"check": "end_of_line_test", "method": "eol_electrical", "resolution_key": "threshold_leak_uA",
           "resolution": 45.0, "a50_um": 7.01, "time_per_sheet_s": 2.81, "machines": 2, "escape_ppm": 16_984.0,
           "usd_per_kwh": 455.6, "gwh_per_year": 1.028, "meets_target": True, "sized_line": True, "chosen": False,
           "capex_usd_per_machine": 400_000.0}
    row.update(fields)
    return row


def _text(trials: list[dict]) -> str:
    console = Console(width=80, record=True, color_system=None)
    console.print(inspection_table({"inspection": [], "inspection_methods": trials}))
    return console.export_text()


@pytest.mark.unit
def test_two_electrical_tests_of_one_resolution_read_by_their_test_and_time():
    # round 9's table printed 'electrical 45 uA' twice: the 1 h potentiostatic hold and 14 days of OCV
    trials = [_trial(test="potentiostatic", test_time_h=1.0, chosen=True),
              _trial(test="ocv", test_time_h=336.0, time_per_sheet_s=48.4, machines=24, usd_per_kwh=472.1,
                     capex_usd_per_machine=1_000_000.0)]
    assert trial_labels(trials) == ["potentiostat 1 h", "OCV 336 h"]
    text = _text(trials)
    assert "* potentiostat 1 h" in text and "  OCV 336 h" in text


@pytest.mark.unit
def test_labels_that_would_read_alike_get_their_machine_price():
    trials = [_trial(check="cell_inspection", method="xray_2d", resolution_key="pixel_um", resolution=50.0,
                     capex_usd_per_machine=1_500_000.0),
              _trial(check="cell_inspection", method="xray_2d", resolution_key="pixel_um", resolution=50.0,
                     capex_usd_per_machine=2_000_000.0),
              _trial(check="electrolyte_inspection", method="xray_2d", resolution_key="pixel_um", resolution=50.0)]
    labels = trial_labels(trials)
    assert labels == ["X-ray 50 um px 1.5 MUSD", "X-ray 50 um px 2 MUSD", "X-ray 50 um px"]


@pytest.mark.unit
def test_a_trial_whose_line_misses_the_target_is_marked_and_the_caption_says_so():
    trials = [_trial(check="electrolyte_inspection", method="optical", resolution_key="pixel_um", resolution=4.58,
                     gwh_per_year=0.979, meets_target=False),
              _trial(check="electrolyte_inspection", method="optical", resolution_key="pixel_um", resolution=2.29,
                     gwh_per_year=1.004, chosen=True)]
    text = _text(trials)
    assert f"{BELOW_TARGET}0.979" in text and f"{BELOW_TARGET}1.004" not in text and "1.004" in text
    assert "less than the plant's target" in text
    assert "sized for it" in text   # the title says where each row is priced
    assert max(len(line) for line in text.splitlines()) <= 80


@pytest.mark.unit
def test_a_method_no_line_carries_within_the_caps_is_in_brackets():
    trials = [_trial(check="cell_inspection", method="xray_2d", resolution_key="pixel_um", resolution=25.0,
                     chosen=True),
              _trial(check="cell_inspection", method="xray_ct", resolution_key="voxel_um", resolution=100.0,
                     machines=38, sized_line=False)]
    text = _text(trials)
    assert "  (CT 100 um vox)" in text and "* X-ray 25 um px" in text
    assert "(in brackets)" in text


def _gigafactory_trials() -> list[dict]:
    # the gigafactory's cell_inspection trials (optimise --no-twin-check), the CT one carried by no sized line
    return [_trial(check="electrolyte_inspection", method="optical", resolution_key="pixel_um", resolution=36.6,
                   a50_um=73.2, time_per_sheet_s=1.0, machines=1, escape_ppm=35_828.0, usd_per_kwh=479.4,
                   gwh_per_year=1.032),
            _trial(check="cell_inspection", method="xray_2d", resolution_key="pixel_um", resolution=25.0, a50_um=75.0,
                   time_per_sheet_s=14.4, machines=8, escape_ppm=26_856.0, usd_per_kwh=440.5, gwh_per_year=1.010,
                   chosen=True),
            _trial(check="cell_inspection", method="xray_ct", resolution_key="voxel_um", resolution=100.0,
                   a50_um=200.0, time_per_sheet_s=71.8, machines=37, escape_ppm=26_872.0, usd_per_kwh=522.0,
                   gwh_per_year=1.007, sized_line=False, over_caps=["the capex budget (544 > 500 MUSD)"])]


@pytest.mark.unit
@pytest.mark.parametrize("width", [60, 80])
def test_at_60_columns_no_figure_or_caption_word_is_cut(width):
    # at COLUMNS=60 the table printed "35…" for 35,828 and cut its caption mid-word ("scan or t")
    console = Console(width=width, record=True, color_system=None)
    console.print(inspection_table({"inspection": [], "inspection_methods": _gigafactory_trials()}, width))
    text = console.export_text()
    assert "…" not in text and max(len(line) for line in text.splitlines()) <= width
    for whole in ("35,828", "26,872", "479.4", "522.0", "1.032", "71.8", "73.2"):
        assert whole in text
    words = " ".join(text.split())
    assert "scan or test time" in words and "with its check re-sized" in words


@pytest.mark.unit
def test_the_caption_names_the_cap_a_bracketed_trial_breaks():
    text = " ".join(_text(_gigafactory_trials()).split())
    assert "  (CT 100 um vox)" in _text(_gigafactory_trials())
    assert "within the caps (CT 100 um vox: over the capex budget (544 > 500 MUSD))" in text


@pytest.mark.component
def test_a_trial_line_is_told_which_caps_it_breaks():
    from twin.optimise.inspection_choice import _caps_broken
    from twin.scenario import load_scenario

    giga = load_scenario("scenarios/gigafactory.yaml")   # capex budget 500 MUSD, at most 60 machines a station
    assert _caps_broken(giga, giga, 400e6) == []
    assert _caps_broken(giga, giga, 544e6) == ["the capex budget (544 > 500 MUSD)"]
    document = giga.model_dump(mode="json")
    document["line"]["stations"]["cell_inspection"]["machines"] = 61
    crowded = type(giga).model_validate(document)
    assert _caps_broken(giga, crowded, 544e6) == ["the capex budget (544 > 500 MUSD)",
                                                  "the max machines per station (61 > 60)"]
