#!/usr/bin/env python3
"""NumPy reference of the `consolidation-sweep` workload: trials until the student alone
performs, over a log-spaced grid of η_M (Eq. 8) × η_w (Eq. 9), for the consolidation motif of
Box 1 of Wang & Halassa (2021), Eqs. 4–9.

Mirrors Sources/Chapters/Consolidation/ConsolidationSweep.swift:sweep, which runs
ConsolidationRuns.swift:traceRun / runTrials on CreditCore/ConsolidationMotif.swift:
ConsolidationMotif.trial for every cell and seed. Defaults: an 8 × 8 grid with η_M and η_w in
1e-3…1e-1, 5 seeds per cell, 3000 trials (--quick: 6 × 6, 3 seeds, 2000 trials); S = 4 stimuli,
m = 4 actions, n = 20 inputs, η_W = 0.05, β_t = 10, β_s = 8, M₀ ~ U(0.01, 0.05), w₀ = 1,
W₀ = 0, prototype background U(0, 0.1), input noise U(0, 0.05), criterion 0.9, blocks of 100.

One trial of every run: a stimulus k and its noisy input x; the teacher's choice
a*_t ~ softmax(β_t W x) (Eqs. 5–6); o = M x + w ∘ y (Eq. 4); the performed action
a*_s ~ softmax(β_s o); r = 1 if it is correct; then Eqs. 7–9 applied together from the weights
before the trial. Every trial's RPE and, at the end of every block, every weight is checked for
divergence (not finite or beyond 1e6: the run counts as failed, its cell as diverged). At the end
of every block the same record as Swift's Trace: the block's fraction correct, the exact student
and teacher accuracies on each stimulus's mean input, the mean of w, ‖M‖_F and the teacher's
drive for the correct action. A run has consolidated at the first block end where the student's
accuracy reaches the criterion.

All cells × seeds are batched along one array axis; the trial loop is Python. As in Swift, seed s
of every cell has the same task, M₀, stimuli, noise and sampling uniforms (one draw per seed,
shared by the cells), so cells differ only in their rates.
"""
import numpy as np

from _softmax import sample, softmax

STIMULI, ACTIONS, INPUTS = 4, 4, 20
ETA_TEACHER, BETA_TEACHER, BETA_OUTPUT = 0.05, 10.0, 8.0
M0, W0, BACKGROUND, NOISE = (0.01, 0.05), 1.0, 0.1, 0.05
CRITERION, BLOCK, DIVERGENCE_BOUND = 0.9, 100, 1e6
ETA_RANGE = (1e-3, 1e-1)


def parameters(quick):
    """(grid points per axis, seeds per cell, trials)."""
    return (6, 3, 2000) if quick else (8, 5, 3000)


def matvec(a, x):
    """a[b] @ x[b] for every run b."""
    return np.einsum("bij,bj->bi", a, x)


