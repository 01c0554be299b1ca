"""NumPy reference of `credit bench perturbation-scaling`: perturbation estimates against network size.

Mirrors Sources/Chapters/Backprop/BackpropPerturbation.swift:perturbationScaling. For each width
H in 5, 10, 20, 40, 80 (--quick 5, 20, 80) and each of 10 seeds (--quick 3): an H–H–H tanh
network with unit-gain random weights, one sample x ~ N(0, I) with t = T x (T entries
N(0, 1/H)), its backprop gradient, and 200 (--quick 100) independent single-sample node- and
weight-perturbation estimates (σ = 10⁻³), each compared with the gradient by its cosine over
every weight and bias; per seed the mean cosine over the draws. Also the least-squares slopes of
ln(mean cosine) against ln(2H²).

Batching: the seeds of one size are one array axis; the draws are a Python loop (one NP and one
WP estimate per draw, in Swift's order), each estimate batched over the seeds.

Summary: per H the mean over seeds of NP's and WP's mean cosine, and the two slopes.
"""
import numpy as np

import _backprop as bp


def fitted_slope(x, y):
    """fittedSlope: the ordinary least-squares slope of y on x."""
    x, y = np.asarray(x), np.asarray(y)
    return ((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum()


def run(quick):
    p = bp.Params(quick)
    summary, np_mean, wp_mean = {}, [], []
    for si, h in enumerate(p.scaling_hidden):
        rng = bp.generator(p.seed, 100 + si)
        weights, biases = bp.init_network([h, h, h], p.seeds, 1, rng)
        teacher = rng.normal(0, 1 / np.sqrt(h), (p.seeds, h, h))
        x = rng.standard_normal((p.seeds, 1, h))
        t = x @ teacher.swapaxes(1, 2)
        truth = bp.flatten(*bp.Backprop(True).gradient(weights, biases, x, t))
        node = bp.NodePerturbation(True, p.sigma, rng)
        weight = bp.WeightPerturbation(True, p.sigma, rng)
        np_sum, wp_sum = np.zeros(p.seeds), np.zeros(p.seeds)
        for _ in range(p.scaling_draws):
            np_sum += bp.cosine(bp.flatten(*node.gradient(weights, biases, x, t)), truth)
            wp_sum += bp.cosine(bp.flatten(*weight.gradient(weights, biases, x, t)), truth)
        per_seed = np.stack([np_sum, wp_sum]) / p.scaling_draws
        if not np.isfinite(per_seed).all():
            raise RuntimeError(f"perturbation-scaling: not finite at hidden {h}")  # the divergence guard
        np_mean.append(per_seed[0].mean())
        wp_mean.append(per_seed[1].mean())
        summary[f"np.cosine.H{h}"], summary[f"wp.cosine.H{h}"] = np_mean[-1], wp_mean[-1]
    log_weights = np.log([2.0 * h * h for h in p.scaling_hidden])
    summary["np.slope"] = fitted_slope(log_weights, np.log(np_mean))
    summary["wp.slope"] = fitted_slope(log_weights, np.log(wp_mean))
    return summary
