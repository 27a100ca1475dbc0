"""Where the escapes come from: each latent-defect maker's size law against the checks after it.

An escape figure alone ("35,892 bad cells per million") does not say what to change. A step that makes
latent (sized) defects draws their sizes from a log-normal law (``defect_size``: median a_med, log spread
s); each later check with an inspection method finds a defect of size a with its POD(a)
(twin.inspection_methods). Over the size law,

    detected share of check k = integral phi(z) POD_k(a_med e^(s z)) dz
    missed share (every check) = integral phi(z) prod_k (1 - POD_k(a_med e^(s z))) dz

(phi the standard normal density; the product is twin.escape_variance.missed_share, the same M(a) the
evaluation books escapes with). These are per defect, before a piece's other defects or its cellmates
decide its fate: they say which check is blind to which defects (a 2D X-ray finding half the defects at
300 um cannot see 20 um pinholes), not the escape rate itself, which the per-sheet state gives.

:func:`escape_attribution` gives that: every escaped cell of the evaluation's sample booked to its source,
from the same per-sheet state and the same assembly as the escape figure (twin.cell_output): a latent
defect (its kind, the step that made it, the last check that missed it), a cell a capacity grade's scatter
passed below it, a sheet a check found out of spec and missed (by cause), or a thin-film pinhole short.
The shares add up to 1: nothing is left as "other escapes".
"""

from __future__ import annotations

import math

import numpy as np

from twin.cell_output import FinishedOutput, finished_output, lot_escapes, sheet_pieces
from twin.escape_variance import missed_share
from twin.expected_outcomes import latent_steps
from twin.inspection_methods import method_figures, method_pod
from twin.operations import operation_for
from twin.scenario import Scenario
from twin.scenario.inspection_methods import DEFECT_KINDS
from twin.sheet_batch import CAUSE_INDEX, SCRAP_CAUSES, SHEET_STATE_FIELDS

_ROW = {name: SHEET_STATE_FIELDS.index(name) for name in (
    "out_of_spec_cause", "out_of_spec_step", "pinhole_short_step", "latent_defect_kind", "latent_defect_step")}
_GRADED_OUT = CAUSE_INDEX["low_capacity"]   # the capacity grade's cause (twin.capacity_grading)

# Normal quantiles the size law is integrated over: |z| <= 8 leaves < 1e-15 of the law out, and steps of
# 0.02 resolve POD curves that change over a factor ~2 of size (~0.7 of z at log_sd 1) to < 1e-4
_Z = np.linspace(-8.0, 8.0, 801)
_WEIGHTS = np.exp(-0.5 * _Z * _Z) / np.sqrt(2.0 * np.pi) * (_Z[1] - _Z[0])
_WEIGHTS[[0, -1]] *= 0.5   # trapezoid rule


# per (route, cell, line) objects: the API's seed variants of one scenario share them (the figures depend on
# the route's defects and checks, the cell the methods see and nothing random); the entry keeps them alive
_SOURCES: dict[tuple[int, int, int], tuple[tuple, list[dict]]] = {}


def escape_sources(scenario: Scenario) -> list[dict]:
    """Per latent-defect maker: its defects' size law and the share of them each later check finds.

    Returns ``[{step, defect_kind, median_size_um, log_sd, checks: [{check, method, a50_um,
    detected_share}], missed_share}]`` in route order (a new list each call); an empty list for a route
    without sized defects. Shares are of single defects over the size law [-] (module docstring);
    ``a50_um`` the size the method finds half the time [um].
    """
    parts = (scenario.route, scenario.cell, scenario.line)
    key = tuple(id(part) for part in parts)
    cached = _SOURCES.get(key)
    if cached is None or any(a is not b for a, b in zip(cached[0], parts, strict=True)):
        if len(_SOURCES) >= 64:
            _SOURCES.clear()
        cached = _SOURCES[key] = (parts, _escape_sources(scenario))
    return [{**source, "checks": [dict(check) for check in source["checks"]]} for source in cached[1]]


