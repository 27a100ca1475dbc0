"""Process physics of solid-state battery cell manufacturing.

Pure, numpy-vectorised functions with SI inputs and outputs (or the unit in the name): densification
(master sintering curve, Heckel), Li loss and garnet phases, ionic conductivity, tape casting, spray
deposition, Li lamination/evaporation and cell metrics. Cited material data live in
``process_models/parameters/*.yaml`` and are loaded once with ``load_material``. Every function checks
the range of its inputs; callers that validated theirs at the edge may skip that with ``trusted_inputs``.
"""

from process_models._domain_checks import trusted_inputs
from process_models.errors import PhysicsDomainError
from process_models.parameters import MATERIAL_NAMES, MaterialParameters, load_material
from process_models.temperature_profile import TemperatureProfile, celsius_profile

__all__ = [
    "MATERIAL_NAMES",
    "MaterialParameters",
    "PhysicsDomainError",
    "TemperatureProfile",
    "celsius_profile",
    "load_material",
    "trusted_inputs",
]
