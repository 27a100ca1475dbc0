"""Latent sized defects on the sheets, and the inspection methods that find them by their POD.

A step whose ``defect_size`` is declared does not kill the cell pieces its defects land on: it marks them
latent (``latent_defect_pieces``) and keeps the largest defect's size and kind on the sheet. A quality
check with a ``method`` finds a sheet's latent defects with the method's probability of detection at the
largest size (process_models.inspection_pod; one draw per sheet: its defects are found or missed
together, assumption: the largest one gives the sheet away). Found pieces are lost as killer defects
always were (a sheet with none left is scrapped, cause ``latent_defect``); missed ones travel on, and
those that leave the plant are escapes (twin.cell_output). Without ``defect_size`` a step's defects kill
at once, as before. The method's scan or test time per sheet is the station's cycle time.
"""

from __future__ import annotations

import numpy as np

from process_models.inspection_pod import (
    PodCurve,
    ct_scan_time_s,
    electrical_a50_m,
    field_of_view_m,
    line_scan_pixel_m,
    ocv_threshold_current_A,
    tiles_per_sheet,
)
from twin.scenario import Scenario
from twin.scenario.inspection_methods import DEFECT_KINDS
from twin.sheet_batch import SHEET_STATE_FIELDS, SheetBatch, lose_pieces

_DRAW_CLIP = 1e-12  # keeps a uniform of exactly 0 or 1 off the normal quantile's infinities
_LATENT_PIECES_ROW = SHEET_STATE_FIELDS.index("latent_defect_pieces")
_LATENT_SIZE_ROW = SHEET_STATE_FIELDS.index("latent_defect_size_m")
_LATENT_KIND_ROW = SHEET_STATE_FIELDS.index("latent_defect_kind")
_LATENT_STEP_ROW = SHEET_STATE_FIELDS.index("latent_defect_step")
_DEAD_PIECES_ROW = SHEET_STATE_FIELDS.index("dead_cell_pieces")


def _sheet_m(scenario: Scenario) -> tuple[float, float]:
    sheet = scenario.cell.format
    return sheet.sheet_length_mm * 1e-3, sheet.sheet_width_mm * 1e-3


def _optical(scenario: Scenario, method) -> dict:
    speed = method.speed_m_per_min / 60.0
    pixel = float(line_scan_pixel_m(method.field_width_mm * 1e-3, method.camera_pixels, speed,
                                    method.line_rate_kHz * 1e3))
    length, width = _sheet_m(scenario)
    passes = float(np.ceil(width / (method.field_width_mm * 1e-3) - 1e-9))  # lanes to cover the sheet width
    return {"resolution_key": "pixel_um", "resolution": pixel * 1e6, "a50_m": method.a50_pixels * pixel,
            "a90_m": method.a90_pixels * pixel, "limit_m": pixel, "time_s": passes * length / speed}


def _xray_2d(scenario: Scenario, method) -> dict:
    pixel = method.pixel_um * 1e-6
    tiles = float(tiles_per_sheet(*_sheet_m(scenario), field_of_view_m(pixel, method.detector_pixels)))
    return {"resolution_key": "pixel_um", "resolution": method.pixel_um, "a50_m": method.a50_pixels * pixel,
            "a90_m": method.a90_pixels * pixel, "limit_m": pixel, "time_s": tiles * method.exposure_per_frame_s}


def _xray_ct(scenario: Scenario, method) -> dict:
    voxel = method.voxel_um * 1e-6
    tiles = float(tiles_per_sheet(*_sheet_m(scenario), field_of_view_m(voxel, method.detector_pixels)))
    return {"resolution_key": "voxel_um", "resolution": method.voxel_um, "a50_m": method.a50_voxels * voxel,
            "a90_m": method.a90_voxels * voxel, "limit_m": voxel,
            "time_s": float(ct_scan_time_s(tiles, method.detector_pixels, method.exposure_per_projection_s))}


def _eol_electrical(scenario: Scenario, method) -> dict:
    from twin.cell_output import design_cell_energy_Wh  # twin.cell_output imports the scenario layer

    voltage = scenario.cell.format.nominal_voltage_V
    test_s = method.test_time_h * 3600.0
    if method.test == "ocv":
        threshold = float(ocv_threshold_current_A(method.voltage_resolution_mV * 1e-3, test_s,
                                                  design_cell_energy_Wh(scenario) / voltage,
                                                  method.ocv_slope_V_per_unit_soc))
    else:
        threshold = method.current_resolution_uA * 1e-6
    a50 = float(electrical_a50_m(threshold, method.self_discharge_scatter_uA * 1e-6, voltage,
                                 method.short_resistivity_ohm_m))
    # a channel holds one cell, which is sheets_per_cell sheets' worth of pieces
    per_sheet_s = test_s / (method.channels_per_machine * scenario.sheets_per_cell)
    return {"resolution_key": "threshold_leak_uA", "resolution": max(threshold, method.self_discharge_scatter_uA
                                                                     * 1e-6) * 1e6,
            "a50_m": a50, "a90_m": method.a90_over_a50 * a50, "limit_m": 0.0, "time_s": per_sheet_s}


