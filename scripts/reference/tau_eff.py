#!/usr/bin/env python3
"""NumPy reference of the `tau-eff` workload: τ_eff of the PFC unit's resting state against r_MD,
simulated from Eq. (10) and from Eq. (11), for w_PFC = 2, 3, 4 (Wang & Halassa 2021).

Mirrors Sources/Chapters/Gating/GatingTauEffective.swift:tauEffective (with mdReachingLoopGain)
on CreditCore/WorkingMemoryDynamics.swift (numerics in _rate.py). Parameters (the chapter's
WorkingMemoryParameters): τ = 20 ms, r_s = r_bias = −3, ε = 1e-5, a fit over 3 e-folds, dt =
0.05 ms and 30 r_MD points per w_PFC (--quick: dt = 0.1 ms, 15 points). For each w_PFC the sweep
runs from r_MD = 0 to where the resting loop gain reaches 0.97 (bisection on r_MD, each step a
fixed-point search; capped below the end of the bistable window and at r_MD = 10). At every
point: the resting fixed point, Eq. (11)'s τ_eff, the simulated τ_eff (RK4 from r* + ε) and
whether a second fixed point exists (bistable). Also, as Swift computes them: the graded regime's
ceiling (Eq. 11 at the onset of bistability) and Eq. (11) on 400 r_MD points per w_PFC (the
smooth theory curves). All w_PFC × r_MD points are batched; the RK4 time loop is Python.
"""
import numpy as np

import _rate

TAU, R_BIAS, W_PFC = 20.0, -3.0, np.array([2.0, 3.0, 4.0])
MAX_LOOP_GAIN, MAX_MD, EPSILON, E_FOLDS = 0.97, 10.0, 1e-5, 3.0


def resting(weight):
    """The lowest fixed point of Eq. (10) at r_s = r_bias for each effective weight W, and its g."""
    rest = _rate.fixed_points(weight, R_BIAS)[..., 0]
    return rest, _rate.loop_gain(weight, rest, R_BIAS)


def sweep_ends():
    """For each w_PFC, the r_MD at which the resting loop gain reaches MAX_LOOP_GAIN (Swift:
    mdReachingLoopGain), or the end of the range where the resting state exists."""
    window = _rate.bistability_window(R_BIAS)
    hi = np.full(W_PFC.size, MAX_MD)
    if window is not None:
        upper = window[1] / W_PFC - 1
        hi = np.where(upper > 0, np.minimum(MAX_MD, upper * (1 - 1e-12)), hi)

    def excess(md, i):
        return resting((1 + md) * W_PFC[i])[1] - MAX_LOOP_GAIN

    top = _rate.bisect(excess, np.zeros(W_PFC.size), hi)
    short = excess(hi, np.arange(W_PFC.size)) < 0
    return np.where(short | np.isnan(top), hi, top)


def run(quick):
    """The `tau-eff` workload; summary: the largest relative error of Eq. (11) for g ≤ 0.9, the
    sweep's end per w_PFC, mean τ_eff (simulated, theory), the bistable points and the ceiling."""
    dt, points = (0.1, 15) if quick else (0.05, 30)
    top = sweep_ends()
    md = np.linspace(0, top, points, axis=1)                        # (w_PFC, points)
    weight = (1 + md) * W_PFC[:, None]
    rest, gain = resting(weight)
    theory = TAU / (1 - gain)                                       # Eq. (11)
    simulated, _ = _rate.measure_tau(weight, R_BIAS, rest, TAU, dt, EPSILON, E_FOLDS)
    simulated = simulated.reshape(weight.shape)
    bistable = (~np.isnan(_rate.fixed_points(weight, R_BIAS))).sum(axis=-1) > 1
    window = _rate.bistability_window(R_BIAS)
    ceiling = np.nan
    if window is not None:
        ceiling = TAU / (1 - resting(np.array([window[0]]))[1][0])
    fine = np.linspace(0, top, 400, axis=1)
    theory_curves = TAU / (1 - resting((1 + fine) * W_PFC[:, None])[1])
    error = np.abs(simulated - theory) / theory
    out = {"max_rel_error_g_le_0.9": float(error[gain <= 0.9].max())}
    out.update({f"r_md_end_w{w:g}": float(t) for w, t in zip(W_PFC, top)})
    out.update({
        "tau_sim_mean_ms": float(simulated.mean()), "tau_theory_mean_ms": float(theory.mean()),
        "bistable_points": float(bistable.sum()), "graded_ceiling_ms": float(ceiling),
        "theory_curve_max_ms": float(theory_curves.max()),
    })
    return out
