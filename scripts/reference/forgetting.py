"""NumPy reference of `credit bench forgetting`: alternating contexts C1, C2, ..., every method.

Mirrors Sources/Chapters/Context/ContextForgettingRuns.swift:runForgetting (with
runContextBlocks and the learners of ContextLearners.swift and ContextSelection.swift; the
shared pieces are in _context.py).

Parameters (ContextParameters): 5 seeds (3 with --quick), 6 blocks of 100 trials (4 of 60), K = 2
contexts, 8 MD units x 20 PFC units, 4 cues; methods no-thalamus, md-oracle, ewc, growing,
replay, xdg, bg-selected, consolidated. After every trial the probe on the block's context (for
trials to criterion), after every block the probe on every context.

Summary per method: the retention (probe accuracy on the context a block did not train, after
blocks 2..B, mean over blocks and seeds) and the mean trials to criterion of the blocks that
reached it (forgetting.csv and forgetting-criterion.csv).
"""
import numpy as np

import _context as ctx


def summarise(results, block_contexts):
    """Retention and trials to criterion per method."""
    out = {}
    for m, (acc, crit) in results.items():
        other = [acc[b + 1][:, 1 - block_contexts[b]] for b in range(1, len(block_contexts))]
        out[f"{m}_retention"] = float(np.mean(other))
        reached = crit[crit > 0]
        out[f"{m}_criterion"] = float(reached.mean()) if reached.size else float("nan")
    return out


def run(quick):
    seeds, trials, blocks = ctx.forgetting_parameters(quick)
    setup = ctx.Setup(1, seeds, contexts=2, blocks=blocks, trials=trials)
    return summarise(ctx.run_methods(setup), setup.block_contexts)
