"""NumPy reference of `credit bench bg-selection`: the basal ganglia learn which MD unit to release.

Mirrors Sources/Chapters/Context/ContextSelectionRuns.swift:bgSelection (BasalGangliaLearner of
ContextSelection.swift, ThalamicSelector and HebbianMDSelector of CreditCore; the shared pieces
are in _context.py).

Parameters: 5 seeds (3 with --quick), 12 blocks of 100 trials (60 with --quick), K = 2 contexts,
8 MD units x 20 PFC units, alpha_actor 1, alpha_critic 0.5, beta_MD 20, no consolidation. Three
runs, as in Swift: (1) the basal ganglia alone, recording the exact P(MD unit | context) every
10 trials and at every block end and the expected probe accuracy after every block; (2) the
forgetting comparison on the same seeds and blocks for no-thalamus, md-oracle, bg-selected and
hebbian-md (probes after every trial and block); (3) the Hebbian PFC->MD rule trained again, to
see whether it ends with different MD units for the two contexts.

Summary: seeds with a one-to-one assignment, the final P(own unit) (mean over seeds and
contexts), the expected accuracy after the last block, the comparison's retention per method
and the seeds on which the Hebbian rule separates the contexts.
"""
import numpy as np

import _context as ctx


def selection_run(setup, record_every=10):
    """Run (1): probabilities (records, seeds, 2, M) and expected accuracy (blocks + 1, seeds, 2)."""
    learner = ctx.BasalGanglia(setup, consolidates=False)
    rows = np.arange(setup.seeds)
    probs = [np.stack([learner.selection(c)[:, 0] for c in range(2)], axis=1)]
    accuracy = [np.stack([learner.expected_accuracy(c, setup.maps) for c in range(2)], axis=1)]
    done = 0
    for b, context in enumerate(setup.block_contexts):
        for t in range(setup.trials):
            cue = setup.cues[:, b, t]
            learner.train(cue, context, setup.maps[rows, context, cue])
            done += 1
            if done % record_every == 0 or t == setup.trials - 1:
                probs.append(np.stack([learner.selection(c)[:, 0] for c in range(2)], axis=1))
        ctx.check(learner.weights(), f"block {b + 1}")
        accuracy.append(np.stack([learner.expected_accuracy(c, setup.maps) for c in range(2)], axis=1))
    return np.array(probs), np.array(accuracy)


def hebbian_distinct(setup):
    """Run (3): whether the Hebbian rule ends with different winners for the two contexts."""
    learner = ctx.HebbianMD(setup)
    rows = np.arange(setup.seeds)
    for b, context in enumerate(setup.block_contexts):
        for t in range(setup.trials):
            cue = setup.cues[:, b, t]
            learner.train(cue, context, setup.maps[rows, context, cue])
    return learner.winner(0) != learner.winner(1)


def run(quick):
    seeds, trials, _ = ctx.forgetting_parameters(quick)
    setup = ctx.Setup(1, seeds, contexts=2, blocks=12, trials=trials)
    probs, accuracy = selection_run(setup)
    final = probs[-1]
    units = final.argmax(axis=-1)
    own = np.take_along_axis(final, units[:, :, None], axis=-1)[:, :, 0]
    one_to_one = (units[:, 0] != units[:, 1]) & (own >= 0.9).all(axis=1)
    out = {"one_to_one_seeds": float(one_to_one.sum()), "final_own_probability": float(own.mean()),
           "final_expected_accuracy": float(accuracy[-1].mean())}
    comparison = ctx.run_methods(setup, ["no-thalamus", "md-oracle", "bg-selected", "hebbian-md"])
    for m, (acc, _) in comparison.items():
        other = [acc[b + 1][:, 1 - setup.block_contexts[b]] for b in range(1, len(setup.block_contexts))]
        out[f"{m}_retention"] = float(np.mean(other))
    out["hebbian_distinct_seeds"] = float(hebbian_distinct(setup).sum())
    return out
