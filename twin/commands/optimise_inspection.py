"""The inspection trials of ``ssb-twin optimise`` as a table a planner reads on an 80-column terminal.

Each trial is one method (or cycle time) at one check on the designed line, its station re-sized to whole
machines and the line priced by evaluate with its escapes (twin.optimise.inspection_choice); the JSON keeps
every field, the table the ones a choice is made on.
"""

from __future__ import annotations

from twin.no_output import figure

# how a resolution is read, by the method's resolution key (twin.inspection_methods.method_figures)
RESOLUTION_UNITS = {"pixel_um": "um px", "voxel_um": "um vox", "threshold_leak_uA": "uA"}
# short names, so the check's name (up to 22 characters) sets the first column and the row fits 80 columns
METHOD_WORDS = {"optical": "optical", "xray_2d": "X-ray", "xray_ct": "CT", "eol_electrical": "electrical"}


def _method_words(trial: dict) -> str:
    if "method" not in trial:   # a time-dependent check: the trial is its cycle time
        return f"{figure(trial.get('cycle_time_s'), 'g')} s cycle"
    unit = RESOLUTION_UNITS.get(trial.get("resolution_key"), trial.get("resolution_key") or "")
    name = METHOD_WORDS.get(trial["method"], trial["method"])
    return f"{name} {figure(trial.get('resolution'), '.3g')} {unit}".rstrip()


def inspection_table(design: dict):
    """A rich Table of the design's inspection trials grouped by check (None when none were tried); the chosen
    trial of each check is marked ``*``."""
    from rich import box
    from rich.table import Table

    trials = list(design.get("inspection") or []) + list(design.get("inspection_methods") or [])
    if not trials:
        return None
    table = Table(title="inspection trials (* chosen; each on the designed line, the check re-sized to whole "
                        "machines, priced by evaluate with its escapes)", box=box.SIMPLE_HEAD, pad_edge=False,
                  caption="a50: the defect size found half the time; s/sheet: scan or test time (cycle time of a "
                          "time-dependent check); ppm: escapes per million good cells")
    table.add_column("check, method", no_wrap=True,
                     min_width=max(len(trial["check"]) for trial in trials))
    for column in ("a50 um", "s/sheet", "mach.", "ppm", "USD/kWh", "GWh/yr"):
        table.add_column(column, justify="right", no_wrap=True)
    for check in dict.fromkeys(trial["check"] for trial in trials):
        table.add_row(f"[bold]{check}[/]", *[""] * 6)
        for trial in (t for t in trials if t["check"] == check):
            table.add_row(
                ("* " if trial.get("chosen") else "  ") + _method_words(trial),
                figure(trial.get("a50_um"), ".3g", ""),
                figure(trial.get("time_per_sheet_s", trial.get("cycle_time_s")), ".3g"),
                str(trial.get("machines", "")),
                figure(trial.get("escape_ppm"), ",.0f"),
                figure(trial.get("usd_per_kwh"), ",.1f"),
                figure(trial.get("gwh_per_year"), ".3f"),
            )
    return table


__all__ = ["inspection_table"]
