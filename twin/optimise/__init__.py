"""Recipe and line design with Pyomo + HiGHS: candidates, MILP, Pareto fronts, twin check.

Entry point: :func:`optimise` (docs/architecture.md). The steps are public for tests and the API:
``build_problem`` (physics per candidate) -> ``prune_problem`` -> ``build_model`` -> ``fix_inputs``
-> ``solve`` -> ``extract_results``.
"""

from twin.optimise.coefficients import build_problem
from twin.optimise.model import build_model, fix_inputs
from twin.optimise.optimiser import OBJECTIVES, optimise
from twin.optimise.pruning import prune_problem
from twin.optimise.solve import NotOptimalError, extract_results, solve

__all__ = [
    "NotOptimalError",
    "OBJECTIVES",
    "build_model",
    "build_problem",
    "extract_results",
    "fix_inputs",
    "optimise",
    "prune_problem",
    "solve",
]
