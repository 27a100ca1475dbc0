"""What a made cell can do, said honestly: its Wh/kg and Wh/L as a finished cell, the fastest charge its
critical current density allows, and its layers as made against the design.

* **Cyclable capacity**: the cathode's stored capacity as made x the share of its active material a dry
  composite reaches at its made density (:func:`cathode_utilisation`) x, for an anode-free cell, the share of
  the Li that survives plating the anode in formation (:func:`first_cycle_li_loss_fraction`):
  :func:`cyclable_capacity_mAh_per_cm2`, per sheet. It is what the cell delivers (twin.cell_output), so the
  energy, cost per kWh and the charge limit count it.
* **Finished cell**: stack plus packaging, one packaging definition for mass and volume
  (:func:`finished_cell_metrics`); an anode-free cell's plated Li adds volume (charged state), no mass.
* **Charge**: c_max = CCD / areal capacity per sheet (:func:`max_charge_c_rate_per_h`); a sentence when the
  rated charge (``cell.rating.charge_c_rate_per_h``, else the rated discharge rate) is above it for any good
  cell (:func:`charge_limit_sentence`). Yields are unchanged: only a user's CCD spec on a check scraps.
* **Layer thickness**: the cell's design thickness (``cell.cathode/electrolyte.thickness_um``) is the spec
  the made layer is held to, for both layers; the recipe makes the layer. When made and design differ
  beyond the line's thickness tolerance, a sentence names the recipe field that sets the layer and about
  what value makes the design (:func:`layer_thickness_sentence`).
"""

from __future__ import annotations

import math

import numpy as np

from process_models.cell_metrics import (
    cell_stack_metrics,
    composite_cathode_utilisation,
    li_thickness_for_capacity_m,
)
from process_models.formation import (
    ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION,
    cyclable_capacity_after_formation_mAh_per_cm2,
)
from process_models.parameters import load_material
from process_models.thin_film_substrates import SUBSTRATES
from twin.operations import operation_for
from twin.results import quality_summary
from twin.scenario import Scenario
from twin.sheet_batch import SHEET_STATE_FIELDS

_ROW = {name: SHEET_STATE_FIELDS.index(name) for name in SHEET_STATE_FIELDS}


# Current-collector metal densities [kg/m^3] (handbook values, CRC Handbook of Chemistry and Physics)
COLLECTOR_DENSITY_KG_PER_M3 = {"aluminium": 2700.0, "copper": 8960.0, "nickel": 8908.0, "stainless_steel": 7900.0}
# Mean density of the packaging by the packaging step's format [kg/m^3]: the packaging's volume is its
# mass (cell.format.packaging_mass_fraction) over this, so Wh/kg and Wh/L count the same packaging.
# pouch: assumption: the usual nylon 25 um / Al 40 um / PP 40 um laminate, handbook densities 1.14 / 2.70 /
# 0.90 g/cm3 (CRC Handbook) give 1.64 g/cm3; tabs and seal edges counted at that density.
# prismatic: the aluminium can (CRC Handbook 2.70 g/cm3).
PACKAGING_DENSITY_KG_PER_M3 = {"pouch": 1640.0, "prismatic": 2700.0}


def _mean(values: np.ndarray, default: float) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else default


def cathode_utilisation(scenario: Scenario, values: np.ndarray):
    """Share of each sheet's cathode active material that cycles [-] (1.0, a scalar, for a cathode whose
    material has no utilisation law: liquid-filled, polymer, thin-film).

    A dry composite's utilisation falls with its porosity
    (:func:`process_models.cell_metrics.composite_cathode_utilisation`, the material's ``utilisation_*``); where
    a liquid was filled into the cathode's pores (``catholyte_asr_ohm_m2`` set: a hybrid cell's catholyte, a
    Li-ion cell's electrolyte) the liquid carries the ions to every particle and the law does not apply. A sheet
    without a made cathode counts 1 (its capacity is 0).
    """
    material = load_material(scenario.cell.cathode.material)
    if "utilisation_full_relative_density" not in material:
        return 1.0
    density = values[_ROW["cathode_relative_density"]]
    # the usual lot: every cathode dense enough to reach all its active material (NaN compares False: a sheet
    # without a cathode counts 1); the plant asks this for every lot it ships
    if not np.logical_or.reduce(density < material["utilisation_full_relative_density"]):
        return 1.0
    unset = np.isnan(density)
    utilisation = composite_cathode_utilisation(
        np.where(unset, 1.0, np.minimum(np.maximum(density, 0.0), 1.0)),
        material["utilisation_percolation_relative_density"], material["utilisation_full_relative_density"],
        material["utilisation_exponent"])
    filled = ~np.isnan(values[_ROW["catholyte_asr_ohm_m2"]])
    if filled.any():
        utilisation = np.where(filled, 1.0, utilisation)
    return utilisation


