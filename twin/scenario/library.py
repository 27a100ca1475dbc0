"""The scenario library shipped in ``scenarios/`` (or the folder named by ``SSB_TWIN_SCENARIO_DIR``)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from twin.scenario.errors import ScenarioError
from twin.scenario.loader import load_scenario, read_scenario_document
from twin.scenario.model import Scenario

_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")


def library_dir() -> Path:
    configured = os.environ.get("SSB_TWIN_SCENARIO_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "scenarios"


def library_names() -> list[str]:
    folder = library_dir()
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.yaml"))


def library_path(name: str) -> Path:
    """Path of a library scenario; the name is checked against the listing, never joined blindly."""
    if not _NAME.fullmatch(name) or name not in library_names():
        raise ScenarioError([f"scenario '{name}' is not in the library; available: {', '.join(library_names())}"])
    return library_dir() / f"{name}.yaml"


def load_library_scenario(name: str, overrides: dict | None = None) -> Scenario:
    return load_scenario(library_path(name), overrides=overrides)


def library_document(name: str) -> dict:
    return read_scenario_document(library_path(name))


__all__ = ["library_dir", "library_document", "library_names", "library_path", "load_library_scenario"]
