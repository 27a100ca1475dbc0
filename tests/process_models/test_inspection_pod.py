"""Issue 18 §2: probability of detection against defect size, and what each method resolves and takes."""

from __future__ import annotations

import numpy as np
import pytest

from process_models.inspection_pod import (
    ct_scan_time_s,
    electrical_a50_m,
    field_of_view_m,
    line_scan_pixel_m,
    ocv_threshold_current_A,
    pod_log_logistic,
    short_leak_current_A,
    tiles_per_sheet,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("a50", "a90"), [(20e-6, 50e-6), (1e-6, 1.01e-6), (0.3e-3, 3e-3)])
def test_pod_is_one_half_at_a50_and_nine_tenths_at_a90(a50, a90):
    """MIL-HDBK-1823A's log-logistic by a50/a90: the defining points hold to rounding."""
    assert float(pod_log_logistic(a50, a50, a90)) == pytest.approx(0.5, abs=1e-12)
    assert float(pod_log_logistic(a90, a50, a90)) == pytest.approx(0.9, abs=1e-12)


def test_pod_rises_with_size_between_zero_and_one():
    sizes = np.sort(np.random.default_rng(18).lognormal(np.log(30e-6), 2.0, 5000))
    pod = pod_log_logistic(sizes, 20e-6, 50e-6, resolution_limit_m=10e-6)
    assert np.all(np.diff(pod) >= 0.0)
    assert pod.min() == 0.0 and pod.max() < 1.0 and pod.max() > 0.9999


def test_nothing_below_the_resolution_and_no_defect_is_never_found():
    pod = pod_log_logistic(np.array([9.99e-6, 0.0, np.nan, -1.0]), 20e-6, 50e-6, resolution_limit_m=10e-6)
    assert pod.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_a90_must_lie_above_a50():
    with pytest.raises(ValueError, match="a90_m"):
        pod_log_logistic(30e-6, 50e-6, 50e-6)


def test_line_scan_pixel_is_the_coarser_of_across_and_along_the_web():
    """Kapeller & Bodenstorfer 2021: 2000 mm/s at 50 um/pixel, so the along-web pixel at 40 kHz is 50 um."""
    assert float(line_scan_pixel_m(0.1, 8192, 2.0, 40e3)) == pytest.approx(50e-6, rel=1e-12)
    assert float(line_scan_pixel_m(0.8, 8192, 0.2, 40e3)) == pytest.approx(0.8 / 8192, rel=1e-12)


def test_field_of_view_tiles_and_ct_time():
    """V = P d / D: 25 um voxels on 2000 pixels see 50 mm; a 300 x 200 mm sheet takes 6 x 4 tiles."""
    field = float(field_of_view_m(25e-6, 2000))
    assert field == pytest.approx(0.05, rel=1e-12)
    assert float(tiles_per_sheet(0.3, 0.2, field)) == 24.0
    assert float(tiles_per_sheet(0.3, 0.2, 0.3)) == 1.0
    one = float(ct_scan_time_s(1, 2000, 1e-3))
    assert one == pytest.approx(np.pi / 2 * 2000 * 1e-3, rel=1e-12)
    # a finer voxel at the same detector: smaller field, more tiles, so never faster
    voxels = np.array([10e-6, 20e-6, 40e-6, 80e-6, 160e-6])
    times = ct_scan_time_s(tiles_per_sheet(0.3, 0.2, field_of_view_m(voxels, 2000)), 2000, 1e-3)
    assert np.all(np.diff(times) <= 0.0) and times[0] > 100 * times[-1]


def test_leak_and_threshold_of_the_electrical_test():
    """Holm: R = rho / d; OCV drift dV = s I t / (3600 C): resolved leak falls as 1 / test time."""
    assert float(short_leak_current_A(30e-6, 3.0, 0.6)) == pytest.approx(3.0 * 30e-6 / 0.6, rel=1e-12)
    assert float(short_leak_current_A(np.nan, 3.0, 0.6)) == 0.0
    week = float(ocv_threshold_current_A(1e-3, 7 * 86400, 10.0, 0.5))
    assert week == pytest.approx(1e-3 * 10.0 * 3600 / (0.5 * 7 * 86400), rel=1e-12)
    assert float(ocv_threshold_current_A(1e-3, 14 * 86400, 10.0, 0.5)) == pytest.approx(week / 2, rel=1e-12)
    # the good cells' scatter floors what any resolution finds
    assert float(electrical_a50_m(1e-7, 1e-5, 3.85, 0.6)) == pytest.approx(1e-5 * 0.6 / 3.85, rel=1e-12)
    assert float(electrical_a50_m(1e-4, 1e-5, 3.85, 0.6)) == pytest.approx(1e-4 * 0.6 / 3.85, rel=1e-12)


def test_a_pod_curve_made_once_gives_the_function_and_checks_its_bounds():
    # the plant builds a method's curve once and calls it per unit: same numbers as the published
    # log-logistic written out here (MIL-HDBK-1823A), zero below the resolution and for no defect
    from process_models.inspection_pod import PodCurve

    curve = PodCurve(20e-6, 50e-6, 10e-6)
    sizes = np.array([5e-6, 10e-6, 20e-6, 50e-6, 1e-3, 0.0, np.nan])
    sigma = np.log(50e-6 / 20e-6) / np.log(9.0)
    expected = 1.0 / (1.0 + np.exp(-(np.log(sizes[1:5]) - np.log(20e-6)) / sigma))
    pod = curve(sizes)
    np.testing.assert_allclose(pod[1:5], expected, rtol=1e-12)
    assert pod[0] == 0.0 and pod[5] == 0.0 and pod[6] == 0.0
    assert pod.tolist() == pod_log_logistic(sizes, 20e-6, 50e-6, 10e-6).tolist()
    with pytest.raises(ValueError, match="a90_m"):
        PodCurve(50e-6, 20e-6)
