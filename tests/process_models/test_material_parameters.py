"""Parameter files: provenance of every number, SI conversion, loader errors."""

import math
from importlib import resources

import pytest
import yaml

from process_models.errors import PhysicsDomainError
from process_models.parameters import MATERIAL_NAMES, load_material, to_si

PARAMETER_DIR = resources.files("process_models.parameters")


def _yaml_files():
    return sorted(p for p in PARAMETER_DIR.iterdir() if p.name.endswith(".yaml"))


def _numbers_without_provenance(node, path="", provenance=False):
    """Yield paths of numbers not inside a mapping that has a non-empty source or assumption."""
    if isinstance(node, dict):
        has = any(isinstance(node.get(k), str) and node.get(k).strip() for k in ("source", "assumption"))
        for key, value in node.items():
            yield from _numbers_without_provenance(value, f"{path}.{key}", provenance or has)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _numbers_without_provenance(value, f"{path}[{index}]", provenance)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        if not provenance:
            yield path


@pytest.mark.unit
def test_every_material_has_a_parameter_file():
    names = {p.name[:-5] for p in _yaml_files()}
    assert set(MATERIAL_NAMES) <= names


@pytest.mark.unit
@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: p.name)
def test_every_number_carries_source_or_assumption(path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = list(_numbers_without_provenance(document))
    assert missing == [], f"{path.name}: numbers without source/assumption: {missing}"
    for key, entry in document["parameters"].items():
        assert set(entry) <= {"value", "source", "assumption"}, f"{path.name}:{key} has unknown fields"
        assert isinstance(entry["value"], (int, float)), f"{path.name}:{key} value is not a number"


@pytest.mark.unit
def test_provenance_walker_can_fail():
    bad = {"parameters": {"x": {"value": 1.0}, "y": {"value": 2.0, "source": "paper 2020"}}}
    assert list(_numbers_without_provenance(bad)) == [".parameters.x.value"]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("key", "value", "si_key", "si_value"),
    [
        ("theoretical_density_g_per_cm3", 5.1, "theoretical_density_kg_per_m3", 5100.0),
        ("dense_conductivity_mS_per_cm", 1.3, "dense_conductivity_S_per_m", 0.13),
        ("interface_asr_full_contact_ohm_cm2", 2.0, "interface_asr_full_contact_ohm_m2", 2.0e-4),
        ("heckel_coefficient_per_MPa", 3.0e-3, "heckel_coefficient_per_Pa", 3.0e-9),
        ("melting_point_degC", 180.5, "melting_point_K", 453.65),
        ("ccd_zero_pressure_mA_per_cm2", 0.1, "ccd_zero_pressure_A_per_m2", 1.0),
        ("herring_exponent", 3.0, "herring_exponent", 3.0),
    ],
)
def test_unit_conversion_at_load(key, value, si_key, si_value):
    converted_key, converted = to_si(key, value)
    assert converted_key == si_key
    assert converted == pytest.approx(si_value, rel=1e-12)


@pytest.mark.unit
def test_loaded_values_are_si_floats_with_sources():
    for name in MATERIAL_NAMES:
        material = load_material(name)
        assert material.name == name
        assert set(material.sources) == set(material.keys())
        for key in material:
            assert isinstance(material[key], float)
            assert not math.isnan(material[key])


@pytest.mark.unit
@pytest.mark.parametrize(
    ("kind", "required"),
    [
        ("garnet", ("theoretical_density_kg_per_m3", "msc_activation_energy_J_per_mol", "msc_log_theta_half",
                    "msc_log_theta_width", "green_relative_density_default", "msc_reference_particle_size_m",
                    "herring_exponent", "li2o_vapour_pressure_prefactor_Pa", "nominal_li_pfu",
                    "pyrochlore_onset_li_pfu", "dense_conductivity_S_per_m", "porosity_exponent")),
        ("sulphide", ("theoretical_density_kg_per_m3", "heckel_coefficient_per_Pa",
                      "reprecipitation_conductivity_factor", "dense_conductivity_S_per_m")),
        ("cathode_composite", ("active_density_kg_per_m3", "specific_capacity_mAh_per_g", "average_voltage_V",
                               "active_volume_fraction_default")),
        ("metal", ("density_kg_per_m3", "creep_prefactor_per_s", "creep_stress_exponent",
                   "creep_activation_energy_J_per_mol", "yield_strength_Pa")),
    ],
)
def test_each_kind_carries_what_its_models_need(kind, required):
    materials = [load_material(n) for n in MATERIAL_NAMES if load_material(n).kind == kind]
    assert materials
    for material in materials:
        for key in required:
            assert key in material, f"{material.name} lacks {key}"


@pytest.mark.unit
def test_unknown_material_suggests_close_match():
    with pytest.raises(PhysicsDomainError, match=r"material name='llzo_gaa' is unknown; did you mean 'llzo_ga'"):
        load_material("llzo_gaa")


@pytest.mark.unit
def test_missing_parameter_names_material_and_suggests():
    with pytest.raises(PhysicsDomainError, match=r"material 'li_metal' .* has no parameter 'densty_kg_per_m3'; "
                                                 r"did you mean 'density_kg_per_m3'"):
        load_material("li_metal")["densty_kg_per_m3"]


@pytest.mark.unit
def test_material_parameters_are_read_only():
    material = load_material("llzo_ga")
    with pytest.raises(TypeError):
        material.values["nominal_li_pfu"] = 7.0  # type: ignore[index]
    with pytest.raises(AttributeError):
        material.name = "other"  # type: ignore[misc]
