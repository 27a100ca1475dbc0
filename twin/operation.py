"""Operating figures of a plant: what the cost model prices.

The steady-state evaluation fills them analytically; the discrete-event twin fills them with what it
measured. The cost model never needs to know which.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from twin.scenario import Scenario


@dataclass
class PlantOperation:
    scenario: Scenario
    operating_hours_per_year: float
    machines: dict[str, int]
    sheets_in_per_year: dict[str, float]
    sheets_good_out_per_year: dict[str, float]
    good_cells_per_year: float
    cell_energy_Wh: float                        # delivered energy of one good cell (twin.cell_output)
    energy_kWh_per_year: dict[str, float]
    utilization: dict[str, float] = field(default_factory=dict)
    # bad cells shipped (a check found them out of spec and missed them), per year and by that check
    escaped_cells_per_year: float = 0.0
    escaped_cells_by_step: dict[str, float] = field(default_factory=dict)
    # good pieces lost in cells a step after stacking rejected for another piece, in sheets (pieces / cells
    # per sheet); booked at the rejecting steps by twin.cell_output.cellmate_sheets_by_step
    cellmate_sheets_per_year: float = 0.0
    # cell pieces each step killed one by one on sheets that went on (a killer defect, a latent defect found,
    # ...), in sheet-equivalents per year, by that step (twin.piece_yield); scrap like whole sheets
    single_piece_sheets_per_year: dict[str, float] = field(default_factory=dict)

    def cellmate_sheets_by_step(self) -> dict[str, float]:
        from twin.cell_output import cellmate_sheets_by_step  # twin.cell_output imports the physics layers

        scrapped = {name: self.sheets_in_per_year[name] - self.sheets_good_out_per_year[name]
                    for name in self.sheets_in_per_year}
        return cellmate_sheets_by_step(self.scenario, self.cellmate_sheets_per_year, scrapped)

    @property
    def gwh_per_year(self) -> float:
        return self.good_cells_per_year * self.cell_energy_Wh * 1e-9

    @property
    def kwh_per_year(self) -> float:
        return self.good_cells_per_year * self.cell_energy_Wh * 1e-3

    @property
    def sheets_started_per_year(self) -> float:
        first = self.scenario.route[0].name
        return self.sheets_in_per_year[first]

    @property
    def good_sheets_per_year(self) -> float:
        last = self.scenario.route[-1].name
        return self.sheets_good_out_per_year[last]


__all__ = ["PlantOperation"]
