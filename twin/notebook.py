"""The Python API for notebooks: ``twin.evaluate("oxide_baseline", overrides={...})``.

A :class:`Result` holds the shared result keys (docs/architecture.md; read it like a dict), gives pandas
tables with :meth:`Result.to_frame` and writes the engineer's report with :meth:`Result.report`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from twin.scenario import Scenario, apply_overrides, read_scenario_document, validate_scenario

TABLES = ("steps", "cost", "stations", "scrap", "quality", "quality_at_check", "summary")


def load(scenario: str | Path | dict | Scenario, overrides: dict[str, Any] | None = None) -> Scenario:
    """A validated scenario from a library name, a YAML path, a document or a Scenario, plus overrides."""
    if isinstance(scenario, Scenario):
        if not overrides:
            return scenario
        document = scenario.model_dump(mode="json")
        source = scenario.name
    elif isinstance(scenario, dict):
        document, source = scenario, "scenario"
    else:
        from twin.scenario.library import library_document, library_names

        text = str(scenario)
        if text in library_names():
            document, source = library_document(text), text
        elif Path(text).is_file():
            document, source = read_scenario_document(text), text
        else:
            from twin.scenario import ScenarioError

            raise ScenarioError([f"scenario '{text[:200]}' is neither a file nor a library scenario; the library "
                                 f"has: {', '.join(library_names())}"])
    if overrides:
        document = apply_overrides(document, overrides)
    return validate_scenario(document, source=source)


class Result(Mapping):
    """The shared result keys of one evaluation or simulation, read like a dict (``r["cost"]``)."""

    def __init__(self, scenario: Scenario, keys: dict, kind: str = "evaluate"):
        self.scenario = scenario
        self.kind = kind
        self._keys = keys

    def __getitem__(self, key: str):
        return self._keys[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        cost = (self._keys.get("cost") or {}).get("usd_per_kwh")
        gwh = self._keys["throughput"]["gwh_per_year"]
        cost_text = f"{cost:.1f} USD/kWh" if isinstance(cost, (int, float)) else "no cost"
        return (f"<twin {self.kind} of {self.scenario.name}: {gwh:.4g} GWh/yr, yield "
                f"{self._keys['yield']['overall']:.1%}, {cost_text}, bottleneck {self._keys['bottleneck']}>")

    def to_dict(self) -> dict:
        return dict(self._keys)

    def to_frame(self, table: str = "steps"):
        """A pandas DataFrame of one table of the result.

        ``steps``: per route step its yield in good cell pieces (twin.piece_yield), its sheet yield,
        station figures and $/kWh; ``cost``: $/kWh by step and category; ``stations``: every station figure;
        ``scrap``: share by cause (of the cell pieces started, evaluate and simulate alike);
        ``quality``: mean/p5/p95 of the good sheets; ``quality_at_check``: each check's specs;
        ``summary``: the headline figures as one row.
        """
        import pandas as pd

        keys = self._keys
        if table == "steps":
            frame = pd.DataFrame.from_dict(keys["stations"], orient="index")
            # yield in good cell pieces where the run recorded it (evaluate, twin.piece_yield), and the sheet yield
            frame.insert(0, "sheet_yield", pd.Series(keys["yield"]["sheet_yield_by_step"]))
            if keys["yield"].get("piece_yield_by_step"):
                frame.insert(0, "yield", pd.Series(keys["yield"]["piece_yield_by_step"]))
            frame["usd_per_kwh"] = pd.Series(keys["cost"]["by_step"])
            frame.index.name = "step"
            return frame
        if table == "cost":
            by_step = keys["cost"].get("by_step_category_usd_per_kwh") or {}
            frame = pd.DataFrame(by_step).T.fillna(0.0)
            frame.index.name = "step"
            return frame
        if table == "stations":
            frame = pd.DataFrame.from_dict(keys["stations"], orient="index")
            frame.index.name = "station"
            return frame
        if table == "scrap":
            # evaluate and simulate book cell pieces as sheet-equivalents (twin.piece_yield); a batch run
            # elsewhere without the per-step record counts whole sheets
            column = ("share_of_pieces_started" if keys["yield"].get("piece_yield_by_step")
                      else "share_of_sheets_started")
            return pd.DataFrame({column: pd.Series(keys["yield"]["scrap_by_cause"])})
        if table == "quality":
            frame = pd.DataFrame(keys["quality"]).T
            frame.index.name = "figure"
            return frame
        if table == "quality_at_check":
            rows = [{"check": check, "figure": figure, **values}
                    for check, block in (keys.get("quality_at_check") or {}).items()
                    for figure, values in block.items()]
            return pd.DataFrame(rows)
        if table == "summary":
            return pd.DataFrame([{
                "scenario": keys["scenario"], "gwh_per_year": keys["throughput"]["gwh_per_year"],
                "good_cells_per_day": keys["throughput"]["good_cells_per_day"],
                "overall_yield": keys["yield"]["overall"], "usd_per_kwh": keys["cost"].get("usd_per_kwh"),
                "usd_per_cell": keys["cost"].get("usd_per_cell"), "capex_usd": keys["cost"].get("capex_usd"),
                "bottleneck": keys["bottleneck"], "energy_kwh_per_kwh": keys.get("energy_kwh_per_kwh")}])
        raise ValueError(f"table: {table!r} is not one of {', '.join(TABLES)}")

    def report(self, path, simulate_days: float | None = None) -> Path:
        """Write the report (index.html, results.json, CSV tables) into folder ``path``; returns index.html.

        A simulation's report shows this result's twin run; an evaluation's runs the twin only when
        ``simulate_days`` is given.
        """
        from twin.report import write_report

        des = self._keys if self.kind == "simulate" else None
        return write_report(self.scenario, path, simulate_days=simulate_days, des_result=des)


def evaluate(scenario: str | Path | dict | Scenario, overrides: dict[str, Any] | None = None) -> Result:
    """Steady-state evaluation (``ssb-twin evaluate``) of a library name, YAML path, document or Scenario."""
    from twin.evaluate import evaluate_scenario

    loaded = load(scenario, overrides)
    return Result(loaded, evaluate_scenario(loaded), "evaluate")


def simulate(scenario: str | Path | dict | Scenario, days: float, replications: int = 1, seed: int | None = None,
             overrides: dict[str, Any] | None = None, progress: Callable[[float], None] | None = None,
             workers: int | None = None) -> Result:
    """The discrete-event twin (``ssb-twin simulate``); the result has the shared keys plus the twin's."""
    from twin.des import simulate as des_simulate

    loaded = load(scenario, overrides)
    return Result(loaded, des_simulate(loaded, days, replications, seed, progress=progress, workers=workers),
                  "simulate")


__all__ = ["Result", "TABLES", "evaluate", "load", "simulate"]
