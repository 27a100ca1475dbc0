"""The by-step USD/kWh columns of evaluate and optimise add up to the total: the plant's shared items
(costs.plant_items, cost.by_step's "plant" entry) get their own row (the gigafactory's column summed to 512.6
against a total of 519.7 before)."""

from __future__ import annotations

import json

import pytest
import yaml

PLANT_ITEMS = {"land_usd": 3000000, "site_services_capex_usd": 10000000, "qa_lab_capex_usd": 5000000,
               "qa_lab_staff_per_shift": 4, "it_capex_usd": 3000000, "it_life_years": 5,
               "it_usd_per_year": 500000, "insurance_fraction_of_capex": 0.005}


def _last_column(text: str, title: str) -> dict[str, float]:
    """The rows (first cell -> last cell as a number) of the table titled ``title`` in a command's output."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(title))
    rows = {}
    for line in lines[start + 1:]:
        if line.startswith("└"):
            break
        cells = [cell.strip() for cell in line.split("│")]
        if len(cells) > 2 and cells[1]:
            rows[cells[1].rstrip(" *")] = float(cells[-2].replace(",", ""))
    return rows


def _assert_sums_to(rows: dict[str, float], total: float, plant: float):
    assert rows["plant (shared items)"] == pytest.approx(plant, abs=0.05)
    # each row rounds to 0.1 USD/kWh: the column is within half of that per row of the total
    assert sum(rows.values()) == pytest.approx(total, rel=1e-3, abs=0.05 * len(rows))


@pytest.mark.component
def test_evaluate_by_step_column_sums_to_the_total_with_the_plant_row(tmp_path, run_cli):
    out = tmp_path / "result.json"
    code, captured = run_cli(["evaluate", "scenarios/gigafactory.yaml", "--json", str(out)])
    assert code == 0
    cost = json.loads(out.read_text())["cost"]
    rows = _last_column(captured.out, "by step")
    _assert_sums_to(rows, cost["usd_per_kwh"], cost["by_step"]["plant"])
    assert sum(rows.values()) == pytest.approx(cost["usd_per_kwh"], rel=1e-3)


@pytest.mark.component
def test_optimise_line_column_sums_to_the_total_with_the_plant_row(tmp_path, run_cli, make_small_baseline_file):
    path = make_small_baseline_file(tmp_path)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["costs"]["plant_items"] = PLANT_ITEMS
    document["sources"]["costs.plant_items"] = "assumption: the gigafactory's plant items, to give a plant row"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    out = tmp_path / "result.json"
    code, captured = run_cli(["optimise", str(path), "--no-twin-check", "--json", str(out)])
    assert code == 0
    cost = json.loads(out.read_text())["cost"]
    rows = _last_column(captured.out, "line (yield")
    assert cost["by_step"]["plant"] > 0.0
    _assert_sums_to(rows, cost["usd_per_kwh"], cost["by_step"]["plant"])
