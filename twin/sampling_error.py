"""The sampling error of the evaluation's headline: yield, USD/kWh and escape ppm, by batch means.

The evaluation's sample is B independent blocks of consecutive sheets (twin.evaluate.SAMPLE_BLOCKS: the
firing groups, each with its own kiln draws and its own strata of defect draws, twin.expected_outcomes),
so the spread of the blocks' figures measures the headline's Monte Carlo error: what another seed would
move it by. With B = 6 the standard error is itself uncertain (~30 %, 5 degrees of freedom): the Student
t quantile widens the interval for that. Per block b (m_b sheets started, C pieces per sheet, L layers per cell),
from the single definitions of twin.cell_output (``finished_output(...).assembled(L)``): good pieces g_b, escaped
pieces s_b, delivered energy w_b. The headline ratios and their linearised block residuals
(delta method for a ratio estimator, Cochran 1977 §6.4):

* yield y = sum g / sum (m C), residual g_b - y m_b C;
* escape rate e = sum s / sum g (escaped per good cell), residual s_b - e g_b;
* energy per good cell E = L sum w / sum g, residual L w_b - E g_b;

standard error SE = sqrt(sum r_b^2 / (B (B - 1))) / mean of the denominator, and the 95 % interval
+- t(0.975, B - 1) SE (Student t: B is small), on the log of the escapes and the cost, and on the logit of
the yield where +- would leave 0 to 1 (:func:`_figure`: inside the figure's range and around it, never to 0
or below on a small sample). USD/kWh by the delta method on the cost's structure: the
line runs at its bottleneck's capacity (twin.cost.line_flow), so the year's cost is fixed by the sheets
started, the cost per kWh without escapes scales as 1 / (y E), and the escape cost per kWh as e / E:
dU = -(U - U_esc) (dy / y + dE / E) + U_esc (de / e - dE / E) per block (assumption: materials and
scrap value moved by a block's yield are second order; the seed-to-seed test bounds it).

Escapes take batch means like the rest. They once could not: most escapes come from the few sheets whose
latent defect is smaller than any check sees, a handful per sample or none, so the blocks' spread shrank with
the estimate (oxide_baseline, 200 seeds: 80 % of the intervals covered the seeds' mean, sulphide_spray 57 %),
and a design variance from the size law stood in for them. The estimator now books every hit sheet's escapes
as their expectation over the size law (twin.sample_estimator: Rao-Blackwellised detection), so a block's
latent escapes are a sum over its ~15-90 hit sheets of comparable shares, no rare event: what still moves
them (which hit sheets ship, how many pieces each has hit, the cells they are assembled into, the few sheets
a later defect may join) is in the blocks' spread. Measured over 200 seeds (oxide_baseline / gigafactory /
sulphide_spray): 93.0 / 97.5 / 94.0 % of the 95 % intervals cover the seeds' mean, root-mean-square standard
error 0.93 / 1.03 / 0.99 x the seeds' spread. A design variance of the new booking (each hit sheet ships or
not, the hit count rounded up or down) read only 0.61 / 0.86 / 0.44 of the spread (measured before the
open-pieces look-ahead of twin.sample_estimator): it leaves out the assembly and the joined sheets.
"""

from __future__ import annotations

import math

import numpy as np

from twin.cell_output import FinishedOutput, delivered_energy_Wh_per_piece, lot_escapes, sheet_pieces
from twin.figures import decimals_for_error
from twin.scenario import Scenario
from twin.sheet_batch import SHEET_STATE_FIELDS

_STACKED = SHEET_STATE_FIELDS.index("stacked_pieces")

# Student t 97.5 % quantiles for 1..30 degrees of freedom (Abramowitz & Stegun 1964, table 26.10);
# above 30 the normal 1.96 is within 4 %
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
         2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
         2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)


# Below this many good sheets in the sample the headline is said to rest on them, with a larger sample to
# ask for: a binomial count of 100 is known to +-20 % (1.96 / sqrt(100)) (assumption: where a figure stops
# being a design number). The larger sample aims at 400 good sheets (+-10 %), within the sample's limit.
FEW_GOOD_SHEETS = 100
ENOUGH_GOOD_SHEETS = 400
MAX_SAMPLE_SHEETS = 100_000   # evaluate --sheets' upper limit (twin.evaluate.MAX_SAMPLE_SHEETS)


