"""NumPy reference of `credit bench bg-lesion`: the circuit silenced after each block.

Mirrors Sources/Chapters/Context/ContextSelectionRuns.swift:bgLesion (BasalGangliaLearner with
consolidation, ThalamicSelector; the shared pieces are in _context.py).

Parameters: 5 seeds (3 with --quick), 12 blocks of 100 trials (60 with --quick) plus 2
post-lesion blocks, K = 2 contexts, 8 MD units x 20 PFC units, eta_M 0.03, eta_w 0.015. The full
circuit (basal ganglia + corticothalamic student) trains block by block; after each block it is
forked into an intact and a lesioned copy (basal ganglia silenced: y = 0, no BG learning, no
Eqs. 8-9), which run the next 2 blocks on the same trials and random numbers. Retention: the
expected probe accuracy on the context a post-lesion block did not train, mean over the 2 blocks.

NumPy layout: the fork is one batch of (intact, lesioned) x seeds that shares the draws of the
copied generator. Summary: intact and lesioned retention at the early (block 2) and late (block
12) lesion points and over all points, and the student's selection of the basal ganglia's unit
and that unit's gain w after the last block (bg-lesion.csv, bg-lesion-progress.csv).
"""
import numpy as np

import _context as ctx

BLOCKS, POST, EARLY = 12, 2, 2


def train_block(learner, setup, b, reps=1):
    maps, cues = np.tile(setup.maps, (reps, 1, 1)), np.tile(setup.cues[:, b], (reps, 1))
    rows, context = np.arange(len(maps)), setup.block_contexts[b]
    for t in range(setup.trials):
        learner.train(cues[:, t], context, maps[rows, context, cues[:, t]])
    ctx.check(learner.weights(), f"block {b + 1}")


def consolidation_state(learner):
    """The student's P(basal ganglia's preferred unit) and that unit's w, mean over contexts."""
    student = gain = 0.0
    for c in range(2):
        k = ctx.softmax(learner.theta[:, :, c]).argmax(axis=-1)
        x = np.broadcast_to(learner.x[:, c, None, :], (len(k), ctx.CUES, ctx.UNITS))
        p = ctx.softmax(ctx.BETA_MD * np.einsum("bmn,bsn->bsm", learner.M, x))
        student = student + p[np.arange(len(k)), :, k].mean(axis=-1) / 2
        gain = gain + learner.w[np.arange(len(k)), k] / 2
    return student, gain


def run(quick):
    seeds, trials, _ = ctx.forgetting_parameters(quick)
    setup = ctx.Setup(1, seeds, contexts=2, blocks=BLOCKS + POST, trials=trials)
    learner = ctx.BasalGanglia(setup, consolidates=True)
    maps = np.tile(setup.maps, (2, 1, 1))
    retention = np.zeros((BLOCKS, 2, seeds))
    progress = [consolidation_state(learner)]
    for b in range(BLOCKS):
        train_block(learner, setup, b)
        progress.append(consolidation_state(learner))
        fork = learner.fork([False, True])
        values = []
        for j in range(POST):
            train_block(fork, setup, b + 1 + j, reps=2)
            values.append(fork.expected_accuracy(1 - setup.block_contexts[b + 1 + j], maps))
        retention[b] = np.mean(values, axis=0).reshape(2, seeds)
    student, gain = progress[-1]
    return {"intact_early": retention[EARLY - 1, 0].mean(), "lesioned_early": retention[EARLY - 1, 1].mean(),
            "intact_late": retention[-1, 0].mean(), "lesioned_late": retention[-1, 1].mean(),
            "intact_mean": retention[:, 0].mean(), "lesioned_mean": retention[:, 1].mean(),
            "final_student_selection": student.mean(), "final_bg_gain": gain.mean()}
