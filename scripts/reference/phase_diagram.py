#!/usr/bin/env python3
"""NumPy reference of the `phase-diagram` workload: τ_eff / τ of the PFC unit's resting state
from Eq. (11) over a grid of (r_MD, w_PFC), the nonlinear regimes flagged, the g = 1 boundaries,
and a simulated check of Eq. (11) on a sub-grid (Wang & Halassa 2021, Eqs. 10–11).

Mirrors Sources/Chapters/Gating/GatingPhaseDiagram.swift:phaseDiagram on
CreditCore/WorkingMemoryDynamics.swift (numerics in _rate.py). Parameters: τ = 20 ms,
r_s = r_bias = −3, r_MD ∈ [0, 4] × w_PFC ∈ [0.5, 4] on 120 × 120 points, every 12th cell in each
direction (offset 6) with a resting state also simulated (RK4, dt = 0.05 ms, ε = 1e-5, a fit
over 3 e-folds); --quick: 40 × 40, stride 8, dt = 0.1 ms. Each cell: all fixed points of
Eq. (10); three is `bistable`, one above the onset weight of bistability is `high_only` (the
resting state has gone, ratio NaN), else `linear`; the lowest fixed point's loop gain and
τ_eff / τ. All cells are batched (fixed points by vectorised bisection), and so are the checks
(the RK4 time loop is Python).
"""
import numpy as np

import _rate

TAU, R_BIAS, EPSILON, E_FOLDS = 20.0, -3.0, 1e-5, 3.0
MD_RANGE, W_RANGE = (0.0, 4.0), (0.5, 4.0)


def run(quick):
    """The `phase-diagram` workload; summary: cells per regime, the largest graded τ_eff / τ, the
    simulated checks (count, largest relative error) and mean ratios, and the boundaries."""
    points, stride, dt = (40, 8, 0.1) if quick else (120, 12, 0.05)
    md = np.linspace(*MD_RANGE, points)
    w = np.linspace(*W_RANGE, points)
    weight = (1 + md[None, :]) * w[:, None]                     # [j, i]: w_PFC[j], r_MD[i]
    window = _rate.bistability_window(R_BIAS)
    fps = _rate.fixed_points(weight, R_BIAS)
    bistable = (~np.isnan(fps)).sum(axis=-1) > 1
    high_only = ~bistable & (weight > window[0]) if window is not None else np.zeros_like(bistable)
    rest = fps[..., 0]
    gain = _rate.loop_gain(weight, rest, R_BIAS)
    ratio = np.where(high_only, np.nan, 1 / (1 - gain))         # Eq. (11): τ_eff / τ
    offset = stride // 2
    on_grid = (np.arange(points) % stride == offset)
    checked = on_grid[:, None] & on_grid[None, :] & ~high_only
    simulated = np.full(weight.shape, np.nan)
    tau_sim, _ = _rate.measure_tau(weight[checked], R_BIAS, rest[checked], TAU, dt, EPSILON, E_FOLDS)
    simulated[checked] = tau_sim / TAU
    onset = window[0] / w - 1 if window is not None else np.full(points, np.nan)
    collapse = window[1] / w - 1 if window is not None else np.full(points, np.nan)
    error = np.abs(simulated[checked] - ratio[checked]) / ratio[checked]
    linear = ~bistable & ~high_only
    return {
        "cells_linear": float(linear.sum()), "cells_bistable": float(bistable.sum()),
        "cells_high_only": float(high_only.sum()), "max_graded_ratio": float(ratio[linear].max()),
        "checks": float(checked.sum()), "max_check_rel_error": float(error.max()),
        "mean_ratio_checked_sim": float(simulated[checked].mean()),
        "mean_ratio_theory": float(np.nanmean(ratio)),
        "onset_r_md_w_max": float(onset[-1]), "collapse_r_md_w_max": float(collapse[-1]),
    }
