"""KPIs of one replication from what the plant model measured (after the warm-up).

Definitions are those of ``twin.plant_metrics``, shared with ``evaluate``: throughput is measured per
scheduled (shift) hour, scaled to a year by ``twin.capacity.operating_hours_per_year`` and to a day as a
calendar day (a year / 365); availability, utilisation, performance, quality and OEE per station come
from its measured machine time; the bottleneck is the station with the highest utilisation.
"""

from __future__ import annotations

import math

import numpy as np

from twin.capacity import operating_hours_per_year
from twin.capacity_grading import GRADING_CAUSE
from twin.cell_output import assembly_index, cell_block, cellmate_sheets_by_step, good_sheet_mask
from twin.cost.line_flow import LineOutput
from twin.des.calendar import SECONDS_PER_DAY
from twin.des.plant import Plant
from twin.escape_sources import escape_sources
from twin.operations import operation_for
from twin.piece_yield import CELLMATE_CAUSE, PieceAccount, shares_by_cause, sheet_steps
from twin.plant_metrics import bottleneck as bottleneck_of
from twin.plant_metrics import per_calendar_day, station_figures
from twin.results import escape_block, piece_yield_identities, quality_from_state, quality_summary, sheet_yields_read
from twin.sheet_batch import SHEET_STATE_FIELDS
from twin.sheet_physics import SCRAP_CAUSES

# What the yield block's figures obey, as the result says it (one replication; over replications each figure
# is the mean of the replications' own: a mean is linear, so the sum holds, the product holds on each run)
YIELD_IDENTITIES = ("overall = product of piece_yield_by_step x escape_factor; scrap_by_cause + escaped_share "
                    "+ overall = 1 (shares of a piece started, at the yields each station measured on its own flow). "
                    "Over replications each figure is the mean of the replications' own: the sum still holds, the "
                    "product holds on each replication.")
# Instants worked on at once in the bottleneck analysis (bounds its (stations x instants) table).
BOTTLENECK_SLICE_POINTS = 32_768


def bottleneck_shares(plant: Plant, end_s: float) -> dict[str, float]:
    """Share of scheduled time each station is the momentary bottleneck (active period method).

    Roser, Nakano & Tanaka, "A practical bottleneck detection method", Proc. Winter Simulation
    Conference 2001: at any instant, the station in the longest uninterrupted active period is the
    bottleneck. A station is active while none of its machines is starved, blocked or off shift
    (working, setting up, under repair or maintenance: it cannot absorb more work).

    Worked out exactly from the event intervals: the ends of every station's active periods and of
    the shifts cut the measured time into pieces in which no station starts or stops being active, so
    each piece has one bottleneck (the one at its middle) and counts with its length. Ties go to the
    station first in route order.
    """
    start_s = plant.warmup_s
    names = [station.spec.name for station in plant.stations]
    all_periods = [station.active_periods_array() for station in plant.stations]
    shift_starts = np.asarray(plant.calendar.starts, dtype=float)
    shift_ends = np.asarray(plant.calendar.ends, dtype=float)
    cuts = np.concatenate([[start_s, end_s], shift_starts, shift_ends] + [periods.ravel() for periods in all_periods])
    cuts = np.unique(cuts[(cuts >= start_s) & (cuts <= end_s)])
    middles = 0.5 * (cuts[:-1] + cuts[1:])
    lengths_s = np.diff(cuts)
    in_shift = _in_shift_mask(plant, middles)
    middles = middles[in_shift]
    lengths_s = lengths_s[in_shift]
    measured_s = float(lengths_s.sum())
    if measured_s <= 0:
        return {name: 0.0 for name in names}
    bottleneck_s = np.zeros(len(names))
    # pieces are independent: worked through in slices, so the (stations x pieces) table stays small
    for first in range(0, middles.size, BOTTLENECK_SLICE_POINTS):
        instants = middles[first:first + BOTTLENECK_SLICE_POINTS]
        period_lengths = np.zeros((len(names), instants.size))
        for row, periods in enumerate(all_periods):
            if periods.shape[0] == 0:
                continue
            index = np.searchsorted(periods[:, 0], instants, side="right") - 1
            valid = index >= 0
            covered = np.zeros(instants.size, dtype=bool)
            covered[valid] = instants[valid] < periods[index[valid], 1]
            period_lengths[row, covered] = periods[index[covered], 1] - periods[index[covered], 0]
        any_active = period_lengths.max(axis=0) > 0
        winner = np.argmax(period_lengths, axis=0)
        weights = lengths_s[first:first + BOTTLENECK_SLICE_POINTS][any_active]
        bottleneck_s += np.bincount(winner[any_active], weights=weights, minlength=len(names))
    return {name: float(bottleneck_s[i]) / measured_s for i, name in enumerate(names)}


