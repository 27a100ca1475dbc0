"""Benchmark: compiled (numba) per-sheet maths against numpy, with and without glibc's vector maths (libmvec).

    pip install "numba>=0.62,<0.66"      # not a dependency of the project: this measurement only
    python benchmarks/bench_vector_maths.py [--sheets 300 900 2000 3000 32768]

Issue 14 asks whether one compiled kernel per unit operation per unit would make the plant's year fast.
numba's kernels call the C library's scalar ``exp``/``log``/``pow`` unless LLVM's loop vectoriser may map
them to a vector maths library: the PyPI llvmlite has no Intel SVML, but LLVM can map them to glibc's
libmvec (``_ZGVdN4v_exp`` etc.) when its TargetLibraryInfo is told ``-vector-library=LIBMVEC-X86``. That
option is a command-line option compiled into the llvmlite library: present up to llvmlite 0.47 (LLVM 20,
numba 0.62-0.65), absent from llvmlite 0.48+ (LLVM 22), where ``set_option`` ignores it without a word.

Each mode runs in a fresh process (the option must be set before numba builds its pass managers) and prints
- whether the compiled code calls libmvec (``_ZGV`` symbols in the machine code),
- ns per element of ``exp``, ``log`` and ``x ** 0.37`` over 1e6 doubles, compiled against numpy,
- a fused kernel of the garnet electrolyte firing's per-sheet chain after the work of sintering is read off
  its Chebyshev table (master curve, fired thickness, Li lost and the Li balance, phases, grain growth,
  conductivity) against the numpy chain of the ``process_models`` functions the twin calls, per call at
  kiln-load and lot sizes, with the largest relative difference between the two.

The fused kernel is a measuring prototype, not the twin's physics: it restates those equations in one loop
(the numpy functions stay the source of truth, and the script fails if the two disagree beyond float
noise). CPU time (``time.process_time``), median of 7 repetitions; the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = ("scalar", "libmvec")
# the float-noise bound for the fused chain against the numpy chain (a few ulp through ~20 operations)
AGREEMENT_REL = 1e-13


def _median_cpu_us(call, repetitions: int) -> float:
    """Median over 7 rounds of the CPU microseconds of one call."""
    rounds = []
    for _ in range(7):
        started = time.process_time()
        for _ in range(repetitions):
            call()
        rounds.append((time.process_time() - started) / repetitions)
    return sorted(rounds)[3] * 1e6


def _child(mode: str, sheet_counts: list[int]) -> None:
    import llvmlite
    import llvmlite.binding as llvm

    if mode == "libmvec":
        # before numba is imported: its pass managers read the option when they are made
        llvm.set_option("bench_vector_maths", "-vector-library=LIBMVEC-X86")
        llvm.load_library_permanently("libmvec.so.1")
    import numba
    import numpy as np
    from numba import njit

    sys.path.insert(0, str(ROOT))
    from process_models.densification import _master_curve
    from process_models.grain_growth import _grain_size_after_firing
    from process_models.li_loss import _garnet_phases, _li_balance, _li_lost_pfu
    from process_models.tape_casting import _sintered_thickness

    @njit(error_model="numpy")
    def exp_all(x, out):
        for i in range(x.shape[0]):
            out[i] = np.exp(x[i])

    @njit(error_model="numpy")
    def log_all(x, out):
        for i in range(x.shape[0]):
            out[i] = np.log(x[i])

    @njit(error_model="numpy")
    def pow_all(x, out):
        for i in range(x.shape[0]):
            out[i] = x[i] ** 0.37

    @njit(error_model="numpy")
    def fired_garnet(work, flux, green, thick, excess, particle, p, out):
        # one loop without inner loops or branches on data: what LLVM's loop vectoriser accepts
        half, width, final, scale, li0, onset, t_on, t_done, k, inv_expo, expo, sc, st, rc, m, rgb = p
        for i in range(work.shape[0]):
            g = green[i]
            density = g + (max(final, g) - g) / (np.exp(min((half - work[i]) / width, 700.0)) + 1.0)
            t = thick[i] * (g / density)
            li_in = li0 + excess[i]
            lost = min(np.exp(flux[i]) * scale / t, li_in)
            kept = li_in - lost
            pyro = min(max((onset - kept) / onset, 0.0), 1.0)
            tet = min(max((kept - t_on) / (t_done - t_on), 0.0), 1.0)
            cubic = 1.0 - pyro - tet
            grains = (particle[i] ** expo + np.exp(work[i] + k)) ** inv_expo
            solid = (cubic * sc + tet * st) / (cubic + tet) * (1.0 - pyro) ** 1.5
            out[0, i] = density
            out[1, i] = t
            out[2, i] = kept
            out[3, i] = lost / li_in
            out[4, i] = cubic
            out[5, i] = pyro
            out[6, i] = grains
            out[7, i] = 1.0 / (1.0 / solid + rgb / grains) * ((density - rc) / (1.0 - rc)) ** m

    # a garnet's numbers of the size the twin's are (assumption: illustrative, the timing does not depend on them)
    half, width, final, leak, faces, units_per_m3 = 10.0, 1.5, 0.97, 0.3, 1.0, 3.5e27
    li0, onset, t_on, t_done, k, expo = 6.4, 6.0, 6.55, 7.0, -25.0, 2.0
    sc, st, rc, m, rgb = 0.1, 1e-4, 0.35, 1.5, 1e-9
    params = np.array([half, width, final, 2.0 * leak * faces / units_per_m3, li0, onset, t_on, t_done, k,
                       1.0 / expo, expo, sc, st, rc, m, rgb])

    def numpy_chain(work, flux, green, thick, excess, particle):
        density = _master_curve(work, green, half, width, final)
        t = _sintered_thickness(thick, green, density)
        lost = _li_lost_pfu(flux.copy(), leak, faces, units_per_m3, t)
        li_in, lost, kept = _li_balance(li0, excess, lost, volatilised_out=lost)
        cubic, tet, pyro = _garnet_phases(kept, onset, t_on, t_done)
        grains = _grain_size_after_firing(work, particle, k, expo, 1.0)
        solid = (cubic * sc + tet * st) / (cubic + tet) * (1.0 - pyro) ** 1.5
        sigma = 1.0 / (1.0 / solid + rgb / grains) * ((density - rc) / (1.0 - rc)) ** m
        return density, t, kept, lost / li_in, cubic, pyro, grains, sigma

    rng = np.random.default_rng(14)

    def sheets(n):
        return (rng.uniform(7.0, 13.0, n), rng.uniform(-22.0, -18.0, n), rng.uniform(0.55, 0.65, n),
                rng.uniform(4e-5, 6e-5, n), rng.uniform(0.1, 0.6, n), rng.uniform(3e-7, 6e-7, n))

    x = rng.uniform(-5.0, 5.0, 1_000_000)
    positive = np.abs(x) + 1e-3
    out = np.empty_like(x)
    exp_all(x, out), log_all(positive, out), pow_all(positive, out)
    probe = sheets(16)
    fired_garnet(*probe, params, np.empty((8, 16)))
    calls = sorted(set(re.findall(r"_ZGV\w+", exp_all.inspect_asm(exp_all.signatures[0])
                                  + fired_garnet.inspect_asm(fired_garnet.signatures[0]))))
    print(f"{mode}: numba {numba.__version__}, llvmlite {llvmlite.__version__}, libmvec calls in the code: "
          f"{', '.join(calls) if calls else 'none (scalar libm)'}")
    for name, kernel, values, reference in (("exp", exp_all, x, np.exp), ("log", log_all, positive, np.log),
                                            ("x ** 0.37", pow_all, positive, lambda v: v**0.37)):
        compiled = _median_cpu_us(lambda kernel=kernel, values=values: kernel(values, out),
                                  5) * 1e-3   # ns per element of 1e6
        plain = _median_cpu_us(lambda reference=reference, values=values: reference(values), 5) * 1e-3
        print(f"  {name:10s} compiled {compiled:5.2f} ns/element, numpy {plain:5.2f} ns/element")
    worst = 0.0
    for n in sheet_counts:
        inputs = sheets(n)
        fused = np.empty((8, n))
        fired_garnet(*inputs, params, fused)
        reference = numpy_chain(*inputs)
        for row, expected in zip(fused, reference, strict=False):   # relative to the value (a zero phase share: exact)
            worst = max(worst, float(np.max(np.abs(row - expected) / np.maximum(np.abs(expected), 1e-300))))
        repetitions = max(10, 800_000 // n)
        compiled = _median_cpu_us(lambda inputs=inputs, fused=fused: fired_garnet(*inputs, params, fused), repetitions)
        plain = _median_cpu_us(lambda inputs=inputs: numpy_chain(*inputs), repetitions)
        print(f"  garnet firing chain, {n:6,d} sheets: fused {compiled:7.1f} us ({compiled / n * 1e3:5.1f} ns/sheet), "
              f"numpy {plain:7.1f} us ({plain / n * 1e3:5.1f} ns/sheet), fused / numpy {compiled / plain:.2f}")
    print(f"  largest relative difference, fused against numpy: {worst:.1e}")
    if not worst < AGREEMENT_REL:
        raise SystemExit(f"the fused chain differs from the process_models functions by {worst:.1e} "
                         f"(allowed {AGREEMENT_REL:.0e}): it no longer restates them")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sheets", type=int, nargs="+", default=[300, 900, 2000, 3000, 32768],
                        help="sheets per call of the firing chain (a kiln load is 2,000-3,000, a stacking lot ~900)")
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)   # the child process of one mode
    args = parser.parse_args()
    if any(n < 1 for n in args.sheets):
        parser.error(f"--sheets: every count must be >= 1 (got {args.sheets})")
    if args.mode:
        _child(args.mode, args.sheets)
        return
    try:
        import numba  # noqa: F401  (only asked whether it is there)
    except ImportError:
        raise SystemExit('numba is not installed: pip install "numba>=0.62,<0.66" (this benchmark only)') from None
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for mode in MODES:
        done = subprocess.run([sys.executable, __file__, "--mode", mode, "--sheets", *map(str, args.sheets)])
        if done.returncode:
            raise SystemExit(done.returncode)


if __name__ == "__main__":
    main()
