"""What an inspection can see: probability of detection (POD) against defect size, and its time.

Pure numpy, SI units (or the unit in the name). A hit/miss inspection finds a defect of size a with
the log-logistic POD of MIL-HDBK-1823A (2009), parameterised by the size found half the time (a50) and
nine times in ten (a90). The methods differ in what sets a50 and a90 and in their time per sheet:

* imaging (inline optical line scan, 2D X-ray, X-ray CT): a feature must span a few pixels/voxels to be
  identified (2-5x the voxel, Stanford micro-CT facility; thin-film-and-inspection notes B1), so a50 and
  a90 are multiples of the pixel; below one pixel nothing is resolved (POD 0, assumption: the
  partial-volume signal of a sub-pixel feature is taken as lost in the noise);
* end-of-line electrical test: a defect that shorts the cell leaks a current through its constriction
  (Holm 1967); the test finds it when the leak exceeds what the measurement resolves in its time
  (OCV drift over days, or the current of a potentiostatic hold; Keysight 2019-2020, notes B5).
"""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_positive

LN9 = float(np.log(9.0))
SECONDS_PER_HOUR = 3600.0


def pod_log_logistic(size_m, a50_m, a90_m, resolution_limit_m=0.0):
    """Probability that a hit/miss inspection detects a defect of size ``size_m``.

    Parameters
    ----------
    size_m : array_like
        Defect size a [m]; a size <= 0 (no defect) or NaN is never detected
    a50_m : float or array_like
        Size detected with probability 0.5 [m]
    a90_m : float or array_like
        Size detected with probability 0.9 [m], above ``a50_m``
    resolution_limit_m : float or array_like
        Below this size the method resolves nothing: POD 0 [m]

    Returns
    -------
    numpy.ndarray or float
        POD [-], 0..1, non-decreasing in ``size_m``

    Notes
    -----
    POD(a) = 1 / (1 + exp(-(ln a - mu) / sigma)) with mu = ln a50 and sigma = ln(a90 / a50) / ln 9, so
    POD(a50) = 1/2 and POD(a90) = 9/10 exactly; POD = 0 for a < resolution_limit_m.

    References
    ----------
    MIL-HDBK-1823A, Nondestructive Evaluation System Reliability Assessment (US DoD, 2009), hit/miss
    log-logistic model; Annis, statisticalengineering.com (a90/95).

    Examples
    --------
    >>> print(f"{float(pod_log_logistic(20e-6, 20e-6, 50e-6)):.2f}")
    0.50
    """
    return PodCurve(a50_m, a90_m, resolution_limit_m)(size_m)


class PodCurve:
    """The log-logistic POD of :func:`pod_log_logistic` with its parameters checked and reduced once.

    ``PodCurve(a50_m, a90_m, resolution_limit_m)(size_m)`` equals ``pod_log_logistic(size_m, a50_m,
    a90_m, resolution_limit_m)`` bit for bit (the function is this class): a caller that applies one
    inspection method to many units (the plant twin, ~4e4 calls a simulated year) builds the curve once
    and skips the checks and the logs of a50 and a90/a50 per call. Units as in ``pod_log_logistic``.
    """

    __slots__ = ("log_a50", "sigma", "resolution_limit_m", "_scalar")

    def __init__(self, a50_m, a90_m, resolution_limit_m=0.0):
        a50 = check_positive("a50_m", a50_m)
        a90 = check_positive("a90_m", a90_m)
        if np.any(a90 <= a50):
            raise ValueError(f"a90_m: {float(np.min(a90)):.6g} must be above a50_m {float(np.max(a50)):.6g}")
        self.log_a50 = np.log(a50)
        self.sigma = np.log(a90 / a50) / LN9
        self.resolution_limit_m = resolution_limit_m
        self._scalar = np.ndim(self.log_a50) == 0 and np.ndim(self.sigma) == 0 and np.ndim(resolution_limit_m) == 0

    def __call__(self, size_m):
        """POD [-] of defects of size ``size_m`` [m] (0 for a size <= 0, NaN or below the limit)."""
        size = np.asarray(size_m, dtype=float)
        if not self._scalar:    # a50, a90 or the limit per size: broadcast, not in place
            z = (np.log(np.where(size > 0, size, 1.0)) - self.log_a50) / self.sigma
            pod = 0.5 * (1.0 + np.tanh(0.5 * z))
            return np.where((size > 0) & (size >= self.resolution_limit_m), pod, 0.0)
        positive = size > 0
        # no floating-point warning to silence: the log sees only sizes > 0 (NaN and <= 0 read 1) or +inf,
        # sigma > 0, and tanh(+-inf) is +-1
        pod = np.where(positive, size, 1.0)
        # z = (ln a - mu) / sigma, then the logistic function 0.5 (1 + tanh(z / 2)) without exp overflow;
        # in place on the one temporary, the same operations in the same order (~4e4 calls a plant year)
        np.log(pod, out=pod)
        pod -= self.log_a50
        pod /= self.sigma
        pod *= 0.5
        np.tanh(pod, out=pod)
        pod += 1.0
        pod *= 0.5
        positive &= size >= self.resolution_limit_m    # NaN compares False: no defect
        return np.where(positive, pod, 0.0)


