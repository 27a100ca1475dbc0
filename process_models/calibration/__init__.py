"""Reproducible fits of the calibrated parameters (records in docs/calibration/*.md)."""
