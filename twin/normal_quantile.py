"""The standard normal quantile Phi^-1(p) over numpy arrays, without scipy.

Why not ``scipy.special.ndtri``: once pyomo is imported (``ssb-twin optimise``), importing any scipy
module makes pyomo's import hook import ``scipy.stats`` too (~0.5 s of CPU per command), and the latent
defect sizes (twin.inspection_methods) are the only scipy use on that path.

Method: Wichura, M.J. (1988), "Algorithm AS 241: The percentage points of the normal distribution",
Applied Statistics 37(3), 477-484 (PPND16, the same coefficients as Python's ``statistics.NormalDist``):
rational approximations in q = p - 1/2 for |q| <= 0.425, otherwise in r = sqrt(-ln min(p, 1-p)),
relative accuracy ~1e-16. tests/twin/test_normal_quantile.py checks it against scipy.special.ndtri.
"""

from __future__ import annotations

import numpy as np

# AS 241 PPND16 coefficients, highest power first (np.polyval order)
_CENTRAL_NUM = (2.5090809287301226727e3, 3.3430575583588128105e4, 6.7265770927008700853e4,
                4.5921953931549871457e4, 1.3731693765509461125e4, 1.9715909503065514427e3,
                1.3314166789178437745e2, 3.3871328727963666080e0)
_CENTRAL_DEN = (5.2264952788528545610e3, 2.8729085735721942674e4, 3.9307895800092710610e4,
                2.1213794301586595867e4, 5.3941960214247511077e3, 6.8718700749205790830e2,
                4.2313330701600911252e1, 1.0)
_NEAR_NUM = (7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1,
             1.27045825245236838258e0, 3.64784832476320460504e0, 5.76949722146069140550e0,
             4.63033784615654529590e0, 1.42343711074968357734e0)
_NEAR_DEN = (1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2,
             1.48103976427480074590e-1, 6.89767334985100004550e-1, 1.67638483018380384940e0,
             2.05319162663775882187e0, 1.0)
_FAR_NUM = (2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3,
            2.65321895265761230930e-2, 2.96560571828504891230e-1, 1.78482653991729133580e0,
            5.46378491116411436990e0, 6.65790464350110377720e0)
_FAR_DEN = (2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5,
            7.86869131145613259100e-4, 1.48753612908506148525e-2, 1.36929880922735805310e-1,
            5.99832206555887937690e-1, 1.0)


def standard_normal_quantile(p: np.ndarray) -> np.ndarray:
    """Phi^-1(p) of the standard normal distribution [dimensionless] for probabilities 0 < p < 1.

    AS 241 (Wichura 1988): x = q A(q^2)/B(q^2) near the median, else +-C(r)/D(r) with
    r = sqrt(-ln min(p, 1 - p)) (r - 1.6 up to r = 5, r - 5 beyond). Raises ValueError outside (0, 1).
    """
    p = np.asarray(p, dtype=float)
    if not np.all((p > 0.0) & (p < 1.0)):
        bad = p[~((p > 0.0) & (p < 1.0))].flat[0]
        raise ValueError(f"probability p = {bad!r}: the normal quantile needs 0 < p < 1")
    q = p - 0.5
    central = np.abs(q) <= 0.425
    x = np.empty_like(p)
    if np.any(central):
        qc = q[central]
        r = 0.180625 - qc * qc
        x[central] = qc * np.polyval(_CENTRAL_NUM, r) / np.polyval(_CENTRAL_DEN, r)
    tail = ~central
    if np.any(tail):
        qt = q[tail]
        r = np.sqrt(-np.log(np.where(qt <= 0.0, p[tail], 1.0 - p[tail])))
        near = r <= 5.0
        value = np.where(near,
                         np.polyval(_NEAR_NUM, r - 1.6) / np.polyval(_NEAR_DEN, r - 1.6),
                         np.polyval(_FAR_NUM, r - 5.0) / np.polyval(_FAR_DEN, r - 5.0))
        x[tail] = np.where(qt < 0.0, -value, value)
    return x


__all__ = ["standard_normal_quantile"]
