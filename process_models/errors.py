"""Exceptions raised by the process physics."""


class PhysicsDomainError(ValueError):
    """An argument lies outside the range the physics model or its source supports.

    The message names the argument, the offending value and the allowed range, e.g.
    ``green_relative_density=1.2 is outside (0, 1]``.
    """
