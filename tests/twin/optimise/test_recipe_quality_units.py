"""The optimiser's recipe_quality JSON names each mean by the unit it is held in (the spec's), not by the SI state
field it was read from: an ASR in ohm cm2 under an ``_ohm_m2`` key read 1e4 off."""

from __future__ import annotations

import pytest

from twin.optimise.candidates import QUALITY_SPECS
from twin.optimise.design_report import REPORTED_QUALITY_KEY

# unit suffix -> its value in SI, for the units the specs use
UNIT_IN_SI = {"ohm_m2": 1.0, "ohm_cm2": 1e-4, "S_per_m": 1.0, "mS_per_cm": 1e-3 / 1e-2}


def _unit(name: str) -> str | None:
    return next((u for u in sorted(UNIT_IN_SI, key=len, reverse=True) if name.endswith("_" + u)), None)


@pytest.mark.unit
@pytest.mark.parametrize("key, scale, spec_field, kind", QUALITY_SPECS)
def test_a_reported_mean_is_named_by_the_unit_its_scale_gives(key, scale, spec_field, kind):
    reported = REPORTED_QUALITY_KEY[key]
    assert spec_field.endswith(reported)                      # the spec field's own name and unit
    state_unit, reported_unit = _unit(key), _unit(reported)
    if state_unit is None:                                    # a dimensionless figure keeps its name and scale
        assert reported == key and scale == 1.0
        return
    # value in the reported unit = value in the state's unit x scale
    assert UNIT_IN_SI[state_unit] / UNIT_IN_SI[reported_unit] == pytest.approx(scale, rel=1e-12)
