"""The published cases the models are checked against: source, inputs, published value, tolerance and why.

``use`` says what a case is worth: ``calibration`` (a fit anchor: agreement is by construction and shows
only that the stored parameters are the fitted ones), ``validation`` (not used in any fit) or ``check``
(an inequality a fit was not allowed to use). A case the model cannot represent has ``model=None`` and
its reason in ``not_covered``; a covered case the model misses is kept as ``known_failure`` with the
reason, never dropped or given a tolerance wide enough to hide it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.validation import model as m

# Reported total conductivities of nominally the same garnet at similar density differ by up to 2.7x
# (Nb-rich LLZO at 94.5-96.1 %: 0.386-1.04 mS/cm, cases C5/C6); a model of composition, density, grain
# size and phases cannot be closer than that scatter, so conductivity cases are held to a factor 2.
SIGMA_TOLERANCE = ("ratio", 2.0, "literature scatter of total conductivity for one composition at one density "
                                 "is up to 2.7x (Nb-LLZO, C5/C6); a factor 2 is held")
DENSITY_TOLERANCE = ("abs", 0.03, "+-0.03: density reported +-1-2 %, plus the heating rate assumed (5 K/min)")


@dataclass(frozen=True)
class Case:
    case_id: str
    area: str
    source: str
    inputs: str
    published: float | tuple[float, float]
    unit: str
    tolerance: tuple[str, float, str]   # (kind, value, why); kinds: abs, ratio, min, max, range
    use: str
    model: Callable[[], float] | None
    not_covered: str = ""
    known_failure: str = ""


CASES: tuple[Case, ...] = (
    # --- densification ---------------------------------------------------------------------------------------
    Case("D1", "densification", "Yi et al., J. Power Sources 2017", "Ga-LLZO flame-spray powder, 25 um film, "
         "1130 C / 0.3 h", 0.95, "rel. density", DENSITY_TOLERANCE, "calibration",
         lambda: m.fired_density("llzo_ga", "flame_spray_nano", 1130.0, 0.3)),
    Case("D2", "densification", "2020 SSB roadmap §15 (nano powder: < 1 h to 95 %)", "Ga-LLZO flame-spray powder, "
         "1130 C / 1 h", 0.94, "rel. density", ("min", 0.94, "an 'at least' statement"), "check",
         lambda: m.fired_density("llzo_ga", "flame_spray_nano", 1130.0, 1.0)),
    Case("D3", "densification", "Liu et al., Ceram. Int. 45 (2019) 18439", "Ta-LLZO calcined powder, 1230 C / 1 h",
         0.928, "rel. density", DENSITY_TOLERANCE, "calibration",
         lambda: m.fired_density("llzo_ta", "calcined", 1230.0, 1.0)),
    Case("D4", "densification", "Tian et al., Solid State Ionics 2020 (115407)", "sol-gel Al-LLZO (x=0.25) calcined "
         "powder, 1100 C / 15 h", 0.925, "rel. density", DENSITY_TOLERANCE, "calibration",
         lambda: m.fired_density("llzo_al", "calcined", 1100.0, 15.0)),
    Case("D5", "densification", "Ta/Nb co-doped LLZO, pressureless (discovery.researcher.life record, 'co-doping "
         "strategy coupled with pressureless sintering')", "Li6.5La3Zr1.5Ta0.1Nb0.4O12 calcined, 1150 C / 6 h",
         0.945, "rel. density", DENSITY_TOLERANCE, "validation",
         lambda: m.fired_density("llzo_nb", "calcined", 1150.0, 6.0)),
    Case("D6", "densification", "Li7-xLa3Zr2-xNbxO12 solid-state study (DOAJ d4debc586943452cbc2c19652e2a01eb)",
         "x=0.4 calcined 850 C / 10 h, sintered 1250 C / 4 h", 0.961, "rel. density", DENSITY_TOLERANCE,
         "validation", lambda: m.fired_density("llzo_nb", "calcined", 1250.0, 4.0)),
    Case("D7", "densification", "In-situ Li2O-atmosphere route, Energy Mater. 4 (2024) 400022",
         "Nb-LLZO + 2 wt% Li6Zr2O7, 1300 C / 1 min", 0.968, "rel. density", DENSITY_TOLERANCE, "calibration",
         lambda: m.fired_density("llzo_nb", "calcined", 1300.0, 1.0 / 60.0, "li6zr2o7", 0.02)),
    Case("D8", "densification", "Guo, Weller, Yang, Bhat, Chan, Ionics 29 (2023) 581", "pyrochlore -> LLZTO reactive "
         "sintering, 1100 C / 2 h ('dense', read as 0.93)", 0.93, "rel. density", DENSITY_TOLERANCE, "calibration",
         lambda: m.fired_density("llzo_ta", "reactive_precursor", 1100.0, 2.0)),
    Case("D9", "densification", "Rangasamy, Wolfenstine, Sakamoto, Solid State Ionics 206 (2012) 28 [R]",
         "Al-LLZO hot press 1000 C / 40 MPa / 1 h", 0.975, "rel. density", ("abs", 0.01, "reported >= 97-98 %"),
         "calibration", lambda: m.pressure_sintered_density(0)),
    Case("D10", "densification", "SPS of Li6.5La3Zr1.5Ta0.5O12 (OpenAIRE record, physics-notes §1.5)",
         "1000 C / 10 min / 50 MPa (pressure assumed)", 0.93, "rel. density",
         ("min", 0.93, "SPS gives dense LLZT; bound, not a value"), "check", lambda: m.pressure_sintered_density(1)),
    Case("D11", "densification", "HIP of Al-LLZ (kinteksolution.com summaries of HIP studies [M])",
         "1158 C / 127 MPa / 2 min from 0.905 pre-sintered", 0.98, "rel. density",
         ("abs", 0.01, "reported ~98 %"), "check", lambda: m.pressure_sintered_density(2)),
    Case("D12", "densification", "Wang et al., Science 368 (2020) 521 [R]", "UHS 1e4 K/min to 1500 C, 10 s, nano "
         "powder", 0.90, "rel. density", ("min", 0.90, "'densified in ~10 s': read as >= 90 %"), "check",
         m.uhs_density),
    Case("D13", "densification", "Zhao et al., Mater. Des. 2018 ('self-consolidation')", "Al-LLZO, pressureless",
         0.945, "rel. density", ("abs", 0.03, ""), "validation", None,
         not_covered="sintering temperature and time are not in the abstract"),
    Case("D14", "densification", "Weller & Chan, J. Mater. Chem. A 8 (2020) 17405", "pyrochlore nanocrystals, "
         "reactive sintering", 0.947, "rel. density", ("abs", 0.03, ""), "validation", None,
         not_covered="sintering temperature and time are not in the abstract (its conductivity is case C11)"),
    # --- grain size ------------------------------------------------------------------------------------------
    Case("G1", "grain size", "Yi et al., J. Power Sources 2017", "Ga-LLZO flame-spray powder (0.1 um), "
         "1130 C / 0.3 h", 1.2, "um", ("abs", 0.2, "reported 1.2 +- 0.2 um"), "calibration",
         lambda: m.fired_grain_size_um("llzo_ga", "flame_spray_nano", 1130.0, 0.3)),
    Case("G2", "grain size", "Guo, Weller, Yang, Bhat, Chan, Ionics 29 (2023) 581", "reactive LLZTO, 1100 C / 2 h",
         2.0, "um", ("max", 2.0, "'grain size less than 2 um'"), "validation",
         lambda: m.fired_grain_size_um("llzo_ta", "reactive_precursor", 1100.0, 2.0)),
    Case("G3", "grain size", "Tsai et al. ~2015 (physics-notes §2.2)", "Al-LLZO pellet, 1200 C, long dwell",
         500.0, "um", ("ratio", 2.0, ""), "validation", None,
         not_covered="abnormal (liquid-assisted) grain growth is not modelled; the parabolic law gives tens of um"),
    # --- Li loss and phases ----------------------------------------------------------------------------------
    Case("L1", "Li loss", "Tsai et al. ~2015 (physics-notes §2.2)", "Al-LLZO pellet 1.5 mm (assumed), 1200 C / 24 h "
         "(assumed)", 1.0, "Li pfu lost", ("abs", 0.1, "7.5 -> 6.5 pfu by ICP-OES"), "calibration", m.tsai_li_loss_pfu),
    Case("L2", "Li loss", "Yi et al., J. Power Sources 2017", "25 um Ga-LLZO film, one face open, no excess "
         "(assumed), 1130 C / 0.3 h: stays cubic (1.3 mS/cm)", 1.0, "cubic fraction",
         ("min", 0.99, "the film is cubic and highly conducting"), "check", m.yi_film_cubic_fraction),
    Case("L3", "Li loss", "Chen et al. (DTU), Mater. Adv. 2023, d3ma00894k", "PLD film at 700 C, Li loss on "
         "deposition", 3.54e-6, "S/cm", ("ratio", 2.0, ""), "validation", None,
         not_covered="vapour deposition is not a route step of the twin"),
    Case("L4", "Li loss", "Liu, Ma, Wang, J. Power Sources 260 (2014) 109", "excess Li + alumina crucible: "
         "'reduced lithium loss'", 0.5, "flux factor", ("abs", 0.0, ""), "calibration", None,
         not_covered="qualitative only; it sets the assumed factor 0.5 of the li2o_al2o3_liquid aid"),
    Case("L5", "Li loss", "Wang et al., Science 368 (2020) 521 [R]", "UHS 1e4 K/min to 1500 C, 10 s, 15 um Ta-LLZO "
         "(assumed) with one face against a 3 mm carbon felt (assumed)", 0.05, "Li fraction lost",
         ("max", 0.05, "'densified in ~10 s with little Li loss': read as < 5 % of the Li"), "check",
         m.uhs_felt_li_loss_fraction),
    Case("L6", "Li loss", "Zhao et al., J. Power Sources 2024, 234913", "UHS of LLZTO in graphite felt: Li loss at "
         "1e4 over 1e3 K/min, both to 1500 C / 10 s", 1.0, "ratio", ("max", 1.0, "'a faster heating rate suppresses "
         "Li volatilisation'"), "check", m.uhs_heating_rate_li_loss_ratio),
    Case("L7", "Li loss", "Kudo, Wu, Ihle, J. Nucl. Mater. 78 (1978), doi:10.1016/0022-3115(78)90460-9 "
         "(Knudsen-cell mass spectrometry over Li2O, "
         "1300-1700 K)", "dHf0(Li2O,g) = -42.3 kcal/mol = -177.0 kJ/mol with dHf(Li2O,s) = -597.9 kJ/mol (JANAF, "
         "memory [R]): Li2O(s) -> Li2O(g)", 420.9, "kJ/mol", ("abs", 15.0, "0 K gas vs 298 K solid reference and "
         "+-1.1 kcal/mol: +-15 kJ/mol"), "validation", m.li2o_sublimation_enthalpy_kJ_per_mol),
    Case("L8", "Li loss", "Hirschfelder, Curtiss, Bird, Molecular Theory of Gases and Liquids (1954) [R, memory]",
         "Ar self-diffusion at 0 C, 1 atm (the Chapman-Enskog transport of the vapour-escape model)", 0.156,
         "cm2/s", ("ratio", 1.05, "memory-sourced value: 5 %"), "validation", m.argon_self_diffusivity_cm2_per_s),
    Case("L9", "Li loss", "Lemmon & Jacobsen, Int. J. Thermophys. 25 (2004) 21 (NIST argon viscosity) [R, memory]",
         "Ar viscosity at 300 K, 0.1 MPa (the Chapman-Enskog gas of the open-furnace boundary layer)", 22.7, "uPa s",
         ("ratio", 1.03, "memory-sourced value and a Lennard-Jones fit: 3 %"), "validation", m.argon_viscosity_uPa_s),
    Case("L10", "Li loss", "Goldstein, Sparrow, Jones, Int. J. Heat Mass Transfer 16 (1973) 1025 [R, memory]",
         "naphthalene sublimation from an upward-facing horizontal plate, Ra = 1e3 (L = area/perimeter): "
         "Sh = 0.59 Ra^(1/4)", 3.32, "Sherwood", ("ratio", 1.1, "the blend of the Ra^(1/6) and Lloyd & Moran laws "
         "is within -9 %/+5 % of this law over its range"), "validation", m.upward_plate_sherwood_at_ra_1e3),
    # --- conductivity ----------------------------------------------------------------------------------------
    Case("C1", "conductivity", "Yi et al., J. Power Sources 2017", "Ga-LLZO film at 95 %, 1.2 um grains", 1.3,
         "mS/cm", ("abs", 0.1, "reported 1.3 +- 0.1"), "calibration",
         lambda: m.layer_conductivity_mS_per_cm("llzo_ga", 0.95, 1.2)),
    Case("C2", "conductivity", "Li, Kern et al., Open Ceramics 24 (2025) 100842", "LLZNO at 94.4 %", 0.78, "mS/cm",
         SIGMA_TOLERANCE, "calibration", lambda: m.layer_conductivity_mS_per_cm("llzo_nb", 0.944, 5.0, "calcined")),
    Case("C3", "conductivity", "Li, Kern et al., Open Ceramics 24 (2025) 100842", "LLZTO at 94.1 %", 0.75, "mS/cm",
         SIGMA_TOLERANCE, "validation", lambda: m.layer_conductivity_mS_per_cm("llzo_ta", 0.941, 5.0, "calcined")),
    Case("C4", "conductivity", "Liu et al., Ceram. Int. 45 (2019) 18439", "Li6.6La3Zr1.6Ta0.4O12, 1230 C / 1 h",
         0.601, "mS/cm", SIGMA_TOLERANCE, "validation",
         lambda: m.fired_conductivity_mS_per_cm("llzo_ta", "calcined", 1230.0, 1.0)),
    Case("C5", "conductivity", "Ta/Nb co-doped LLZO (as D5)", "Li6.5La3Zr1.5Ta0.1Nb0.4O12, 1150 C / 6 h", 1.04,
         "mS/cm", SIGMA_TOLERANCE, "validation",
         lambda: m.fired_conductivity_mS_per_cm("llzo_nb", "calcined", 1150.0, 6.0)),
    Case("C6", "conductivity", "Nb-LLZO solid-state study (as D6)", "x=0.4, 1250 C / 4 h", 0.386, "mS/cm",
         SIGMA_TOLERANCE, "validation", lambda: m.fired_conductivity_mS_per_cm("llzo_nb", "calcined", 1250.0, 4.0),
         known_failure="the model gives ~0.9 mS/cm, as C2 (0.78) and C5 (1.04) for Nb-LLZO at similar density; what "
                       "lowers this sample (Li content after 4 h at 1250 C, grain-boundary phases) is not reported"),
    Case("C7", "conductivity", "Energy Mater. 4 (2024) 400022", "Nb-LLZO + 2 wt% Li6Zr2O7, 1300 C / 1 min", 0.839,
         "mS/cm", SIGMA_TOLERANCE, "validation",
         lambda: m.fired_conductivity_mS_per_cm("llzo_nb", "calcined", 1300.0, 1.0 / 60.0, "li6zr2o7", 0.02)),
    Case("C8", "conductivity", "Tian et al., Solid State Ionics 2020 (115407)", "sol-gel Al-LLZO, 1100 C / 15 h",
         0.308, "mS/cm", SIGMA_TOLERANCE, "validation",
         lambda: m.fired_conductivity_mS_per_cm("llzo_al", "calcined", 1100.0, 15.0)),
    Case("C9", "conductivity", "Rangasamy et al., Solid State Ionics 206 (2012) 28 [R]", "hot-pressed Al-LLZO, "
         "97.5 %", 0.4, "mS/cm", SIGMA_TOLERANCE, "calibration",
         lambda: m.layer_conductivity_mS_per_cm("llzo_al", 0.975, 5.0)),
    Case("C10", "conductivity", "Guo et al., Ionics 29 (2023) 581", "reactive LLZTO, 1100 C / 2 h", 0.4, "mS/cm",
         SIGMA_TOLERANCE, "calibration",
         lambda: m.fired_conductivity_mS_per_cm("llzo_ta", "reactive_precursor", 1100.0, 2.0)),
    Case("C11", "conductivity", "Weller & Chan, J. Mater. Chem. A 8 (2020) 17405", "reactive LLZTO at 94.7 %", 0.53,
         "mS/cm", SIGMA_TOLERANCE, "validation",
         lambda: m.layer_conductivity_mS_per_cm("llzo_ta", 0.947, 2.0, "reactive_precursor")),
    Case("C12", "conductivity", "Rosenberg et al., 'Tape casting and sintering of Li7La3Zr1.75Nb0.25Al0.1O12 with "
         "Li3BO3 additions'", "pellets + 1-2 wt% Li3BO3, 1000 C / 6 h", 0.25, "mS/cm", SIGMA_TOLERANCE, "calibration",
         lambda: m.fired_conductivity_mS_per_cm("llzo_nb", "calcined", 1000.0, 6.0, "li3bo3", 0.01)),
    Case("C13", "conductivity", "same as C12", "150-175 um tapes + 0.5 wt% Li3BO3, 1000 C / 6 h", 0.25, "mS/cm",
         SIGMA_TOLERANCE, "validation",
         lambda: m.fired_conductivity_mS_per_cm("llzo_nb", "calcined", 1000.0, 6.0, "li3bo3", 0.005)),
    Case("C14", "conductivity", "Liu, Ma, Wang, J. Power Sources 260 (2014) 109", "LLZTO, >= 30 mol% excess Li in "
         "alumina (density read as 95 %)", 0.4, "mS/cm", SIGMA_TOLERANCE, "calibration",
         lambda: m.layer_conductivity_mS_per_cm("llzo_ta", 0.95, None, "flame_spray_nano", "li2o_al2o3_liquid",
                                                0.0, 1.95)),
    Case("C15", "conductivity", "SPS of LLZT (physics-notes §1.5, OpenAIRE record)", "1000 C / 10 min / 50 MPa",
         0.69, "mS/cm", SIGMA_TOLERANCE, "validation", m.sps_llzt_conductivity_mS_per_cm),
    Case("C16", "conductivity", "Shin et al., J. Korean Ceram. Soc. 53 (2016)", "undoped LLZO + 8 wt% Li3BO3 vs "
         "none, 1100 C / 8 h", 2.7, "ratio", ("ratio", 2.0, ""), "validation", None,
         not_covered="undoped (tetragonal-prone) LLZO at 6e-6 S/cm is not a library material"),
    Case("C17", "conductivity", "Zhao et al., Mater. Des. 2018", "Al-LLZO self-consolidation", 0.141, "mS/cm",
         SIGMA_TOLERANCE, "validation", None, not_covered="firing conditions not in the abstract"),
    # --- pressing (sulphide) ---------------------------------------------------------------------------------
    Case("P1", "pressing", "Yan et al., J. Colloid Interface Sci. 2026 [M]", "Li6PS5Cl pellet, 250 MPa, 25 C", 1.02,
         "mS/cm", ("ratio", 1.05, "two-point fit"), "calibration", lambda: m.pressed_lpscl_conductivity_mS_per_cm(250)),
    Case("P2", "pressing", "Yan et al. 2026 [M]", "Li6PS5Cl pellet, 625 MPa, 25 C", 1.54, "mS/cm",
         ("ratio", 1.05, "two-point fit"), "calibration", lambda: m.pressed_lpscl_conductivity_mS_per_cm(625)),
    Case("P3", "pressing", "Yan et al. 2026 [M]", "Li6PS5Cl pellet, 750 MPa: fractures", 1.0, "cracked (1=yes)",
         ("min", 1.0, "the pellet fractured"), "calibration", lambda: m.lpscl_cracks(750)),
    Case("P4", "pressing", "Yan et al. 2026 [M]", "Li6PS5Cl pellet, 625 MPa: crack-free", 0.0, "cracked (1=yes)",
         ("max", 0.0, "crack-free"), "calibration", lambda: m.lpscl_cracks(625)),
    Case("P5", "pressing", "Wang et al., ChemSusChem 17 (2024) e202400718 [M]", "hot-pressed Li6PS5Cl, 180 C / "
         "350 MPa (assumed): near-theoretical", 0.98, "rel. density", ("abs", 0.01, "'near-theoretical'"),
         "calibration", lambda: m.pressed_lpscl_density(350, 180)),
    # --- interface and CCD -----------------------------------------------------------------------------------
    Case("I1", "interface", "Sharafi et al., Chem. Mater. 2017 [R]", "Li on cleaned garnet, full contact, 5 MPa",
         2.0, "ohm cm2", ("ratio", 1.05, ""), "calibration", lambda: m.interface_asr_ohm_cm2(5.0)),
    Case("I2", "interface", "arXiv 2501.00600 (R_int ~ P^-0.5)", "ASR at 1.25 MPa / ASR at 5 MPa", 2.0, "ratio",
         ("ratio", 1.05, "exponent -0.5 over a factor 4 in pressure"), "calibration",
         lambda: m.interface_asr_ohm_cm2(1.25) / m.interface_asr_ohm_cm2(5.0)),
    Case("I3", "interface", "Han et al., Nat. Mater. 16 (2017) 572 [R]", "ALD Al2O3 interlayer: 1710 -> 1 ohm cm2",
         1.0, "ohm cm2", ("ratio", 2.0, ""), "validation", None, not_covered="interlayers are not modelled"),
    Case("X1", "CCD", "Krauskopf et al. 2019 via 2020 SSB roadmap §2", "Li/LLZO/Li, no stack pressure", 0.1,
         "mA/cm2", ("ratio", 1.05, ""), "calibration", lambda: m.ccd_mA_per_cm2(0.0)),
    Case("X2", "CCD", "Kasemchainan et al., Nat. Mater. 18 (2019) 1105 [R]", "3 MPa", 0.2, "mA/cm2",
         ("ratio", 1.05, ""), "calibration", lambda: m.ccd_mA_per_cm2(3.0)),
    Case("X3", "CCD", "Kasemchainan et al. 2019 [R]", "7 MPa", 1.0, "mA/cm2", ("ratio", 1.05, ""), "calibration",
         lambda: m.ccd_mA_per_cm2(7.0)),
    Case("X4", "CCD", "Flatscher et al., J. Mater. Chem. A 8 (2020) 15782", "single crystal, no pressure: at most "
         "0.28", 0.28, "mA/cm2", ("max", 0.28, "'max 0.28 mA/cm2' without pressure"), "check",
         lambda: m.ccd_mA_per_cm2(0.0)),
    Case("X5", "CCD", "SPS of LLZT (physics-notes §1.5)", "no short circuit up to 0.1 mA/cm2", 0.1, "mA/cm2",
         ("min", 0.1, ""), "validation", None, not_covered="stack pressure and interface state of the test not given"),
    # --- dry composite cathode: accessible capacity against made density --------------------------------------
    Case("U1", "cathode", "Minnmann et al., J. Electrochem. Soc. 168 (2021) 040537; ~175 mAh/g liquid reference [R]",
         "NCM622/Li6PS5Cl cold-pressed to 14 % porosity: 154 of ~175 mAh/g", 0.88, "utilisation",
         ("ratio", 1.03, "one-point anchor of the linear law"), "calibration",
         lambda: m.cathode_utilisation("nmc811_li6ps5cl_composite", 0.86)),
    Case("U2", "cathode", "'High-pressure field assisted sintering of half-cell for all-solid-state battery' "
         "(abstract; Laptev et al., Mater. Lett. 2019 [R])", "LCO/LLZO mixed cathode half-cell, FAST 675 C: areal "
         "capacity at ~95 % / at ~78 % relative density", 2.0, "ratio",
         ("ratio", 1.25, "'two-fold' is a rounded word; the densities are half-cell means"), "validation",
         lambda: m.cathode_utilisation("lco_llzto_composite", 0.95) / m.cathode_utilisation("lco_llzto_composite",
                                                                                           0.78)),
    Case("U3", "cathode", "Rosen et al., J. Mater. Chem. A 10 (2022), doi 10.1039/D1TA07194G", "tape-cast "
         "co-sintered LCO/LLZO cathode, 2.8 mAh/cm2", 0.99, "utilisation", ("abs", 0.02, ""), "validation", None,
         not_covered="the tape's density is not in the abstract (the law gives u = 1 from 0.897)"),
    Case("F1", "cathode", "Lee et al., Nat. Energy 5 (2020) 299, Supplementary Fig. 7 (figure-read in a paper "
         "digest)", "anode-free Ag-C / Li6PS5Cl / NMC90, first cycle 0.1 C / 0.2 C, 60 C: 1 - 214/233", 0.082,
         "first-cycle loss", ("abs", 0.015, "+-3 mAh/g per figure reading"), "calibration",
         m.anode_free_first_cycle_loss),
    # --- zone air: sulphide hydrolysis ------------------------------------------------------------------------
    Case("S1", "atmosphere", "GM R&D, Front. Energy Res. 10 (2022) 882508", "(Li2S)75(P2S5)25 + LiI powder in a "
         "dodecane carrier, 30 min at a -40 C dew point: conductivity kept", 0.86, "retention",
         ("ratio", 1.01, "one-point anchor of the dose scale"), "calibration",
         lambda: m.sulphide_retention_at_dew_point(-40.0, 30.0)),
    Case("S2", "atmosphere", "GM R&D, Front. Energy Res. 10 (2022) 882508", "the same powder dry, 30 min at a -40 C "
         "dew point: lost over 50 %", 0.5, "retention", ("max", 0.5, "'decreased by over 50 %'"), "check",
         lambda: m.sulphide_retention_at_dew_point(-40.0, 30.0),
         known_failure="the dose scale is the carrier-film rate (S1), applied to every open surface; dry open "
                       "powder degrades >= 4.6x faster, so a dry porous layer's loss is under-stated (no "
                       "dose-resolved Li6PS5Cl series was found to set its own rate)"),
    # --- energy ----------------------------------------------------------------------------------------------
    Case("E1", "energy", "Degen, Winter, Bendig, Tuebke, Nat. Energy 8 (2023) 1284", "post-Li-ion cell production "
         "today: 10.6-23.0 kWh per kWh; twin: gigafactory scenario", (10.6, 23.0), "kWh/kWh",
         ("range", 0.0, "the published range"), "validation",
         lambda: m.plant_energy_kwh_per_kwh("scenarios/gigafactory.yaml"),
         known_failure="the kilns are a heat balance of batch shuttle kilns: each load heats ~8 MJ/K of SiC "
                       "setters, car and lining to the peak and loses it on cooling, with no heat recovered "
                       "(the two firings are ~79 % of the plant's energy); continuous tunnel or roller kilns "
                       "that recover the load's heat are not modelled"),
    Case("E2", "energy", "Kurland, Environ. Res. Commun. 2 (2020) 012001", "two Li-ion gigafactories: 50-65 kWh/kWh",
         (50.0, 65.0), "kWh/kWh", ("range", 0.0, "the published range"), "validation",
         lambda: m.plant_energy_kwh_per_kwh("scenarios/liion_batpac_reference.yaml"),
         known_failure="the Li-ion reference plant takes BatPaC's capital, labour and floor area, but its "
                       "station powers (coating and NMP drying, dry room, formation cyclers) are typed-in "
                       "assumptions, not first-principles heat and charge balances"),
)