def line_scan_pixel_m(field_width_m, camera_pixels, speed_m_per_s, line_rate_Hz):
    """Pixel of a line-scan camera over a moving web: the coarser of the cross- and along-web pixel.

    Parameters
    ----------
    field_width_m : float or array_like
        Width the camera images across the web [m]
    camera_pixels : float or array_like
        Pixels along the sensor line [-]
    speed_m_per_s : float or array_like
        Web (or sheet) speed under the camera [m/s]
    line_rate_Hz : float or array_like
        Lines the camera reads per second [1/s]

    Returns
    -------
    numpy.ndarray or float
        Pixel size p [m]

    Notes
    -----
    p = max(W / N, v / f): across the web the field over the pixels, along it the travel per line.

    References
    ----------
    Kapeller & Bodenstorfer, tm - Technisches Messen (2021), doi:10.1515/teme-2021-0024: 2000 mm/s at
    50 um/pixel (a 40 kHz line rate).

    Examples
    --------
    >>> print(f"{float(line_scan_pixel_m(0.4, 8192, 2.0, 40e3)) * 1e6:.0f}")
    50
    """
    width = check_positive("field_width_m", field_width_m)
    pixels = check_positive("camera_pixels", camera_pixels)
    speed = check_positive("speed_m_per_s", speed_m_per_s)
    rate = check_positive("line_rate_Hz", line_rate_Hz)
    return np.maximum(width / pixels, speed / rate)


def field_of_view_m(pixel_m, detector_pixels):
    """Field of view of an X-ray detector at a given pixel (voxel) size in the object.

    Parameters
    ----------
    pixel_m : float or array_like
        Pixel (2D) or voxel (CT) size in the object [m]
    detector_pixels : float or array_like
        Detector pixels across its width [-]

    Returns
    -------
    numpy.ndarray or float
        Field of view F [m]

    Notes
    -----
    V = P d / D: the voxel is the object width imaged over the detector pixels, so F = V N.

    References
    ----------
    Waygate Technologies / phoenix-xray, "what determines voxel resolution" (notes B1).

    Examples
    --------
    >>> print(f"{float(field_of_view_m(25e-6, 2000)) * 1e3:.0f}")
    50
    """
    return check_positive("pixel_m", pixel_m) * check_positive("detector_pixels", detector_pixels)


def tiles_per_sheet(sheet_length_m, sheet_width_m, field_m):
    """Fields of view needed to cover a sheet (square field, whole tiles).

    Parameters
    ----------
    sheet_length_m, sheet_width_m : float or array_like
        Sheet size [m]
    field_m : float or array_like
        Side of the square field of view [m]

    Returns
    -------
    numpy.ndarray or float
        Tiles n = ceil(L / F) ceil(W / F) [-]

    Notes
    -----
    n = ceil(L / F) ceil(W / F): whole fields along and across the sheet (no overlap between tiles,
    assumption: a stitching overlap adds a few per cent).

    References
    ----------
    Field of view V N: Waygate Technologies / phoenix-xray, "what determines voxel resolution" (notes B1).

    Examples
    --------
    >>> print(int(tiles_per_sheet(0.3, 0.2, 0.05)))
    24
    """
    field = check_positive("field_m", field_m)
    # 1e-9: a sheet an exact number of fields long needs exactly that many
    return (np.ceil(check_positive("sheet_length_m", sheet_length_m) / field - 1e-9)
            * np.ceil(check_positive("sheet_width_m", sheet_width_m) / field - 1e-9))


def ct_scan_time_s(tiles, detector_pixels, exposure_per_projection_s):
    """Time to scan a sheet by X-ray CT, tile after tile.

    Parameters
    ----------
    tiles : float or array_like
        Fields of view per sheet [-]
    detector_pixels : float or array_like
        Detector pixels across [-]
    exposure_per_projection_s : float or array_like
        Exposure and read-out of one projection [s]

    Returns
    -------
    numpy.ndarray or float
        Scan time t [s]

    Notes
    -----
    t = n (pi/2) N t_p: a reconstruction of N pixels across needs about (pi/2) N projections over 180
    degrees (angular sampling criterion, Kak & Slaney 1988, ch. 5). A finer voxel at the same detector
    shrinks the field, so the tiles (and the time) grow with 1/voxel^2.

    References
    ----------
    Kak & Slaney, Principles of Computerized Tomographic Imaging (IEEE Press, 1988).

    Examples
    --------
    >>> print(f"{float(ct_scan_time_s(1, 2000, 1e-3)):.2f}")
    3.14
    """
    return (check_positive("tiles", tiles) * 0.5 * np.pi * check_positive("detector_pixels", detector_pixels)
            * check_positive("exposure_per_projection_s", exposure_per_projection_s))


