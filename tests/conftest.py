"""Test-suite rules shared by every package (style.md rule 13)."""

import pytest

SIZE_MARKERS = ("unit", "component", "integration")


def pytest_runtest_setup(item: pytest.Item) -> None:
    sizes = [name for name in SIZE_MARKERS if item.get_closest_marker(name)]
    if len(sizes) != 1:
        pytest.fail(
            f"{item.nodeid} must carry exactly one size marker of {SIZE_MARKERS}, found {sizes or 'none'}",
            pytrace=False,
        )
