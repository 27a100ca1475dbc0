"""Sentences every command prints under its figures: a missed plant target, and why there is no output.

Shared by ``evaluate``, ``simulate``, ``optimise`` and ``report`` so the wording is one (not a command).
"""

from __future__ import annotations


def output_notes(result: dict) -> list[str]:
    """The sentences for ``result`` (shared result keys): target shortfall, then the zero-output reason."""
    notes = []
    shortfall = (result.get("throughput") or {}).get("target_shortfall") or {}
    if shortfall.get("short"):
        notes.append(f"Target missed: {shortfall['message']}.")
    reason = result.get("undefined_reason")
    if reason:
        notes.append(f"Per-kWh, per-cell and per-m2 figures are undefined: {reason}.")
    return notes


def print_output_notes(result: dict) -> None:
    from twin.cli import stdout_console

    for note in output_notes(result):
        # soft_wrap: one line per sentence, whatever the terminal width (easy to grep and copy)
        stdout_console.print(note, style="bold yellow", markup=False, highlight=False, soft_wrap=True)


__all__ = ["output_notes", "print_output_notes"]
