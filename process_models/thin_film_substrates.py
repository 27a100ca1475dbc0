"""Substrates of thin-film cells: density, usual thickness range and the highest anneal they survive.

The LiCoO2 anneal (~500-700 C, "at least 700 C for up to about 2 hours in air" conventionally, US
9,887,414) must not destroy the substrate: US 9,887,414 names Si wafer, Ti/Zr sheet and alumina as
substrates that survive it; stainless foil needs a multilayer barrier to take 700 C (US 9,793,523).
Prices are scenario inputs (``costs.materials.substrate_usd_per_m2``), not data here.
"""

from __future__ import annotations

SUBSTRATES: dict[str, dict[str, float | str]] = {
    "si_wafer": {
        "density_kg_per_m3": 2330.0,          # Si, CRC Handbook
        "min_thickness_um": 100.0,            # Ilika Stereax wafers thinned to ~250 um (research notes A4)
        "max_thickness_um": 1000.0,           # assumption: 150-300 mm prime wafers are 675-775 um
        # assumption: Si itself takes >1000 C; the Pt/Ti collector on it interdiffuses above ~900 C
        "max_anneal_temperature_C": 900.0,
        "why": "Si wafer with a Pt/Ti collector (assumption: Pt/Ti/Si interdiffuses above ~900 C)",
    },
    "ti_foil": {
        "density_kg_per_m3": 4506.0,          # Ti, CRC Handbook
        "min_thickness_um": 10.0,             # assumption: thinnest Ti foil rolled for handling on a web
        "max_thickness_um": 500.0,
        # US 9,887,414: Ti/Zr sheet survives the 700 C anneal; assumption: 800 C before oxidation in air
        "max_anneal_temperature_C": 800.0,
        "why": "Ti sheet survives the 700 C anneal (US 9,887,414); assumption: oxidises in air above ~800 C",
    },
    "zr_foil": {
        "density_kg_per_m3": 6520.0,          # Zr, CRC Handbook
        "min_thickness_um": 10.0,
        "max_thickness_um": 500.0,
        "max_anneal_temperature_C": 800.0,    # as Ti (US 9,887,414); assumption: the same oxidation limit
        "why": "Zr sheet survives the 700 C anneal (US 9,887,414); assumption: oxidises in air above ~800 C",
    },
    "alumina": {
        "density_kg_per_m3": 3950.0,          # alpha-Al2O3, CRC Handbook
        "min_thickness_um": 50.0,             # assumption: thinnest sintered alumina sheet handled
        "max_thickness_um": 1000.0,
        # alumina is fired at ~1600 C; the anneal is limited by the cathode, not this substrate
        "max_anneal_temperature_C": 1000.0,
        "why": "alumina is fired at ~1600 C; 1000 C bounds the anneal model instead (assumption)",
    },
    "stainless_barrier": {
        "density_kg_per_m3": 7900.0,          # stainless steel, CRC Handbook
        "min_thickness_um": 10.0,
        "max_thickness_um": 500.0,
        "max_anneal_temperature_C": 700.0,    # 700 C with a multilayer barrier (US 9,793,523)
        "why": "stainless foil takes a 700 C anneal only with a multilayer barrier (US 9,793,523)",
    },
}

__all__ = ["SUBSTRATES"]
