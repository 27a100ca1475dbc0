"""ssb-twin: digital twin of solid-state battery cell manufacturing.

Simulation time inside ``twin`` is in **seconds**; reports convert to hours and days.
Dependencies flow one way: ``api -> twin -> process_models``.
"""

__version__ = "0.2.0"
