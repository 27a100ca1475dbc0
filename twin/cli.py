"""The ``ssb-twin`` command line (click + rich).

Each command lives in ``twin/commands/<name>.py`` and exposes ``register(group)``, adding one click
command. A command whose module is not there does not appear in ``--help``: nothing pretends to work.

Exit codes: 0 ok, 2 invalid input (the message on stderr names the field), 1 internal error (no
traceback unless ``--debug``).
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import os
import sys
from collections.abc import Sequence

import click
from rich.console import Console

from process_models.errors import PhysicsDomainError
from twin import __version__
from twin.scenario import ScenarioError

COMMAND_MODULES = ("validate", "schema", "evaluate", "simulate", "optimise", "sweep", "report", "serve", "invest",
                   "sensitivity", "compare")

stdout_console = Console()
stderr_console = Console(stderr=True)
_state = {"debug": False}


class InputError(ValueError):
    """A command-line value that is not a scenario field (e.g. --days -3): exit code 2."""


def build_cli() -> click.Group:
    @click.group(
        name="ssb-twin",
        help="Digital twin of solid-state battery cell manufacturing: validate scenarios, evaluate cost and "
        "yield, simulate the plant, optimise recipes and lines, write reports, serve the HTTP API.",
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    @click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
    @click.version_option(__version__, prog_name="ssb-twin")
    def group(debug: bool) -> None:
        _state["debug"] = debug

    for name in COMMAND_MODULES:
        module_name = f"twin.commands.{name}"
        if importlib.util.find_spec(module_name) is None:
            continue
        importlib.import_module(module_name).register(group)
    return group


OUTPUT_OPTIONS = ("--json", "--out")


def _unwritable_output(args: list[str], exc: Exception) -> str | None:
    """The message for an OSError on the user's own --json/--out path (bad input, not an internal fault)."""
    filename = getattr(exc, "filename", None)
    if not isinstance(exc, OSError) or filename is None:
        return None
    failed = str(filename)
    for k, arg in enumerate(args):
        for flag in OUTPUT_OPTIONS:
            value = arg[len(flag) + 1:] if arg.startswith(flag + "=") else (
                args[k + 1] if arg == flag and k + 1 < len(args) else None)
            if value and (failed == value or failed.startswith(value.rstrip("/") + "/")
                          or value.startswith(failed.rstrip("/") + "/")):
                return (f"{flag}: cannot write '{value}' ({exc.strerror or type(exc).__name__}); give a path in a "
                        "directory you can write to")
    return None


# Exit status of a command whose plain (non-rich) output met a closed pipe: the shell's own for SIGPIPE
CLOSED_PIPE_EXIT = 128 + 13


def stdout_to_null() -> None:
    """Point the process's stdout at the null device once its reader has closed it, so that neither later output
    nor Python's flush at exit raises again (Python's advice for SIGPIPE); a stdout without a file descriptor (a
    test's capture) is left alone."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, io.UnsupportedOperation):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)


def _drop_output_quietly() -> None:
    """Rich's console exits 1 at the first write to a closed pipe (``ssb-twin evaluate FILE | head -3``); the
    command should instead finish its work (an --json file, a stored run) and keep its own exit status."""
    stdout_console.quiet = True
    stdout_to_null()


def main(argv: Sequence[str] | None = None) -> None:
    group = build_cli()
    args = list(sys.argv[1:] if argv is None else argv)
    _state["debug"] = "--debug" in args
    stdout_console.on_broken_pipe = _drop_output_quietly
    try:
        result = group.main(args=args, prog_name="ssb-twin", standalone_mode=False)
    except BrokenPipeError:
        # plain output (click.echo, JSON on stdout) to a reader that closed: nothing to tell it
        stdout_to_null()
        sys.exit(CLOSED_PIPE_EXIT)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        stderr_console.print("aborted")
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except (ScenarioError, PhysicsDomainError, InputError) as exc:
        click.echo(f"invalid input: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        stderr_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence before the user
        if _state["debug"]:
            raise
        unwritable = _unwritable_output(args, exc)
        if unwritable is not None:
            click.echo(f"invalid input: {unwritable}", err=True)
            sys.exit(2)
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}\n(run with --debug for the traceback, and please report it)",
            err=True,
        )
        sys.exit(1)
    finally:
        stdout_console.__dict__.pop("on_broken_pipe", None)
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    # `python -m twin.cli` runs this file as __main__, a second copy of the module: the commands print through
    # twin.cli's consoles, so run that module's main (its closed-pipe handling is on those consoles)
    from twin.cli import main as _installed_main

    _installed_main()
