"""Composition of an interrupted firing's history (process_models.firing_interruption).

The history is counted as pieces whose path integrals add: the recipe whole plus what each stop added
(cool-down, re-heat, the stretch of recipe a refire runs again). Expected numbers are worked by hand from
the recipe's ramps and the exponential cool-down T = T_a + (T_stop - T_a) exp(-t / tau).
"""

import math

import numpy as np
import pytest

from process_models.densification import log_work_of_sintering
from process_models.firing_interruption import interrupted_firing_history, uninterrupted_history
from process_models.temperature_profile import celsius_profile

AMBIENT_K = 298.15
TAU_S = 97500.0  # 1.2 MJ/K kiln losing 12 kW at 1000 C: C (1273.15 - 298.15) / Q
# 25 -> 1125 C at 5 C/min (13,200 s), 60 min hold, back to 25 C at 5 C/min: 30,000 s in all
RECIPE = celsius_profile(25.0, [("ramp", 1125.0, 5.0), ("hold", 60.0), ("ramp", 25.0, 5.0)])
RATE_K_PER_S = 5.0 / 60.0
Q_J_PER_MOL = 450e3  # an LLZO-like activation energy of the work of sintering (only its sign matters here)


def _cooled_K(stop_K, downtime_s):
    return AMBIENT_K + (stop_K - AMBIENT_K) * math.exp(-downtime_s / TAU_S)


def _work(profile):
    return float(log_work_of_sintering(profile, Q_J_PER_MOL))


@pytest.mark.unit
def test_refire_is_the_recipe_whole_plus_the_stretch_fired_twice_plus_the_cool_down():
    stop_s, downtime_s = 15000.0, 3600.0          # 30 min into the 1125 C hold, 1 h repair
    history = interrupted_firing_history(RECIPE, [(stop_s, downtime_s)], TAU_S, "refire", AMBIENT_K)
    cooled_K = _cooled_K(1398.15, downtime_s)
    rejoin_s = (cooled_K - AMBIENT_K) / RATE_K_PER_S  # where the recipe's ramp reaches the cooled temperature
    (n_recipe, recipe), (n_again, again), (n_cool, cool) = history.pieces
    assert (n_recipe, n_again, n_cool) == (1.0, 1.0, 1.0)
    assert recipe is RECIPE
    assert again.duration_s == pytest.approx(stop_s - rejoin_s, rel=1e-12)
    assert again.knot_temperature_K[0] == pytest.approx(cooled_K, rel=1e-12)
    assert cool.duration_s == downtime_s
    assert cool.knot_temperature_K[-1] == pytest.approx(cooled_K, rel=1e-12)
    # the path: fired to the stop, cooled during the repair, then the recipe from the rejoin point
    assert history.path.duration_s == pytest.approx(stop_s + downtime_s + RECIPE.duration_s - rejoin_s, rel=1e-12)


@pytest.mark.unit
def test_a_second_refire_restarts_the_recipe_not_the_history_so_far():
    # before: the second refire replayed the first partial firing and its cool-down, so every stop made the
    # kiln's remaining work longer and a load with MTBF 5 h never finished
    first = (15000.0, 12 * 3600.0)
    second_s = first[0] + first[1] + 3600.0       # 1 h into the refire
    history = interrupted_firing_history(RECIPE, [first, (second_s, 12 * 3600.0)], TAU_S, "refire", AMBIENT_K)
    cooled_1_K = _cooled_K(1398.15, first[1])
    rejoin_1_s = (cooled_1_K - AMBIENT_K) / RATE_K_PER_S
    stop_2_K = cooled_1_K + 3600.0 * RATE_K_PER_S  # still on the ramp an hour after rejoining
    cooled_2_K = _cooled_K(stop_2_K, 12 * 3600.0)
    rejoin_2_s = (cooled_2_K - AMBIENT_K) / RATE_K_PER_S
    assert history.path.duration_s == pytest.approx(second_s + 12 * 3600.0 + RECIPE.duration_s - rejoin_2_s,
                                                    rel=1e-12)
    # pieces: the recipe once, [rejoin_2, stop_1] fired a second time, [rejoin_1, rejoin_1 + 1 h] a third
    # time (it lies inside [rejoin_2, stop_1]), the two cool-downs
    counts = sorted((count, round(piece.duration_s, 6)) for count, piece in history.pieces[1:-2])
    recipe_time_of_stop_2_s = rejoin_1_s + 3600.0
    assert counts == sorted([(1.0, round(rejoin_1_s - rejoin_2_s, 6)), (2.0, 3600.0),
                             (1.0, round(first[0] - recipe_time_of_stop_2_s, 6))])


@pytest.mark.unit
def test_resume_adds_the_cool_down_and_the_re_heat_to_the_whole_recipe():
    stop_s, downtime_s = 15000.0, 3600.0
    history = interrupted_firing_history(RECIPE, [(stop_s, downtime_s)], TAU_S, "resume", AMBIENT_K)
    reheat_s = (1398.15 - _cooled_K(1398.15, downtime_s)) / RATE_K_PER_S
    assert [count for count, _ in history.pieces] == [1.0, 1.0, 1.0]
    assert history.pieces[0][1] is RECIPE
    assert history.pieces[2][1].duration_s == pytest.approx(reheat_s, rel=1e-12)
    assert history.path.duration_s == pytest.approx(RECIPE.duration_s + downtime_s + reheat_s, rel=1e-12)


@pytest.mark.unit
def test_scrap_ends_the_history_when_the_load_has_cooled():
    history = interrupted_firing_history(RECIPE, [(15000.0, 3600.0)], TAU_S, "scrap", AMBIENT_K)
    assert history.path.duration_s == pytest.approx(15000.0 + 3600.0, rel=1e-12)
    # the recipe was not fired whole: the pieces are what was fired and the cool-down, not the recipe
    assert [round(piece.duration_s, 6) for _, piece in history.pieces] == [15000.0, 3600.0]


@pytest.mark.unit
@pytest.mark.parametrize("policy", ["resume", "refire"])
def test_an_interrupted_history_is_never_less_fired_than_the_recipe(policy):
    # exact, not to a tolerance: the recipe is one whole piece and every added piece has a positive integral
    nominal = uninterrupted_history(RECIPE).log_integral(_work)
    assert nominal == _work(RECIPE)
    for stop_s in np.linspace(100.0, RECIPE.duration_s - 100.0, 23):
        for downtime_s in (0.0, 600.0, 12 * 3600.0):
            stops = [(stop_s, downtime_s), (stop_s + downtime_s + 2000.0, downtime_s)]
            history = interrupted_firing_history(RECIPE, stops, TAU_S, policy, AMBIENT_K)
            assert history.log_integral(_work) >= nominal
            assert history.integral(lambda piece: math.exp(_work(piece))) >= math.exp(nominal)


@pytest.mark.unit
def test_a_stop_after_the_history_ended_changes_nothing():
    history = interrupted_firing_history(RECIPE, [(RECIPE.duration_s + 10.0, 3600.0)], TAU_S, "refire")
    assert history.pieces == ((1.0, RECIPE),)
    assert history.path == RECIPE