class Runs:
    """The motif of every run (cell × seed) with its seed's task."""

    def __init__(self, eta_student, eta_w, seeds, rng):
        cells = eta_student.size
        self.seed_of = np.tile(np.arange(seeds), cells)              # run b belongs to seed seed_of[b]
        self.eta_m = np.repeat(eta_student, seeds)[:, None]
        self.eta_w = np.repeat(eta_w, seeds)
        patterns, m0 = [], []
        for _ in range(seeds):                                        # each seed's task and M₀
            p = rng.uniform(0, BACKGROUND, (STIMULI, INPUTS))
            p[np.arange(INPUTS) % STIMULI, np.arange(INPUTS)] += 1
            patterns.append(p)
            m0.append(rng.uniform(*M0, (ACTIONS, INPUTS)))
        self.patterns = np.array(patterns)                            # (seeds, S, n)
        self.mapping = np.arange(STIMULI) % ACTIONS
        b = self.seed_of.size
        self.W = np.zeros((b, ACTIONS, INPUTS))
        self.M = np.array(m0)[self.seed_of]
        self.w = np.full((b, ACTIONS), W0)
        self.rows = np.arange(b)

    def trial(self, k, noise, u_teacher, u_action):
        """One learning trial of every run: stimulus k[seed], noise[seed] (uniforms in [0, 1)),
        sampling uniforms per seed. Returns (reward, rpe) per run."""
        s_of, b = self.seed_of, self.rows
        x = (self.patterns[np.arange(k.size), k] + NOISE * noise)[s_of]     # (B, n)
        g = matvec(self.W, x)                                                # Eq. (5)
        a_t = sample(softmax(g, BETA_TEACHER), u_teacher[s_of])              # Eq. (6)
        y = g[b, a_t]                                                        # y_{a*_t}
        w_a, m_a = self.w[b, a_t], self.M[b, a_t]
        o = matvec(self.M, x)
        o[b, a_t] += w_a * y                                                 # Eq. (4)
        a_s = sample(softmax(o, BETA_OUTPUT), u_action[s_of])               # Eq. (6)
        reward = (a_s == self.mapping[k][s_of]).astype(float)
        rpe = reward - o[b, a_s]
        d_m = self.eta_m * (w_a * y)[:, None] * m_a * x                      # Eq. (8)
        d_w = -self.eta_w * w_a * y * np.einsum("bj,bj->b", m_a, x)          # Eq. (9)
        self.W[b, a_s] += ETA_TEACHER * rpe[:, None] * x                     # Eq. (7)
        self.M[b, a_t] += d_m
        self.w[b, a_t] += d_w
        return reward, rpe

    def record(self):
        """Exact student and teacher accuracy (mean over stimuli, on the mean inputs), mean w,
        ‖M‖_F and the teacher's drive for the correct action, per run."""
        x = (self.patterns + NOISE / 2)[self.seed_of]                       # (B, S, n)
        correct = self.mapping
        student = np.einsum("bij,bsj->bsi", self.M, x)
        drive = np.einsum("bij,bsj->bsi", self.W, x)
        s_acc = softmax(student, BETA_OUTPUT)[:, np.arange(STIMULI), correct].mean(axis=1)
        t_acc = softmax(drive, BETA_TEACHER)[:, np.arange(STIMULI), correct].mean(axis=1)
        return (s_acc, t_acc, self.w.mean(axis=1), np.sqrt((self.M ** 2).sum(axis=(1, 2))),
                drive[:, np.arange(STIMULI), correct].mean(axis=1))

    def weights_ok(self):
        """Per run: every weight finite and within the divergence bound."""
        return np.all(np.abs(np.concatenate([self.W, self.M], axis=2)) <= DIVERGENCE_BOUND, axis=(1, 2)) & \
            np.all(np.abs(self.w) <= DIVERGENCE_BOUND, axis=1)


def sweep(quick):
    """Criterion trial (NaN if never reached) and divergence per (η_M, η_w, seed)."""
    size, seeds, trials = parameters(quick)
    eta = np.geomspace(*ETA_RANGE, size)
    eta_m, eta_w = np.meshgrid(eta, eta, indexing="ij")                     # cell (i, j), η_M-major
    rng = np.random.default_rng(1)
    runs = Runs(eta_m.ravel(), eta_w.ravel(), seeds, rng)
    n_runs = runs.seed_of.size
    ok = np.ones(n_runs, dtype=bool)
    reached = np.full(n_runs, np.nan)
    correct = np.zeros(n_runs)
    trace = []
    with np.errstate(over="ignore", invalid="ignore"):
        for n in range(1, trials + 1):
            k = rng.integers(STIMULI, size=seeds)
            reward, rpe = runs.trial(k, rng.random((seeds, INPUTS)), rng.random(seeds), rng.random(seeds))
            ok &= np.abs(rpe) <= DIVERGENCE_BOUND
            correct += reward
            if n % BLOCK == 0 or n == trials:
                ok &= runs.weights_ok()
                student, *rest = runs.record()
                trace.append((n, correct / (BLOCK if n % BLOCK == 0 else n % BLOCK), student, *rest))
                correct[:] = 0
                reached = np.where(np.isnan(reached) & (student >= CRITERION), n, reached)
    reached[~ok] = np.nan
    shape = (size, size, seeds)
    return eta, reached.reshape(shape), ~ok.reshape(shape), trace


def run(quick):
    """The `consolidation-sweep` workload; summary: how many cells consolidated in every seed,
    their mean consolidation time, the mean success fraction, and two cells' mean times."""
    eta, reached, diverged, _ = sweep(quick)
    success = np.mean(~np.isnan(reached), axis=2)
    mean_time = reached.mean(axis=2)  # NaN unless every seed consolidated, as in Swift
    mid = int(np.argmin(np.abs(np.log(eta / 0.0139))))
    return {
        "cells_consolidated": float(np.sum(success == 1)),
        "success_fraction_mean": float(success.mean()),
        "trials_mean_over_consolidated_cells": float(np.nanmean(mean_time)),
        f"trials_eta_m_{eta[mid]:.3g}_eta_w_{eta[mid]:.3g}": float(mean_time[mid, mid]),
        "trials_eta_max_eta_max": float(mean_time[-1, -1]),
        "cells_diverged": float(np.sum(diverged.any(axis=2))),
    }
