"""The inspection trials of ``ssb-twin optimise`` as a table a planner reads on an 80-column terminal.

Each trial is one method (or cycle time) at one check, priced by evaluate with its escapes on the line sized for
it (the optimiser's sizing on the design's recipes and shifts, twin.optimise.method_sizing; a cycle-time trial,
or a method no line on these recipes carries, on the designed line with only its check re-sized), the other
checks at their chosen methods (twin.optimise.inspection_choice); the JSON keeps every field, the table the ones
a choice is made on. A trial whose line misses the plant's target output is marked. Each trial shows its cost at
the target (the choice is made on it, twin.optimise.target_cost) beside its cost per kWh of its line's own output,
and :func:`overshoot_notes` says where a method is cheaper per own kWh only because its line overshoots the target.
"""

from __future__ import annotations

from twin.no_output import figure

# how a resolution is read, by the method's resolution key (twin.inspection_methods.method_figures)
RESOLUTION_UNITS = {"pixel_um": "um px", "voxel_um": "um vox", "threshold_leak_uA": "uA"}
# short names, so the check's name (up to 22 characters) sets the first column and the row fits 80 columns
METHOD_WORDS = {"optical": "optical", "xray_2d": "X-ray", "xray_ct": "CT", "eol_electrical": "electrical"}


# an electrical test by its kind (two tests may resolve the same leak current)
TEST_WORDS = {"ocv": "OCV", "potentiostatic": "potentiostat"}
# marks a trial whose line makes less than the plant's target output (twin.plant_metrics.TARGET_TOLERANCE)
BELOW_TARGET = "<"


def _method_words(trial: dict) -> str:
    if "method" not in trial:   # a time-dependent check: the trial is its cycle time
        return f"{figure(trial.get('cycle_time_s'), 'g')} s cycle"
    if trial.get("test") is not None:   # electrical: the test and its time say which, not the resolved current
        return f"{TEST_WORDS.get(trial['test'], trial['test'])} {figure(trial.get('test_time_h'), 'g')} h"
    unit = RESOLUTION_UNITS.get(trial.get("resolution_key"), trial.get("resolution_key") or "")
    name = METHOD_WORDS.get(trial["method"], trial["method"])
    return f"{name} {figure(trial.get('resolution'), '.3g')} {unit}".rstrip()


def trial_labels(trials: list[dict]) -> list[str]:
    """One label per trial, unique within its check: the method's words, then its machine price where two
    trials of a check read alike."""
    words = [_method_words(trial) for trial in trials]
    seen: dict[tuple[str, str], int] = {}
    for trial, text in zip(trials, words, strict=True):
        seen[trial["check"], text] = seen.get((trial["check"], text), 0) + 1
    labels = []
    for trial, text in zip(trials, words, strict=True):
        if seen[trial["check"], text] > 1:
            text = f"{text} {figure((trial.get('capex_usd_per_machine') or 0.0) / 1e6, '.3g')} MUSD"
        labels.append(text)
    return labels


def _output(trial: dict) -> str:
    text = figure(trial.get("gwh_per_year"), ".3f")
    return f"{BELOW_TARGET}{text}" if trial.get("meets_target") is False else text


# "target" / "own": USD/kWh at the plant's target and per kWh of the line's own output (its GWh/yr)
FIGURE_COLUMNS = ("a50 um", "s/sheet", "mach.", "ppm", "target USD/kWh", "own USD/kWh", "GWh/yr")
# the names' column at 80 columns: the longest check name (22 characters) sets it
NAME_WIDTH = 22


def _rows(trials: list[dict], sized: bool) -> list[tuple[str, ...]]:
    """The table's rows as text: each check's name, then its trials (``*`` chosen, in brackets: priced on the
    design's line)."""
    labels = trial_labels(trials)
    rows: list[tuple[str, ...]] = []
    for check in dict.fromkeys(trial["check"] for trial in trials):
        rows.append((check, *[""] * len(FIGURE_COLUMNS)))
        for trial, label in ((t, text) for t, text in zip(trials, labels, strict=True) if t["check"] == check):
            if sized and trial.get("sized_line") is False:
                label = f"({label})"
            rows.append((
                ("* " if trial.get("chosen") else "  ") + label,
                figure(trial.get("a50_um"), ".3g", ""),
                figure(trial.get("time_per_sheet_s", trial.get("cycle_time_s")), ".3g"),
                str(trial.get("machines", "")),
                figure(trial.get("escape_ppm"), ",.0f"),
                figure(trial.get("usd_per_kwh_at_target"), ",.1f"),
                figure(trial.get("usd_per_kwh"), ",.1f"),
                _output(trial),
            ))
    return rows


def _caps_broken(trials: list[dict]) -> str:
    """' (LABEL: over the capex budget; ...)': which caps the design's line with each bracketed trial breaks
    (``over_caps`` of the trial, twin.optimise.inspection_choice); '' when none is named."""
    named = [f"{label}: over {' and '.join(trial['over_caps'])}"
             for trial, label in zip(trials, trial_labels(trials), strict=True)
             if trial.get("sized_line") is False and trial.get("over_caps")]
    return f" ({'; '.join(named)})" if named else ""