def first_cycle_li_loss_fraction(scenario: Scenario) -> float:
    """Share of the first charge's Li an anode-free cell loses plating its anode
    (:data:`process_models.formation.ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION`); 0 for a cell with a Li-metal
    or graphite anode, whose Li excess (or formation against the graphite) pays for the loss."""
    return ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION if scenario.cell.anode.type == "anode_free" else 0.0


def cyclable_capacity_mAh_per_cm2(scenario: Scenario, values: np.ndarray) -> np.ndarray:
    """Areal capacity each sheet's cell layer cycles [mAh/cm^2] (0 where no cathode was made): stored capacity
    as made x :func:`cathode_utilisation`, less an anode-free cell's first-cycle Li loss
    (:func:`process_models.formation.cyclable_capacity_after_formation_mAh_per_cm2`)."""
    stored = values[_ROW["areal_capacity_mAh_per_cm2"]]
    accessible = np.where(np.isnan(stored), 0.0, stored)
    utilisation = cathode_utilisation(scenario, values)
    if not (np.ndim(utilisation) == 0 and utilisation == 1.0):   # a dense lot: no pass over its sheets
        accessible = accessible * utilisation
    loss = first_cycle_li_loss_fraction(scenario)
    return accessible if loss == 0.0 else cyclable_capacity_after_formation_mAh_per_cm2(accessible, loss)


def plated_li_thickness_m(scenario: Scenario, values: np.ndarray) -> float:
    """Mean thickness of the Li an anode-free cell's first charge plates [m] (0 for a cell with an anode):
    all the Li its cathode gives up, the part lost in formation included (it stays at the anode)."""
    if scenario.cell.anode.type != "anode_free" or values.shape[1] == 0:
        return 0.0
    stored = values[_ROW["areal_capacity_mAh_per_cm2"]]
    charged = np.where(np.isnan(stored), 0.0, stored) * cathode_utilisation(scenario, values)
    return float(li_thickness_for_capacity_m(_mean(np.asarray(charged, dtype=float), 0.0)))


def packaging_format(scenario: Scenario) -> str:
    """The format of the route's packaging step ("pouch" without one)."""
    for step in scenario.route:
        if getattr(step, "format", None) in PACKAGING_DENSITY_KG_PER_M3:   # the packaging step's field
            return step.format
    return "pouch"


