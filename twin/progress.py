"""Progress bars for the long commands (rich), counting in the unit the engineer thinks in.

The twin's long functions report a fraction in [0, 1] (docs/architecture.md); a bar here turns it into
simulated days, candidates swept or replications, so the CLI and the API's job progress move at the same
steps. ``rich`` is imported only when a bar is shown, which keeps ``ssb-twin evaluate`` light.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


def staged(progress: Callable[[float], None] | None, start: float, end: float) -> Callable[[float], None]:
    """A callback that maps a sub-task's fraction onto [start, end] of ``progress`` (no-op when None)."""
    if progress is None:
        return lambda fraction: None
    return lambda fraction: progress(start + (end - start) * min(max(float(fraction), 0.0), 1.0))


@contextmanager
def progress_bar(label: str, total: float, unit: str, console=None,
                 describe: Callable[[float], str] | None = None) -> Iterator[Callable[[float], None]]:
    """Show ``label [bar] done/total unit, elapsed, remaining`` on stderr while the body runs.

    Yields the callback to hand to the twin: it takes the fraction done. ``describe`` (optional) turns
    the fraction into a phase text shown after the label (e.g. "twin check" in the optimiser).
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    if console is None:
        from twin.cli import stderr_console as console
    count = "{task.completed:,.0f}/{task.total:,.0f} " + unit if total > 1 else "{task.percentage:>3.0f}%"
    columns = [TextColumn(label), TextColumn("{task.description}"), BarColumn(), TextColumn(count),
               TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("", total=total)

        def update(fraction: float) -> None:
            fraction = min(max(float(fraction), 0.0), 1.0)
            text = describe(fraction) if describe is not None else ""
            bar.update(task, completed=fraction * total, description=text)

        yield update


__all__ = ["progress_bar", "staged"]