def inspection_table(design: dict, width: int | None = None):
    """A rich Table of the design's inspection trials grouped by check (None when none were tried); the chosen
    trial of each check is marked ``*``. ``width``: the terminal's columns (80 when not given); below what the
    table needs the check and method names fold onto more lines and the gaps narrow, so no figure is cut ("35…"
    at 60)."""
    from rich import box
    from rich.table import Table

    trials = list(design.get("inspection") or []) + list(design.get("inspection_methods") or [])
    if not trials:
        return None
    sized = any(trial.get("sized_line") for trial in trials)
    where = ("each on the line sized for it, the other checks as chosen" if sized
             else "each on the designed line, the check re-sized to whole machines")
    rows = _rows(trials, sized)
    # each figure column is as wide as its widest figure or its header's longest word
    widths = [max(max(len(word) for word in header.split()), *(len(row[k]) for row in rows))
              for k, header in enumerate(FIGURE_COLUMNS, start=1)]
    figures_width = sum(widths)
    # no width given: the 80 columns a planner's terminal has
    width = 80 if width is None else width
    narrow = width < NAME_WIDTH + figures_width + 3 * len(FIGURE_COLUMNS) + 2
    table = Table(title=f"inspection trials (* chosen; {where}; priced by evaluate with its escapes)",
                  box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 0) if narrow else (0, 1),
                  caption="a50: the defect size found half the time; s/sheet: scan or test time (cycle time of a "
                          "time-dependent check); ppm: escapes per million good cells; target: the line as sized "
                          "making only the plant's target (the choice is made on it); own: per kWh of all the line "
                          "makes (GWh/yr); "
                          f"{BELOW_TARGET}: the line makes less than the plant's target"
                          + ("; mach.: the check's machines on that line; (in brackets): no line on the design's "
                             f"recipes carries it within the caps{_caps_broken(trials)}, priced on the design's line "
                             "with its check re-sized" if sized else ""))
    names = max(len(row[0]) for row in rows)
    if narrow:   # the names take what the figures and the one-space gaps leave (at least 12: "potentiostat")
        names = max(12, min(names, width - figures_width - len(FIGURE_COLUMNS) - 1))
    table.add_column("check, method", overflow="fold", max_width=names)
    # the figures are single words: the column never narrows below one, its header's words wrap instead
    for column, column_width in zip(FIGURE_COLUMNS, widths, strict=True):
        table.add_column(column, justify="right", max_width=column_width if narrow else None)
    for row in rows:   # a check's name in bold over its trials (a trial's label starts with "* " or spaces)
        table.add_row(row[0] if row[0].startswith((" ", "*")) else f"[bold]{row[0]}[/]", *row[1:])
    return table


def overshoot_notes(design: dict) -> list[str]:
    """One sentence per check where the trial cheapest per kWh of its own output is not the one chosen at the
    target (``cheaper_only_by_overshoot``, twin.optimise.inspection_choice): its line's surplus over the target,
    not the method, made it look cheaper."""
    trials = list(design.get("inspection") or []) + list(design.get("inspection_methods") or [])
    labels = dict(zip(map(id, trials), trial_labels(trials), strict=True))
    notes = []
    for trial in trials:
        if not trial.get("cheaper_only_by_overshoot"):
            continue
        chosen = next((t for t in trials if t["check"] == trial["check"] and t.get("chosen")), None)
        if chosen is None:
            continue
        notes.append(
            f"{trial['check']}: {labels[id(trial)]} is the cheapest per kWh of its own line's output "
            f"({figure(trial.get('usd_per_kwh'), ',.1f')} USD/kWh) only because that line makes "
            f"{figure(trial.get('surplus_fraction'), '.1%')} more than the target "
            f"({figure(trial.get('gwh_per_year'), '.3f')} GWh/yr); at the target it costs "
            f"{figure(trial.get('usd_per_kwh_at_target'), ',.1f')} and {labels[id(chosen)]} "
            f"{figure(chosen.get('usd_per_kwh_at_target'), ',.1f')} USD/kWh, so {labels[id(chosen)]} is chosen.")
    return notes


def tie_notes(design: dict, relative_error: float | None) -> list[str]:
    """One sentence per check whose chosen trial and runner-up at the target differ by less than evaluate's
    95 % sampling error of USD/kWh (``relative_error``: its half-width over the design's USD/kWh, twin.commands.
    evaluate.cost_relative_error): the sample cannot tell them apart, the rule picked one."""
    if relative_error is None or not relative_error > 0.0:
        return []
    trials = list(design.get("inspection") or []) + list(design.get("inspection_methods") or [])
    labels = dict(zip(map(id, trials), trial_labels(trials), strict=True))
    notes = []
    for chosen in trials:
        cost = chosen.get("usd_per_kwh_at_target")
        if not chosen.get("chosen") or cost is None:
            continue
        others = [t for t in trials if t["check"] == chosen["check"] and t is not chosen
                  and t.get("usd_per_kwh_at_target") is not None and not t.get("over_caps")]
        if not others:
            continue
        runner_up = min(others, key=lambda t: t["usd_per_kwh_at_target"])
        error = relative_error * cost
        if abs(runner_up["usd_per_kwh_at_target"] - cost) >= error:
            continue
        notes.append(
            f"{chosen['check']}: {labels[id(chosen)]} ({figure(cost, ',.1f')} USD/kWh at the target) and "
            f"{labels[id(runner_up)]} ({figure(runner_up['usd_per_kwh_at_target'], ',.1f')}) are tied within "
            f"evaluate's sampling error (+-{figure(error, '.2g')} USD/kWh); chosen by the rule: the lower cost at "
            "the target on the same sample among the trials meeting the target (the first tried when equal), "
            "so either serves.")
    return notes


__all__ = ["inspection_table", "overshoot_notes", "tie_notes", "trial_labels"]
