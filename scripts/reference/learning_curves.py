"""NumPy reference of `credit bench learning-curves`: every method's learning curves.

Mirrors Sources/Chapters/Backprop/BackpropLearningCurves.swift:learningCurves (and trainRun in
BackpropTasks.swift, LinearModel.fit in Sources/CreditCore/LinearModel.swift). On both tasks
every method (backprop, FA, DFA, NP, WP) trains online for 10 000 samples (--quick 8 000) on 10
seeds (--quick 3) at its base η times the step-size sweep's chosen factor, recording the
200-sample test loss at 51 checkpoints (--quick 41); a run whose test loss passes 10⁸ stops. Per
seed and task the best affine model is fitted by least squares (normal equations, ridge 1e-10·n
off the intercept) on 5 000 noisy samples and scored on the test set.

The step-size sweep is untimed set-up in the Swift workload; `prepare` returns its chosen
factors as constants, taken from the `chosen` column of step-sizes.csv written by
`/work/bin-ref/credit backprop --data [--quick]` (prebuilt main), which agree with the η of
figures/backprop/learning-curves.caption.txt (η = factor × base η).

Batching: per task and method the seeds train together along the run axis; each run draws its
teacher, test set, initial network and training samples from its seed's streams (as every Swift
run does), so all methods of a seed share them. The linear fits of all seeds are one batched
solve.

Summary: per task and method the mean and the median over seeds of the test loss at the last
checkpoint every seed reached, and per task the mean test loss of the best linear model.
"""
import numpy as np

import _backprop as bp

# The chosen factors of step-sizes.csv (credit backprop --data, and with --quick).
CHOSEN = {
    False: {"linear": {"backprop": 0.25, "fa": 0.25, "dfa": 0.0625, "np": 1, "wp": 4},
            "nonlinear": {"backprop": 1, "fa": 1, "dfa": 4, "np": 16, "wp": 64}},
    True: {"linear": {"backprop": 1, "fa": 1, "dfa": 1, "np": 1, "wp": 1},
           "nonlinear": {"backprop": 1, "fa": 1, "dfa": 1, "np": 16, "wp": 16}},
}


def prepare(quick):
    return CHOSEN[quick]


def linear_reference(task, p, seeds, ridge=1e-10):
    """LinearModel.fit on 5 000 noisy samples per seed (stream base + 9), then its mean test
    loss per seed."""
    fit, test_x, test_t = [], [], []
    for seed in seeds:
        teacher, tx, tt = bp.teacher_task(task, seed, p.test_size)
        fit.append(bp.samples(teacher, bp.LINEAR_REFERENCE_SAMPLES, bp.TRAINING_NOISE,
                              bp.generator(seed, bp.stream_base(task) + 9)))
        test_x.append(tx)
        test_t.append(tt)
    x, t = np.stack([f[0] for f in fit]), np.stack([f[1] for f in fit])
    test_x, test_t = np.stack(test_x), np.stack(test_t)
    n, d = x.shape[1], x.shape[2]
    xa = np.concatenate([x, np.ones(x.shape[:2] + (1,))], axis=2)      # [x, 1]
    gram = xa.swapaxes(1, 2) @ xa
    gram[:, np.arange(d), np.arange(d)] += ridge * n
    theta = np.linalg.solve(gram, xa.swapaxes(1, 2) @ t)                # (S, d + 1, m)
    test = np.concatenate([test_x, np.ones(test_x.shape[:2] + (1,))], axis=2)
    return bp.loss(test @ theta, test_t)


def run(quick, chosen):
    p = bp.Params(quick)
    marks = bp.checkpoint_samples(p.steps, p.checkpoints)
    seeds = [p.seed + k for k in range(p.seeds)]
    summary = {}
    for task in bp.TASKS:
        for mi, method in enumerate(bp.METHODS):
            data = bp.TaskData(task, p, seeds)
            rule_rng = bp.generator(p.seed, bp.stream_base(task) + 3 + mi)
            losses, _ = bp.train_runs(data, method, p, np.full(p.seeds, chosen[task][method]), rule_rng, marks)
            reached = np.isfinite(losses).all(axis=0)                   # the common prefix
            last = np.flatnonzero(reached)[-1]
            summary[f"{task}.{method}.final_loss"] = losses[:, last].mean()
            summary[f"{task}.{method}.final_median"] = np.median(losses[:, last])
        summary[f"{task}.linear_fit_loss"] = linear_reference(task, p, seeds).mean()
    return summary
