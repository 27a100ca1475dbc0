"""Recipe candidates from the scenario's ``optimisation:`` ranges, grouped into joint decisions.

A *decision group* is a set of route steps whose recipes are chosen together, because the physics
couples them: the tape-casting blade gap of a layer sets the green thickness its sintering step
fires, so gap x sintering recipe is one candidate. A group's *span* runs from its first decision step
to the quality check that screens it (inclusive); every figure of a step inside the span (yield, time,
cost) is evaluated per candidate. Groups whose spans overlap are merged, so candidates stay joint
wherever the physics of one step could see two decisions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from pydantic import ValidationError

from twin.operations import operation_for
from twin.scenario import Scenario, ScenarioError
from twin.scenario.route import RouteStep

# Beyond this many joint candidates in one group the physics sweep takes minutes and the MILP is no
# longer interactive; the message tells the user to coarsen the grids.
MAX_CANDIDATES_PER_GROUP = 200_000


@dataclass(frozen=True)
class RecipeAxis:
    """One recipe field of one route step and the values the optimiser may give it."""

    step_index: int
    step_name: str
    field: str  # optimisation-block field name, e.g. "sintering_peak_temperature_C"
    values: tuple


@dataclass(frozen=True)
class GroupPlan:
    name: str
    axes: tuple[RecipeAxis, ...]
    span: tuple[int, int]

    @property
    def decision_steps(self) -> tuple[int, ...]:
        return tuple(sorted({axis.step_index for axis in self.axes}))

    @property
    def size(self) -> int:
        size = 1
        for axis in self.axes:
            size *= len(axis.values)
        return size


SINTERING_FIELDS = (
    "sintering_peak_temperature_C",
    "sintering_hold_time_min",
    "li_excess_li2co3_wt_fraction",
    "cover_powder",
)
LAMINATION_FIELDS = ("lamination_pressure_MPa", "lamination_temperature_C")


def _values(space, field: str) -> tuple | None:
    value = getattr(space, field)
    if value is None:
        return None
    return tuple(value) if isinstance(value, list) else tuple(value.values())


def recipe_axes(scenario: Scenario) -> list[RecipeAxis]:
    """Resolve every range of ``scenario.optimisation`` to the route steps it applies to."""
    space = scenario.optimisation
    if space is None:
        return []
    route = scenario.route
    ops = [operation_for(step) for step in route]
    axes: list[RecipeAxis] = []
    if space.sintering_steps is not None:
        sintering = []
        for k, name in enumerate(space.sintering_steps):
            index = next((i for i, s in enumerate(route) if s.name == name), None)
            if index is None or not ops[index].is_firing:
                names = [s.name for s, op in zip(route, ops, strict=True) if op.is_firing]
                raise ScenarioError(
                    [
                        f"optimisation.sintering_steps[{k}]: '{name}' is not a sintering step of the "
                        f"route; sintering steps: {', '.join(names) or 'none'}"
                    ]
                )
            sintering.append(index)
    else:
        sintering = [i for i, s in enumerate(route) if ops[i].is_firing and s.layer == "electrolyte"]
    for field in SINTERING_FIELDS:
        values = _values(space, field)
        if values is None:
            continue
        if not sintering:
            raise ScenarioError(
                [
                    f"optimisation.{field}: the route has no electrolyte sintering step to apply it "
                    "to; name one in optimisation.sintering_steps"
                ]
            )
        axes.extend(RecipeAxis(i, route[i].name, field, values) for i in sintering)
    gap = _values(space, "tape_blade_gap_um")
    if gap is not None:
        layers = {route[i].layer for i in sintering} or {"electrolyte"}
        casting = [i for i, s in enumerate(route)
                   if ops[i].accepts_recipe_field(s, "tape_blade_gap_um") and s.layer in layers]
        if not casting:
            raise ScenarioError(
                [
                    f"optimisation.tape_blade_gap_um: no tape_casting step of layer "
                    f"{'/'.join(sorted(layers))} in the route"
                ]
            )
        axes.extend(RecipeAxis(i, route[i].name, "tape_blade_gap_um", gap) for i in casting)
    for field in LAMINATION_FIELDS:
        values = _values(space, field)
        if values is None:
            continue
        laminations = [i for i, s in enumerate(route) if ops[i].accepts_recipe_field(s, field)]
        if not laminations:
            raise ScenarioError([f"optimisation.{field}: the route has no foil li_lamination step"])
        axes.extend(RecipeAxis(i, route[i].name, field, values) for i in laminations)
    return axes


def _span_end(scenario: Scenario, last_decision: int) -> int:
    for i in range(last_decision + 1, len(scenario.route)):
        if operation_for(scenario.route[i]).is_quality_check:
            return i
    return len(scenario.route) - 1


def _layer_key(step: RouteStep) -> str:
    return f"layer:{step.layer}" if hasattr(step, "layer") else f"step:{step.name}"


def plan_groups(scenario: Scenario, axes: list[RecipeAxis]) -> list[GroupPlan]:
    """Group the axes into joint decisions (same layer chain, or overlapping spans)."""
    by_key: dict[str, list[RecipeAxis]] = {}
    for axis in axes:
        by_key.setdefault(_layer_key(scenario.route[axis.step_index]), []).append(axis)
    clusters = [list(v) for v in by_key.values()]
    merged = True
    while merged:
        merged = False
        spans = [
            (min(a.step_index for a in c), _span_end(scenario, max(a.step_index for a in c)))
            for c in clusters
        ]
        for a, b in itertools.combinations(range(len(clusters)), 2):
            if spans[a][0] <= spans[b][1] and spans[b][0] <= spans[a][1]:
                clusters[a] = clusters[a] + clusters[b]
                del clusters[b]
                merged = True
                break
    plans = []
    for cluster in sorted(clusters, key=lambda c: min(a.step_index for a in c)):
        first = min(a.step_index for a in cluster)
        span = (first, _span_end(scenario, max(a.step_index for a in cluster)))
        names = sorted({a.step_name for a in cluster}, key=lambda n: scenario.route.index(scenario.step(n)))
        plan = GroupPlan(name="+".join(names), axes=tuple(cluster), span=span)
        if plan.size > MAX_CANDIDATES_PER_GROUP:
            raise ScenarioError(
                [
                    f"optimisation: the ranges give {plan.size} joint recipe candidates for "
                    f"{plan.name}; at most {MAX_CANDIDATES_PER_GROUP} are allowed: use fewer grid points"
                ]
            )
        plans.append(plan)
    return plans


def _modified_step(step: RouteStep, changes: dict[str, object]) -> RouteStep:
    data = step.model_dump()
    operation = operation_for(step)
    for field, value in changes.items():
        operation.set_recipe_field(data, field, value)
    try:
        return type(step).model_validate(data)
    except ValidationError as exc:
        fields = ", ".join(f"optimisation.{f}={v}" for f, v in changes.items())
        first = exc.errors()[0]
        raise ScenarioError(
            [
                f"{fields}: gives an invalid recipe for step '{step.name}': "
                f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
            ]
        ) from None


def candidate_recipes(scenario: Scenario, plan: GroupPlan) -> tuple[list[dict[int, RouteStep]], list[dict]]:
    """Every joint candidate of a group: the modified steps by route index, and a readable label."""
    steps: list[dict[int, RouteStep]] = []
    labels: list[dict] = []
    # one step object per distinct recipe of a step, shared by the candidates that use it: validated once
    # (not once per candidate), and the sweep recognises candidates that run the same recipe by identity
    made: dict[tuple, RouteStep] = {}
    for values in itertools.product(*(axis.values for axis in plan.axes)):
        changes: dict[int, dict[str, object]] = {}
        label: dict[str, object] = {}
        for axis, value in zip(plan.axes, values, strict=False):
            changes.setdefault(axis.step_index, {})[axis.field] = value
            label[f"{axis.step_name}.{axis.field}"] = value
        candidate = {}
        for i, c in changes.items():
            key = (i, tuple(c.items()))
            if key not in made:
                made[key] = _modified_step(scenario.route[i], c)
            candidate[i] = made[key]
        steps.append(candidate)
        labels.append(label)
    return steps, labels


def with_recipes(scenario: Scenario, steps: dict[int, RouteStep]) -> Scenario:
    """The scenario with some route steps replaced (no re-validation: each step was validated)."""
    route = list(scenario.route)
    for index, step in steps.items():
        route[index] = step
    return scenario.model_copy(update={"route": route})


__all__ = [
    "GroupPlan",
    "MAX_CANDIDATES_PER_GROUP",
    "RecipeAxis",
    "candidate_recipes",
    "plan_groups",
    "recipe_axes",
    "with_recipes",
]
