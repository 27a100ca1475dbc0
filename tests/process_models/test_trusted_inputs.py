"""``process_models.trusted_inputs``: range checks skipped inside the block only, physics unchanged."""

import numpy as np
import pytest

from process_models import trusted_inputs
from process_models.densification import master_curve_relative_density
from process_models.errors import PhysicsDomainError


@pytest.mark.unit
def test_out_of_range_input_raises_outside_and_passes_inside_the_block():
    green = np.array([0.55, 1.7])  # 1.7 is no relative density
    with pytest.raises(PhysicsDomainError, match="green_relative_density=1.7"):
        master_curve_relative_density(-20.0, green, -20.0, 1.0)
    with trusted_inputs():
        master_curve_relative_density(-20.0, green, -20.0, 1.0)  # no check, no error
    with pytest.raises(PhysicsDomainError):
        master_curve_relative_density(-20.0, green, -20.0, 1.0)  # checks are back after the block


@pytest.mark.unit
def test_checks_come_back_when_the_block_raises():
    with pytest.raises(ZeroDivisionError), trusted_inputs():
        raise ZeroDivisionError
    with pytest.raises(PhysicsDomainError):
        master_curve_relative_density(-20.0, 1.7, -20.0, 1.0)


@pytest.mark.unit
def test_valid_inputs_give_the_same_numbers_either_way():
    log_theta = np.linspace(-25.0, -15.0, 11)
    green = np.linspace(0.5, 0.6, 11)
    checked = master_curve_relative_density(log_theta, green, -20.0, 1.0)
    with trusted_inputs():
        trusted = master_curve_relative_density(log_theta, green, -20.0, 1.0)
    np.testing.assert_array_equal(checked, trusted)
