"""NumPy reference of `credit bench weight-protection`: the PFC-MD reservoir's readout drift.

Mirrors Sources/Chapters/Context/ContextProtection.swift:weightProtection (and protectionRun),
with CreditCore/PFCMDReservoir.swift (PFCMDReservoir.step, PFCReadout.step).

Per seed: a reservoir of 5 groups x n units (n = 40; 16 with --quick), J ~ N(0, G^2 / (2 n))
with each row's mean removed, W_in = 1.5 U(0.5, 1) onto the four cue groups; a readout of two
outputs, W ~ U(-1, 1) / N, low-pass filtered with tau and rectified by max(tanh, 0), learning by
the delta rule at every 1 ms step (eta = 2.5e-4; 3.125e-3 with --quick). Schedule: 100 / 100 / 10
cycles (20 / 20 / 5 with --quick) of context 1, context 2, context 1; a cycle is each of the
context's two cues once in shuffled order, a trial 200 Euler steps (cue on for 100) from
x ~ U(0, 0.1). Conditions: MD on (gain 8, inhibition -10) and MD off (gain 2 everywhere) run the
whole schedule; "gain only" and "inhibition only" learn context 2 from the MD-on run's readout
at the end of context 1. Per cycle: mean |dw| of each context's readout weights and the error.

NumPy layout: seeds x conditions on the two leading axes (J is per seed, shared by the
conditions); the ablations join the batch at the start of the context-2 block (a copy of the
MD-on readout) and leave it before the return. Every condition of a seed sees the same trials
and initial states (the Swift runs share the seed's trial stream), so the trial draws have a
seed axis only and broadcast over conditions. J r is a dense batched product (Swift sums only
the columns of active units; the result is the same).

Summary: seed means of the context-1 drift during c2 per condition, the protection ratio
(MD off / MD on), MD on's first-step share, and the end-of-c1 and return errors of MD on and off
(the columns of weight-protection-summary.csv).
"""
import numpy as np

CONDITIONS = ["on", "off", "gain-only", "inhibition-only"]


def parameters(quick):
    """The chapter's defaults (or --quick ones)."""
    if quick:
        return dict(seeds=3, n=16, cycles=(20, 20, 5), eta=3.125e-3)
    return dict(seeds=5, n=40, cycles=(100, 100, 10), eta=2.5e-4)


def couplings(n, conditions):
    """Per condition and context: the gain 1 + W_mult m and offset W_add m of every unit."""
    units = 5 * n
    own = np.zeros((2, units), dtype=bool)
    for k in range(2):
        own[k, 2 * k * n:2 * (k + 1) * n] = True
    table = {"on": (8.0, 0.0, -10.0), "off": (2.0, 2.0, 0.0),
             "gain-only": (8.0, 0.0, 0.0), "inhibition-only": (0.0, 0.0, -10.0)}
    gain = np.empty((len(conditions), 2, units))
    offset = np.empty_like(gain)
    for c, name in enumerate(conditions):
        context_gain, other_gain, inhibition = table[name]
        gain[c] = 1 + np.where(own, context_gain, other_gain)
        offset[c] = np.where(own, 0.0, inhibition)
    return gain, offset


