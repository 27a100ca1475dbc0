"""A negative cost said to be a credit: the recycling credit for scrap is booked against the materials of the
steps that scrap (twin.cost.breakdown), so an inspection's materials read -2.87 USD/kWh on the gigafactory with
no word why. :func:`credit_sentence` names those steps and the credit (``costs.recycling``)."""

from __future__ import annotations

from twin.figures import plain


def negative_material_steps(result: dict) -> dict[str, float]:
    """{step: materials USD/kWh} of the steps whose materials read below zero (the credit exceeds what they buy)."""
    by_step = (result.get("cost") or {}).get("by_step_category_usd_per_kwh") or {}
    return {step: costs["materials"] for step, costs in by_step.items()
            if costs.get("materials") is not None and costs["materials"] < 0.0}


def credit_sentence(result: dict) -> str | None:
    """One sentence when some step's materials are negative: the recycling credit booked there; else None."""
    steps = negative_material_steps(result)
    credit = (result.get("cost") or {}).get("recycling_credit_usd_per_kwh")
    if not steps or not credit:
        return None
    listed = ", ".join(f"{step} {plain(value)}" for step, value in sorted(steps.items(), key=lambda item: item[1]))
    return (f"Recycling credit: the materials of {listed} USD/kWh read negative because the scrap these steps "
            f"reject is sold to a recycler (costs.recycling) and the credit, {plain(credit)} USD/kWh in all, is "
            "booked against the materials of the step that scraps it: a credit, not a cost.")


__all__ = ["credit_sentence", "negative_material_steps"]