def _in_shift_mask(plant: Plant, instants: np.ndarray) -> np.ndarray:
    starts = np.asarray(plant.calendar.starts)
    ends = np.asarray(plant.calendar.ends)
    index = np.searchsorted(starts, instants, side="right") - 1
    mask = index >= 0
    mask[mask] = instants[mask] < ends[index[mask]]
    return mask


def _by_cause(pieces: np.ndarray) -> dict[str, float]:
    return {cause: float(pieces[i]) for i, cause in enumerate(SCRAP_CAUSES) if pieces[i]}


def yield_block(flows: dict[str, tuple[float, float]], account: PieceAccount, cells_per_sheet: int,
                processed: bool = True) -> dict:
    """The ``yield`` figures of one replication in good cell pieces, by evaluate's definitions (twin.piece_yield).

    ``flows``: per station in line order, (sheets in, sheets good out) in the measured period; ``account``:
    the pieces each station lost in it (by cause: whole sheets' live pieces, single pieces, cellmates) and
    the good and escaped pieces shipped in it. Each station's **piece yield** is the share of the pieces
    entering it that it keeps, on its own flow: entering = sheets in x live pieces per sheet, the live
    pieces per sheet being C at the first station and, after each station, its pieces kept / its sheets
    out (exact up to the first station that kills single pieces; after it, the sheets entering a station
    carry the live share measured on the sheets leaving the one before). The **escape factor** is the good
    share of the pieces shipped. Then, with R_s the product of the yields before station s,

        overall = product of the piece yields x escape factor,  escaped_share = product x (1 - escape factor),
        scrap share of (station s, cause c) = R_s x pieces s lost to c / pieces entering s,

    so scrap_by_cause + escaped_share + overall = 1 to float precision. For evaluate's closed sample these
    are its counts per piece started; over a measured period they are the shares of a line running at the
    yields each station measured. The old figures divided each station's losses in the period by the pieces
    started in it, while the overall chained each station's own sheet yield: the pieces in the line (more
    or fewer at the end than at the warm-up's end, kiln loads leaving in lumps) and the escapes, missing from
    the shares, made them add up to 0.95-1.03 on a one-day run and ~1.002 on ten days of oxide_baseline.
    ``processed``: whether any station processed a sheet; if not, the yield is undefined (None, with the
    reason): a run that made nothing has no yield (it is not 1.0).
    """
    lost = account.lost_by_step_cause()
    piece_yields: dict[str, float] = {}
    by_step_cause: dict[str, dict[str, float]] = {}
    reached = 1.0          # share of a piece started that reaches the station (product of the yields before it)
    live_per_sheet = float(cells_per_sheet)
    for name, (sheets_in, sheets_out) in flows.items():
        entering = sheets_in * live_per_sheet
        here = lost.get(name, {})
        lost_here = math.fsum(here.values())
        # the losses are counted piece by piece, the entering pieces estimated from the station before's live
        # share; where the station's own sheets carried more (one scrapping every sheet: oxide_baseline fired at
        # 900 C lost 3,176,972 pieces at end_of_line_test of an estimated 3,176,959.3, a yield of -4e-6 and
        # scrap shares summing to 1.000004), what it lost is what entered: it never loses more
        entering = max(entering, lost_here)
        kept = entering - lost_here
        piece_yields[name] = kept / entering if entering > 0.0 else 1.0
        if entering > 0.0 and here:
            by_step_cause[name] = {cause: reached * pieces / entering for cause, pieces in here.items()}
        if sheets_out > 0:
            live_per_sheet = kept / sheets_out
        reached *= piece_yields[name]
    figures = {"piece_yield_by_step": piece_yields, "escape_factor": account.escape_factor,
               **piece_yield_identities(piece_yields, account.escape_factor),
               "scrap_by_cause": shares_by_cause(by_step_cause, 1.0),
               "scrap_by_step_cause": by_step_cause,
               # a station that processed no sheet in the period measured nothing: its 1.0 is no yield (a long
               # batch step, e.g. ageing, in a window shorter than its cycle); named, comma-separated, so the
               # replications' majority is kept as one string
               "unmeasured_steps": ", ".join(name for name, (sheets_in, _) in flows.items() if not sheets_in)}
    if not processed:
        figures.update(overall=None, escaped_share=None,
                       overall_undefined_reason="no sheet entered any station in the measured period")
    return figures