def run(quick):
    p = parameters(quick)
    seeds, n, eta = p["seeds"], p["n"], p["eta"]
    units, tau, dt, steps, cue_steps = 5 * n, 20.0, 1.0, 200, 100
    k = dt / tau
    rng = np.random.default_rng(1)
    J = rng.normal(0, 0.75 / np.sqrt(2 * n), (seeds, units, units))
    J -= J.mean(axis=2, keepdims=True)
    JT = np.ascontiguousarray(np.swapaxes(J, 1, 2))
    w_in = np.zeros((seeds, units))
    w_in[:, :4 * n] = rng.uniform(0.5, 1, (seeds, 4 * n)) * 1.5
    W = np.repeat(rng.uniform(-1, 1, (seeds, 1, 2, units)) / units, 2, axis=1)  # on, off
    c1, c2 = slice(0, 2 * n), slice(2 * n, 4 * n)
    targets = np.eye(2)
    dw = {name: [] for name in CONDITIONS}
    dw2 = {name: [] for name in CONDITIONS}
    errors = {name: [] for name in CONDITIONS}
    first = np.zeros((seeds, 4))
    total = np.zeros((seeds, 4))
    schedule = ["c1"] * p["cycles"][0] + ["c2"] * p["cycles"][1] + ["c1-return"] * p["cycles"][2]
    conditions = CONDITIONS[:2]
    gain, offset = couplings(n, conditions)
    for cycle, block in enumerate(schedule):
        if block == "c2" and len(conditions) == 2:  # the ablations fork from MD on
            conditions = CONDITIONS
            gain, offset = couplings(n, conditions)
            W = np.concatenate([W, W[:, :1], W[:, :1]], axis=1)
        elif block == "c1-return" and len(conditions) == 4:
            conditions = CONDITIONS[:2]
            gain, offset = couplings(n, conditions)
            W = W[:, :2].copy()
        context = 1 if block == "c2" else 0
        g, o = gain[:, context], offset[:, context]
        before = W.copy()
        cues = rng.permuted(np.tile([2 * context, 2 * context + 1], (seeds, 1)), axis=1)
        cycle_error = np.zeros((seeds, len(conditions)))
        for trial in range(2):
            cue = cues[:, trial]
            target = targets[cue % 2][:, None, :]
            x = np.repeat(rng.uniform(0, 0.1, (seeds, 1, units)), len(conditions), axis=1)
            r = np.maximum(np.tanh(x), 0)
            filtered = np.zeros((seeds, len(conditions), 2))
            drive_in = np.zeros((seeds, 1, units))
            rows = np.arange(seeds)[:, None]
            drive_in[rows, 0, cue[:, None] * n + np.arange(n)] = k * w_in[rows, cue[:, None] * n + np.arange(n)]
            squared = np.zeros((seeds, len(conditions)))
            for t in range(steps):
                filtered += k * (-filtered + np.einsum("scoj,scj->sco", W, r))
                e = np.maximum(np.tanh(filtered), 0) - target
                if block == "c2":
                    change = eta * np.abs(e).sum(axis=2) * r[:, :, c1].sum(axis=2)
                    total += change
                    if t == 0:
                        first += change
                W -= eta * e[:, :, :, None] * r[:, :, None, :]
                squared += (e * e).sum(axis=2)
                x += k * (-x + g * np.matmul(r, JT) + o)
                if t < cue_steps:
                    x += drive_in
                r = np.maximum(np.tanh(x), 0)
            cycle_error += squared / (steps * 2)
        change = np.abs(W - before)
        for c, name in enumerate(conditions):
            errors[name].append(cycle_error[:, c] / 2)
            dw[name].append(change[:, c, :, c1].mean(axis=(1, 2)))
            dw2[name].append(change[:, c, :, c2].mean(axis=(1, 2)))
        if not np.all(np.isfinite(W)):
            raise FloatingPointError(f"weight protection diverged at cycle {cycle + 1}")
    n1, n2 = p["cycles"][:2]
    drift = {name: np.mean(dw[name][n1:n1 + n2] if name in CONDITIONS[:2] else dw[name], axis=0)
             for name in CONDITIONS}
    out = {f"c2_dw_context1_{name}": drift[name].mean() for name in CONDITIONS}
    out["protection_ratio_on"] = (drift["off"] / drift["on"]).mean()
    out["first_step_share_on"] = (first[:, 0] / total[:, 0]).mean()
    out["first_step_share_off"] = (first[:, 1] / total[:, 1]).mean()
    for name in CONDITIONS[:2]:
        e = np.array(errors[name])
        out[f"end_c1_error_{name}"] = e[n1 - 10:n1].mean()
        out[f"return_error_{name}"] = e[n1 + n2].mean()
    return out
