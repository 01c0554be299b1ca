"""NumPy reference of `credit bench step-sizes`: the step-size sweep of every method.

Mirrors Sources/Chapters/Backprop/BackpropStepSizes.swift:stepSizeSweep (and trainRun in
BackpropTasks.swift). For both tasks (linear teacher 30–20–10, linear student; smooth XOR
2–20–20–1, tanh) and every method (backprop, FA, DFA, NP, WP), each base η (0.01; η_p / (N + 2)
with η_p = 0.02 for NP and WP) times each factor (0.0625 … 256; --quick: 1, 16) is trained
online for 10 000 samples (--quick 8 000) on the 3 sweep seeds (--quick 1), recording the
200-sample test loss at 51 checkpoints (--quick 41); a run whose test loss passes 10⁸ stops at
that checkpoint. The chosen factor is the one with the lowest mean final loss among those at
which no seed diverged.

Batching: per task and method, all factors × seeds train together along the run axis. Each run
draws its teacher, test set, initial network and training samples from its seed's streams (as
every Swift run does), so the runs of a seed share them across methods and factors.

Summary: per task and method the chosen factor and its mean final test loss.
"""
import numpy as np

import _backprop as bp


def sweep(p):
    """stepSizeSweep: per (task, method) the mean final test loss per factor over the seeds
    that did not diverge (NaN if all did), the diverged seeds per factor, and the chosen index."""
    factors, seeds = p.step_size_factors, p.sweep_seeds
    first = p.seed + 1000
    marks = bp.checkpoint_samples(p.steps, p.checkpoints)
    run_seeds = [first + k for _ in factors for k in range(seeds)]    # runs: factor-major, seed-minor
    run_factors = np.repeat(factors, seeds)
    curves = {}
    for task in bp.TASKS:
        for mi, method in enumerate(bp.METHODS):
            data = bp.TaskData(task, p, run_seeds)
            rule_rng = bp.generator(first, bp.stream_base(task) + 3 + mi)
            losses, diverged_at = bp.train_runs(data, method, p, run_factors, rule_rng, marks)
            final = losses[:, -1].reshape(len(factors), seeds)
            diverged = (diverged_at >= 0).reshape(len(factors), seeds).sum(axis=1)
            ok = np.isfinite(final)     # NaN: the run diverged
            mean = np.array([final[i][ok[i]].mean() if ok[i].any() else np.nan for i in range(len(factors))])
            eligible = [i for i in range(len(factors)) if diverged[i] == 0 and np.isfinite(mean[i])]
            best = min(eligible, key=lambda i: mean[i]) if eligible else factors.index(1)
            curves[task, method] = mean, diverged, best
    return curves


def run(quick):
    p = bp.Params(quick)
    summary = {}
    for (task, method), (mean, _, best) in sweep(p).items():
        summary[f"{task}.{method}.factor"] = p.step_size_factors[best]
        summary[f"{task}.{method}.final_loss"] = mean[best]
    return summary
