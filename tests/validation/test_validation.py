"""The validation table and docs/validation.md agree, and every covered case passes its tolerance."""

from __future__ import annotations

import pytest

from tests.validation.cases import CASES
from tests.validation.render import DOCUMENT, render, run_all


@pytest.fixture(scope="module")
def outcomes():
    return run_all()


@pytest.mark.integration
def test_document_is_generated_from_the_table(outcomes):
    # regenerate with: python -m tests.validation.render
    assert DOCUMENT.read_text(encoding="utf-8") == render(outcomes)


@pytest.mark.integration
def test_every_covered_case_passes_or_is_a_stated_known_failure(outcomes):
    failing = [o.case.case_id for o in outcomes if o.status == "fail"]
    assert failing == []
    # a known failure that now passes must lose its mark (the document would otherwise hide a fix)
    fixed = [o.case.case_id for o in outcomes if o.case.known_failure and o.status == "pass"]
    assert fixed == []


@pytest.mark.unit
def test_table_is_complete_and_honest():
    ids = [case.case_id for case in CASES]
    assert len(ids) == len(set(ids))
    covered = [case for case in CASES if case.model is not None]
    assert len(covered) >= 25
    areas = {case.area for case in covered}
    assert {"densification", "Li loss", "conductivity", "pressing", "interface", "CCD", "energy"} <= areas
    for case in CASES:
        assert case.source and case.inputs and case.use in ("calibration", "validation", "check")
        assert (case.model is None) == bool(case.not_covered), case.case_id
    # validations (used in no fit) are more than a handful
    assert sum(case.use == "validation" and case.model is not None for case in CASES) >= 10
