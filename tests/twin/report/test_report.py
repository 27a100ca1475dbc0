"""The report: self-contained HTML, results.json with the shared keys, CSV tables."""

from __future__ import annotations

import csv
import json

import pytest

from twin.report import write_report
from twin.results import missing_result_keys
from twin.scenario import load_scenario


@pytest.mark.integration
def test_report_writes_offline_html_json_and_csv(tmp_path):
    index = write_report(load_scenario("scenarios/oxide_baseline.yaml"), tmp_path, simulate_days=None)
    page = index.read_text(encoding="utf-8")
    assert "<script" not in page and "http://" not in page and "https://" not in page  # nothing fetched online
    assert page.count("data:image/png;base64,") >= 9
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert missing_result_keys(results) == []
    assert results["sensitivity"]["monte_carlo"]["p5"] <= results["sensitivity"]["monte_carlo"]["p95"]
    with (tmp_path / "cost_by_step.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = sum(float(row["total_usd_per_kwh"]) for row in rows)
    assert total == pytest.approx(results["cost"]["usd_per_kwh"], rel=1e-9)
    for name in ("yield_by_step.csv", "stations.csv", "tornado.csv", "plant_scale.csv", "plant_scale_stations.csv"):
        assert (tmp_path / name).stat().st_size > 0
    # the scale curve picks machine sizes (the baseline offers them) and compares with cloning
    largest = results["plant_scale"][-1]
    assert largest["target_gwh_per_year"] == pytest.approx(50.0)
    assert largest["sizes"]["electrolyte_sintering"] == 8000
    assert largest["machines"] < largest["cloned_machines"]
    assert largest["usd_per_kwh"] <= largest["cloned_usd_per_kwh"]
    assert sum(largest["machines_by_station"].values()) == largest["machines"]
    assert "cloning the installed machines takes" in page
