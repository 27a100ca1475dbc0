"""The runs whose full results are frozen as golden files (the unit-operation refactor must not move a number).

``python -m tests.twin.golden.golden_runs`` rewrites the files; do that only when a change of numbers is
intended and say why in the commit message.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GOLDEN_DIR = Path(__file__).resolve().parent / "data"
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.yaml"))
SIMULATE_DAYS = 1.0
# A short simulate of every library scenario (same seed) pins the plant twin too; these scenarios are slow
# per simulated day (many short firings, long ageing), so they run a shorter horizon (test time only).
SIMULATE_DAYS_BY_SCENARIO = {"oxide_rapid": 1 / 24, "oxide_baseline_formation": 0.1, "gigafactory": 4.0,
                            # a 50 GWh/yr plant: a tenth of a day is ~60,000 cells
                            "liion_batpac_reference": 0.1,
                            # a thin-film line needs days to fill (a 5 um LiCoO2 layer takes ~14 h)
                            "thinfilm_microbattery": 5.0, "thinfilm_web": 5.0}
# listed by name (not globbed) so a branch adding a scenario adds its simulate file when it is ready
SIMULATE_SCENARIOS = (
    "anode_free",
    "gigafactory",
    "oxide_backfill",
    "oxide_baseline",
    "oxide_baseline_formation",
    "oxide_cosintered",
    "oxide_hybrid",
    "oxide_interlayer",
    "oxide_powder_inhouse",
    "oxide_rapid",
    "oxide_surface_cleaned",
    "pilot_line",
    "polymer_film",
    "polymer_lagp",
    "sulphide_spray",
    "liion_batpac_reference",
    "oxide_molten_li",
    "oxide_powder_protonated",
    "oxide_trilayer",
    "sulphide_milled",
    "thinfilm_microbattery",
    "thinfilm_web",
)
SIMULATE_SEED = 7
# keys that record wall-clock time or the machine, not the model
VOLATILE_KEYS = {"timing_s", "elapsed_s", "wall_time_s"}


def _clean(value):
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items() if str(k) not in VOLATILE_KEYS}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def runs() -> dict[str, callable]:
    """Name -> zero-argument callable returning the JSON-ready result."""
    from twin import notebook
    from twin.optimise.optimiser import optimise

    out = {}
    for path in SCENARIO_FILES:
        out[f"evaluate_{path.stem}"] = lambda p=path: notebook.evaluate(p).to_dict()
    for name in SIMULATE_SCENARIOS:
        out[f"simulate_{name}"] = lambda n=name: notebook.simulate(
            ROOT / "scenarios" / f"{n}.yaml", days=SIMULATE_DAYS_BY_SCENARIO.get(n, SIMULATE_DAYS),
            seed=SIMULATE_SEED, workers=1).to_dict()
    out["optimise_oxide_baseline"] = lambda: optimise(
        notebook.load(ROOT / "scenarios" / "oxide_baseline.yaml"), twin_check=False)
    # the 17,920-candidate sweep of the gigafactory (the optimiser's array path is pinned on its real grid)
    out["optimise_gigafactory"] = lambda: optimise(
        notebook.load(ROOT / "scenarios" / "gigafactory.yaml"), twin_check=False)
    return out


def result_json(fn) -> object:
    return _clean(json.loads(json.dumps(fn(), default=str)))


def write_all(only: set[str] | None = None) -> None:
    GOLDEN_DIR.mkdir(exist_ok=True)
    for name, fn in runs().items():
        if only and name not in only:
            continue
        (GOLDEN_DIR / f"{name}.json").write_text(json.dumps(result_json(fn), indent=1, sort_keys=True) + "\n")
        print("wrote", name)


if __name__ == "__main__":
    import sys

    write_all(set(sys.argv[1:]) or None)  # names given: write only those files