def _escape_sources(scenario: Scenario) -> list[dict]:
    sources = []
    for maker in latent_steps(scenario):
        step = scenario.route[maker]
        shape = step.defect_size
        sizes_m = shape.median_um * 1e-6 * np.exp(shape.log_sd * _Z)
        checks = []
        for index, later in enumerate(scenario.route):
            method = getattr(later, "method", None)
            if index <= maker or method is None or not operation_for(later).is_quality_check:
                continue
            checks.append({
                "check": later.name,
                "method": method.method,
                "a50_um": method_figures(scenario, method)["a50_m"] * 1e6,
                "detected_share": float(np.dot(_WEIGHTS, method_pod(scenario, method, sizes_m))),
            })
        sources.append({
            "step": step.name,
            "defect_kind": shape.kind,
            "median_size_um": shape.median_um,
            "log_sd": shape.log_sd,
            "checks": checks,
            "missed_share": float(np.dot(_WEIGHTS, missed_share(scenario, maker, sizes_m))),
        })
    return sources


def escape_attribution(scenario: Scenario, values: np.ndarray, alive: np.ndarray,
                       finished: FinishedOutput | None = None) -> list[dict]:
    """Every escaped cell of a sample booked to its source, largest share first; [] when nothing escaped.

    ``values``/``alive``: the sample's (fields x sheets) state and the sheets that left the line. Each source is
    ``{source, defect, made_at, check, share}``: ``source`` one of ``latent_defect`` (a sized defect no check
    found: ``defect`` its kind, ``made_at`` the step(s) making that kind, ``check`` the last check that missed
    it), ``capacity_grading`` (a cell below the grade its measurement scatter passed), ``missed_spec`` (a sheet
    ``check`` found out of spec for ``defect``, a scrap cause, and missed: detection_probability below 1) or
    ``pinhole_short`` (a thin-film pinhole short ``check`` let pass); ``share`` of the escaped cells [-]. A
    latent defect made at one step also has ``offered_methods`` (:func:`offered_methods`). ``finished``: the
    sample's ``finished_output`` when the caller has it (else counted again).

    The pieces are those of :func:`twin.cell_output.finished_output`, assembled as the escape figure is
    (``FinishedOutput.assembled``): a grade's lot escapes ship as their own cells, every other escaped piece
    makes its random cell an escaped cell, so those sources are scaled alike. The shares sum to 1 (to float
    rounding): they are the parts of one total.
    """
    live = values[:, alive]
    if live.shape[1] == 0:
        return []
    pieces, escaped, shorted, latent, _ = sheet_pieces(scenario, live)
    names = [step.name for step in scenario.route]
    cause = live[_ROW["out_of_spec_cause"]]
    lot = lot_escapes(live, pieces, escaped)
    booked: dict[tuple, float] = {}

    def book(mask: np.ndarray, weights: np.ndarray, keys: tuple[np.ndarray, ...], make_key) -> None:
        if not np.logical_or.reduce(mask, axis=None):
            return
        rows = np.stack([key[mask] for key in keys], axis=1)
        for row in np.unique(rows, axis=0):
            # np.unique keeps each NaN apart (NaN != NaN): an unset row is booked under None
            here = mask & np.logical_and.reduce([key == value if value == value else np.isnan(key)
                                                 for key, value in zip(keys, row, strict=True)])
            key = make_key(*(int(value) if value == value else None for value in row))
            booked[key] = booked.get(key, 0.0) + float(weights[here].sum())

    def name(step: int | None) -> str | None:
        return None if step is None else names[step]

    step_of_spec = live[_ROW["out_of_spec_step"]]
    book(escaped & (cause == _GRADED_OUT), pieces, (step_of_spec,),
         lambda step: ("capacity_grading", "low_capacity", None, name(step)))
    book(escaped & (cause != _GRADED_OUT), pieces, (cause, step_of_spec),
         lambda index, step: ("missed_spec", None if index is None else SCRAP_CAUSES[index], None, name(step)))
    book(shorted > 0, shorted, (live[_ROW["pinhole_short_step"]],),
         lambda step: ("pinhole_short", "pinhole", None, name(step)))
    makers = _makers_by_kind(scenario)
    book(latent > 0, latent, (live[_ROW["latent_defect_kind"]], live[_ROW["latent_defect_step"]]),
         lambda kind, step: ("latent_defect", None if kind is None else DEFECT_KINDS[kind],
                             " or ".join(names[index] for index in makers.get(DEFECT_KINDS[kind], []))
                             if kind is not None else None, name(step)))
    if not booked:
        return []
    # the assembly turns stream pieces into escaped cells alike (FinishedOutput.assembled): one scale for them
    lot_pieces = float(lot.sum())
    stream_before = math.fsum(value for key, value in booked.items() if key[0] != "capacity_grading")
    finished = finished_output(scenario, values, alive) if finished is None else finished
    assembled = finished.assembled(scenario.cell.format.layers_per_cell)
    stream_after = assembled.escaped_pieces - assembled.lot_escaped_pieces
    scale = stream_after / stream_before if stream_before > 0.0 and stream_after > 0.0 else 0.0
    cells = {key: value * (1.0 if key[0] == "capacity_grading" else scale) for key, value in booked.items()}
    if lot_pieces <= 0.0 and scale == 0.0:
        return []
    total = math.fsum(cells.values())
    sources = []
    for (source, defect, made_at, check), value in cells.items():
        if value <= 0.0:
            continue
        sources.append({"source": source, "defect": defect, "made_at": made_at, "check": check,
                        "share": value / total})
        if source == "latent_defect" and len(makers.get(defect, [])) == 1:
            sources[-1]["offered_methods"] = offered_methods(scenario, makers[defect][0])
    return sorted(sources, key=lambda source: -source["share"])


