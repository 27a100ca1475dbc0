"""Throughput of the per-sheet process-physics chain (style.md rule 13: speed lives in benchmarks/).

Run: ``python benchmarks/bench_physics.py [--sheets 1000000] [--seed 7]``

Chain per sheet, each with its own sampled conditions (seeded numpy Generator):
tape wet -> green thickness -> densification (shared furnace profile + per-sheet furnace offset, per-sheet
particle size) -> sintered thickness -> Li loss (thickness, offset, cover leakage) -> Li mass balance ->
garnet phases -> grain growth -> conductivity (grain size) -> electrolyte ASR -> Li lamination contact
-> interface ASR -> CCD.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from process_models.cell_metrics import critical_current_density_A_per_m2
from process_models.conductivity import area_specific_resistance_ohm_m2, ionic_conductivity_S_per_m
from process_models.densification import log_work_of_sintering, sintered_relative_density
from process_models.grain_growth import ccd_grain_size_factor, grain_size_after_firing_m
from process_models.lamination import li_contact_fraction, li_interface_asr_ohm_m2
from process_models.li_loss import garnet_phase_fractions, li_loss_per_formula_unit, li_mass_balance
from process_models.parameters import load_material
from process_models.tape_casting import doctor_blade_wet_thickness_m, green_thickness_m, sintered_thickness_m
from process_models.temperature_profile import celsius_profile


def sample_conditions(rng: np.random.Generator, sheets: int) -> dict[str, np.ndarray]:
    """Per-sheet process conditions around a tape-cast Ga-LLZO recipe."""
    return {
        "blade_gap_m": rng.normal(100e-6, 3e-6, sheets),
        "viscosity_Pa_s": rng.lognormal(np.log(2.0), 0.1, sheets),
        "solids_fraction": rng.uniform(0.28, 0.32, sheets),
        "green_density": rng.normal(0.55, 0.01, sheets),
        "furnace_offset_K": rng.normal(0.0, 8.0, sheets),
        "particle_size_m": rng.lognormal(np.log(100e-9), 0.1, sheets),
        "cover_leakage": rng.uniform(0.05, 0.3, sheets),
        "lamination_pressure_Pa": rng.uniform(0.5e6, 3e6, sheets),
        "lamination_temperature_K": rng.uniform(300.0, 400.0, sheets),
    }


def run_chain(conditions: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Evaluate the full chain for every sheet (all vectorised)."""
    garnet = load_material("llzo_ga")
    li_metal = load_material("li_metal")
    profile = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3), ("ramp", 25.0, 5.0)])
    wet = doctor_blade_wet_thickness_m(conditions["blade_gap_m"], 0.01, conditions["viscosity_Pa_s"], 0.01,
                                       2500.0, 5e-3, flow_correction=0.7)
    green = green_thickness_m(wet, conditions["solids_fraction"], conditions["green_density"])
    density = sintered_relative_density(profile, conditions["green_density"], garnet,
                                        temperature_offset_K=conditions["furnace_offset_K"],
                                        particle_size_m=conditions["particle_size_m"])
    thickness = sintered_thickness_m(green, conditions["green_density"], density)
    lost = li_loss_per_formula_unit(profile, thickness, 2.0, conditions["cover_leakage"], garnet,
                                    temperature_offset_K=conditions["furnace_offset_K"])
    balance = li_mass_balance(garnet["nominal_li_pfu"], 0.3, lost)
    cubic, tetragonal, pyrochlore = garnet_phase_fractions(balance["li_retained_pfu"], garnet)
    log_theta = log_work_of_sintering(profile, garnet["msc_activation_energy_J_per_mol"],
                                      conditions["furnace_offset_K"])
    grain = grain_size_after_firing_m(log_theta, conditions["particle_size_m"], garnet)
    sigma = ionic_conductivity_S_per_m(density, cubic, tetragonal, pyrochlore, garnet,
                                       grain_size_m=grain)
    asr = area_specific_resistance_ohm_m2(thickness, sigma)
    contact = li_contact_fraction(conditions["lamination_pressure_Pa"],
                                  conditions["lamination_temperature_K"], 0.05, li_metal)
    interface = li_interface_asr_ohm_m2(contact, li_metal)
    ccd = critical_current_density_A_per_m2(interface, 5e6, density, garnet) * ccd_grain_size_factor(grain, garnet)
    return {"relative_density": density, "grain_size_m": grain, "thickness_m": thickness, "li_lost_pfu": lost,
            "asr_ohm_m2": asr,
            "interface_asr_ohm_m2": interface, "ccd_A_per_m2": ccd}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sheets", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    conditions = sample_conditions(rng, args.sheets)
    run_chain({k: v[:1000] for k, v in conditions.items()})  # warm the parameter cache
    timings = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        result = run_chain(conditions)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    print(f"sheets: {args.sheets}, best of {args.repeats}: wall time {best:.3f} s, "
          f"{args.sheets / best:,.0f} sheets/s")
    for key, values in result.items():
        print(f"  {key:22s} median {np.median(values):.4g}  p1 {np.percentile(values, 1):.4g}  "
              f"p99 {np.percentile(values, 99):.4g}")


if __name__ == "__main__":
    main()