def t975(degrees_of_freedom: int) -> float:
    """Two-sided 95 % Student t quantile (1.96 above the table)."""
    return _T975[degrees_of_freedom - 1] if 1 <= degrees_of_freedom <= len(_T975) else 1.96


def _figure(value: float, standard_error: float, t: float, scale: str) -> dict:
    """The 95 % interval of a positive ratio, symmetric on its ``scale``: 'log' (a cost or a rate above 0) or
    'logit' (a share in (0, 1), where value +- t SE would leave that range; else that symmetric interval); the
    delta method carries the standard error there (d ln x = dx / x, d logit y = dy / (y (1 - y))). So the
    interval stays inside the figure's range and holds the figure
    itself, where value +- t SE ran below 0 on a small sample (1050 C cathode: 39,257 +- 28,941 USD/kWh on
    the few good sheets). A value on the range's edge (0, or a yield of 1) gets the point interval: the
    blocks then hold no spread to scale."""
    figure = {"value": value, "standard_error": standard_error, "ci95_low": value, "ci95_high": value}
    if scale == "logit":
        half = t * standard_error
        if 0.0 < value - half and value + half < 1.0:
            # inside (0, 1) the symmetric interval is kept: the optimiser reads its half-width as the yield's
            # tolerance (twin.optimise.design.physics_recheck), and far from the ends the two agree
            figure.update(ci95_low=value - half, ci95_high=value + half)
        elif 0.0 < value < 1.0:
            centre, half = math.log(value / (1.0 - value)), t * standard_error / (value * (1.0 - value))
            figure.update(ci95_low=_logistic(centre - half), ci95_high=_logistic(centre + half))
    elif value > 0.0:
        half = t * standard_error / value
        figure.update(ci95_low=value * math.exp(-half), ci95_high=value * math.exp(half))
    return figure


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0.0 else math.exp(x) / (1.0 + math.exp(x))


