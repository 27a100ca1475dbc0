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
