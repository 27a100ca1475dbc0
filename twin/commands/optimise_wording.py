"""The optimise table's words a planner reads, and its output through a pipe the reader may close.

How evaluate's figures of the design stand to the MILP's estimate, the chosen recipe's quality margin with the
spec it is closest to, the MILP's solves (twin.optimise.line_basis), and ``reader_may_close``: a closed stdout
(``ssb-twin optimise FILE | head -30``) keeps the command's own exit status.
"""

from __future__ import annotations

import contextlib
import math

# A relative difference below this reads "the same" (the table prints one decimal of a percent)
SAME_WITHIN = 0.0005
MARGIN_CAPTION = ("quality margin: the MILP's mean sheet of the chosen recipe (candidate sample) against its "
                  "tightest spec, in % of the spec's limit")


def _relative_words(change: float | None, what: str, reference: str = "") -> str:
    """``what`` 1.0% above/below ``reference`` (relative ``change``), "the same" within SAME_WITHIN."""
    if change is None or not math.isfinite(change):
        return f"{what} not comparable"
    if abs(change) < SAME_WITHIN:
        return f"{what} the same"
    return f"{what} {abs(change):.1%} {'above' if change > 0 else 'below'}{reference}"


def gap_words(gap: dict) -> str:
    """How evaluate's figures of the design stand to the MILP's estimate, in words: "evaluate's cost is 1.0%
    below this, its output 1.2% above (at the line's capacity)" (``gap``: evaluate / MILP - 1)."""
    cost = _relative_words(gap.get("usd_per_kwh"), "evaluate's cost is", " this")
    output = _relative_words(gap.get("gwh_per_year"), "its output")
    # evaluate runs the line at its own capacity (whole machines leave room beyond the target), the MILP at the target
    return f"{cost}, {output} (at the line's capacity)"


def margin_words(group: str, quality: dict) -> str:
    """``group +2.8% (min_relative_density: 0.957 vs 0.93 at electrolyte_inspection)``: the chosen recipe's
    margin and the spec it is closest to (twin.optimise.design_report.tightest_spec), in the spec's unit."""
    from twin.no_output import figure

    spec = quality.get("tightest_spec")
    text = f"{group} {figure(quality.get('margin'), '+.1%', undefined='(no spec measured)')}"
    if spec:
        text += f" ({spec['spec']}: {spec['mean']:.3g} vs {spec['limit']:.3g} at {spec['check']})"
    return text


def solves_words(line: dict) -> str:
    """The MILP's solves (twin.optimise.line_basis.agreeing_solve) in a few words: "2 (agreed)"."""
    from twin.optimise.line_basis import AGREED, FIXED_POINT, NO_DESIGN, inspection_alternates

    count = len(line.get("solves") or [])
    status = line.get("status")
    if status == AGREED:
        return f"{count} (agreed at once)" if count == 1 else f"{count} (agreed)"
    if inspection_alternates(line):
        return f"{count} (the inspection choice alternates; the last design's figures agree)"
    if status == FIXED_POINT:
        return f"{count} (same design on evaluate's yields: re-check not independent)"
    if status == NO_DESIGN:
        return f"{count} (no design on the re-based yields; solve {count}'s stands)"
    return f"{count}, stopped WITHOUT AGREEING ({status})"


@contextlib.contextmanager
def reader_may_close():
    """While printing the result: a reader that closes stdout (``ssb-twin optimise ... | head -30``) drops the
    rest of the output quietly and the command goes on to its own exit status (4 for a design that is not
    trustworthy). Rich's writes are handled for every command by twin.cli.main; this catches the JSON written
    to stdout (``--json -``), which would otherwise end the command with the shell's closed-pipe status."""
    from twin.cli import stdout_to_null

    try:
        yield
    except BrokenPipeError:
        stdout_to_null()


__all__ = ["MARGIN_CAPTION", "SAME_WITHIN", "gap_words", "margin_words", "reader_may_close", "solves_words"]