_METHODS = {"optical": _optical, "xray_2d": _xray_2d, "xray_ct": _xray_ct, "eol_electrical": _eol_electrical}


# methods whose figures depend on the scenario only through scenario.cell.format (_sheet_m)
_FORMAT_ONLY = frozenset({"optical", "xray_2d", "xray_ct"})
_FIGURES_CACHE: dict[tuple[int, int], tuple] = {}
_FIGURES_CACHE_SIZE = 256


def method_figures(scenario: Scenario, method) -> dict:
    """What a method resolves and how long it takes per sheet.

    ``{resolution_key, resolution, a50_m, a90_m, limit_m, time_s}``: the resolution in the unit its key
    names (pixel or voxel in um; the electrical test's leak threshold in uA), the sizes found half and
    nine times in ten of the time [m], the size below which nothing is seen [m], the time per sheet [s].
    Cached per (scenario, method) object: the plant asks once per unit it inspects. The imaging methods
    read only the sheet format, so they are cached per (format, method) object: the optimiser's
    candidate scenarios (recipe copies sharing one format) ask ~54,000 times on the gigafactory.
    """
    return _cached_method(scenario, method)[0]


def _cached_method(scenario: Scenario, method) -> list:
    """[figures, POD curve or None until first asked] of a method, once per (scenario or format, method)."""
    # keyed by identity (all frozen models); the stored references make a reused id harmless
    owner = scenario.cell.format if method.method in _FORMAT_ONLY else scenario
    cached = _FIGURES_CACHE.get((id(owner), id(method)))
    if cached is not None and cached[0] is owner and cached[1] is method:
        return cached[2]
    figures = _METHODS[method.method](scenario, method)
    made = [figures, None]
    if len(_FIGURES_CACHE) >= _FIGURES_CACHE_SIZE:
        _FIGURES_CACHE.clear()
    _FIGURES_CACHE[(id(owner), id(method))] = (owner, method, made)
    return made


def method_pod(scenario: Scenario, method, size_m: np.ndarray) -> np.ndarray:
    """The method's probability of detecting a defect of each size (0 where there is none)."""
    # the curve's parameters checked and reduced once per method, not per inspected unit
    cached = _cached_method(scenario, method)
    if cached[1] is None:
        figures = cached[0]
        cached[1] = PodCurve(figures["a50_m"], figures["a90_m"], figures["limit_m"])
    return cached[1](size_m)


def add_latent_defects(scenario: Scenario, step, batch: SheetBatch, defect_draw: np.ndarray,
                       size_draw: np.ndarray, step_index: int) -> None:
    """Mark the cell pieces a step's sized defects land on as latent; keep the largest size and kind.

    The pieces hit follow the killer-defect law (``defect_piece_loss_survival``: Binomial over the
    sheet's pieces still good and not yet latent, one uniform per sheet). The largest of the k new
    defects' log-normal sizes is drawn by inversion from one more uniform u: ln a = ln a_med +
    s Phi^-1(u^(1/k)) (the maximum of k draws has the CDF F^k; Phi^-1: scipy.special.ndtri).
    """
    from twin.sheet_conditions import pieces_hit_by_defects  # it imports the operations, which import this

    values = batch.values
    hit, new = pieces_hit_by_defects(scenario, step, values, batch.alive, defect_draw)
    if hit.size == 0:
        return
    if not new.all():  # pieces_hit_by_defects may return sheets that lost no piece
        some = new > 0
        hit, new = hit[some], new[some]
        if hit.size == 0:
            return
    shape = step.defect_size
    # The plant calls this for every roll and kiln load (~1.4e4 a year) with ~100-300 sheets hit: the
    # same operations as np.clip(u, c, 1 - c) ** (1 / k), exp, ... in place on the one copy of the
    # hit sheets' draws, and the state rows read from the matrix (no row views made by name)
    u = size_draw[hit]
    np.maximum(u, _DRAW_CLIP, out=u)
    np.minimum(u, 1.0 - _DRAW_CLIP, out=u)
    np.power(u, 1.0 / new, out=u)
    size = _ndtri()(u, out=u)
    size *= shape.log_sd
    np.exp(size, out=size)
    size *= shape.median_um * 1e-6
    values[_LATENT_PIECES_ROW][hit] += new
    largest = values[_LATENT_SIZE_ROW]
    larger = ~(largest[hit] >= size)  # NaN (no latent defect yet) compares False
    bigger = hit[larger]
    largest[bigger] = size[larger]
    values[_LATENT_KIND_ROW][bigger] = DEFECT_KINDS.index(shape.kind)
    made_step = values[_LATENT_STEP_ROW]
    made_step[hit[np.isnan(made_step[hit])]] = step_index


