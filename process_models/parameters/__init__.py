"""Cited material parameter sets, loaded once from YAML and converted to SI.

Each ``<material>.yaml`` file in this folder holds one material. Every parameter is a mapping with a
``value`` and either a ``source`` (paper + year, or roadmap section) or an ``assumption`` (the reason).
Values are stored in the source's units with a unit-suffixed key (``_g_per_cm3``, ``_kJ_per_mol``,
``_mS_per_cm``, ``_MPa``, ...) and converted once, at load, to an SI key (``_kg_per_m3``,
``_J_per_mol``, ``_S_per_m``, ``_Pa``, ...). Dimensionless keys carry no unit suffix or ``_pfu``.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

import yaml

from process_models.errors import PhysicsDomainError

MATERIAL_NAMES: tuple[str, ...] = (
    "llzo_ta",
    "llzo_al",
    "llzo_ga",
    "llzo_nb",
    "li6ps5cl",
    "lco_llzto_composite",
    "nmc811_li6ps5cl_composite",
    "li_metal",
    "peo_litfsi",
    "lfp_peo_composite",
    "lagp",
    "nmc811_liquid_electrode",
    "lipf6_carbonate",
    "graphite_electrode",
    "lipon",
    "lco_thin_film",
)

MATERIAL_KINDS: tuple[str, ...] = ("garnet", "sulphide", "cathode_composite", "metal", "polymer",
                                   "nasicon", "liquid", "anode", "glass", "thin_film_cathode")

# (suffix in the file, SI suffix, multiplier, offset): si = value * multiplier + offset.
UNIT_CONVERSIONS: tuple[tuple[str, str, float, float], ...] = (
    ("_g_per_cm3", "_kg_per_m3", 1e3, 0.0),
    ("_g_per_mol", "_kg_per_mol", 1e-3, 0.0),
    ("_kJ_per_mol", "_J_per_mol", 1e3, 0.0),
    ("_mS_per_cm", "_S_per_m", 0.1, 0.0),
    ("_S_per_cm", "_S_per_m", 100.0, 0.0),
    ("_ohm_cm2", "_ohm_m2", 1e-4, 0.0),
    ("_mA_per_cm2", "_A_per_m2", 10.0, 0.0),
    ("_per_MPa", "_per_Pa", 1e-6, 0.0),
    ("_GPa", "_Pa", 1e9, 0.0),
    ("_MPa", "_Pa", 1e6, 0.0),
    ("_kPa", "_Pa", 1e3, 0.0),
    ("_um", "_m", 1e-6, 0.0),
    ("_nm", "_m", 1e-9, 0.0),
    ("_degC", "_K", 1.0, 273.15),
)


def to_si(key: str, value: float) -> tuple[str, float]:
    """Convert one stored parameter to its SI key and value.

    Parameters
    ----------
    key : str
        Parameter key as stored, with a unit suffix such as ``_g_per_cm3`` [-]
    value : float
        Value in the unit named by the suffix [unit of the key]

    Returns
    -------
    tuple of (str, float)
        SI key and value [SI unit of the key]

    Notes
    -----
    si_value = value * multiplier + offset, from the table ``UNIT_CONVERSIONS``; keys whose
    suffix is already SI (or dimensionless) pass unchanged.

    References
    ----------
    Cantera ``StateData`` convention (store source units, convert once at load).

    Examples
    --------
    >>> print(to_si("theoretical_density_g_per_cm3", 5.1)[1])
    5100.0
    """
    for suffix, si_suffix, multiplier, offset in UNIT_CONVERSIONS:
        if key.endswith(suffix):
            return key[: -len(suffix)] + si_suffix, float(value) * multiplier + offset
    return key, float(value)


@dataclass(frozen=True)
class MaterialParameters:
    """Read-only SI parameter set of one material, with the provenance of each value.

    ``values`` maps SI keys to floats; ``sources`` maps the same keys to the ``source`` or
    ``assumption`` text of the file. Values are reachable as ``material["key"]`` or
    ``material.key``.
    """

    name: str
    kind: str
    description: str
    values: Mapping[str, float]
    sources: Mapping[str, str]

    def __getitem__(self, key: str) -> float:
        try:
            return self.values[key]
        except KeyError:
            close = difflib.get_close_matches(key, list(self.values), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise PhysicsDomainError(
                f"material {self.name!r} (kind {self.kind!r}) has no parameter {key!r}{hint}"
            ) from None

    def __getattr__(self, key: str) -> float:
        if key.startswith("__"):
            raise AttributeError(key)
        values = object.__getattribute__(self, "values")
        if key in values:
            return values[key]
        raise AttributeError(f"material has no parameter {key!r}")

    def __contains__(self, key: object) -> bool:
        return key in self.values

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def keys(self):
        """SI parameter keys."""
        return self.values.keys()

    def get(self, key: str, default: float | None = None) -> float | None:
        """Value of ``key`` or ``default``."""
        return self.values.get(key, default)


def _parameter_file_text(name: str) -> str:
    """Raw YAML text of one material file (used by the provenance test and the loader)."""
    return resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def _unknown_name_error(name: object) -> PhysicsDomainError:
    close = difflib.get_close_matches(str(name), MATERIAL_NAMES, n=3, cutoff=0.4)
    hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
    return PhysicsDomainError(
        f"material name={name!r} is unknown; {hint}known materials: {', '.join(MATERIAL_NAMES)}"
    )


@functools.cache
def _load_cached(name: str) -> MaterialParameters:
    document = yaml.safe_load(_parameter_file_text(name))
    values: dict[str, float] = {}
    sources: dict[str, str] = {}
    for key, entry in document["parameters"].items():
        si_key, si_value = to_si(key, entry["value"])
        values[si_key] = si_value
        sources[si_key] = entry.get("source") or f"assumption: {entry['assumption']}"
    return MaterialParameters(
        name=document["name"],
        kind=document["kind"],
        description=document.get("description", ""),
        values=MappingProxyType(values),
        sources=MappingProxyType(sources),
    )


def load_material(name: str) -> MaterialParameters:
    """Load the cited SI parameter set of one material (read once, then cached).

    Parameters
    ----------
    name : str
        One of ``MATERIAL_NAMES`` [-]

    Returns
    -------
    MaterialParameters
        Read-only SI values and their sources [SI units named in each key]

    Notes
    -----
    Values are converted with ``to_si``: si = value * multiplier + offset.

    References
    ----------
    Sources per value are in ``process_models/parameters/<name>.yaml`` and ``.sources``.

    Examples
    --------
    >>> print(load_material("llzo_ga")["theoretical_density_kg_per_m3"])
    5190.0
    """
    if name not in MATERIAL_NAMES:
        raise _unknown_name_error(name)
    return _load_cached(name)
