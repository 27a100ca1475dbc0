"""Backends give identical replications; the CLI rejects bad flags with exit code 2."""

from pathlib import Path

import pytest

from twin.cli import main
from twin.des import simulate
from twin.scenario import load_scenario

BASELINE = Path(__file__).resolve().parents[3] / "scenarios" / "oxide_baseline.yaml"


def _comparable(result: dict) -> dict:
    return {key: value for key, value in result.items() if key != "des"}


@pytest.mark.integration
def test_dask_cluster_and_process_pool_give_identical_results():
    from dask.distributed import LocalCluster

    scenario = load_scenario(BASELINE)
    arguments = dict(days=2, replications=2, seed=5, warmup_days=0.5, with_physics=False)
    in_process = simulate(scenario, workers=1, **arguments)
    pooled = simulate(scenario, workers=2, **arguments)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, host="127.0.0.1", protocol="tcp",
                      dashboard_address=None) as cluster:
        on_dask = simulate(scenario, dask_scheduler=cluster.scheduler_address, **arguments)
    assert _comparable(pooled) == _comparable(in_process)
    assert _comparable(on_dask) == _comparable(in_process)
    assert on_dask["replications"][0] != on_dask["replications"][1]   # replications are independent
    assert "throughput.good_cells_per_day" in on_dask["confidence_intervals"]


@pytest.mark.unit
@pytest.mark.parametrize("flags, message", [
    (["--days", "0"], "--days: 0 must be > 0"),
    (["--replications", "0"], "--replications: 0 must be in [1, 1000]"),
    (["--dask-scheduler", "localhost:8786"], "--dask-scheduler: 'localhost:8786' is not a scheduler address"),
    (["--workers", "0"], "--workers: 0 must be >= 1"),
])
def test_bad_flags_exit_2_naming_flag_value_and_range(flags, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["simulate", str(BASELINE), *flags])
    assert exit_info.value.code == 2
    assert message in " ".join(capsys.readouterr().err.split()).replace("\n", " ")
