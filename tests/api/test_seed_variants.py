"""Requests that differ only by their seed reuse one validation (api.scenario_input.SeedVariants): the same
scenario, canonical JSON and hash as the full validation, and the same errors for a seed it refuses; an
evaluation worker reuses the parts of a seed variant it has seen (api.worker.seed_variant), with the same answer."""

from __future__ import annotations

import json
import pickle

import pytest

from api.scenario_input import LibraryCache, RequestInputError, SeedVariants, _validated
from api.worker import evaluate_in_worker, seed_variant
from twin.scenario import canonical_json, read_scenario_document
from twin.scenario.library import library_path
from twin.scenario.loader import hash_of_canonical_json

pytestmark = pytest.mark.component


@pytest.fixture(scope="module")
def library():
    return LibraryCache()


def test_every_library_scenario_resolves_by_seed_variant_as_by_full_validation(library):
    variants = SeedVariants()
    for name in library.names():
        for overrides in ({"seed": 7}, {"seed": 2**63 - 1}, {"seed": 0, "plant.target_output_GWh_per_year": 0.5}):
            full = _validated(name, overrides, library)
            fast = variants.resolve(name, overrides, library)
            assert fast is not None, (name, overrides)
            assert fast.scenario == full.scenario, name
            assert fast.scenario.seed == overrides["seed"]
            assert fast.scenario_json == full.scenario_json == canonical_json(fast.scenario), name
            assert fast.scenario_hash == full.scenario_hash, name


