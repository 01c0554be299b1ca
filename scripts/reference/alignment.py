"""NumPy reference of `credit bench alignment`: feedback alignment's angle to backprop over training.

Mirrors Sources/Chapters/Backprop/BackpropAlignment.swift:alignment (and trainRun in
BackpropTasks.swift). FA trains online on the linear task (30–20–10, linear student, initial
weight scale 0.1) at its base η = 0.01 for 10 000 samples (--quick 8 000) on 10 seeds (--quick
3). At each of the log-dense checkpoints (0, 1, 2, 5, 10, 20, 50, 100, then 50 even points;
--quick 40) it records the 200-sample test loss (the divergence guard), then over the test set
FA's mean update of W_1 and backprop's, and their angle, and the angle between W_2 and B_2ᵀ.

Batching: the seeds train together along the run axis; every test-set evaluation (loss, FA's
gradient, backprop's gradient: three forward passes, as in Swift) is one batched pass over the
seeds and the 200 samples.

Summary: mean over seeds of the initial and final update angle ∠(ΔW_1^FA, ΔW_1^BP) and of the
initial and final weight angle ∠(W_2, B_2ᵀ), in degrees.
"""
import numpy as np

import _backprop as bp


def log_dense_checkpoints(steps, count):
    """logDenseCheckpoints: the even checkpoints plus 1-2-5 × 10^k below the first of them."""
    even = bp.checkpoint_samples(steps, count)
    first = even[1] if len(even) > 1 else steps
    early, decade = [], 1
    while decade < first:
        early += [m * decade for m in (1, 2, 5) if m * decade < first]
        decade *= 10
    return sorted(set(even + early))


def run(quick):
    p = bp.Params(quick)
    marks = log_dense_checkpoints(p.steps, p.checkpoints)
    data = bp.TaskData("linear", p, [p.seed + k for k in range(p.seeds)])
    backprop = bp.Backprop(data.tanh)
    update = np.full((p.seeds, len(marks)), np.nan)
    weights_angle = np.full((p.seeds, len(marks)), np.nan)

    def observe(i, active, weights, biases, rule, test_x, test_t):
        fa_w, _ = rule.gradient(weights, biases, test_x, test_t)
        bp_w, _ = backprop.gradient(weights, biases, test_x, test_t)
        update[active, i] = bp.angle_degrees(fa_w[0], bp_w[0])
        weights_angle[active, i] = bp.angle_degrees(weights[1], rule.bt[0])

    rule_rng = bp.generator(p.seed, bp.stream_base("linear") + 3 + bp.METHODS.index("fa"))
    _, diverged_at = bp.train_runs(data, "fa", p, np.ones(p.seeds), rule_rng, marks, observe)
    if (diverged_at >= 0).any():
        raise RuntimeError("alignment: FA diverged")    # as the Swift workload throws
    return {"update_angle_initial": update[:, 0].mean(), "update_angle_final": update[:, -1].mean(),
            "weight_angle_initial": weights_angle[:, 0].mean(),
            "weight_angle_final": weights_angle[:, -1].mean()}