def wilson_interval(successes: float, trials: float, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval of a binomial share (Wilson 1927; Brown, Cai & DasGupta 2001 recommend it for
    small n): (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), p = successes / trials. Inside
    [0, 1] and strictly above 0 when successes > 0. ``z``: the normal quantile (95 %: 1.95996)."""
    if trials <= 0:
        raise ValueError(f"trials must be above 0, got {trials}")
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must be within 0..trials ({trials}), got {successes}")
    p, z2 = successes / trials, z * z
    centre = p + z2 / (2.0 * trials)
    half = z * math.sqrt(p * (1.0 - p) / trials + z2 / (4.0 * trials * trials))
    denominator = 1.0 + z2 / trials
    # at k = 0 (k = n) the lower (upper) end is 0 (1) exactly; the formula leaves float rounding there
    low = 0.0 if successes == 0 else max((centre - half) / denominator, 0.0)
    high = 1.0 if successes == trials else min((centre + half) / denominator, 1.0)
    return low, high


def block_outputs(scenario: Scenario, values: np.ndarray, alive: np.ndarray, block_sheets: int) -> np.ndarray:
    """(blocks x 5) array per block: sheets started, good pieces, escaped pieces, delivered Wh (good pieces)
    and sheets alive at the end.

    Each block's :class:`~twin.cell_output.FinishedOutput` (what ``finished_output`` gives for its sheets,
    per-sheet figures by :func:`~twin.cell_output.sheet_pieces`, summed per block in one pass) assembled
    into cells of L layers."""
    layers = scenario.cell.format.layers_per_cell
    starts = np.arange(0, alive.size, block_sheets)
    block_of = np.repeat(np.arange(starts.size), np.diff(np.append(starts, alive.size)))
    live = values[:, alive]
    pieces, escaped, shorted, latent, good = sheet_pieces(scenario, live)
    escaped_pieces = np.where(escaped, pieces, shorted + latent)
    stacked = values[_STACKED]
    counted = ~np.isnan(stacked)
    scrapped = counted & ~alive

    def per_block(weights: np.ndarray, mask: np.ndarray = alive) -> np.ndarray:
        return np.bincount(block_of[mask], weights=weights, minlength=starts.size)

    sums = np.vstack([per_block(good), per_block(escaped_pieces),
                      per_block(good * delivered_energy_Wh_per_piece(scenario, live)),
                      per_block(np.where(counted, stacked, 0.0)[alive]),
                      per_block(np.ones(int(scrapped.sum())), scrapped), per_block(stacked[scrapped], scrapped),
                      per_block(np.ones(live.shape[1])),
                      # a capacity grade's escapes ship as their own sheet's cells (FinishedOutput.assembled)
                      per_block(lot_escapes(live, pieces, escaped))])
    rows = []
    for block, start in enumerate(starts):
        good_b, escaped_b, delivered_b, stacked_b, scrapped_sheets, scrapped_pieces, sheets, lot_b = sums[:, block]
        finished = FinishedOutput(int(sheets), good_b, escaped_b, delivered_b, (), stacked_b, scrapped_sheets,
                                  scrapped_pieces, lot_escaped_by_step=((-1, lot_b),) if lot_b > 0 else ()
                                  ).assembled(layers)
        rows.append((min(block_sheets, alive.size - start), finished.good_pieces, finished.escaped_pieces,
                     finished.delivered_Wh, sheets))
    return np.array(rows, dtype=float)


def sampling_error(scenario: Scenario, values: np.ndarray, alive: np.ndarray, block_sheets: int,
                   headline: dict, escape_usd_per_kwh: float) -> dict:
    """The ``sampling_error`` result block (module docstring); figures None where they are undefined.

    ``headline``: the evaluation's ``{yield_overall, usd_per_kwh, escape_ppm}``, the centres of the
    intervals (a block of ~1/B of the pieces assembles cells from a shorter stream, so the blocks' pooled
    ratios differ from the headline by O(L^2 K / N^2); only their residuals are used);
    ``escape_usd_per_kwh``: the escape part of the cost per kWh.
    """
    blocks = block_outputs(scenario, values, alive, block_sheets)
    count = blocks.shape[0]
    cells, layers = scenario.cell.format.cells_per_sheet, scenario.cell.format.layers_per_cell
    started, good, escaped, delivered, _ = blocks.T
    started_pieces = started * cells
    block = {"method": f"batch means over {count} independent blocks of up to {block_sheets} sheets, 95 % "
                       f"interval with Student t ({max(count - 1, 0)} degrees of freedom), on the log of USD/kWh and "
                       "escapes, on the logit of the yield where +- would leave 0 to 1; USD/kWh by the delta method, "
                       "at least as wide "
                       "as the good sheets' Wilson interval makes it",
             "blocks": count, "yield_overall": None, "usd_per_kwh": None, "escape_ppm": None}
    if count < 2 or good.sum() <= 0.0:
        block["reason"] = ("fewer than two blocks of sheets" if count < 2
                           else "no good cell was made, so there is no rate to estimate")
        return block
    t = t975(count - 1)
    scale = 1.0 / math.sqrt(count * (count - 1))
    y = good.sum() / started_pieces.sum()
    r_y = (good - y * started_pieces) / started_pieces.mean()
    e = escaped.sum() / good.sum()
    r_e = (escaped - e * good) / good.mean()
    energy = layers * delivered.sum() / good.sum()
    r_energy = (layers * delivered - energy * good) / good.mean()
    se_y = scale * math.sqrt(float(r_y @ r_y))
    se_e = scale * math.sqrt(float(r_e @ r_e))
    block["good_sheets"] = _good_sheets(scenario, values, alive)
    block["yield_overall"] = _figure(_or(headline.get("yield_overall"), y), se_y, t, "logit")
    block["escape_ppm"] = _figure(_or(headline.get("escape_ppm"), e * 1e6), se_e * 1e6, t, "log")
    usd_per_kwh = headline.get("usd_per_kwh")
    if usd_per_kwh is not None and math.isfinite(usd_per_kwh) and energy > 0.0:
        relative_energy = r_energy / energy
        z = -(usd_per_kwh - escape_usd_per_kwh) * (r_y / y + relative_energy)
        if e > 0.0:
            z = z + escape_usd_per_kwh * (r_e / e - relative_energy)
        block["usd_per_kwh"] = _widened_by_good_sheets(
            _figure(usd_per_kwh, scale * math.sqrt(float(z @ z)), t, "log"), block["good_sheets"])
    return block


def _good_sheets(scenario: Scenario, values: np.ndarray, alive: np.ndarray) -> dict:
    """The sheets of the sample the good output rests on (alive, with a good piece) and the Wilson 95 %
    interval of their share of the sheets sampled."""
    good = sheet_pieces(scenario, values[:, alive])[4] if np.logical_or.reduce(alive) else np.zeros(0)
    count, sheets = int(np.count_nonzero(good > 0.0)), int(alive.size)
    low, high = wilson_interval(count, sheets)
    return {"count": count, "sheets": sheets, "share": count / sheets, "ci95_low": low, "ci95_high": high,
            "method": "Wilson score interval of the good sheets' share, the sheets taken as independent draws"}


def _widened_by_good_sheets(figure: dict, good: dict) -> dict:
    """The cost interval at least as wide as the good sheets' binomial alone makes it.

    The cost per kWh goes as 1 / (good output); with G good sheets of N the share G / N is known only to its
    binomial interval [p_lo, p_hi], so U G / (N p_hi) to U G / (N p_lo) bounds the cost from below. With six
    blocks and few good sheets the blocks' spread can miss that (a block with none, or all, of them): the
    interval is the wider of the two (the binomial takes sheets as independent, so it leaves out the kiln
    loads' shared draws the blocks see)."""
    if good["count"] <= 0 or figure["value"] <= 0.0:
        return figure
    value = figure["value"]
    return {**figure, "ci95_low": min(figure["ci95_low"], value * good["share"] / good["ci95_high"]),
            "ci95_high": max(figure["ci95_high"], value * good["share"] / good["ci95_low"])}


def _or(value: float | None, fallback: float) -> float:
    return float(value) if value is not None and math.isfinite(value) else fallback


def sampling_error_sentence(block: dict | None) -> str | None:
    """One sentence with the headline's 95 % intervals; None when the result has none."""
    if not block or block.get("yield_overall") is None:
        return None
    parts = [_interval("yield", block["yield_overall"], "%", 100.0, 2)]
    if block.get("usd_per_kwh") is not None:
        parts.append(_interval("", block["usd_per_kwh"], "USD/kWh", 1.0, 1))
    parts.append(_interval("escapes", block["escape_ppm"], "ppm", 1.0, 0))
    sentence = (f"Sampling error (95 % interval over {block['blocks']} independent blocks of the sample): "
                + ", ".join(parts) + ".")
    good = block.get("good_sheets")
    if good and 0 < good["count"] < FEW_GOOD_SHEETS:
        wanted = min(MAX_SAMPLE_SHEETS, math.ceil(good["sheets"] * ENOUGH_GOOD_SHEETS / good["count"] / 1000.0) * 1000)
        sentence += (f" These figures rest on {good['count']} good sheets of the {good['sheets']:,} sampled "
                     "(Wilson 95 %: "
                     f"{100.0 * good['ci95_low']:.3g} to {100.0 * good['ci95_high']:.3g} % of the sheets good); "
                     f"evaluate --sheets {wanted:,} samples about {ENOUGH_GOOD_SHEETS} good sheets "
                     "(the sample keeps its "
                     "six firing groups, so the spread their shared kiln draws give stays).")
    return sentence


def _interval(label: str, figure: dict, unit: str, scale: float, digits: int) -> str:
    """``value +- half unit`` where the interval is symmetric to the digits shown, else ``value unit (low to
    high)`` (a log or logit interval of a small sample is not: '159 +- 188 ppm' would read as a negative rate)."""
    value, low, high = (figure[key] * scale for key in ("value", "ci95_low", "ci95_high"))
    head = f"{label} " if label else ""
    # to the error's precision (twin.figures): '81.6 +- 0.6 %', not '81.64 +- 0.61 %'; ``digits`` at most
    kept = decimals_for_error(min(value - low, high - value))   # the shorter side: a log interval's lower one
    digits = digits if kept is None else min(kept, digits)
    below, above = _rounded(value - low, digits), _rounded(high - value, digits)
    if below != above:
        return f"{head}{_rounded(value, digits)} {unit} ({_rounded(low, digits)} to {_rounded(high, digits)})"
    return f"{head}{_rounded(value, digits)} +- {above} {unit}"


def _rounded(number: float, digits: int) -> str:
    # negative digits round to tens or hundreds (1,447 ppm -> 1,400)
    return f"{round(number, digits):,.{max(digits, 0)}f}"


__all__ = ["block_outputs", "sampling_error", "sampling_error_sentence", "t975", "wilson_interval"]
