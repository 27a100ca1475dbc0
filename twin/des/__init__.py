"""Discrete-event plant twin (SimPy): stations, buffers, shifts, breakdowns, per-sheet physics.

Entry point: :func:`simulate`. Simulation time is in seconds (``twin``'s convention).
"""

from twin.des.simulate import simulate

__all__ = ["simulate"]
