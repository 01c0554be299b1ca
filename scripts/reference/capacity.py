"""NumPy reference of `credit bench capacity`: how many contexts each method keeps.

Mirrors Sources/Chapters/Context/ContextForgettingRuns.swift:runCapacity (the shared pieces
are in _context.py). For K = 2, 4, 8: one pass C1, C2, ..., CK of T trials each (T = 100; 60
with --quick) on the same network size (8 MD units x 20 PFC units, 4 cues), 5 seeds (3 with
--quick), every method of the forgetting comparison, with its probes after every trial (trials
to criterion) and every block. Retention: mean probe accuracy on C1 ... C(K-1) after CK's block.

Summary: per method and K, the seed mean of the retention and of the accuracy on CK after its
block (capacity.csv and capacity-newest.csv).
"""
import _context as ctx


def run(quick):
    seeds, trials, _ = ctx.forgetting_parameters(quick)
    out = {}
    for k in (2, 4, 8):
        setup = ctx.Setup(1, seeds, contexts=k, blocks=k, trials=trials)
        for m, (acc, _) in ctx.run_methods(setup).items():
            out[f"{m}_K{k}_retention"] = float(acc[k][:, :k - 1].mean())
            out[f"{m}_K{k}_newest"] = float(acc[k][:, k - 1].mean())
    return out
