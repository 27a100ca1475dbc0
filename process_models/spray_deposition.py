"""Layer-by-layer spray deposition (composite cathodes, re-precipitated Li6PS5Cl)."""

from __future__ import annotations

import numpy as np

from process_models._domain_checks import check_fraction, check_non_negative, check_positive


def thickness_per_pass_m(feed_rate_m3_per_s, solids_volume_fraction, transfer_efficiency,
                         traverse_speed_m_per_s, swath_width_m, packing_fraction):
    """Deposit thickness added by one spray pass.

    Parameters
    ----------
    feed_rate_m3_per_s : float or array_like
        Liquid (ink) feed rate Q [m^3/s]
    solids_volume_fraction : float or array_like
        Solids (or dissolved-solute yield) volume fraction of the ink c [-]
    transfer_efficiency : float or array_like
        Fraction of sprayed solids landing on the part TE (ultrasonic > 0.85, HVLP 0.5-0.6) [-]
    traverse_speed_m_per_s : float or array_like
        Nozzle traverse speed v [m/s]
    swath_width_m : float or array_like
        Effective swath width w [m]
    packing_fraction : float or array_like
        Packing fraction of the dried deposit phi [-]

    Returns
    -------
    numpy.ndarray or float
        Thickness per pass [m]

    Notes
    -----
    t_pass = TE Q c / (v w phi).

    References
    ----------
    physics-notes §5.1-5.2 (mass balance; TE from pfonline.com and ultrasonic-nozzle data).

    Examples
    --------
    >>> print(round(float(thickness_per_pass_m(1e-8, 0.05, 0.85, 0.05, 0.01, 0.6)) * 1e6, 3))
    1.417
    """
    feed = check_positive("feed_rate_m3_per_s", feed_rate_m3_per_s)
    solids = check_fraction("solids_volume_fraction", solids_volume_fraction, allow_zero=False)
    efficiency = check_fraction("transfer_efficiency", transfer_efficiency, allow_zero=False)
    speed = check_positive("traverse_speed_m_per_s", traverse_speed_m_per_s)
    width = check_positive("swath_width_m", swath_width_m)
    packing = check_fraction("packing_fraction", packing_fraction, allow_zero=False)
    result = efficiency * feed * solids / (speed * width * packing)
    return result[()] if np.ndim(result) == 0 else result


def passes_for_thickness(target_thickness_m, thickness_per_pass_m):
    """Number of passes needed to reach a target thickness.

    Parameters
    ----------
    target_thickness_m : float or array_like
        Target layer thickness [m]
    thickness_per_pass_m : float or array_like
        Thickness per pass [m]

    Returns
    -------
    numpy.ndarray of int
        ceil(target / per-pass), at least 1 [-]

    Notes
    -----
    N = ceil(t_target / t_pass - 1e-9) (the tolerance avoids an extra pass from round-off).
    2020 SSB roadmap §14.3: 30 re-precipitated Li6PS5Cl layers gave a 60 um film (2 um per pass).

    References
    ----------
    2020 SSB roadmap §14.3, Figure 17.

    Examples
    --------
    >>> print(int(passes_for_thickness(60e-6, 2e-6)))
    30
    """
    target = check_positive("target_thickness_m", target_thickness_m)
    per_pass = check_positive("thickness_per_pass_m", thickness_per_pass_m)
    passes = np.maximum(1, np.ceil(target / per_pass - 1e-9)).astype(np.int64)
    return passes


def layer_time_s(area_m2, passes, traverse_speed_m_per_s, swath_width_m, dwell_per_pass_s):
    """Time to spray a layer of N passes over an area, with a drying dwell between passes.

    Parameters
    ----------
    area_m2 : float or array_like
        Coated area A [m^2]
    passes : int or array_like
        Number of passes N [-]
    traverse_speed_m_per_s : float or array_like
        Nozzle traverse speed v [m/s]
    swath_width_m : float or array_like
        Effective swath width w [m]
    dwell_per_pass_s : float or array_like
        Drying (or re-precipitation / sintering) dwell after each pass [s]

    Returns
    -------
    numpy.ndarray or float
        Layer time [s]

    Notes
    -----
    t = N (A / (v w) + t_dwell); turnaround time at the raster ends is neglected.

    References
    ----------
    physics-notes §5.1; 2020 SSB roadmap §14.3 (each ~5 um sub-layer pressureless-sintered).

    Examples
    --------
    >>> print(round(float(layer_time_s(0.01, 30, 0.05, 0.01, 5.0))))
    750
    """
    area = check_positive("area_m2", area_m2)
    count = check_non_negative("passes", passes)
    speed = check_positive("traverse_speed_m_per_s", traverse_speed_m_per_s)
    width = check_positive("swath_width_m", swath_width_m)
    dwell = check_non_negative("dwell_per_pass_s", dwell_per_pass_s)
    result = count * (area / (speed * width) + dwell)
    return result[()] if np.ndim(result) == 0 else result
