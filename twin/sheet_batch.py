"""A transfer unit of sheets: per-sheet physical state and scrap bookkeeping, as numpy arrays.

A roll, a kiln load or a lot moves through the plant as one :class:`SheetBatch`; each sheet keeps its
own thickness, density, Li content, conductivity, ASR, ... (``SHEET_STATE_FIELDS``) and, once scrapped,
the route step and the cause (``SCRAP_CAUSES``).
"""

from __future__ import annotations

import numpy as np

SCRAP_CAUSES: tuple[str, ...] = (
    "defect",
    "low_density",
    "li_loss",
    "high_electrolyte_asr",
    "low_conductivity",
    "high_interface_asr",
    "thickness_out_of_tolerance",
    "low_cathode_density",
    "low_areal_capacity",
    "false_reject",                 # an in-spec sheet an inspection rejected
    "low_ccd",
    "interrupted_firing",
    "cracked",                      # fractured by over-pressing (process_models.powder_pressing)
    "incomplete_calcination",       # powder lot below its XRD garnet release spec (process_models.powder_synthesis)
    "camber",                       # co-sintered laminate bent out of its flatness spec (process_models.co_sintering)
    "delamination",                 # co-sintered laminate held flat, shrinkage mismatch above what the interface holds
    "self_discharge",               # soft short from formation, caught by the end-of-line OCV screen
    "incomplete_synthesis",         # milled argyrodite lot below its XRD conversion release spec
    "pinhole_short",                # every cell piece shorted by a through-pinhole in a thin-film electrolyte
    "latent_defect",                # a sized defect an inspection method found (its POD at the size)
    "cellmate_of_rejected_piece",   # a piece stacked in a cell whose other piece a check after stacking rejected
                                    # (twin.cell_output: never set on a sheet, booked from the cells rejected)
    "batpac_fixed_yield",           # the share of cells a BatPaC fixed step yield rejects (Li-ion reference:
                                    # BatPaC gives the yield, not its physical cause)
    "low_capacity",                 # a cell measured below its capacity grade (twin.capacity_grading)
)
CAUSE_INDEX = {cause: i for i, cause in enumerate(SCRAP_CAUSES)}

SHEET_STATE_FIELDS: tuple[str, ...] = (
    "electrolyte_thickness_m",
    "electrolyte_green_relative_density",
    "relative_density",
    "li_loss_fraction",
    "li_content_pfu",
    "cubic_fraction",
    "pyrochlore_fraction",
    "ionic_conductivity_S_per_m",
    "electrolyte_asr_ohm_m2",
    "cathode_thickness_m",
    "cathode_relative_density",
    "areal_capacity_mAh_per_cm2",
    "interface_asr_ohm_m2",
    "critical_current_density_A_per_m2",
    "conductivity_factor",
    "dead_cell_pieces",             # cell pieces of a multi-cell sheet already killed by defects
    "electrolyte_log_theta",        # ln of the work of sintering the electrolyte has received so far
    "electrolyte_log_theta_shift",  # its particle-size shift on the master curve
    "out_of_spec_cause",            # SCRAP_CAUSES index of the first spec a check found failed but missed; NaN if none
    "out_of_spec_step",             # route index of that check
    "grain_size_m",                 # electrolyte mean grain size (process_models.grain_growth)
    "exposure_booked_s",            # line time up to which the zone air has been booked (twin.sheet_exposure)
    "moisture_dose_Pa_s",           # water-vapour dose on the electrolyte since it was made or last fired clean
    "surface_carbonate_fraction",   # share of the air-exposed Li2CO3/LiOH layer on a garnet surface
    "electrolyte_powder_particle_size_m",  # garnet powder made in-house: particle size into forming/sintering
    "electrolyte_powder_li_excess_pfu",    # its Li over the nominal composition after calcination [pfu]
    "electrolyte_powder_garnet_fraction",  # its reacted garnet fraction (XRD) [-]
    "laminate_shrinkage_mismatch",  # co-sintering: cathode minus electrolyte free linear shrinkage [-]
    "laminate_camber_m",            # co-sintering: rise of the fired laminate over the sheet length [m]
    "catholyte_asr_ohm_m2",         # hybrid cells: SLEI + pore-liquid resistance of the catholyte side
    "electrolyte_powder_conductivity_factor",  # milled argyrodite: conversion and crystallinity -> layer conductivity
    "electrolyte_powder_proton_fraction",      # garnet powder: share of its Li exchanged for H (water, moist air)
    "scaffold_porosity",            # porous electrolyte layer co-fired on the dense one (porous_scaffold)
    "scaffold_pore_size_m",         # its pore diameter
    "scaffold_thickness_m",         # its fired thickness
    "li_interface_area_factor",     # Li/garnet interface area per geometric area (1: flat; Li-filled scaffold: more)
    "pinhole_shorted_pieces",       # thin film: live cell pieces shorted by an electrolyte pinhole, not yet found
    "pinhole_short_step",           # route index of the step that last let those pieces pass (deposition, then a
                                    # screen that missed them): where their escape is booked
    "cathode_grain_size_m",         # thin film: LiCoO2 grain size after the anneal (process_models.thin_film_cathode)
    "cathode_li_loss_fraction",     # thin film: share of the cathode film's Li lost as Li2O in the anneal
    "latent_defect_size_m",         # largest latent (not yet found) killer defect on the sheet; NaN if none
    "latent_defect_pieces",         # cell pieces carrying a latent defect (twin.inspection_methods)
    "latent_defect_kind",           # DEFECT_KINDS index of the largest latent defect
    "latent_defect_step",           # route index of the last check that missed it (or the step that made it)
    "stacked_pieces",               # live cell pieces of the sheet when it was stacked into cells (NaN before
                                    # the stacking step): the pieces a later rejection counts against (twin.cell_output)
    "piece_loss_cause",             # SCRAP_CAUSES index of the cause of the cell pieces the sheet last lost on
                                    # its own (a killer defect, a latent defect found, ...); NaN if none: a step's
                                    # increase of dead_cell_pieces is booked under it (twin.piece_yield)
    "moisture_conductivity_retention",  # sulphide: share of its conductivity the zone air's moisture left it
                                        # (product of the bookings, twin.sheet_exposure); NaN if never exposed
)

