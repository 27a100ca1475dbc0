"""Line layout: the stations that carry out each route step, buffers, shifts and atmosphere zones."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, model_serializer, model_validator

from twin.scenario.cell import Strict
from twin.scenario.limits import MAX_ROUTE_STEPS, StepName
from twin.scenario.machine_sizes import MachineSizes
from twin.scenario.quantities import NonNegative, Quantity

# assumption: a plant that runs less than one week a year is not a production line; the bound also keeps
# every per-hour figure (throughput, utilisation, cost per kWh) finite.
MIN_WORKING_DAYS_PER_YEAR = 7

StationKind = Literal["continuous", "batch", "discrete"]
Zone = Literal["ambient", "dry_room", "inert"]

# Which station kinds can carry out which step kind. A roll-to-roll caster is continuous by nature;
# a kiln is a batch machine; cutting and stacking handle one sheet at a time.
ALLOWED_STATION_KINDS: dict[str, tuple[str, ...]] = {
    "tape_casting": ("continuous",),
    "drying": ("continuous",),
    "spray_deposition": ("discrete", "continuous"),
    "sintering": ("batch", "continuous"),  # kilns; belt / roll-to-roll rapid thermal processing
    "pressing": ("batch", "continuous"),
    "li_lamination": ("continuous", "discrete", "batch"),  # batch: Li evaporated in a vacuum chamber
    "cutting": ("discrete",),
    "stacking": ("discrete",),
    "quality_check": ("discrete",),
    "packaging": ("discrete",),
    "interlayer_deposition": ("batch", "continuous"),  # batch ALD reactor; spatial ALD / roll-to-roll sputter
    "surface_cleaning": ("batch", "discrete"),  # heat treatment in a batch furnace; polishing sheet by sheet
    "calcination": ("batch",),       # crucibles in a kiln; lots counted in sheet-equivalents of powder
    "powder_milling": ("batch",),    # one mill charge per lot
    "co_sintering": ("batch",),      # laminates on setters in a kiln
    "polymer_film": ("continuous",),  # a roll-to-roll coater + dryer, or an extruder
    "polymer_backfill": ("batch",),  # a vacuum-infiltration oven
    "formation": ("batch",),        # cyclers: a load of channels
    "ageing": ("batch",),           # storage racks: a load of cells for the ageing time
    "catholyte_fill": ("batch",),   # vacuum fill chamber and wetting soak: a load of cells
    "slurry_mixing": ("batch",),    # planetary / dissolver mixer: a load of slurry batches
    "electrolyte_filling": ("batch", "discrete"),  # vacuum dosing of a load of cells, or cell by cell
    "vacuum_drying": ("batch",),    # vacuum oven: a load of electrode rolls or cut electrodes
    "argyrodite_milling": ("batch",),  # one mill charge (and its anneal) per lot
    "vacuum_deposition": ("batch", "continuous"),  # chamber with a load lock; roll-to-roll web coater
    "cathode_anneal": ("batch", "continuous"),     # box furnace of substrates; belt/web furnace
}


class FurnaceThermal(Strict):
    """Lumped thermal model of a batch furnace, for energy from the temperature profile."""

    thermal_mass_kJ_per_K: Quantity(0, 1e6, lo_open=True, why_lo="a furnace has thermal mass",
                                    why_hi="above 1e6 kJ/K is a building, not a kiln")
    heat_loss_kW_at_1000C: Quantity(0, 5000, why_lo="a heat loss cannot be negative",
                                    why_hi="above 5 MW of wall losses is not a furnace")
    heating_efficiency: Quantity(0.05, 1.0, why_lo="below 5 % no electric furnace operates",
                                 why_hi="an efficiency cannot exceed 1") = 0.8


class VacuumChamber(Strict):
    """Vacuum side of a deposition station (process_models.vacuum_deposition).

    Batch: one run = pump-down + deposition + vent + load-lock transfer. Continuous (web coater): the
    pumps and sources run the whole roll; ``line.stations.*.deposition_zone_length_m`` is the web length
    under all sources.
    """

    pump_down_min: Quantity(0, 600, why_hi="above 10 h of pumping is a bake-out, not a cycle",
                            description="load-lock (or chamber) pump-down per run; batch only") = 0.0
    vent_min: Quantity(0, 600, why_hi="above 10 h of venting is not a cycle", description="per run; batch only") = 0.0
    load_lock_min: Quantity(0, 600, why_hi="above 10 h is not a transfer",
                            description="substrate transfer through the load lock per run; batch only") = 0.0
    pump_power_kW: Quantity(0, 2000, why_hi="above 2 MW of pumps is not one coater",
                            description="roughing + high-vacuum pumps, cooling and controls while the machine runs")
    target_area_cm2: Quantity(1, 1e6, why_lo="below 1 cm2 is not a sputter target",
                              why_hi="above 100 m2 of targets is not one coater",
                              description="eroded area of all the station's sputter targets: source power = "
                                          "power density x this area") | None = None
    evaporation_source_kW: Quantity(0, 2000, why_hi="above 2 MW is not an evaporation source",
                                    description="arc / thermal / ALD source and heater power while depositing "
                                                "(no target area)") = 0.0


class Station(Strict):
    kind: StationKind
    machines: Quantity(1, 500, integer=True, why_lo="a station has at least one machine",
                       why_hi="above 500 parallel machines is a different plant")
    # continuous stations
    web_width_m: Quantity(0.05, 3.0, why_lo="below 5 cm is not a web",
                          why_hi="above 3 m no coater exists") | None = None
    line_speed_m_per_min: Quantity(0.01, 200, why_lo="below 0.01 m/min is not a running line",
                                   why_hi="above 200 m/min exceeds battery coaters") | None = None
    dryer_length_m: Quantity(0.5, 200, why_lo="below 0.5 m is not a dryer",
                             why_hi="above 200 m exceeds industrial dryers") | None = None
    heated_length_m: Quantity(0.1, 200, why_lo="below 0.1 m is not a heated zone",
                              why_hi="above 200 m exceeds belt furnaces",
                              description="continuous sintering: belt length through the heated zone; "
                                          "the belt speed is this length over the (repeated) profile duration",
                              ) | None = None
    deposition_zone_length_m: Quantity(0.05, 50, why_lo="below 5 cm is not an evaporation zone",
                                       why_hi="above 50 m exceeds vacuum web coaters",
                                       description="Li evaporation: web length under the sources; "
                                                   "speed = length x deposition rate / Li thickness",
                                       ) | None = None
    roll_length_m: Quantity(1, 20000, why_lo="a roll is at least 1 m",
                            why_hi="above 20 km no roll is wound") | None = None
    roll_change_min: NonNegative = 0.0
    # batch stations
    batch_capacity_sheets: Quantity(1, 100000, integer=True, why_lo="a batch holds at least one sheet",
                                    why_hi="above 1e5 sheets is not one kiln load") | None = None
    load_unload_min: NonNegative = 0.0
    furnace: FurnaceThermal | None = None
    on_interrupted_firing: Literal["resume", "refire", "scrap"] = Field(
        "resume", description="what the plant does with a kiln load whose firing a breakdown interrupted: "
                              "resume the profile after re-heating, refire it from the cooled state, or scrap it")
    # discrete stations
    cycle_time_s: Quantity(0.01, 86400, why_lo="below 10 ms per unit is not a machine cycle",
                           why_hi="above one day per unit is not a line") | None = None
    cycle_unit: Literal["sheet", "cell"] = Field("sheet",
                                                 description="what cycle_time_s is per: one sheet or one finished cell")
    handling_time_s: NonNegative = 0.0
    # availability
    mtbf_h: Quantity(0.1, 1e6, why_lo="a machine that fails every 6 min does not run",
                     why_hi="above 1e6 h set no failures by leaving breakdowns out")
    mttr_h: Quantity(0.01, 1000, why_lo="a repair takes at least 36 s", why_hi="above 1000 h is a replacement")
    failure_distribution: Literal["exponential", "weibull"] = "exponential"
    weibull_shape: Quantity(0.3, 10, why_lo="below 0.3 is not a machine failure law",
                            why_hi="above 10 is a deterministic life") = 1.5
    planned_maintenance_h_per_week: Quantity(0, 40, why_hi="above 40 h per week the machine is mostly down") = 0.0
    setup_min: NonNegative = 0.0
    # energy
    power_kW: NonNegative | None = Field(
        None, description="metered run power; leave out on spray, drying and kiln-with-furnace stations to take "
                          "the energy from the process physics (solvent removal, furnace heat balance)")
    idle_power_kW: NonNegative = 0.0
    # cost
    capex_usd: Quantity(0, 1e10, why_lo="a price cannot be negative", why_hi="above 10 bn USD is not one machine")
    operators_per_shift: Quantity(0, 50, why_hi="above 50 operators per machine is a workshop") = 1.0
    floor_area_m2: Quantity(0, 1e5, why_hi="above 1e5 m2 per machine is a factory")
    zone: Zone = "ambient"
    # sizes: the fields above are the reference machine; twin.scenario.machine_sizes
    sizes: MachineSizes | None = Field(
        None, description="the machine in several sizes along one axis (capex, operators and floor area scale by "
                          "exponents); the optimiser and the cost-vs-scale curve pick a size per station")
    vacuum: VacuumChamber | None = Field(None, description="vacuum_deposition stations: pumps, cycle and sources")

    @model_validator(mode="after")
    def _kind_fields(self) -> Station:
        required = {
            "continuous": ("web_width_m", "roll_length_m"),
            "batch": ("batch_capacity_sheets",),
            "discrete": (),
        }[self.kind]
        missing = [name for name in required if getattr(self, name) is None]
        if missing:
            raise ValueError(f"{', '.join(missing)} required for a {self.kind} station")
        if self.power_kW is not None and self.idle_power_kW > self.power_kW:
            raise ValueError(f"idle_power_kW: {self.idle_power_kW:g} is above power_kW {self.power_kW:g}; "
                             "a machine draws less idle than running")
        return self

    @model_serializer(mode="wrap")
    def _without_absent_sizes(self, handler):
        # a station without sizes dumps (and hashes, twin.scenario.loader.scenario_hash) exactly as before sizes
        data = handler(self)
        if self.sizes is None and isinstance(data, dict):
            data.pop("sizes", None)
        return data


class Buffers(Strict):
    """Finite buffers in front of each station, in sheets (blocking when full)."""

    default_capacity_sheets: Quantity(0, 1e7, integer=True, why_hi="above 1e7 sheets is a warehouse")
    before: dict[StepName, Quantity(0, 1e7, integer=True, why_hi="above 1e7 sheets is a warehouse")] = Field(
        default_factory=dict
    )


class Shifts(Strict):
    shifts_per_day: Quantity(1, 4, integer=True, why_lo="at least one shift", why_hi="above 4 shifts per day")
    hours_per_shift: Quantity(1, 12, why_lo="below 1 h is not a shift", why_hi="above 12 h breaks labour law")
    days_per_week: Quantity(1, 7, integer=True, why_lo="at least one day", why_hi="a week has 7 days")
    holidays_per_year: Quantity(0, 100, integer=True, why_hi="above 100 holidays the plant is mostly shut") = 0

    @model_validator(mode="after")
    def _fits_in_day(self) -> Shifts:
        if self.shifts_per_day * self.hours_per_shift > 24:
            raise ValueError(f"shifts_per_day x hours_per_shift = {self.shifts_per_day * self.hours_per_shift:g} h "
                             "is above 24 h")
        days_open = 365.0 * self.days_per_week / 7.0
        if days_open - self.holidays_per_year < MIN_WORKING_DAYS_PER_YEAR:
            # a plant that never runs has no throughput, cost per kWh or yield to report
            most = max(math.floor(days_open - MIN_WORKING_DAYS_PER_YEAR), 0)
            raise ValueError(f"holidays_per_year: {self.holidays_per_year} leaves "
                             f"{max(days_open - self.holidays_per_year, 0.0):.1f} working days a year with "
                             f"days_per_week {self.days_per_week} ({days_open:.1f} days before holidays); the "
                             f"plant must run at least {MIN_WORKING_DAYS_PER_YEAR} days a year, so at most "
                             f"{most} holidays")
        return self

    @property
    def hours_per_year(self) -> float:
        working_days = 365.0 * self.days_per_week / 7.0 - self.holidays_per_year
        return max(working_days, 0.0) * self.shifts_per_day * self.hours_per_shift


class DryRoom(Strict):
    """A desiccant dry room; its power comes from the make-up air it dries (process_models.dry_room)."""

    dew_point_C: Quantity(-80, 0, why_lo="below -80 C dew point no dry room reaches",
                          why_hi="above 0 C is not a dry room")
    energy_kW_per_m2: NonNegative | None = Field(
        None, description="metered conditioning power per m2 of dry-room floor; leave out to compute it from "
                          "the dew point, the make-up air and the fans")
    # defaults: sources in docs/calibration/energy.md
    outdoor_dew_point_C: Quantity(-40, 30, why_lo="below -40 C outdoor air is already dry-room air",
                                  why_hi="above 30 C dew point no climate has") = 10.0
    make_up_air_m3_per_h_per_m2: Quantity(0, 200, why_hi="above 200 m3/h per m2 is a wind tunnel") = 8.0
    recirculation_m3_per_h_per_m2: Quantity(0, 1000, why_hi="above 1000 m3/h per m2 is a wind tunnel") = 80.0
    # the rotor's figure at a -40 C room with 10 C outdoor air; the room's own dew point scales it (a drier
    # room regenerates hotter: process_models.dry_room.regeneration_J_per_kg_water)
    regeneration_MJ_per_kg_water: Quantity(2.4, 20, why_lo="below the ~2.4 MJ/kg latent heat no desiccant "
                                           "regenerates", why_hi="above 20 MJ/kg is not a working rotor",
                                           description="regeneration energy per kg of water removed at a -40 C "
                                                       "room with 10 C outdoor air; scaled to the room's dew "
                                                       "point") = 5.0
    fan_kW_per_m3_per_s: Quantity(0, 5, why_hi="above 5 kW per m3/s is no air handler (EN 16798-3 SFP 7)") = 1.5


class Zones(Strict):
    dry_room: DryRoom | None = None
    inert_gas_m3_per_h_per_m2: NonNegative = 0.0
    # the water vapour a sheet sees outside the dry room (process_models.atmosphere_exposure)
    ambient_dew_point_C: Quantity(-40, 30, why_lo="below -40 C is dry-room air, not a hall",
                                  why_hi="above 30 C dew point no climate has") = 10.0
    inert_dew_point_C: Quantity(-100, -20, why_lo="below -100 C no purifier reaches",
                                why_hi="above -20 C an inert enclosure is wetter than a dry room") = -70.0


class Line(Strict):
    stations: dict[StepName, Station] = Field(min_length=1, max_length=MAX_ROUTE_STEPS)
    buffers: Buffers
    shifts: Shifts
    zones: Zones = Field(default_factory=Zones)


__all__ = ["ALLOWED_STATION_KINDS", "Buffers", "DryRoom", "FurnaceThermal", "Line", "Shifts", "Station", "Zones"]