def offered_methods(scenario: Scenario, maker: int) -> list[dict]:
    """The share of ``maker``'s latent defects that would pass every check with one offered method in place.

    Each ``optimisation.inspection_methods`` option at a check after the maker, the other checks as they
    are: ``[{check, method, resolution_key, resolution, a50_um, missed_share}]`` (same size-law integral as
    :func:`escape_sources`, so
    comparable with its ``missed_share``); [] when the scenario offers none after the maker. Per defect, not
    an escape rate: the optimiser prices the options (output, cost, escapes) on the whole line.
    """
    options = (scenario.optimisation.inspection_methods or []) if scenario.optimisation else []
    if not options:
        return []
    shape = scenario.route[maker].defect_size
    sizes_m = shape.median_um * 1e-6 * np.exp(shape.log_sd * _Z)
    misses = {index: 1.0 - method_pod(scenario, step.method, sizes_m) for index, step in enumerate(scenario.route)
              if index > maker and getattr(step, "method", None) is not None and operation_for(step).is_quality_check}
    names = [step.name for step in scenario.route]
    offered = []
    for option in options:
        at = names.index(option.check) if option.check in names else -1
        if at <= maker:
            continue
        missed = 1.0 - method_pod(scenario, option.method, sizes_m)
        for index, miss in misses.items():
            if index != at:
                missed = missed * miss
        figures = method_figures(scenario, option.method)
        offered.append({"check": option.check, "method": option.method.method, "resolution_key":
                        figures["resolution_key"], "resolution": figures["resolution"],
                        "a50_um": figures["a50_m"] * 1e6, "missed_share": float(np.dot(_WEIGHTS, missed))})
    return offered


def _makers_by_kind(scenario: Scenario) -> dict[str, list[int]]:
    """Defect kind -> route indices of the steps that make latent defects of it."""
    makers: dict[str, list[int]] = {}
    for index in latent_steps(scenario):
        makers.setdefault(scenario.route[index].defect_size.kind, []).append(index)
    return makers


def escape_sources_sentence(sources: list[dict] | None) -> str | None:
    """Per maker: the share of its defects each later check finds, and the share that passes every check."""
    if not sources:
        return None
    parts = []
    for source in sources:
        found = ", ".join(f"{check['check']} {_percent(check['detected_share'])} ({check['method']}, "
                          f"a50 {check['a50_um']:,.3g} um)" for check in source["checks"])
        parts.append(f"{source['step']}'s {source['defect_kind']}s (median {source['median_size_um']:,.3g} um): "
                     + (found + "; " if found else "no check with an inspection method after it; ")
                     + f"{_percent(source['missed_share'])} pass every check")
    return ("Where escapes come from (share of each step's latent defects each check alone would find; a50: the "
            "size it finds half the time; the checks see the same large defects, so what passes every check is "
            "the small defects below all their reach, more than the product of the misses): "
            + ". ".join(parts) + ".")


# why each kind of source escaped, in the words of the sentence (and the scenario field to change)
_WHY = {
    # counted: the cells this sample's draw passed (the grading sentence gives the expected share, which they
    # scatter about)
    "capacity_grading": "cells below {check}'s capacity grade that its measurement scatter passed "
                        "(measurement_sd_fraction; counted in this sample)",
    "missed_spec": "sheets {check} found out of spec ({defect}) and missed (detection_probability below 1)",
    "pinhole_short": "thin-film pinhole shorts {check} let pass",
    "latent_defect": "{made_at}'s {defect}s below every check's reach, {check} the last to miss them",
}