def finished_cell_metrics(scenario: Scenario, good_values: np.ndarray, delivered_cell_Wh: float) -> dict:
    """Wh/kg and Wh/L of the finished cell (stack and packaging), from the mean layer state of its good sheets.

    One repeat unit per layer: cathode collector, composite cathode, electrolyte, Li (or graphite), anode collector
    (single-sided sheets, every layer with both collectors: conservative for a stack that shares them),
    each at its made thickness and density (porosity included). Packaging, one definition for both
    figures: its mass m_pack = f m_cell (``cell.format.packaging_mass_fraction`` f), its volume
    m_pack / rho_pack (:data:`PACKAGING_DENSITY_KG_PER_M3` by the packaging step's format), added as a
    thickness over the layer area. Mass and volume from
    :func:`process_models.cell_metrics.cell_stack_metrics`; energy the delivered one.
    """
    cell = scenario.cell
    cathode = load_material(cell.cathode.material)
    electrolyte = load_material(cell.electrolyte.material)
    # the negative electrode: Li metal, or a calendered graphite electrode (Li-ion)
    anode_density = (load_material("graphite_electrode")["electrode_density_kg_per_m3"] if cell.anode.type == "graphite"
                     else load_material("li_metal")["density_kg_per_m3"])
    fraction = cell.cathode.active_volume_fraction
    cathode_solid = (fraction * cathode["active_density_kg_per_m3"]
                     + (1.0 - fraction) * cathode["electrolyte_density_kg_per_m3"])
    row = _ROW
    cathode_thickness = _mean(good_values[row["cathode_thickness_m"]], cell.cathode.thickness_um * 1e-6)
    cathode_density = _mean(good_values[row["cathode_relative_density"]], 1.0)
    electrolyte_thickness = _mean(good_values[row["electrolyte_thickness_m"]], cell.electrolyte.thickness_um * 1e-6)
    electrolyte_density = _mean(good_values[row["relative_density"]], 1.0)
    collectors = cell.current_collectors
    # a thin-film cell's substrate carries the stack and is its cathode collector (cell.substrate)
    cathode_side = (collectors.cathode.thickness_um * 1e-6, COLLECTOR_DENSITY_KG_PER_M3[collectors.cathode.material]) \
        if cell.substrate is None else (cell.substrate.thickness_um * 1e-6,
                                        SUBSTRATES[cell.substrate.material]["density_kg_per_m3"])
    layers = [
        cathode_side,
        (cathode_thickness, cathode_density * cathode_solid),
        (electrolyte_thickness, electrolyte_density * electrolyte["theoretical_density_kg_per_m3"]),
        (cell.anode.thickness_um * 1e-6, anode_density),
        # an anode-free cell's Li, plated at its first charge: volume in the charged state, no mass (the Li came
        # out of the cathode, whose mass already holds it)
        (plated_li_thickness_m(scenario, good_values), 0.0),
        (collectors.anode.thickness_um * 1e-6, COLLECTOR_DENSITY_KG_PER_M3[collectors.anode.material]),
    ]
    area = scenario.cell_layer_area_m2
    packaging_fraction = cell.format.packaging_mass_fraction
    stack_mass_kg = float(cell_stack_metrics(layers, area, cell.format.layers_per_cell, 1.0,
                                             cell.format.nominal_voltage_V)["mass_kg"])
    packaging_mass_kg = stack_mass_kg * packaging_fraction / (1.0 - packaging_fraction)
    packaging_thickness_m = packaging_mass_kg / (PACKAGING_DENSITY_KG_PER_M3[packaging_format(scenario)] * area)
    metrics = cell_stack_metrics(layers, area, cell.format.layers_per_cell, 1.0, cell.format.nominal_voltage_V,
                                 packaging_fraction, packaging_thickness_m)
    mass = float(metrics["mass_kg"])
    volume = float(metrics["volume_m3"])
    return {"specific_energy_wh_per_kg": delivered_cell_Wh / mass, "energy_density_wh_per_l": delivered_cell_Wh
            / (volume * 1000.0), "mass_kg": mass}


def c_rate_text(rate_per_h: float, at_most: bool = False) -> str:
    """A C-rate as a cell maker writes it: "C/3", "C/16", "2C".

    ``at_most``: the rate is a limit, so it is rounded down (the hours of a C/n up), never to a faster one.
    A zero limit (a CCD of 0: electrolyte at its percolation density) is "0C".
    """
    if rate_per_h <= 0.0:
        return "0C"
    if rate_per_h >= 1.0:
        shown = math.floor(rate_per_h * 10.0) / 10.0 if at_most else rate_per_h
        return f"{shown:.2g}C"
    hours = 1.0 / rate_per_h
    if hours >= 10.0:
        return f"C/{math.ceil(hours) if at_most else round(hours)}"
    return f"C/{math.ceil(hours * 10.0) / 10.0 if at_most else hours:.2g}"


