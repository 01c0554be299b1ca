"""NumPy reference of `credit bench two-timescales`: fast thalamic and slow cortical learning
against a tuned single rate.

Mirrors Sources/Chapters/Context/ContextTimescales.swift:twoTimescales (trainTimescale,
testTimescale, runBlock), ContextTimescalesMeasures.swift:TimescaleSeedResult and
CreditCore/TwoTimescaleNetwork.swift (SwitchingTask, TwoTimescaleNetwork.trial).

Parameters: 4 cues, 2 MD units x 20 PFC units, gamma 1.5, theta 10, eta_z 4, eta_slow 0.005,
beta_z 4, z_max 3, geometric blocks of mean 25 trials, 100 training blocks and 60 test switches
(60 and 20 with --quick), window 15, criterion 0.25. First the tuning sweep: the single-timescale
network (eta_z = 0) at eta_slow in {0.005, 0.02, 0.05, 0.2, 0.5, 1, 2} on 5 tuning seeds (3 with
--quick), trained and tested; the rate with the fewest expected errors after a switch is the
tuned one. Then on 5 seeds (3 with --quick): two-timescale (tested as trained and with the cortex
frozen), single-timescale at the tuned rate and at eta_slow, and the oracle (MD clamped to the
context).

NumPy layout (an interpretation): every (model, seed) pair is a row of one batch. Seeds have
blocks of different lengths, so each seed's trials are laid out on a common trial axis, padded
to the longest seed, with an activity mask (a padded trial changes nothing); training and test
are two such phases, so the frozen-cortex copy forks from the trained two-timescale rows at the
start of the test, as in Swift. Every model of a seed sees the same blocks, cues and MD
uniforms (Swift's common random numbers). The end-of-block probes run on the rows whose block
ends at that trial; the divergence guard checks every row at the end of each phase.

Summary: the tuned eta_slow and, per model, the seed means of the columns of
two-timescales-summary.csv.
"""
import numpy as np

C, K, GROUP = 4, 2, 20
N = K * GROUP
GAMMA, THETA, ETA_FAST, ETA_SLOW, BETA, Z_MAX = 1.5, 10.0, 4.0, 0.005, 4.0, 3.0
MEAN_BLOCK, WINDOW, CRITERION, SETTLE = 25.0, 15, 0.25, 3
RATES = [0.005, 0.02, 0.05, 0.2, 0.5, 1, 2]
OWN = np.arange(N) // GROUP == np.arange(K)[:, None]  # OWN[k, j]: unit j in MD unit k's group


def parameters(quick):
    """Seeds, training blocks, test switches and tuning seeds."""
    return (3, 60, 20, 3) if quick else (5, 100, 60, 5)


class Phase:
    """The trials of `blocks` blocks of every seed, padded to a common length."""

    def __init__(self, rng, seeds, blocks, first_block):
        lengths = rng.geometric(1 / MEAN_BLOCK, (seeds, blocks))
        self.length = lengths.sum(axis=1).max()
        self.active = np.zeros((seeds, self.length), dtype=bool)
        self.block = np.zeros((seeds, self.length), dtype=int)
        self.position = np.zeros((seeds, self.length), dtype=int)
        self.end = np.zeros((seeds, self.length), dtype=bool)
        for s in range(seeds):
            n = lengths[s].sum()
            self.active[s, :n] = True
            self.block[s, :n] = np.repeat(np.arange(blocks), lengths[s])
            starts = np.cumsum(lengths[s]) - lengths[s]
            self.position[s, :n] = np.arange(n) - np.repeat(starts, lengths[s])
            self.end[s, np.cumsum(lengths[s]) - 1] = True
        self.context = (first_block + self.block) % 2
        self.cue = rng.integers(0, C, (seeds, self.length))
        self.uniform = rng.random((seeds, self.length))  # the MD draw of every trial
        self.blocks = blocks


