"""``ssb-twin schema``: print the scenario JSON Schema."""

from __future__ import annotations

import json

import click

from twin.scenario import Scenario


def register(group: click.Group) -> None:
    @group.command("schema")
    def schema() -> None:
        """Print the JSON Schema of a scenario file (bounds, units in field names, choices)."""
        click.echo(json.dumps(Scenario.model_json_schema(), indent=2))