def max_charge_c_rate_per_h(values: np.ndarray, capacity_mAh_per_cm2: np.ndarray | None = None) -> np.ndarray:
    """Fastest charge each sheet's cells take without Li dendrites [1/h]: CCD / areal capacity.

    Charging at C-rate c drives i = c Q_A through the Li/electrolyte interface (Q_A in mAh/cm2, i in
    mA/cm2); above the critical current density Li dendrites short the cell (roadmap 2020 §2), so the
    fastest charge is c_max = CCD / Q_A. Q_A: ``capacity_mAh_per_cm2`` (the capacity the cell cycles,
    :func:`cyclable_capacity_mAh_per_cm2`, which a C-rate refers to), else the stored capacity as made.
    NaN where no CCD was rated (no ceramic electrolyte) or no cathode.
    """
    ccd_mA_per_cm2 = values[_ROW["critical_current_density_A_per_m2"]] * 0.1
    capacity = values[_ROW["areal_capacity_mAh_per_cm2"]] if capacity_mAh_per_cm2 is None else capacity_mAh_per_cm2
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(capacity > 0.0, ccd_mA_per_cm2 / np.where(capacity > 0.0, capacity, 1.0), np.nan)


def _stacking_step(scenario: Scenario):
    for step in scenario.route:
        if operation_for(step).assembles_cells:
            return step
    return None


def charge_shorting(scenario: Scenario, good_values: np.ndarray) -> dict | None:
    """The good cells the rated charge would short: ``{"share", "slowest_limit_c_rate_per_h",
    "rated_c_rate_per_h", "basis"}``, or None when none would (or no good cell has a rated CCD).

    The rated charge is ``cell.rating.charge_c_rate_per_h``, or without one the rated discharge rate (a cell
    cycled at its rating is charged at about that rate). A cell whose c_max (:func:`max_charge_c_rate_per_h`)
    is below it would short on charge; ``share`` is their share of the good cells [-] and
    ``slowest_limit_c_rate_per_h`` the lowest c_max among them [1/h]: a charge at or below it shorts none of
    them, and it is below the rated charge by construction (never a recommendation faster than the rating).
    """
    c_max = max_charge_c_rate_per_h(good_values, cyclable_capacity_mAh_per_cm2(scenario, good_values))
    c_max = c_max[np.isfinite(c_max)]
    if c_max.size == 0:
        return None
    rating = scenario.cell.rating
    rated = rating.charge_c_rate_per_h if rating.charge_c_rate_per_h is not None else rating.c_rate_per_h
    shorts = c_max < rated
    if not shorts.any():
        return None
    basis = "cell.rating.charge_c_rate_per_h" if rating.charge_c_rate_per_h is not None else "cell.rating.c_rate_per_h"
    return {"share": float(np.count_nonzero(shorts)) / c_max.size,
            "slowest_limit_c_rate_per_h": float(c_max[shorts].min()), "rated_c_rate_per_h": float(rated),
            "basis": basis}


def shorting_share_text(share: float) -> str:
    """A share of cells that would short, as a percentage a reader can see is small or large: "all", "0.002 %"."""
    return "all" if share >= 1.0 else f"{share * 100.0:.3g} %"


def charge_limit_sentence(scenario: Scenario, good_values: np.ndarray) -> str | None:
    """One plain sentence when the rated charge drives more current than some good cells' CCD (any share of
    them, :func:`charge_shorting`); else None."""
    shorting = charge_shorting(scenario, good_values)
    if shorting is None:
        return None
    rated = shorting["rated_c_rate_per_h"]
    basis = (shorting["basis"] if shorting["basis"].endswith("charge_c_rate_per_h") else
             "cell.rating.c_rate_per_h; no charge_c_rate_per_h is given")
    c_max = max_charge_c_rate_per_h(good_values, cyclable_capacity_mAh_per_cm2(scenario, good_values))
    ccd = quality_summary(good_values[_ROW["critical_current_density_A_per_m2"]] * 0.1)
    fastest = quality_summary(c_max)
    stacking = _stacking_step(scenario)
    conditions = (f" at {stacking.cycling_temperature_C:g} C and {stacking.stack_pressure_MPa:g} MPa stack pressure"
                  if stacking is not None else "")
    share = shorting_share_text(shorting["share"])
    slowest = c_rate_text(shorting["slowest_limit_c_rate_per_h"], at_most=True)
    return (f"Charge: the cells' critical current density (mean {ccd['mean']:.3g} mA/cm2, p5 {ccd['p5']:.3g})"
            f"{conditions} allows at most {c_rate_text(fastest['mean'], at_most=True)} charge "
            f"({c_rate_text(fastest['p5'], at_most=True)} for the weakest 5 %); the rating assumes "
            f"{c_rate_text(rated)} charge ({basis}): {share} of the cells charged at {c_rate_text(rated)} would "
            f"short (Li dendrites above the CCD, roadmap 2020 §2). The yield and cost above count them good, as if "
            f"charging at {c_rate_text(rated)} were safe (no check scraps on the CCD unless a spec is set). Charge "
            f"at {slowest} or slower (the slowest of those cells' limit), or raise the CCD (stack pressure, "
            "interface ASR, electrolyte density).")