def replication_kpis(plant: Plant, end_s: float) -> dict:
    """The per-replication result: shared result keys (without cost) plus DES extras."""
    scenario = plant.scenario
    ledger = plant.ledger
    measured_s = end_s - plant.warmup_s
    scheduled_h = plant.calendar.scheduled_s_between(plant.warmup_s, end_s) / 3600.0
    hours_per_year = operating_hours_per_year(scenario)
    per_year = hours_per_year / scheduled_h if scheduled_h > 0 else 0.0
    good_sheets = ledger.good
    cells_per_sheet = scenario.cell.format.cells_per_sheet
    layers = scenario.cell.format.layers_per_cell
    finished = plant.finished
    # whole sheets only (integers): a cellmate is a piece, never a sheet scrapped, so it is in scrap_pieces alone
    scrap_counts = {s.spec.name: {cause: int(s.scrap_by_cause[i]) for i, cause in enumerate(SCRAP_CAUSES)}
                    for s in plant.stations}
    # the cell pieces each station lost by cause, whole sheets' live pieces and single pieces apart (evaluate's
    # PieceAccount, twin.piece_yield.step_piece_losses) and together (scrap_pieces: the scrap shares' counts)
    whole_pieces = {s.spec.name: _by_cause(s.pieces_scrapped_by_cause) for s in plant.stations}
    single_pieces = {s.spec.name: _by_cause(s.pieces_lost_singly_by_cause) for s in plant.stations}
    scrap_pieces = {s.spec.name: {cause: float(s.pieces_scrapped_by_cause[i] + s.pieces_lost_singly_by_cause[i])
                                  for i, cause in enumerate(SCRAP_CAUSES)} for s in plant.stations}
    scrapped_by_step = {name: sum(counts.values()) for name, counts in scrap_counts.items()}
    cellmate_sheets = 0.0
    cellmate_pieces: dict[str, float] = {}
    if finished.sample_state:
        # the shared definitions (twin.cell_output): good and escaped pieces, delivered energy per good cell.
        # The stations drop a scrapped sheet's state: the sheets scrapped after stacking count with the
        # finished sheets' mean stacked pieces (evaluate counts each one's own)
        first = assembly_index(scenario)
        # less the capacity grade's rejects, which leave as whole cells of their lot (twin.capacity_grading)
        after_stacking = sum(scrapped_by_step[step.name] - scrap_counts[step.name].get(GRADING_CAUSE, 0)
                             for step in scenario.route[first + 1:]) if first is not None else 0
        raw = finished.output.with_sheets_scrapped_after_stacking(after_stacking)
        output = LineOutput.from_finished(scenario, raw)
        # a cell with one escaped layer is an escaped cell; one with a layer rejected after stacking is lost whole
        stacked = raw.assembled(layers)
        good_cells = stacked.good_pieces / layers
        escaped_cells = stacked.escaped_pieces / layers
        grading_escape_share = stacked.lot_escaped_pieces / stacked.escaped_pieces if stacked.escaped_pieces else 0.0
        escaped_cells_by_step = {name: pieces * good_sheets / layers
                                 for name, pieces in output.escaped_pieces_per_sheet_by_step.items()}
        cellmate_sheets = stacked.cellmate_pieces / cells_per_sheet
        for name, sheets in cellmate_sheets_by_step(scenario, cellmate_sheets, scrapped_by_step).items():
            cellmate_pieces[name] = sheets * cells_per_sheet
            scrap_pieces[name][CELLMATE_CAUSE] = sheets * cells_per_sheet
        shipped_pieces = raw.good_pieces + raw.escaped_pieces
    else:  # a flow-only plant has no sheet state: every piece it finishes counts, at the design energy
        output = LineOutput.of_design(scenario)
        good_cells = finished.good_pieces / layers
        escaped_cells = 0.0
        escaped_cells_by_step = {}
        grading_escape_share = 0.0
        shipped_pieces = finished.good_pieces
    cell_Wh = output.cell_energy_Wh
    # pieces on the sheets that left the line not lost to defects (escapes included), as evaluate reports it
    # None without a finished sheet: a share of nothing (evaluate's cell_piece_yield likewise)
    pieces_kept_share = shipped_pieces / (good_sheets * cells_per_sheet) if good_sheets else None
    names = [station.spec.name for station in plant.stations]

    # sheets kept per sheet entering each station: the flows' basis (station quality), not the step's yield
    sheet_yields = {s.spec.name: (s.sheets_good_out / s.sheets_in if s.sheets_in else 1.0) for s in plant.stations}
    started = ledger.started
    # shares of the cell pieces started (sheet-equivalents per sheet started), as evaluate's
    started_pieces = started * cells_per_sheet
    account = PieceAccount(float(started_pieces), whole_pieces, single_pieces, cellmate_pieces,
                           good_cells * layers, escaped_cells * layers)
    checks = {step.name for step in scenario.route if operation_for(step).is_quality_check}
    yields = yield_block({s.spec.name: (s.sheets_in, s.sheets_good_out) for s in plant.stations}, account,
                         cells_per_sheet, any(s.sheets_in for s in plant.stations))
    scrap_by_check = {name: math.fsum(yields["scrap_by_step_cause"].get(name, {}).values())
                      for name in names if name in checks}
    false_rejects = (sum(counts["false_reject"] for counts in scrap_counts.values()) / started if started else 0.0)

    shares = bottleneck_shares(plant, end_s)
    stations = {}
    energy_kWh = {}
    for station in plant.stations:
        fractions = station.time_fractions()
        energy_kWh[station.spec.name] = station.process_energy_kWh + station.idle_energy_kWh
        stations[station.spec.name] = {
            **fractions,
            **station_figures(scheduled_s=fractions["scheduled_machine_h"] * 3600.0,
                              available_s=fractions["available_machine_h"] * 3600.0,
                              busy_s=fractions["busy_machine_h"] * 3600.0, sheets_in=station.sheets_in,
                              sheets_good_out=station.sheets_good_out,
                              ideal_time_per_sheet_s=station.spec.ideal_time_per_sheet_s),
            "energy_kwh": energy_kWh[station.spec.name],
            "machines": station.spec.machines,
            "sheets_in": station.sheets_in,
            "sheets_good_out": station.sheets_good_out,
            "units": station.units_done,
            "transfer_unit_sheets": station.spec.unit_sheets,
            "failures": station.failures,
            "bottleneck_share": shares[station.spec.name],
            # pieces killed one by one on sheets that went on, in sheet-equivalents (scrap priced by twin.cost)
            "single_piece_sheets": float(station.pieces_lost_singly_by_cause.sum()) / cells_per_sheet,
        }
    bottleneck = bottleneck_of({name: stations[name]["utilization"] for name in names})

    sampled = finished.state_sample()
    sampled_alive = np.ones(sampled.shape[1], dtype=bool)
    good_sampled = good_sheet_mask(sampled, sampled_alive)
    quality = quality_from_state(dict(zip(SHEET_STATE_FIELDS, sampled, strict=True)), good_sampled)
    cell = cell_block(scenario, sampled, sampled_alive, finished.output) if finished.sample_state else None
    lead_times_h = plant.finished.lead_time_sample.values() / 3600.0
    lead_summary = quality_summary(lead_times_h)
    wip_summary = quality_summary(np.asarray(plant.wip_samples, dtype=float))

    days = int(math.ceil(end_s / SECONDS_PER_DAY - 1e-9))
    # the day's finished pieces, stacked with the run's escaped share (FinishedOutput.assembled)
    raw_good = plant.finished.good_pieces
    stacked_share = good_cells * layers / raw_good if finished.sample_state and raw_good > 0 else 1.0
    good_by_day = [plant.finished.good_pieces_by_day.get(day, 0.0) * stacked_share / layers for day in range(days)]
    energy_by_day = {s.spec.name: [s.energy_kWh_by_day.get(day, 0.0) for day in range(days)]
                     for s in plant.stations}
    total_energy = math.fsum(energy_kWh.values())
    return {
        "scenario": scenario.name,
        "throughput": {
            "good_cells_per_day": per_calendar_day(good_cells * per_year),
            "m2_per_hour": good_cells * scenario.cell_layer_area_m2 * scenario.cell.format.layers_per_cell
            / scheduled_h if scheduled_h > 0 else 0.0,
            "gwh_per_year": good_cells * per_year * cell_Wh * 1e-9,
            "good_cells_per_year": good_cells * per_year,
            "good_sheets_measured": good_sheets,
            "operating_hours_per_year": hours_per_year,
            "cell_energy_wh": cell_Wh,
            "escaped_cells_per_day": per_calendar_day(escaped_cells * per_year),
            "escaped_cells_per_year": escaped_cells * per_year,
            "escaped_cells_by_step_per_year": {name: cells * per_year
                                               for name, cells in escaped_cells_by_step.items()},
            "cellmate_sheets_per_year": cellmate_sheets * per_year,
        },
        "yield": {**yields,
                  "sheet_yield_by_step": sheet_yields_read(sheet_yields, sheet_steps(scenario)),
                  "cell_piece_yield": pieces_kept_share, "sheets_started": started,
                  "pieces_started": started_pieces, "scrap_by_check": scrap_by_check,
                  "scrap_basis": "sheet-equivalents: cell pieces lost / pieces per sheet, per sheet started",
                  "identities": YIELD_IDENTITIES,
                  # in-spec sheets an inspection rejected whole, per sheet started (sheets, as evaluate)
                  **escape_block(good_cells, escaped_cells, false_rejects, grading_escape_share),
                  "escape_sources": escape_sources(scenario)},
        "cell": cell,
        "scrap_sheets": scrap_counts,     # whole sheets scrapped per station and cause (integers)
        "scrap_pieces": scrap_pieces,     # cell pieces lost per station and cause (cellmates too): the shares' counts
        "quality": quality,
        "stations": stations,
        "bottleneck": bottleneck,
        "machine_energy_kwh": total_energy,
        "buffers": {buffer.name: {"configured_capacity_sheets": configured, "capacity_sheets": buffer.capacity_sheets,
                                  "mean_level_sheets": buffer.mean_level_sheets(end_s),
                                  "max_level_sheets": buffer.max_level, "level_at_end_sheets": buffer.level}
                    for buffer, configured in zip(plant.buffers, plant.configured_buffer_sheets, strict=True)},
        "wip": {"mean_sheets": ledger.mean_wip_sheets(end_s), "p5_sheets": wip_summary["p5"],
                "p95_sheets": wip_summary["p95"]},
        "lead_time": {"mean_h": (plant.finished.lead_time_sum_s / 3600.0 / ledger.good) if ledger.good else None,
                      "p5_h": lead_summary["p5"], "p95_h": lead_summary["p95"]},
        "sheet_balance": {"started": ledger.started_total, "good": ledger.good_total,
                          "scrapped": ledger.scrapped_total, "wip_at_end": plant.sheets_in_line()},
        "measured": {"days": measured_s / SECONDS_PER_DAY, "warmup_days": plant.warmup_s / SECONDS_PER_DAY,
                     "scheduled_hours": scheduled_h, "annual_scale": per_year},
        "series": {"good_cells_per_day": good_by_day, "energy_kwh_per_day": energy_by_day,
                   "first_measured_day": int(plant.warmup_s // SECONDS_PER_DAY)},
        "des": {"events": plant.env.events_scheduled},
    }


__all__ = ["YIELD_IDENTITIES", "bottleneck_shares", "replication_kpis", "yield_block"]