# an offered method is named as the lever only if it lets at least this share fewer of the defects pass
# (assumption: 1 % relative, well above the size-law integral's < 1e-4, well below a change worth pricing)
_MATERIAL = 0.01


def escape_attribution_sentence(attribution: list[dict] | None, escaped_cells_per_day: float | None) -> str | None:
    """Every escaped cell by its source, largest first, with its share and cells per day (all 100 %)."""
    if not attribution:
        return None
    parts = []
    for source in attribution:
        words = _WHY[source["source"]].format(check=source["check"] or "a check", defect=source["defect"] or "defect",
                                              made_at=source["made_at"] or "a step")
        per_day = f" ({source['share'] * escaped_cells_per_day:,.3g} per day)" if escaped_cells_per_day else ""
        parts.append(f"{_percent(source['share'])}{per_day} {words}")
    return "Escaped cells by source (all of them, 100 %): " + "; ".join(parts) + "."


def fewer_escapes_sentence(attribution: list[dict] | None, sources: list[dict] | None,
                           escaped_cells_per_day: float | None) -> str | None:
    """The largest source of escapes, the check that finds most of its defects, and what would cut it.

    Only the evaluation's own figures: for a latent defect, the share passing every check as it stands and,
    per offered method (:func:`offered_methods`), the share that would pass with it; no escape rate is
    predicted for an option (the optimiser prices them on the whole line)."""
    if not attribution:
        return None
    top = attribution[0]
    head = "Fewer escapes: the largest source is "
    share = f"{_percent(top['share'])} of the escaped cells" + (
        f", {top['share'] * escaped_cells_per_day:,.3g} per day" if escaped_cells_per_day else "")
    if top["source"] == "capacity_grading":
        return (head + f"{top['check']}'s capacity grade ({share}): a smaller measurement scatter "
                "(measurement_sd_fraction) or cells further above the grade cut it.")
    if top["source"] == "missed_spec":
        return (head + f"{top['check']} missing {top['defect']} ({share}): its detection_probability "
                "is the lever.")
    if top["source"] == "pinhole_short":
        return head + f"thin-film pinhole shorts {top['check']} let pass ({share}): a screen after it finds them."
    maker = next((source for source in sources or [] if source["step"] == top["made_at"]), None)
    sentence = head + f"{top['made_at'] or 'a step'}'s {top['defect']}s ({share})"
    if maker is None:
        return sentence + "."
    best_check = max(maker["checks"], key=lambda check: check["detected_share"], default=None)
    sentence += f": {_percent(maker['missed_share'])} of them pass every check as it stands"
    if best_check is not None:
        sentence += (f" ({best_check['check']}'s {best_check['method']}, a50 {best_check['a50_um']:,.3g} um, finds "
                     f"the most, {_percent(best_check['detected_share'])})")
    offered = top.get("offered_methods") or []
    if not offered:
        return sentence + (": a finer method at a check after it is the lever; the scenario offers none to try "
                           "(optimisation.inspection_methods).")
    best = min(offered, key=lambda option: option["missed_share"])
    if best["missed_share"] > (1.0 - _MATERIAL) * maker["missed_share"]:
        return sentence + ("; none of the methods the scenario offers (optimisation.inspection_methods) lets "
                           f"materially fewer of them pass (at best {_percent(best['missed_share'])}): a finer "
                           f"method where they are missed is the lever.")
    unit = "um pixels" if best["resolution_key"] == "pixel_um" else best["resolution_key"]
    return sentence + (f"; of the methods the scenario offers (optimisation.inspection_methods), {best['method']} "
                       f"at {best['check']} (a50 {best['a50_um']:,.3g} um, {best['resolution']:,.3g} {unit}) lets "
                       f"the fewest pass, {_percent(best['missed_share'])} instead of "
                       f"{_percent(maker['missed_share'])}: ssb-twin optimise prices the options on "
                       "the whole line (output, cost and escapes).")


def _percent(share: float) -> str:
    return f"{100.0 * share:.3g} %"


__all__ = ["escape_attribution", "escape_attribution_sentence", "escape_sources", "escape_sources_sentence",
           "fewer_escapes_sentence", "offered_methods"]
