"""422 messages say what the client sent as sent: a float as a float, a list where a mapping belongs."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from twin.scenario.quantities import PositiveInt


@pytest.mark.component
def test_a_huge_float_for_an_integer_field_is_shown_as_given(client):
    response = client.post("/evaluate", json={"scenario": "oxide_baseline",
                                              "overrides": {"line.shifts.days_per_week": 1e30}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == (
        "line.shifts.days_per_week: 1e+30 is above 7 (a week has 7 days); allowed [1, 7]")


@pytest.mark.unit
def test_a_whole_float_in_range_still_reads_as_the_integer():
    value = TypeAdapter(PositiveInt).validate_python(6.0)
    assert value == 6 and isinstance(value, int)


@pytest.mark.unit
def test_a_float_above_63_bits_for_an_unbounded_count_is_too_large_not_a_31_digit_integer():
    with pytest.raises(ValidationError) as raised:
        TypeAdapter(PositiveInt).validate_python(1e30)
    assert raised.value.errors()[0]["msg"] == "1e+30 is too large a number (more than 19 digits)"


@pytest.mark.component
def test_overrides_given_as_a_list_name_the_field_the_value_and_the_form(client):
    response = client.post("/evaluate", json={"scenario": "oxide_baseline", "overrides": [1, 2]})
    assert response.status_code == 422
    assert response.json()["detail"] == [{
        "loc": ["body", "overrides"],
        "msg": 'overrides: [1, 2] is not a mapping; expected {"dotted.path": value}, '
               'e.g. {"costs.labour.usd_per_hour": 35}',
        "type": "dict_type"}]


@pytest.mark.component
def test_a_long_value_in_a_mapping_field_is_shortened(client):
    response = client.post("/evaluate", json={"scenario": "oxide_baseline", "overrides": list(range(100))})
    assert response.status_code == 422
    message = response.json()["detail"][0]["msg"]
    assert message.startswith("overrides: [0, 1, 2, 3, ")
    assert message.split(" is not a mapping")[0].endswith("...")
    assert len(message.split(" is not a mapping")[0]) == len("overrides: ") + 60
