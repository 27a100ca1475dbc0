"""``ssb-twin validate FILE...``: check scenario files against the schema."""

from __future__ import annotations

import click

from twin.scenario import ScenarioError, load_scenario


def register(group: click.Group) -> None:
    @group.command("validate")
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
    def validate(files: tuple[str, ...]) -> int:
        """Validate scenario FILES; every problem is listed with its field path. Exit 2 if any is invalid."""
        from twin.cli import stdout_console

        failures: list[ScenarioError] = []
        for path in files:
            try:
                scenario = load_scenario(path)
            except ScenarioError as exc:
                failures.append(exc)
                continue
            stdout_console.print(f"ok: {path} ({scenario.name}, {len(scenario.route)} route steps)", highlight=False)
        for failure in failures:
            # the same wording as every other command's bad input (twin.cli): "invalid input: FILE: ..."
            click.echo(f"invalid input: {failure}", err=True)
        return 2 if failures else 0