# The thickness tolerance a made layer is held to when no quality check of the route sets one
# (assumption: the +-15 % electrolyte thickness tolerance every library route's inspection uses).
DEFAULT_THICKNESS_TOLERANCE = 0.15

# The recipe fields that set a layer's thickness, made thickness ~ proportional to each: a cast tape's wet
# (so fired) thickness scales with the blade gap (twin.operations.tape_casting), a sprayed layer or a polymer
# film with its target, a Li-ion cell's electrolyte layer is its separator (a step without a ``layer`` field
# makes the electrolyte).
THICKNESS_RECIPE_FIELDS = ("blade_gap_um", "target_thickness_um", "separator_thickness_um")


def _thickness_field(step) -> str | None:
    return next((field for field in THICKNESS_RECIPE_FIELDS if hasattr(step, field)), None)
_LAYER_ROWS = {"cathode": "cathode_thickness_m", "electrolyte": "electrolyte_thickness_m"}


def thickness_tolerance_fraction(scenario: Scenario) -> float:
    """The line's thickness tolerance: the tightest ``thickness_tolerance_fraction`` of its quality checks,
    else :data:`DEFAULT_THICKNESS_TOLERANCE`."""
    limits = [step.thickness_tolerance_fraction for step in scenario.route
              if operation_for(step).is_quality_check and step.thickness_tolerance_fraction is not None]
    return min(limits) if limits else DEFAULT_THICKNESS_TOLERANCE


def thickness_recipe_step(scenario: Scenario, layer: str):
    """The last route step whose recipe sets ``layer``'s thickness, or None (a vacuum-deposited layer is
    made to the design thickness itself)."""
    for step in reversed(scenario.route):
        if _thickness_field(step) is not None and getattr(step, "layer", "electrolyte") == layer:
            return step
    return None


def made_layer_thickness_um(values: np.ndarray, layer: str) -> dict:
    """Mean, p5 and p95 of ``layer``'s thickness as made [um], over every sheet of the matrix that has the
    layer, kept or scrapped (a check that scraps sheets for thickness must not hide what the line makes)."""
    return quality_summary(values[_ROW[_LAYER_ROWS[layer]]] * 1e6)


# A layer made inside the tolerance on average still loses this share of its sheets to the thickness check before
# the sentence speaks (assumption: 5 %, well above the ~0.5 % the library's spread puts outside +-15 %).
THICKNESS_SCRAP_WORTH_SAYING = 0.05


def thickness_checks(scenario: Scenario) -> list[str]:
    """The quality checks that scrap the electrolyte on its thickness (``thickness_tolerance_fraction``)."""
    return [step.name for step in scenario.route
            if operation_for(step).is_quality_check and step.thickness_tolerance_fraction is not None]


def out_of_tolerance_share(scenario: Scenario, values: np.ndarray, layer: str) -> float | None:
    """Share of the sheets made with ``layer`` whose thickness is off the design beyond the line's tolerance (the
    check's own rule: |t - design| / design > tolerance); None without such sheets."""
    made = values[_ROW[_LAYER_ROWS[layer]]] * 1e6
    made = made[np.isfinite(made)]
    if made.size == 0:
        return None
    design_um = getattr(scenario.cell, layer).thickness_um
    return float(np.count_nonzero(np.abs(made - design_um) > thickness_tolerance_fraction(scenario) * design_um)
                 / made.size)


