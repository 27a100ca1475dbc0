"""The evaluation workers' malloc settings (api.worker.keep_freed_memory): freed blocks reused from the heap,
and the worker's memory cap still answered by MemoryError. Each check runs in a fresh interpreter, so the
settings do not leak into the test process."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration  # each check runs a fresh interpreter

glibc_only = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt settings exist on glibc only")

# mallinfo2().hblkhd: bytes glibc holds in mmap'ed blocks (struct mallinfo2, glibc >= 2.33)
_MAPPED_BYTES = """
import ctypes
class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info
def mapped_while_holding(size):
    import numpy as np
    block = np.ones(size // 8)
    held = libc.mallinfo2().hblkhd
    del block
    return held
"""


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@glibc_only
def test_a_state_matrix_sized_block_comes_from_the_heap_after_the_worker_setting():
    # 45 state rows x 3000 sheets x 8 bytes, the evaluation's sample: 1.08 MB, mmap'ed by default
    size = 45 * 3000 * 8
    default = run(_MAPPED_BYTES + f"print(mapped_while_holding({size}))")
    tuned = run(_MAPPED_BYTES + "from api.worker import keep_freed_memory\n"
                f"assert keep_freed_memory()\nprint(mapped_while_holding({size}))")
    assert int(default) >= size
    assert int(tuned) < size


@glibc_only
def test_a_worker_with_heap_blocks_still_gets_memory_error_at_its_cap():
    code = ("from api.worker import keep_freed_memory, limit_memory, describe_failure\n"
            "keep_freed_memory()\nlimit_memory(512)\nblocks = []\n"
            "try:\n    while True:\n        blocks.append(bytearray(16 * 1024 * 1024))\n"
            "except MemoryError as e:\n    print(describe_failure(e)[0], len(blocks) < 40)\n")
    assert run(code) == "resources True"


def test_a_warmed_up_worker_imports_nothing_more_at_a_scenario_with_latent_defects():
    # the pool's warm-up scenario is the library's first (anode_free: no inspection of latent defects); a
    # module the oxide baseline's inspections import on first use (scipy.special, ~0.24 s) was imported at a
    # user's request, holding up every request queued behind it (api.worker.EVALUATION_LAZY_IMPORTS)
    code = ("import sys\nfrom api.worker import warm_up_evaluation\n"
            "from twin.scenario import load_scenario, scenario_hash\n"
            "first = load_scenario('scenarios/anode_free.yaml')\n"
            "warm_up_evaluation(first, scenario_hash(first), 'api.services')\n"
            "baseline = load_scenario('scenarios/oxide_baseline.yaml')\n"
            "before = set(sys.modules)\n"
            "from api.worker import evaluate_in_worker\n"
            "ok, _ = evaluate_in_worker(baseline, scenario_hash(baseline), 'api.services')\n"
            "print(ok, sorted(set(sys.modules) - before))\n")
    assert run(code) == "True []"