def test_first_seeds_arriving_together_validate_their_scenario_once(library, monkeypatch):
    # 20 clients starting to sample one scenario send their first seeds at once, each on its own thread: one
    # validates the seed-less form, the others wait for it (each validation is ~2 ms of the server's CPU)
    import threading

    from api import scenario_input

    calls = []
    started = threading.Event()

    def slow_validation(*args):
        calls.append(args)
        started.set()
        release.wait(10)
        return _validated(*args)

    release = threading.Event()
    monkeypatch.setattr(scenario_input, "_validated", slow_validation)
    variants = SeedVariants()
    answers = {}

    def resolve(seed):
        answers[seed] = variants.resolve("oxide_baseline", {"seed": seed}, library)

    threads = [threading.Thread(target=resolve, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    assert started.wait(10)
    release.set()
    for thread in threads:
        thread.join(30)
    assert len(calls) == 1
    assert sorted(answers) == list(range(8))
    assert all(answers[seed].scenario.seed == seed for seed in answers)
    assert len({id(answer.scenario.route) for answer in answers.values()}) == 1  # one validated scenario


def test_the_second_seed_of_a_scenario_reuses_the_first_validation(library):
    variants = SeedVariants()
    first = variants.resolve("oxide_baseline", {"seed": 1}, library)
    second = variants.resolve("oxide_baseline", {"seed": 2}, library)
    assert second.scenario.route is first.scenario.route  # the validated parts are shared, not rebuilt
    assert second.scenario_hash != first.scenario_hash


@pytest.mark.parametrize("seed", [-1, 2**63, 1.5, True, "5", None])
def test_a_seed_the_field_refuses_goes_through_the_full_validation(library, seed):
    variants = SeedVariants()
    assert variants.resolve("oxide_baseline", {"seed": seed}, library) is None
    with pytest.raises(RequestInputError) as refused:
        _validated("oxide_baseline", {"seed": seed}, library)
    assert any("seed" in detail["msg"] for detail in refused.value.details)


def test_a_scenario_object_without_a_seed_is_left_to_the_full_validation(library):
    document = read_scenario_document(library_path("oxide_baseline"))
    document.pop("seed")
    variants = SeedVariants()
    assert variants.resolve(document, {"seed": 5}, library) is None  # its seed-less form does not validate
    assert _validated(document, {"seed": 5}, library).scenario.seed == 5


def test_an_object_request_with_a_seed_matches_the_full_validation(library):
    document = read_scenario_document(library_path("pilot_line"))
    variants = SeedVariants()
    fast = variants.resolve(document, {"seed": 99}, library)
    assert fast.scenario_json == _validated(document, {"seed": 99}, library).scenario_json


def test_known_answers_only_after_the_seed_less_form_was_validated(library):
    variants = SeedVariants()
    assert variants.known("oxide_baseline", {"seed": 3}, library) is None  # never validates by itself
    assert variants.known("oxide_baseline", {}, library) is None
    first = variants.resolve("oxide_baseline", {"seed": 3}, library)
    again = variants.known("oxide_baseline", {"seed": 4}, library)
    assert again is not None and again.scenario.seed == 4
    assert again.scenario_hash == _validated("oxide_baseline", {"seed": 4}, library).scenario_hash
    assert again.scenario_hash != first.scenario_hash


def _seedless_hash(scenario_json: str) -> str:
    """The hash of a canonical JSON with its seed left out, made from the parsed JSON (not the variants' parts)."""
    document = json.loads(scenario_json)
    document.pop("seed")
    return hash_of_canonical_json(json.dumps(document, sort_keys=True, separators=(",", ":")))


def test_the_seedless_key_is_the_hash_of_the_canonical_json_without_its_seed(library):
    variants = SeedVariants()
    one = variants.resolve("oxide_baseline", {"seed": 1}, library)
    two = variants.resolve("oxide_baseline", {"seed": 2}, library)
    other = variants.resolve("oxide_baseline", {"seed": 1, "plant.target_output_GWh_per_year": 0.5}, library)
    assert one.seedless_key == two.seedless_key == _seedless_hash(one.scenario_json)
    assert two.seedless_key == _seedless_hash(two.scenario_json)
    assert other.seedless_key == _seedless_hash(other.scenario_json) != one.seedless_key
    assert _validated("oxide_baseline", {"seed": 1}, library).seedless_key is None  # not a variant: not known


def test_a_worker_builds_a_seed_variant_from_the_parts_it_has_and_evaluates_it_the_same(library):
    variants = SeedVariants()
    first = variants.resolve("pilot_line", {"seed": 11}, library)
    second = variants.resolve("pilot_line", {"seed": 12}, library)
    # as the pool hands them over: every part a new object
    first_copy, second_copy = (pickle.loads(pickle.dumps(r.scenario)) for r in (first, second))
    assert seed_variant(first_copy, first.seedless_key) is first_copy  # the first one becomes the base
    reused = seed_variant(second_copy, second.seedless_key)
    assert reused is not second_copy and reused.route is first_copy.route and reused.line is first_copy.line
    assert reused == second.scenario and reused.seed == 12
    assert seed_variant(second_copy, None) is second_copy
    computed = evaluate_in_worker(pickle.loads(pickle.dumps(second.scenario)), second.scenario_hash, "api.services",
                                  second.seedless_key)
    fresh = evaluate_in_worker(pickle.loads(pickle.dumps(second.scenario)), second.scenario_hash, "api.services")
    assert computed[0] and computed == fresh  # the same response text, byte for byte


def test_a_seed_variant_sent_as_its_seed_gives_the_same_answer_as_the_whole_scenario(library):
    from api import worker
    from api.worker import SeedVariantInput

    variants = SeedVariants()
    variants.resolve("oxide_baseline", {"seed": 21}, library)
    one = variants.resolve("oxide_baseline", {"seed": 22}, library)
    two = variants.resolve("oxide_baseline", {"seed": 23}, library)
    assert one.seed_base_pickle is two.seed_base_pickle  # pickled once per seed-less form
    sent = [pickle.loads(pickle.dumps(SeedVariantInput(r.seed_base_pickle, r.scenario.seed))) for r in (one, two)]
    worker._SEED_BASES.pop(one.seedless_key, None)   # a worker that has not kept the scenario unpickles it
    first = evaluate_in_worker(sent[0], one.scenario_hash, "api.services", one.seedless_key)
    kept = worker._SEED_BASES[one.seedless_key]
    second = evaluate_in_worker(sent[1], two.scenario_hash, "api.services", two.seedless_key)
    assert worker._SEED_BASES[two.seedless_key] is kept   # the second one only took its seed
    for resolved, answer in ((one, first), (two, second)):
        whole = evaluate_in_worker(pickle.loads(pickle.dumps(resolved.scenario)), resolved.scenario_hash,
                                   "api.services")
        assert answer[0] and answer == whole   # byte for byte the answer for the whole scenario
        assert json.loads(answer[1])["scenario_hash"] == resolved.scenario_hash
    # without its key a seed variant's input is refused (an input the server never sends), not evaluated
    ok, envelope = evaluate_in_worker(sent[0], one.scenario_hash, "api.services")
    assert not ok and json.loads(envelope)["category"] == "internal"