_DEAD_PIECES_ROW = SHEET_STATE_FIELDS.index("dead_cell_pieces")
_LATENT_PIECES_ROW = SHEET_STATE_FIELDS.index("latent_defect_pieces")
_PIECE_LOSS_CAUSE_ROW = SHEET_STATE_FIELDS.index("piece_loss_cause")


def lose_pieces(values: np.ndarray, positions, pieces, cause: str) -> None:
    """Kill ``pieces`` cell pieces of the sheets at ``positions`` (``values``: the (fields x sheets) state),
    for ``cause``: the one way a step loses pieces on sheets that go on, so each loss carries its cause.

    A sheet loses pieces by one cause per step (a killer defect at a forming or firing step, a latent defect
    an inspection found, a pinhole short the OCV screen caught, a BatPaC fixed yield): the cause written
    last is the one its step's loss is booked under (twin.piece_yield.step_piece_losses).
    """
    values[_DEAD_PIECES_ROW][positions] += pieces
    values[_PIECE_LOSS_CAUSE_ROW][positions] = CAUSE_INDEX[cause]


_ROW_OF = {name: row for row, name in enumerate(SHEET_STATE_FIELDS)}
# ndarray.any()'s reduction without its Python layer: every check's every spec scraps through SheetBatch.scrap
_any_true = np.logical_or.reduce


class _StateRows(dict):
    """``SheetBatch.state``: a dict of row views of the state matrix by field name, each made on first use.

    A unit's physics reads a handful of the 45 rows; making all 45 views up front cost ~9 us a unit,
    ~2e5 units a simulated year. Everything a dict does gives the same answer as the full dict of views:
    a missing field name is made from its row when asked (``[]``, ``get``), ``in`` knows every field,
    and listing (iteration, keys, items, len, copies) makes the rest first, in field order.
    """

    __slots__ = ("_values",)

    def __init__(self, values: np.ndarray):
        super().__init__()
        self._values = values

    def __missing__(self, name):
        row = _ROW_OF.get(name)
        if row is None:
            raise KeyError(name)
        view = self._values[row]
        dict.__setitem__(self, name, view)
        return view

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default

    def __contains__(self, name) -> bool:
        return dict.__contains__(self, name) or name in _ROW_OF

    def _complete(self) -> None:
        if dict.__len__(self) < len(SHEET_STATE_FIELDS) or any(name not in _ROW_OF for name in dict.keys(self)):
            made = dict(dict.items(self))
            dict.clear(self)
            for name in SHEET_STATE_FIELDS:
                dict.__setitem__(self, name, made[name] if name in made else self._values[_ROW_OF[name]])
            for name, value in made.items():  # a name set by hand, not a field: kept after the fields
                if name not in _ROW_OF:
                    dict.__setitem__(self, name, value)

    def __iter__(self):
        self._complete()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._complete()
        return dict.__len__(self)

    def __eq__(self, other) -> bool:
        self._complete()
        return dict.__eq__(self, other)

    __hash__ = None

    def __reduce__(self):
        self._complete()
        return dict, (dict(dict.items(self)),)

    def keys(self):
        self._complete()
        return dict.keys(self)

    def values(self):
        self._complete()
        return dict.values(self)

    def items(self):
        self._complete()
        return dict.items(self)

    def copy(self) -> dict:
        self._complete()
        return dict(dict.items(self))

    def __or__(self, other):
        return self.copy() | other

    def setdefault(self, name, default=None):
        self._complete()
        return dict.setdefault(self, name, default)

    def pop(self, name, *default):
        self._complete()
        return dict.pop(self, name, *default)


