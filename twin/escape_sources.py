"""Where the escapes come from: each latent-defect maker's size law against the checks after it.

An escape figure alone ("35,892 bad cells per million") does not say what to change. A step that makes
latent (sized) defects draws their sizes from a log-normal law (``defect_size``: median a_med, log spread
s); each later check with an inspection method finds a defect of size a with its POD(a)
(twin.inspection_methods). Over the size law,

    detected share of check k = integral phi(z) POD_k(a_med e^(s z)) dz
    missed share (every check) = integral phi(z) prod_k (1 - POD_k(a_med e^(s z))) dz

(phi the standard normal density; the product is twin.escape_variance.missed_share, the same M(a) the
evaluation books escapes with). These are per defect, before a piece's other defects or its cellmates
decide its fate: they say which check is blind to which defects (a 2D X-ray finding half the defects at
300 um cannot see 20 um pinholes), not the escape rate itself, which the per-sheet state gives.
"""

from __future__ import annotations

import numpy as np

from twin.escape_variance import missed_share
from twin.expected_outcomes import latent_steps
from twin.inspection_methods import method_figures, method_pod
from twin.operations import operation_for
from twin.scenario import Scenario

# Normal quantiles the size law is integrated over: |z| <= 8 leaves < 1e-15 of the law out, and steps of
# 0.02 resolve POD curves that change over a factor ~2 of size (~0.7 of z at log_sd 1) to < 1e-4
_Z = np.linspace(-8.0, 8.0, 801)
_WEIGHTS = np.exp(-0.5 * _Z * _Z) / np.sqrt(2.0 * np.pi) * (_Z[1] - _Z[0])
_WEIGHTS[[0, -1]] *= 0.5   # trapezoid rule


# per (route, cell, line) objects: the API's seed variants of one scenario share them (the figures depend on
# the route's defects and checks, the cell the methods see and nothing random); the entry keeps them alive
_SOURCES: dict[tuple[int, int, int], tuple[tuple, list[dict]]] = {}


def escape_sources(scenario: Scenario) -> list[dict]:
    """Per latent-defect maker: its defects' size law and the share of them each later check finds.

    Returns ``[{step, defect_kind, median_size_um, log_sd, checks: [{check, method, a50_um,
    detected_share}], missed_share}]`` in route order (a new list each call); an empty list for a route
    without sized defects. Shares are of single defects over the size law [-] (module docstring);
    ``a50_um`` the size the method finds half the time [um].
    """
    parts = (scenario.route, scenario.cell, scenario.line)
    key = tuple(id(part) for part in parts)
    cached = _SOURCES.get(key)
    if cached is None or any(a is not b for a, b in zip(cached[0], parts, strict=True)):
        if len(_SOURCES) >= 64:
            _SOURCES.clear()
        cached = _SOURCES[key] = (parts, _escape_sources(scenario))
    return [{**source, "checks": [dict(check) for check in source["checks"]]} for source in cached[1]]


def _escape_sources(scenario: Scenario) -> list[dict]:
    sources = []
    for maker in latent_steps(scenario):
        step = scenario.route[maker]
        shape = step.defect_size
        sizes_m = shape.median_um * 1e-6 * np.exp(shape.log_sd * _Z)
        checks = []
        for index, later in enumerate(scenario.route):
            method = getattr(later, "method", None)
            if index <= maker or method is None or not operation_for(later).is_quality_check:
                continue
            checks.append({
                "check": later.name,
                "method": method.method,
                "a50_um": method_figures(scenario, method)["a50_m"] * 1e6,
                "detected_share": float(np.dot(_WEIGHTS, method_pod(scenario, method, sizes_m))),
            })
        sources.append({
            "step": step.name,
            "defect_kind": shape.kind,
            "median_size_um": shape.median_um,
            "log_sd": shape.log_sd,
            "checks": checks,
            "missed_share": float(np.dot(_WEIGHTS, missed_share(scenario, maker, sizes_m))),
        })
    return sources


def escape_sources_sentence(sources: list[dict] | None) -> str | None:
    """Per maker: the share of its defects each later check finds, and the share that passes every check."""
    if not sources:
        return None
    parts = []
    for source in sources:
        found = ", ".join(f"{check['check']} {_percent(check['detected_share'])} ({check['method']}, "
                          f"a50 {check['a50_um']:,.3g} um)" for check in source["checks"])
        parts.append(f"{source['step']}'s {source['defect_kind']}s (median {source['median_size_um']:,.3g} um): "
                     + (found + "; " if found else "no check with an inspection method after it; ")
                     + f"{_percent(source['missed_share'])} pass every check")
    return ("Where escapes come from (share of each step's latent defects each check alone would find; a50: the "
            "size it finds half the time; the checks see the same large defects, so what passes every check is "
            "the small defects below all their reach, more than the product of the misses): "
            + ". ".join(parts) + ".")


def _percent(share: float) -> str:
    return f"{100.0 * share:.3g} %"


__all__ = ["escape_sources", "escape_sources_sentence"]
