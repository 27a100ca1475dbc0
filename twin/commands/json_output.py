"""``--json OUT`` of every command: a file, or ``-`` for stdout.

With ``--json -`` the JSON is the only thing on stdout (so ``ssb-twin evaluate x.yaml --json - | jq`` works):
the tables and sentences a person reads go to stderr for that run.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

STDOUT = "-"
JSON_HELP = "Write the full result as JSON to this file ('-': stdout, the tables then go to stderr)."


@contextlib.contextmanager
def tables_out_of_the_way(json_out: str | None) -> Iterator[None]:
    """While the command runs, the people's console writes to stderr if the JSON goes to stdout."""
    from twin.cli import stdout_console

    if json_out != STDOUT:
        yield
        return
    # the console's own setting (None: whatever sys.stdout is when it prints), not the stream it resolves to now
    previous = getattr(stdout_console, "_file", None)
    stdout_console.file = sys.stderr
    try:
        yield
    finally:
        stdout_console.file = previous


def json_option(help_text: str = JSON_HELP):
    """The ``--json OUT`` option (``json_out``) of a command, with ``-`` for stdout."""
    def decorate(command):
        @functools.wraps(command)
        def run(*args, **kwargs):
            with tables_out_of_the_way(kwargs.get("json_out")):
                return command(*args, **kwargs)
        return click.option("--json", "json_out", type=click.Path(dir_okay=False, allow_dash=True),
                            help=help_text)(run)
    return decorate


def write_json(json_out: str | None, value) -> None:
    """Strict JSON (NaN and inf as null, twin.results.json_safe) of ``value`` to the file or to stdout."""
    from twin.cli import stderr_console
    from twin.results import json_safe

    if not json_out:
        return
    text = json.dumps(json_safe(value), indent=2, allow_nan=False)
    if json_out == STDOUT:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        return
    Path(json_out).write_text(text, encoding="utf-8")
    stderr_console.print(f"wrote {json_out}", highlight=False)


__all__ = ["JSON_HELP", "STDOUT", "json_option", "tables_out_of_the_way", "write_json"]
