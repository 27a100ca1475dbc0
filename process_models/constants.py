"""Physical constants and stoichiometric conversions used across the process models (SI).

Values of the fundamental constants are the exact 2019 SI definitions (CODATA 2018). The derived
quantities reproduce physics-notes §0 (Faraday's law, molar masses from IUPAC atomic weights).
"""

AVOGADRO_PER_MOL = 6.02214076e23
"""Avogadro constant [1/mol] (exact, SI 2019)."""

BOLTZMANN_J_PER_K = 1.380649e-23
"""Boltzmann constant [J/K] (exact, SI 2019)."""

GAS_CONSTANT_J_PER_MOL_K = AVOGADRO_PER_MOL * BOLTZMANN_J_PER_K
"""Molar gas constant [J/(mol K)] = N_A k_B = 8.314462618..."""

FARADAY_C_PER_MOL = AVOGADRO_PER_MOL * 1.602176634e-19
"""Faraday constant [C/mol] = N_A e = 96485.33..."""

STANDARD_GRAVITY_M_PER_S2 = 9.80665
"""Standard acceleration of gravity [m/s^2] (CGPM 1901)."""

ZERO_CELSIUS_K = 273.15
"""0 degC in kelvin [K]."""

# IUPAC standard atomic weights [kg/mol] (abridged values)
_LI = 6.941e-3
_LA = 138.905e-3
_ZR = 91.224e-3
_O = 15.999e-3

LI_MOLAR_MASS_KG_PER_MOL = _LI
"""Molar mass of Li [kg/mol] (physics-notes §0 uses 6.941 g/mol)."""

LI2O_MOLAR_MASS_KG_PER_MOL = 2 * _LI + _O
"""Molar mass of Li2O [kg/mol] = 29.88 g/mol."""

LLZO_MOLAR_MASS_KG_PER_MOL = 7 * _LI + 3 * _LA + 2 * _ZR + 12 * _O
"""Molar mass of Li7La3Zr2O12 [kg/mol] = 839.7 g/mol (physics-notes §0)."""

LI_METAL_DENSITY_KG_PER_M3 = 534.0
"""Density of Li metal at room temperature [kg/m^3] (CRC Handbook)."""

LI_METAL_MOLAR_VOLUME_M3_PER_MOL = LI_MOLAR_MASS_KG_PER_MOL / LI_METAL_DENSITY_KG_PER_M3
"""Molar volume of Li metal [m^3/mol] = 13.0 cm^3/mol (physics-notes §0)."""

LI_THICKNESS_M_PER_MAH_PER_CM2 = 3.6 * 1e4 * LI_METAL_MOLAR_VOLUME_M3_PER_MOL / FARADAY_C_PER_MOL
"""Dense Li thickness holding 1 mAh/cm^2 [m per mAh/cm^2] = 4.85e-6 m (physics-notes §0).

1 mAh/cm^2 = 3.6 C/cm^2 = 3.6e4 C/m^2; thickness = q V_m / F.
"""

LI2O_MASS_FRACTION_PER_LI_PFU = 0.5 * LI2O_MOLAR_MASS_KG_PER_MOL / LLZO_MOLAR_MASS_KG_PER_MOL
"""Mass loss of LLZO per Li per formula unit lost as Li2O [-] = 0.0178 (physics-notes §0)."""

LI2CO3_MOLAR_MASS_KG_PER_MOL = 2 * _LI + 12.011e-3 + 3 * _O
"""Molar mass of Li2CO3 [kg/mol] = 73.89 g/mol."""