def layer_thickness_sentence(scenario: Scenario, layer: str, made_um: float | None,
                             outside_share: float | None = None, made_spread: dict | None = None) -> str | None:
    """One plain sentence when ``layer`` is made more than the line's tolerance off its design thickness, or when
    (the electrolyte, which a check holds to the tolerance) ``outside_share`` of its sheets fall outside it, naming
    the recipe field that sets it; else None."""
    design_um = getattr(scenario.cell, layer).thickness_um
    tolerance = thickness_tolerance_fraction(scenario)
    if made_um is None:
        return None
    checks = thickness_checks(scenario) if layer == "electrolyte" else []
    beyond = abs(made_um - design_um) > tolerance * design_um
    scrapped = bool(checks) and outside_share is not None and outside_share >= THICKNESS_SCRAP_WORTH_SAYING
    if not beyond and not scrapped:
        return None
    spread = (f" (p5 {made_spread['p5']:.3g}, p95 {made_spread['p95']:.3g})"
              if made_spread and made_spread.get("p5") is not None and scrapped else "")
    where = "beyond" if beyond else "inside"
    sentence = (f"{layer.capitalize()} thickness: the line makes {made_um:.3g} um{spread} against the design's "
                f"{design_um:g} um (cell.{layer}.thickness_um, "
                f"{(made_um / design_um - 1.0) * 100.0:+.1f} %, {where} the "
                f"+-{tolerance * 100.0:g} % tolerance)")
    if scrapped:
        sentence += (f", so {outside_share * 100.0:.1f} % of its sheets fall outside the tolerance and "
                     f"{' and '.join(checks)} scraps them (thickness_out_of_tolerance)")
    sentence += ": "
    step = thickness_recipe_step(scenario, layer)
    if step is None:
        return sentence + f"no recipe field sets it; set cell.{layer}.thickness_um to {made_um:.3g} um."
    field = _thickness_field(step)
    value = getattr(step, field)
    return sentence + (f"the recipe sets it: change route.{step.name}.{field} (now {value:g}; about "
                       f"{value * design_um / made_um:.3g} makes {design_um:g} um), or set "
                       f"cell.{layer}.thickness_um to the {made_um:.3g} um the line makes.")


def layer_thickness_block(scenario: Scenario, values: np.ndarray) -> tuple[dict, str | None]:
    """``{layer: {"design_um", "made_um", "outside_tolerance_share"}}`` for the cathode and electrolyte, and the
    sentences of the layers made off their design or scrapped for it (joined), or None."""
    block, sentences = {}, []
    for layer in ("cathode", "electrolyte"):
        made = made_layer_thickness_um(values, layer)
        outside = out_of_tolerance_share(scenario, values, layer)
        block[layer] = {"design_um": getattr(scenario.cell, layer).thickness_um, "made_um": made,
                        "outside_tolerance_share": outside}
        sentence = layer_thickness_sentence(scenario, layer, made["mean"], outside, made)
        if sentence:
            sentences.append(sentence)
    return block, (" ".join(sentences) or None)


__all__ = [
    "COLLECTOR_DENSITY_KG_PER_M3", "DEFAULT_THICKNESS_TOLERANCE", "PACKAGING_DENSITY_KG_PER_M3",
    "THICKNESS_RECIPE_FIELDS", "THICKNESS_SCRAP_WORTH_SAYING", "c_rate_text", "cathode_utilisation",
    "charge_limit_sentence", "charge_shorting", "shorting_share_text",
    "cyclable_capacity_mAh_per_cm2", "finished_cell_metrics", "first_cycle_li_loss_fraction",
    "plated_li_thickness_m",
    "layer_thickness_block", "layer_thickness_sentence", "made_layer_thickness_um", "max_charge_c_rate_per_h",
    "out_of_tolerance_share", "packaging_format", "thickness_checks", "thickness_recipe_step",
    "thickness_tolerance_fraction",
]
