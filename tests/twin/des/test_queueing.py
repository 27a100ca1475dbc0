"""Single stations against queueing theory (M/M/1, M/M/c), built from the plant's own classes.

Poisson arrivals feed one discrete station with exponential service and lots of one sheet; the
time-average number in system L and the mean sojourn time W are compared with the analytical values
(Kleinrock 1975, Queueing Systems vol. 1, §3.2 and §3.5: M/M/1 L = rho/(1-rho); M/M/c with Erlang C).
Tolerance: the theory must lie inside the 95 % Student-t interval of the replications (widened by
10 % for the initial-transient bias left after the warm-up), and Little's law L = lambda W must hold
on the measured flows to 2 % (it is an identity up to the sheets in the system at the window edges).
"""

import math

import numpy as np
import pytest
import simpy
from scipy import stats

from twin.des.buffer import SheetBuffer
from twin.des.calendar import ShiftCalendar
from twin.des.endpoints import FinishedGoods, LineLedger, PoissonArrivals
from twin.des.station import Station, StationSpec

pytestmark = pytest.mark.component

CUSTOMERS = 12_000       # per replication: keeps the test at a few seconds
REPLICATIONS = 5


def _run_queue(arrival_rate: float, service_rate: float, servers: int, seed: int):
    HORIZON_S = CUSTOMERS / arrival_rate
    WARMUP_S = 0.05 * HORIZON_S
    env = simpy.Environment()
    calendar = ShiftCalendar.always_open(HORIZON_S)
    ledger = LineLedger(env, WARMUP_S)
    queue = SheetBuffer(env, "queue", capacity_sheets=10**9, warmup_s=WARMUP_S)
    sink = FinishedGoods(env, ledger, WARMUP_S)
    streams = np.random.SeedSequence(seed).spawn(servers + 1)
    PoissonArrivals(env, queue, ledger, arrival_rate, np.random.default_rng(streams[0]))
    spec = StationSpec(name="server", kind="discrete", machines=servers, unit_sheets=1, min_unit_sheets=1,
                       reference_sheets=1, unit_process_time_s=1.0 / service_rate, exponential_service=True)
    Station(env, spec, queue, sink, calendar, ledger, [np.random.default_rng(s) for s in streams[1:]],
            warmup_s=WARMUP_S)
    env.run(until=HORIZON_S)
    number_in_system = ledger.mean_wip_sheets(HORIZON_S)
    sojourn_s = sink.lead_time_sum_s / ledger.good
    throughput_per_s = ledger.good / (HORIZON_S - WARMUP_S)
    return number_in_system, sojourn_s, throughput_per_s


def _erlang_c(servers: int, offered_load: float) -> float:
    rho = offered_load / servers
    top = offered_load**servers / math.factorial(servers) / (1 - rho)
    return top / (sum(offered_load**k / math.factorial(k) for k in range(servers)) + top)


def _interval(values):
    array = np.asarray(values)
    half = stats.t.ppf(0.975, array.size - 1) * array.std(ddof=1) / math.sqrt(array.size)
    return array.mean(), 1.1 * half


@pytest.mark.parametrize("arrival_rate, service_rate, servers", [(0.5, 1.0, 1), (1.6, 1.0, 2)])
def test_station_reproduces_mm1_and_mmc(arrival_rate, service_rate, servers):
    runs = [_run_queue(arrival_rate, service_rate, servers, seed) for seed in range(REPLICATIONS)]
    offered = arrival_rate / service_rate
    if servers == 1:
        rho = offered
        expected_L = rho / (1 - rho)                          # 1.0 for rho = 0.5
    else:
        wait_q = _erlang_c(servers, offered) / (servers * service_rate - arrival_rate)
        expected_L = arrival_rate * (wait_q + 1.0 / service_rate)
    expected_W = expected_L / arrival_rate
    mean_L, half_L = _interval([run[0] for run in runs])
    mean_W, half_W = _interval([run[1] for run in runs])
    assert abs(mean_L - expected_L) <= half_L, (mean_L, half_L, expected_L)
    assert abs(mean_W - expected_W) <= half_W, (mean_W, half_W, expected_W)
    for number, sojourn, throughput in runs:
        assert number == pytest.approx(throughput * sojourn, rel=0.02)   # Little's law
