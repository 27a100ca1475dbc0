"""Location presets: the regional prices a plant pays (labour, electricity, building, cost of capital).

A preset is a named set of values for four scenario fields. ``costs.location: NAME`` fills those that
the scenario leaves out (a field written in the scenario wins, so a site quote can replace one regional
average); ``ssb-twin ... --location NAME`` (:func:`apply_location`) puts the plant in the region
outright: it writes every preset value over the scenario's. Every value carries its source and date.

Natural-gas prices are not in the presets: no station of the model burns gas (kilns, dryers and the
dry room are electric, twin.capacity), so a gas price would change nothing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

# Scenario fields a preset sets (dotted paths under the scenario document).
PRESET_FIELDS = {
    "labour_usd_per_hour": ("costs", "labour", "usd_per_hour"),
    "electricity_usd_per_kWh": ("costs", "utilities", "electricity_usd_per_kWh"),
    "building_usd_per_m2": ("costs", "building", "usd_per_m2"),
    "cost_of_capital": ("costs", "capital", "cost_of_capital"),
}

# Exchange rates for the conversions below (annual averages 2023, ECB reference rates: 1 EUR = 1.0813 USD;
# 1 USD = 7.084 CNY). Assumption: one annual average is precise enough against the spread of the prices.
EUR_USD_2023 = 1.0813
CNY_PER_USD_2023 = 7.084


@dataclass(frozen=True)
class LocationPreset:
    name: str
    description: str
    currency_year: int
    values: dict[str, float]
    sources: dict[str, str]


LOCATIONS: dict[str, LocationPreset] = {
    "united_states": LocationPreset(
        "united_states",
        "United States, national averages",
        2023,
        {
            "labour_usd_per_hour": 43.11,
            "electricity_usd_per_kWh": 0.0806,
            "building_usd_per_m2": 3000.0,
            "cost_of_capital": 0.08,
        },
        {
            "labour_usd_per_hour": "BLS, Employer Costs for Employee Compensation, December 2023 (USDL-24-0485): "
            "private industry total compensation 43.11 USD per hour worked",
            "electricity_usd_per_kWh": "EIA, Electric Power Annual 2023 (released Oct 2024): average industrial "
            "retail price 8.06 US cents/kWh",
            "building_usd_per_m2": "assumption: the oxide baseline's industrial building cost (scenarios/"
            "oxide_baseline.yaml), no regional survey value was available to cite",
            "cost_of_capital": "assumption: 8 %/yr real, the oxide baseline's value, mid of the 5-12 % range "
            "battery plant studies run (twin.cost.sensitivity)",
        },
    ),
    "germany": LocationPreset(
        "germany",
        "Germany, manufacturing averages",
        2023,
        {
            "labour_usd_per_hour": round(46.0 * EUR_USD_2023, 2),
            "electricity_usd_per_kWh": round(0.1963 * EUR_USD_2023, 4),
            "building_usd_per_m2": 3300.0,
            "cost_of_capital": 0.07,
        },
        {
            "labour_usd_per_hour": "Destatis / Eurostat labour cost levels 2023 (published March 2024): "
            "manufacturing about 46.0 EUR per hour worked, x 1.0813 USD/EUR",
            "electricity_usd_per_kWh": "Bundesnetzagentur SMARD, industrial electricity price trends (11 Feb 2025): "
            "modelled price for companies without reductions 19.63 ct/kWh in 2023, "
            "x 1.0813 USD/EUR",
            "building_usd_per_m2": "assumption: 10 % above the US value for higher construction labour cost; "
            "no survey value was available to cite",
            "cost_of_capital": "assumption: 1 point below the US value for lower long-term interest rates in 2023",
        },
    ),
    "china": LocationPreset(
        "china",
        "China, urban manufacturing averages",
        2023,
        {
            "labour_usd_per_hour": round(120698.0 / CNY_PER_USD_2023 / 2000.0 * 1.3, 2),
            "electricity_usd_per_kWh": round(0.65 / CNY_PER_USD_2023, 4),
            "building_usd_per_m2": 1200.0,
            "cost_of_capital": 0.06,
        },
        {
            "labour_usd_per_hour": "NBS China: average wage of urban non-private units 2023, 120,698 CNY/yr, over "
            "2000 h/yr, / 7.084 CNY/USD, x 1.3 for employer social contributions "
            "(assumption: the ~30 % non-wage share of Eurostat/BLS employer costs)",
            "electricity_usd_per_kWh": "assumption: 0.65 CNY/kWh, a typical large-industry tariff in the eastern "
            "provinces in 2023; no national average was available to cite",
            "building_usd_per_m2": "assumption: about 40 % of the US value for lower construction cost; "
            "no survey value was available to cite",
            "cost_of_capital": "assumption: 2 points below the US value for state-bank project finance",
        },
    ),
}


def location_names() -> list[str]:
    return sorted(LOCATIONS)


def unknown_location_message(name: object) -> str:
    return f"'{name}' is not a location preset; allowed {', '.join(location_names())}"


def _get(document: dict, keys: tuple[str, ...]):
    node = document
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _set(document: dict, keys: tuple[str, ...], value: float) -> None:
    node = document
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def fill_costs_from_location(costs: dict) -> dict:
    """``costs`` (the document's ``costs`` block) with the preset's values where the block leaves them out."""
    name = costs.get("location")
    if name is None or name not in LOCATIONS:
        return costs  # the field validator names an unknown preset
    filled = copy.deepcopy(costs)
    for key, path in PRESET_FIELDS.items():
        if _get(filled, path[1:]) is None:
            _set(filled, path[1:], LOCATIONS[name].values[key])
    return filled


def apply_location(document: dict, name: str) -> dict:
    """A copy of the scenario ``document`` placed in ``name``: every preset value written over the scenario's."""
    from twin.scenario import ScenarioError

    if name not in LOCATIONS:
        raise ScenarioError(["--location: " + unknown_location_message(name)])
    placed = copy.deepcopy(document)
    placed.setdefault("costs", {})["location"] = name
    for key, path in PRESET_FIELDS.items():
        _set(placed, path, LOCATIONS[name].values[key])
    return placed


__all__ = [
    "LOCATIONS",
    "LocationPreset",
    "PRESET_FIELDS",
    "apply_location",
    "fill_costs_from_location",
    "location_names",
    "unknown_location_message",
]
