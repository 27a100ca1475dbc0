"""Sweeps: grid and Latin hypercube points, identical rows on every backend, CLI files and errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from twin.cli import main
from twin.scenario import read_scenario_document
from twin.sweep import grid_points, lhs_points, run_sweep

BASELINE = Path(__file__).resolve().parents[3] / "scenarios" / "oxide_baseline.yaml"
PEAK = "route.electrolyte_sintering.profile[1].temperature_C"
COVER = "route.electrolyte_sintering.cover_powder"


@pytest.mark.unit
def test_grid_is_every_combination_first_path_slowest():
    assert grid_points({PEAK: [1100, 1150], COVER: [True, False]}) == [
        {PEAK: 1100, COVER: True}, {PEAK: 1100, COVER: False},
        {PEAK: 1150, COVER: True}, {PEAK: 1150, COVER: False}]


@pytest.mark.unit
def test_latin_hypercube_fills_one_stratum_per_point_and_keeps_integers():
    points = lhs_points({PEAK: [1100, 1200], "line.stations.electrolyte_sintering.machines": [1, 9]}, 8, seed=3)
    peaks = sorted(p[PEAK] for p in points)
    # one point in each eighth of [1100, 1200]: the defining property of a Latin hypercube
    assert [int((value - 1100) // 12.5) for value in peaks] == list(range(8))
    assert all(isinstance(p["line.stations.electrolyte_sintering.machines"], int) for p in points)
    assert lhs_points({PEAK: [1100, 1200]}, 8, seed=3) != lhs_points({PEAK: [1100, 1200]}, 8, seed=4)
    with pytest.raises(ValueError, match=f"grid {COVER}: a Latin hypercube needs numbers"):
        lhs_points({COVER: [True, False]}, 4, seed=1)


@pytest.mark.integration
def test_process_pool_and_dask_cluster_give_identical_rows():
    """Two points of the twin (half a day each) on three backends: the same rows to the last bit."""
    from dask.distributed import LocalCluster

    document = read_scenario_document(BASELINE)
    points = grid_points({COVER: [True, False]})
    arguments = dict(mode="simulate", days=0.5, replications=1, seed=11)
    in_process = run_sweep(document, points, workers=1, **arguments)
    pooled = run_sweep(document, points, workers=2, **arguments)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, host="127.0.0.1", protocol="tcp",
                      dashboard_address=None) as cluster:
        on_dask = run_sweep(document, points, dask_scheduler=cluster.scheduler_address, **arguments)
    assert (in_process["backend"], pooled["backend"], on_dask["backend"]) == ("in_process", "process_pool", "dask")
    assert pooled["rows"] == in_process["rows"]
    assert on_dask["rows"] == in_process["rows"]
    assert [row[COVER] for row in on_dask["rows"]] == [True, False]
    assert all(row["error"] is None and row["gwh_per_year"] > 0 for row in on_dask["rows"])


@pytest.mark.integration
def test_cli_sweep_writes_csv_parquet_and_chart(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["sweep", str(BASELINE), "--grid", f"{PEAK}=1100,1150,1200", "--grid", f"{COVER}=true,false",
              "--workers", "1", "--out", str(tmp_path)])
    assert exit_info.value.code == 0
    with (tmp_path / "sweep.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row[PEAK], row[COVER]) for row in rows] == [
        ("1100", "True"), ("1100", "False"), ("1150", "True"), ("1150", "False"), ("1200", "True"), ("1200", "False")]
    frame = pd.read_parquet(tmp_path / "sweep.parquet")
    assert len(frame) == 6 and list(frame[PEAK]) == [1100, 1100, 1150, 1150, 1200, 1200]
    pd.testing.assert_series_equal(frame["usd_per_kwh"], pd.read_csv(tmp_path / "sweep.csv")["usd_per_kwh"],
                                   check_dtype=False, rtol=1e-12)
    assert (tmp_path / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the open setter at 1150 C loses Li: the yield falls from the covered to the open kiln
    by_point = {(r[PEAK], r[COVER]): r for r in rows}
    assert float(by_point[("1150", "False")]["overall_yield"]) < float(by_point[("1150", "True")]["overall_yield"])


@pytest.mark.unit
@pytest.mark.parametrize("flags, message", [
    (["--grid", f"{PEAK}=1100,1900"], "sweep point 1 (route.electrolyte_sintering.profile[1].temperature_C=1900): "
                                     "route[2].sintering.profile[1].temperature_C: 1900 is above 1600"),
    (["--grid", "no_equals_sign"], "--grid 'no_equals_sign': expected dotted.path=v1,v2,..."),
    (["--grid", f"{COVER}=true,false", "--lhs", "3"], "a Latin hypercube needs numbers"),
    (["--grid", f"{PEAK}=1100", "--dask-scheduler", "nohost"], "--dask-scheduler: 'nohost' is not a scheduler"),
    # --lhs 0 once ran the grid without a word
    (["--grid", f"{PEAK}=1100,1150", "--lhs", "0"],
     "invalid input: --lhs: 0 must be in [1, 10000] (points of the Latin hypercube)"),
    (["--grid", f"{PEAK}=1100,1150", "--lhs", "10001"], "--lhs: 10001 must be in [1, 10000]"),
])
def test_bad_sweeps_exit_2_naming_the_field(flags, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["sweep", str(BASELINE), *flags])
    assert exit_info.value.code == 2
    assert message in " ".join(capsys.readouterr().err.split())


@pytest.mark.unit
def test_sweep_rows_are_json(tmp_path):
    document = read_scenario_document(BASELINE)
    result = run_sweep(document, grid_points({COVER: [True]}), workers=1)
    assert json.loads(json.dumps(result, allow_nan=False)) == result
