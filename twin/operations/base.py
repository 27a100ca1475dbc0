"""The interface every unit operation implements; the defaults are what a step that only takes time does.

One subclass per step kind (one module each in this package) holds everything that depends on the kind:
the per-sheet physics it applies, the process variation it draws, its station timing, its materials, its
recipe axes and quality role. The rest of the twin asks the step's operation
(:func:`twin.operations.operation_for`) and never switches on the kind, as PyBaMM asks a submodel and
IDAES a unit model's costing block.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np


class UnitOperation:
    """A step kind's behaviour. Stateless: one instance per kind, shared (methods take the step)."""

    kind: ClassVar[str]          # the ``kind:`` of the route step in the scenario
    step_class: ClassVar[type]   # its schema model (twin.scenario.route)

    # A firing: its process-variation draws are shared by a transfer unit (kiln set point, hold time),
    # so the route runs it in station units and the plant can interrupt it mid-profile.
    is_firing: ClassVar[bool] = False
    # A quality check: screens sheets against the specs (twin.inspection) and ends a recipe span.
    is_quality_check: ClassVar[bool] = False
    # False for a step that only takes time and energy (its killer defects aside)
    changes_sheets: ClassVar[bool] = True
    # Stacks the pieces into cells: after it, a piece a step rejects takes its cell with it (twin.cell_output)
    assembles_cells: ClassVar[bool] = False
    # Cuts the sheets into cell pieces: after it no sheet is left (tables leave the sheet yield blank there)
    cuts_sheets: ClassVar[bool] = False
    # Its apply() may kill cell pieces one by one on sheets that go on (twin.sheet_batch.lose_pieces: latent
    # defects found, pinhole shorts caught); killer defects and BatPaC fixed yields are any step's (twin.piece_yield)
    kills_pieces_singly: ClassVar[bool] = False

    # --- process variation (twin.sheet_conditions) ---------------------------------------------
    def variation_draws(self, scenario, step) -> tuple[list[tuple], list[tuple]]:
        """(per-sheet, per-unit) normal draws: (name, mean, sd, low clip, high clip); sd 0: the mean."""
        return [], []

    def needs_detection_draw(self, scenario, step) -> bool:
        """Whether each sheet needs a uniform for an inspection's miss / false-reject decision."""
        return False

    def needs_defect_detection_draw(self, scenario, step) -> bool:
        """Whether each sheet needs a uniform for an inspection method's find / false-call decision
        on latent sized defects (twin.inspection_methods)."""
        return False

    def finish_sheet_draws(self, values: dict[str, np.ndarray]) -> None:
        """Turn the raw per-sheet draws into the conditions the physics reads, in place."""

    def assemble_unit_draws(self, sheet_values: dict[str, np.ndarray], unit_values: dict[str, float],
                            load_position: np.ndarray, load_spread_K: float) -> dict[str, np.ndarray]:
        """Combine the unit's shared draws with the per-sheet draws (firings); others: the sheet draws."""
        return sheet_values

    def load_spread_K(self, scenario, step) -> float:
        return 0.0

    def electrolyte_powder_route(self, step) -> str | None:
        """The garnet powder route the step fires the electrolyte from (twin.sheet_firing), if any."""
        return None

    # --- per-sheet physics (twin.sheet_physics) -------------------------------------------------
    def state_free_fields(self, step) -> tuple[str, ...]:
        """State fields the step sets from its own draws and recipe alone; () if it reads earlier state."""
        return ()

    def apply(self, scenario, step, step_index: int, batch, conditions, idx) -> bool:
        """Update the alive sheets ``idx`` of ``batch`` in place; False if the whole unit was scrapped
        (no exposure effects to book then)."""
        return True

    def loads_fire_alike(self, step, load_conditions: list[dict]) -> bool:
        """Whether the step's units with these conditions may run in one call, each sheet getting what
        its own unit gives it (twin.sheet_physics.run_route joins them then); False: one call per unit."""
        return False

    def garnet_surface_effects(self, scenario, step, state: dict[str, np.ndarray], idx) -> None:
        """What the step does to a garnet electrolyte's surface carbonate after it (twin.sheet_exposure)."""

    # --- station timing (twin.capacity) ---------------------------------------------------------
    def continuous_speed_m_per_s(self, scenario, index: int, step, station) -> float | None:
        """The speed the recipe allows on a continuous line; None: only the station's line speed."""
        return None

    def batch_process(self, scenario, index: int, step, station) -> tuple[float, float]:
        """(process time per load [s], energy per load [kWh]) on a batch station."""
        raise ValueError(f"route[{index}]: a batch station cannot run a {step.kind} step")

    def run_power_kW(self, scenario, index: int, step, station) -> float | None:
        """Power while running from the step's physics (a vacuum coater's pumps and sources); None: the
        station's ``power_kW`` or the solvent-removal physics (twin.capacity)."""
        return None

    def discrete_process_s(self, scenario, step, station) -> float | None:
        """Time per sheet the recipe sets on a discrete station; None: the station's cycle time."""
        return None

    def cell_hold_s(self, scenario, step) -> float:
        """Time one cell holds a channel of a discrete station that tests cells in parallel channels [s]; 0 when
        the station works sheets one after another (twin.des.plant sizes such a station's lot by it)."""
        return 0.0

    def solvent_removal(self, scenario, index: int, step) -> tuple[str, float, float] | None:
        """(solvent, process temperature [C], solvent removed per sheet [kg]) if the step evaporates one."""
        return None

    # --- materials (twin.cost.materials, twin.cost.plant_items) ---------------------------------
    def material_items_per_sheet(self, scenario, index: int, step_name: str, step) -> dict[str, float]:
        """Material cost of one sheet entering the step, itemised [USD/sheet] (twin.cost.materials)."""
        return {}

    def deposited_powder_kg_per_m2(self, step, layer: str, solid_density_kg_per_m3: float) -> float | None:
        """Powder of ``layer`` this step deposits per m2 of sheet; None if it deposits none of that layer."""
        return None

    def powder_made_for(self, step) -> str | None:
        """The layer whose powder this step makes in-house (its forming step then buys none), if any."""
        return None

    def deposited_layer(self, step) -> str | None:
        """The layer this step deposits (its powder is on a sheet from then on), if any."""
        return None

    def short_probability_per_cell(self, scenario, step) -> float:
        """Design probability that the step leaves a cell shorted (a thin-film electrolyte's pinholes)."""
        return 0.0

    # Li metal is on the sheet once this step has run (the recycling credit recovers it)
    adds_li_metal: ClassVar[bool] = False

    def material_needs(self, scenario, step) -> list:
        """The cell materials the step reads and the parameters it reads from each
        (``twin.material_needs.MaterialNeed``); validation refuses a material that lacks one."""
        return []

    # --- recipe axes (twin.optimise.recipe_space) -----------------------------------------------
    # optimisation-block fields (twin.scenario optimisation ranges) this kind's recipe takes
    recipe_fields: ClassVar[tuple[str, ...]] = ()

    def accepts_recipe_field(self, step, field: str) -> bool:
        """Whether the optimiser may vary ``field`` on this step (twin.optimise.recipe_space)."""
        return field in self.recipe_fields

    def set_recipe_field(self, data: dict, field: str, value) -> None:
        """Write an optimisation field into the step's dumped recipe (default: the same field name)."""
        data[field] = value


__all__ = ["UnitOperation"]
