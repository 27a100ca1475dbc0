"""Engineer's report: self-contained HTML (inline charts), results.json and CSV tables."""

from twin.report.writer import write_report

__all__ = ["write_report"]