def _ndtri():
    """scipy.special.ndtri, imported on first use: evaluate of a scenario without sized defects does not
    pay scipy's import."""
    global _NDTRI
    if _NDTRI is None:
        from scipy.special import ndtri

        _NDTRI = ndtri
    return _NDTRI


_NDTRI = None


def apply_defect_inspection(scenario: Scenario, step, step_index: int, batch: SheetBatch,
                            draw: np.ndarray, expected: bool | np.ndarray = False,
                            found_share: np.ndarray | None = None) -> None:
    """Find latent defects with the check's method; a clean sheet is falsely called with its rate.

    ``draw``: one uniform per sheet. A sheet carrying latent defects is found if its draw is below the
    POD at its largest size: its latent pieces are lost (scrapped as ``latent_defect`` when none is
    left), else the check is written as the last that missed it. A clean sheet is rejected
    (``false_reject``) if its draw is below ``false_call_probability`` (disjoint sheets: one draw).
    ``expected`` (the evaluation's estimator, twin.expected_outcomes; True, or per sheet): L POD of a
    carrying sheet's L latent pieces are found and L (1 - POD) go on latent, no draw; the sheet is
    scrapped only when POD leaves it no piece (POD 1 on a sheet whose live pieces are all latent).
    ``found_share`` (per sheet, NaN: the POD at its size): the share of an expected sheet's latent pieces
    booked found instead of that POD (the estimator's Rao-Blackwellised detection, twin.sample_estimator).
    """
    method = step.method
    values = batch.values
    alive = batch.alive
    latent = values[_LATENT_PIECES_ROW]
    # the state rows from the matrix, not made by name: the plant inspects ~4e4 units a year
    carries = latent > 0
    carries &= alive
    carrying = carries.nonzero()[0]  # np.flatnonzero's result, without its Python wrapper
    # the clean sheets before any found one's pieces are written off (only a false call needs them)
    clean = None
    if method.false_call_probability > 0.0:
        clean = latent == 0
        clean &= alive
    if carrying.size and expected is not False:
        expect = np.ones(carrying.size, dtype=bool) if expected is True else np.asarray(expected)[carrying]
        _expect_detection(scenario, method, step_index, batch, carrying[expect], found_share)
        carrying = carrying[~expect]   # the sheets a later defect may hit keep their draw
    if carrying.size:
        found_mask = draw[carrying] < method_pod(scenario, method, values[_LATENT_SIZE_ROW][carrying])
        found = carrying[found_mask]
        if found.size < carrying.size:
            values[_LATENT_STEP_ROW][carrying[~found_mask]] = step_index
        if found.size:
            lose_pieces(values, found, latent[found], "latent_defect")
            latent[found] = 0.0
            values[_LATENT_SIZE_ROW][found] = np.nan
            values[_LATENT_KIND_ROW][found] = np.nan
            values[_LATENT_STEP_ROW][found] = np.nan
            batch.scrap_sheets(found[values[_DEAD_PIECES_ROW][found] >= scenario.cell.format.cells_per_sheet],
                               step_index, "latent_defect")
    if clean is not None:
        clean &= draw < method.false_call_probability
        batch.scrap(clean, step_index, "false_reject")


def _expect_detection(scenario: Scenario, method, step_index: int, batch: SheetBatch, carrying: np.ndarray,
                      found_share: np.ndarray | None = None) -> None:
    """Book the expected found pieces of the carrying sheets as dead, the rest stays latent (see above)."""
    state = batch.state
    latent = state["latent_defect_pieces"]
    share = method_pod(scenario, method, state["latent_defect_size_m"][carrying])
    if found_share is not None:
        given = found_share[carrying]
        share = np.where(np.isnan(given), share, given)
    found = latent[carrying] * share
    dead = state["dead_cell_pieces"]
    lose_pieces(batch.values, carrying, found, "latent_defect")   # the expected share found, under its cause
    latent[carrying] -= found
    cleared = carrying[latent[carrying] <= 0.0]   # POD 1: nothing latent is left on the sheet
    for field in ("latent_defect_size_m", "latent_defect_kind"):
        state[field][cleared] = np.nan
    # the missed share goes on: this check is the last that let it pass (where its escapes are booked)
    state["latent_defect_step"][carrying] = np.where(latent[carrying] > 0.0, step_index, np.nan)
    batch.scrap_sheets(carrying[dead[carrying] >= scenario.cell.format.cells_per_sheet], step_index, "latent_defect")


__all__ = ["add_latent_defects", "apply_defect_inspection", "method_figures", "method_pod"]