def short_leak_current_A(size_m, voltage_V, short_resistivity_ohm_m):
    """Leak current through a defect that shorts the cell, from its constriction resistance.

    Parameters
    ----------
    size_m : array_like
        Diameter d of the conducting contact the defect makes [m]
    voltage_V : float or array_like
        Cell voltage across it [V]
    short_resistivity_ohm_m : float or array_like
        Resistivity of the shorting path (Li filament, conductive particle, decomposed interphase) [ohm m]

    Returns
    -------
    numpy.ndarray or float
        Leak I = V d / rho [A]; 0 where there is no defect

    Notes
    -----
    A circular contact of radius r = d/2 between two half-spaces has the constriction resistance
    R = rho / (2 r) = rho / d (Holm), so a larger defect leaks more.

    References
    ----------
    Holm, Electric Contacts: Theory and Application (Springer, 4th ed. 1967), ch. 1.

    Examples
    --------
    >>> print(f"{float(short_leak_current_A(10e-6, 3.85, 1.0)) * 1e6:.1f}")
    38.5
    """
    size = np.asarray(size_m, dtype=float)
    current = (np.where(size > 0, size, 0.0) * check_positive("voltage_V", voltage_V)
               / check_positive("short_resistivity_ohm_m", short_resistivity_ohm_m))
    return np.where(np.isnan(size), 0.0, current)


def ocv_threshold_current_A(voltage_resolution_V, test_time_s, capacity_Ah, ocv_slope_V_per_unit_soc):
    """Smallest leak an OCV self-discharge test resolves: the current whose drift equals the resolution.

    Parameters
    ----------
    voltage_resolution_V : float or array_like
        OCV change the test resolves between its two readings [V]
    test_time_s : float or array_like
        Time between the readings (the ageing) [s]
    capacity_Ah : float or array_like
        Cell capacity [Ah]
    ocv_slope_V_per_unit_soc : float or array_like
        dOCV/dSOC of the cell at its shipping charge [V]

    Returns
    -------
    numpy.ndarray or float
        Threshold I* = dV C 3600 / (s t) [A]

    Notes
    -----
    A leak I discharges I t / (3600 C) of the charge, which drops the OCV by s I t / (3600 C); the test
    resolves it when that reaches dV. The longer the ageing, the smaller the leak it resolves.

    References
    ----------
    Self-discharge screen K = dOCV/dt (tradetang.com; Keysight 2019); notes B5.

    Examples
    --------
    >>> print(f"{float(ocv_threshold_current_A(1e-3, 14 * 86400, 10.0, 0.5)) * 1e6:.1f}")
    59.5
    """
    return (check_positive("voltage_resolution_V", voltage_resolution_V) * check_positive("capacity_Ah", capacity_Ah)
            * SECONDS_PER_HOUR / (check_positive("ocv_slope_V_per_unit_soc", ocv_slope_V_per_unit_soc)
                                  * check_positive("test_time_s", test_time_s)))


def electrical_a50_m(threshold_current_A, self_discharge_scatter_A, voltage_V, short_resistivity_ohm_m):
    """Defect size an end-of-line electrical test finds half the time.

    Parameters
    ----------
    threshold_current_A : float or array_like
        Leak the measurement resolves in its time [A]
    self_discharge_scatter_A : float or array_like
        Spread of the good cells' own self-discharge current, which a leak must stand out of [A]
    voltage_V : float or array_like
        Cell voltage [V]
    short_resistivity_ohm_m : float or array_like
        Resistivity of the shorting path [ohm m]

    Returns
    -------
    numpy.ndarray or float
        a50 = max(I*, s_sd) rho / V [m]

    Notes
    -----
    Inverts :func:`short_leak_current_A` at the larger of the instrument's threshold and the good
    cells' scatter: a leak at that level is called half the time.

    References
    ----------
    Holm, Electric Contacts (1967); normal self-discharge ~10 uA per 100 mAh, ~500 uA per 100 Ah
    (electronicdesign.com, Keysight; notes B5).

    Examples
    --------
    >>> print(f"{float(electrical_a50_m(1e-6, 5e-6, 3.85, 1.0)) * 1e6:.2f}")
    1.30
    """
    level = np.maximum(check_positive("threshold_current_A", threshold_current_A),
                       np.asarray(self_discharge_scatter_A, dtype=float))
    return level * check_positive("short_resistivity_ohm_m", short_resistivity_ohm_m) / check_positive(
        "voltage_V", voltage_V)


__all__ = ["LN9", "ct_scan_time_s", "electrical_a50_m", "field_of_view_m", "line_scan_pixel_m",
           "ocv_threshold_current_A", "pod_log_logistic", "PodCurve", "short_leak_current_A", "tiles_per_sheet"]