class Rows:
    """The circuits of a batch of (model, seed) rows."""

    def __init__(self, J, seed, eta_fast, eta_slow, oracle):
        self.J, self.seed = J, np.asarray(seed)
        b = len(self.seed)
        self.eta_fast = np.broadcast_to(eta_fast, b).astype(float)
        self.eta_slow = np.broadcast_to(eta_slow, b).astype(float)
        self.oracle = np.broadcast_to(oracle, b).copy()
        self.frozen = np.zeros(b, dtype=bool)
        self.M = np.zeros((b, 2, N))
        self.z = np.tile(Z_MAX * (np.eye(K)[0] - 1 / K), (b, 1))

    def take(self, index):
        out = Rows.__new__(Rows)
        out.J = self.J
        for name in ["seed", "eta_fast", "eta_slow", "oracle", "frozen", "M", "z"]:
            setattr(out, name, getattr(self, name)[index].copy())
        return out

    def pfc(self, rows, cue, md):
        """h = max(0, (1 + gamma) u on the selected group, u - theta elsewhere); md may add axes."""
        u = self.J[self.seed[rows], cue]
        on = OWN[md]
        return np.maximum(0, np.where(on, (1 + GAMMA) * u, u - THETA))


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def run_phase(rows, phase, record):
    """One phase for every row; returns the per-trial records (errors, MD units, z1 - z2) and, if
    `record`, the end-of-block probes of the other context (own MD, best MD) per row and block."""
    b = len(rows.seed)
    all_rows = np.arange(b)
    errors = np.full((b, phase.length), np.nan)
    units = np.zeros((b, phase.length), dtype=int)
    trace = np.zeros((b, phase.length))
    own_probe = np.zeros((b, phase.blocks))
    best_probe = np.zeros((b, phase.blocks))
    learns_z = ~rows.oracle & (rows.eta_fast != 0)
    for t in range(phase.length):
        s = rows.seed
        active, context, cue = phase.active[s, t], phase.context[s, t], phase.cue[s, t]
        cumulative = np.cumsum(softmax(BETA * rows.z), axis=1)
        drawn = np.minimum((cumulative <= (phase.uniform[s, t] * cumulative[:, -1])[:, None]).sum(axis=1), K - 1)
        k = np.where(rows.oracle, context, drawn)
        h = rows.pfc(all_rows, cue, k)
        p = softmax(np.einsum("ban,bn->ba", rows.M, h))
        action = (p[:, 1] > p[:, 0]).astype(int)
        correct = (cue + context) % 2
        reward = (action == correct).astype(float)
        fast = active & learns_z
        rows.z[all_rows, k] += np.where(fast, rows.eta_fast * (reward - p[all_rows, action]), 0)
        rows.z = np.where(fast[:, None], np.clip(rows.z - rows.z.mean(axis=1, keepdims=True), -Z_MAX, Z_MAX), rows.z)
        slow = np.where(active & ~rows.frozen, rows.eta_slow, 0)
        rows.M += (slow[:, None] * (np.eye(2)[correct] - p))[:, :, None] * h[:, None, :]
        errors[:, t] = np.where(active, 1 - p[all_rows, correct], np.nan)
        units[:, t], trace[:, t] = k, rows.z[:, 0] - rows.z[:, 1]
        ending = np.flatnonzero(phase.end[s, t]) if record else []
        if len(ending):
            other = 1 - context[ending]
            every = rows.pfc(ending[:, None, None], np.arange(C)[None, None, :], np.arange(K)[None, :, None])
            q = softmax(np.einsum("ban,bkcn->bkca", rows.M[ending], every))
            wrong = 1 - np.take_along_axis(q, ((np.arange(C) + other[:, None]) % 2)[:, None, :, None], axis=3)[..., 0]
            mean_error = wrong.mean(axis=2)
            own = np.where(rows.oracle[ending], other, rows.z[ending].argmax(axis=1))
            block = phase.block[s[ending], t]
            own_probe[ending, block] = mean_error[np.arange(len(ending)), own]
            best_probe[ending, block] = mean_error.min(axis=1)
    if not (np.all(np.abs(rows.M) < 1e6) and np.all(np.abs(rows.z) < 1e6)):
        raise FloatingPointError("two timescales diverged")
    return errors, units, trace, own_probe, best_probe


def measures(phase, s, errors, units, own_probe, best_probe):
    """TimescaleSeedResult's numbers for one row (seed index s) of a test phase."""
    pos, context = phase.position[s], phase.context[s]
    active = phase.active[s]
    curve = np.array([np.nanmean(errors[active & (pos == i)]) if np.any(active & (pos == i)) else np.nan
                      for i in range(WINDOW)])
    below = np.flatnonzero(curve < CRITERION)
    settled = active & (pos >= SETTLE)
    counts = np.array([[np.sum(settled & (context == c) & (units == k)) for k in range(K)] for c in range(2)])
    hits = max(counts[0, a] + counts[1, b] for a in range(K) for b in range(K) if a != b)
    share = counts[:, 0] / np.maximum(1, counts.sum(axis=1))
    return {"recovery_trials": below[0] if len(below) else WINDOW,
            "errors_first10": np.nansum(curve[:10]),
            "other_context_error_own_md": own_probe.mean(), "other_context_error_best_md": best_probe.mean(),
            "md_decoding": hits / max(1, counts.sum()), "md_separation": abs(share[0] - share[1])}


def experiment(seeds, training, test, rates, eta_fast, oracle, fork_frozen, key):
    """Trains and tests rows of (model, seed) on `seeds` seeds; returns per row the measures."""
    rng = np.random.default_rng(key)
    J = rng.normal(0, 1, (seeds, C, N))
    m = len(rates)
    rows = Rows(J, np.tile(np.arange(seeds), m), np.repeat(eta_fast, seeds), np.repeat(rates, seeds),
                np.repeat(oracle, seeds))
    train = Phase(rng, seeds, training, 0)
    run_phase(rows, train, record=False)
    if fork_frozen:  # the trained two-timescale rows (model 0) tested again with the cortex frozen
        rows = rows.take(np.r_[np.arange(seeds), np.arange(seeds), np.arange(seeds, m * seeds)])
        rows.frozen[seeds:2 * seeds] = True
    test = Phase(rng, seeds, test, training)
    errors, units, _, own, best = run_phase(rows, test, record=True)
    return [measures(test, r % seeds, errors[r], units[r], own[r], best[r]) for r in range(len(rows.seed))]


def run(quick):
    seeds, training, test, tuning = parameters(quick)
    n = len(RATES)
    sweep = experiment(tuning, training, test, RATES, [0.0] * n, [False] * n, False, (1001, tuning))
    errors = np.array([r["errors_first10"] for r in sweep]).reshape(n, tuning).mean(axis=1)
    tuned = RATES[int(errors.argmin())]
    models = ["two-timescale", "two-timescale-frozen-cortex", "single-timescale", "single-timescale-same-eta", "oracle"]
    results = experiment(seeds, training, test, [ETA_SLOW, tuned, ETA_SLOW, ETA_SLOW], [ETA_FAST, 0, 0, ETA_FAST],
                         [False, False, False, True], True, (1, seeds))
    out = {"tuned_eta_slow": tuned}
    out.update({f"sweep_errors_first10_eta{eta:g}": float(e) for eta, e in zip(RATES, errors)})
    for i, model in enumerate(models):
        per_seed = results[i * seeds:(i + 1) * seeds]
        for name in ["recovery_trials", "errors_first10", "other_context_error_own_md", "md_decoding"]:
            out[f"{model}_{name}"] = float(np.mean([r[name] for r in per_seed]))
    return out
