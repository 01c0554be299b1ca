"""NumPy reference of `credit bench node-perturbation-bias`: node perturbation's bias against σ
(the cosine of the running mean of K estimates with the true gradient).

Mirrors Sources/Chapters/Backprop/BackpropPerturbation.swift:nodePerturbationBias. Per seed (10;
--quick 3): a 30–20–10 tanh network with unit-gain random weights, a random teacher T (10 × 30,
entries N(0, 1/30)) and one sample x ~ N(0, I), t = T x; then 4 096 (--quick 2 048) rounds, each
adding one single-sample node-perturbation and one weight-perturbation estimate (σ = 10⁻³) to
running sums, whose cosines with the backprop gradient are recorded at K = 1, 2, 4, …, 4 096.

Batching: the seeds are one array axis; the estimates are a Python loop (the running mean is
sequential in Swift), each estimate batched over the seeds.

Summary: mean over seeds of both cosines at K = 1 and at the last K.
"""
import numpy as np

import _backprop as bp


def run(quick):
    p = bp.Params(quick)
    marks = [2 ** i for i in range(int(np.ceil(np.log2(p.bias_estimates))))] + [p.bias_estimates]
    rng = bp.generator(p.seed, 30)
    weights, biases = bp.init_network([30, p.hidden, 10], p.seeds, 1, rng)
    teacher = rng.normal(0, 1 / np.sqrt(30), (p.seeds, 10, 30))
    x = rng.standard_normal((p.seeds, 1, 30))
    t = x @ teacher.swapaxes(1, 2)
    truth = bp.flatten(*bp.Backprop(True).gradient(weights, biases, x, t))
    node = bp.NodePerturbation(True, p.sigma, rng)
    weight = bp.WeightPerturbation(True, p.sigma, rng)
    np_sum, wp_sum = np.zeros_like(truth), np.zeros_like(truth)
    cosines = []    # (np, wp) per mark, each over the seeds
    for n in range(1, p.bias_estimates + 1):
        np_sum += bp.flatten(*node.gradient(weights, biases, x, t))
        wp_sum += bp.flatten(*weight.gradient(weights, biases, x, t))
        if n == marks[len(cosines)]:
            c = bp.cosine(np_sum, truth), bp.cosine(wp_sum, truth)
            if not (np.isfinite(c[0]).all() and np.isfinite(c[1]).all()):
                raise RuntimeError(f"np-bias: not finite at estimate {n}")  # the divergence guard
            cosines.append(c)
    return {"np.cosine.K1": cosines[0][0].mean(), "wp.cosine.K1": cosines[0][1].mean(),
            f"np.cosine.K{p.bias_estimates}": cosines[-1][0].mean(),
            f"wp.cosine.K{p.bias_estimates}": cosines[-1][1].mean()}