class SheetBatch:
    """One transfer unit: per-sheet state arrays plus scrap bookkeeping.

    The state lives in one (fields x sheets) matrix so that splitting and merging units copies one
    array, not fifteen; ``state[name]`` is a row view of it. The plant splits and merges units far more
    often than it reads their state by name, so the dict of row views is built on first use only.
    """

    __slots__ = ("values", "alive", "scrap_step", "scrap_cause", "_state")

    def __init__(self, values: np.ndarray, alive: np.ndarray, scrap_step: np.ndarray, scrap_cause: np.ndarray):
        self.values = values
        self.alive = alive
        self.scrap_step = scrap_step
        self.scrap_cause = scrap_cause
        self._state: _StateRows | None = None

    @property
    def state(self) -> dict[str, np.ndarray]:
        """Row views of ``values`` by field name (writes go to the batch)."""
        if self._state is None:
            self._state = _StateRows(self.values)
        return self._state

    def __repr__(self) -> str:
        return f"SheetBatch(n={self.n}, alive={int(np.count_nonzero(self.alive))})"

    @property
    def n(self) -> int:
        return int(self.alive.size)

    @classmethod
    def new(cls, n: int) -> SheetBatch:
        """``n`` sheets with nothing measured yet (NaN) and no cell piece lost."""
        values = np.full((len(SHEET_STATE_FIELDS), n), np.nan)
        values[_DEAD_PIECES_ROW] = 0.0
        values[_LATENT_PIECES_ROW] = 0.0
        return cls(
            values=values,
            alive=np.ones(n, dtype=bool),
            scrap_step=np.full(n, -1, dtype=np.int16),
            scrap_cause=np.full(n, -1, dtype=np.int8),
        )

    def subset(self, mask_or_index) -> SheetBatch:
        """The sheets picked by a slice (views, no copy), a boolean mask or an index array (copies)."""
        if isinstance(mask_or_index, np.ndarray) and mask_or_index.dtype == bool:
            # an index array copies the picked columns of the (fields x sheets) matrix faster than
            # compress or boolean fancy indexing; fancy indexing, not take(axis=1), which is ~9x slower
            # on a store page's strided rows (2.2 ms vs 0.25 ms for a 3000-sheet load)
            picked = np.flatnonzero(mask_or_index)
            return SheetBatch(
                values=self.values[:, picked],
                alive=self.alive.take(picked),
                scrap_step=self.scrap_step.take(picked),
                scrap_cause=self.scrap_cause.take(picked),
            )
        return SheetBatch(
            values=self.values[:, mask_or_index],
            alive=self.alive[mask_or_index],
            scrap_step=self.scrap_step[mask_or_index],
            scrap_cause=self.scrap_cause[mask_or_index],
        )

    @classmethod
    def concatenate(cls, batches: list[SheetBatch]) -> SheetBatch:
        if not batches:
            return cls.new(0)
        return cls(
            values=np.concatenate([b.values for b in batches], axis=1),
            alive=np.concatenate([b.alive for b in batches]),
            scrap_step=np.concatenate([b.scrap_step for b in batches]),
            scrap_cause=np.concatenate([b.scrap_cause for b in batches]),
        )

    def scrap_sheets(self, positions: np.ndarray, step_index: int, cause: str) -> None:
        """Scrap the alive sheets at ``positions`` (an index array) at ``step_index`` for ``cause``."""
        positions = positions[self.alive[positions]]
        self.alive[positions] = False
        self.scrap_step[positions] = step_index
        self.scrap_cause[positions] = CAUSE_INDEX[cause]

    def scrap(self, mask: np.ndarray, step_index: int, cause: str) -> None:
        newly = mask & self.alive
        if not _any_true(newly):  # the usual case: nothing to write
            return
        self.alive[newly] = False
        self.scrap_step[newly] = step_index
        self.scrap_cause[newly] = CAUSE_INDEX[cause]


__all__ = ["CAUSE_INDEX", "SCRAP_CAUSES", "SHEET_STATE_FIELDS", "SheetBatch", "lose_pieces"]
