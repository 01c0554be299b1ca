#!/usr/bin/env python3
"""NumPy reference of the `learned-gating` workload: an actor-critic (the basal ganglia) learns
when to open MD's gate to PFC working memory in a delayed-response task with distractors, next
to the fixed always-open, always-closed and oracle gates (Wang & Halassa 2021, Eqs. 10–11,
Figure 7; the critic's TD error is Eq. 3).

Mirrors Sources/Chapters/Gating/LearnedGatingExperiments.swift:learnedGating (train) on
CreditCore/GatingTask.swift (GatingTask.drawTrial, GatedPFCMemory, GatingAgent.runTrial) and
CreditCore/ActorCritic.swift. Parameters: 10 seeds × 4 policies, 1000 training trials (--quick:
5 seeds, 600), K = 4 items, D = 3 distractors, delay L = 2000 ms (items at j·L/4), τ = 100 ms,
w_PFC = 2, r_MD = 0.9 (gate open) or 0 (closed), readout noise sd 0.15, α_actor = 0.2,
α_critic = 0.1, γ = 1, blocks of 50 trials.

A trial: for each item in turn every memory trace relaxes exactly to the item's time (Eq. 11's
τ_eff of its gate: 2000 ms open, 200 ms closed), the previous decision's transition is learned
(δ = 0 + V(s′) − V(s), critic w ← w + α_c δ φ_c, actor θ ← θ + α_a δ ∇ log π), the gate is chosen
(sampled from π(open) = softmax(θ φ_a) for the learned policy; φ_a = the item's slot, cue or
distractor; φ_c = cue step, or distractor step with memory load 0, 1 or ≥ 2) and the item loads
its unit (trace 1). At L the report is argmax(trace + noise); reward 1 if it is the cue, and the
last transition is learned with it. Every trial's δ and, after every block, every weight is
checked for divergence (|·| > 1e6 or not finite). Per block: the accuracy, and P(open) for cues
and for distractors.

Seeds × policies are batched along array axes; trials and the items within a trial are the
Python loop. As in Swift, the policies of a seed share its trials and its readout noise (common
random numbers); only the learned policy draws from its sampling stream and learns.
Interpretation: the report is the argmax of the noisy traces; Swift breaks exact ties uniformly
at random, which with Gaussian noise has probability zero, so no tie-break is drawn here.
"""
import numpy as np

import _rate
from _softmax import sample, softmax

ITEMS, DISTRACTORS, DELAY = 4, 3, 2000.0
TAU, W_PFC, R_MD_OPEN, R_MD_CLOSED, READOUT_NOISE, LOADED_RATE = 100.0, 2.0, 0.9, 0.0, 0.15, 0.9
ALPHA_ACTOR, ALPHA_CRITIC, BLOCK, DIVERGENCE_BOUND = 0.2, 0.1, 50, 1e6
POLICIES = ("learned", "always-open", "always-closed", "oracle")
LEARNED = POLICIES.index("learned")
CLOSED, OPEN = 0, 1
CRITIC_FEATURES = 4


def relaxation(r_md):
    """(level, τ_eff) of a loaded trace under a gate with MD input r_md (Swift:
    GatedPFCMemory.Constants.relaxation): decay to 0 with Eq. (11)'s τ_eff at the rest r* = ½
    while its loop gain (1 + r_MD) w_PFC / 4 is below 1, else relaxation to the persistent state."""
    weight = (1 + r_md) * W_PFC
    sensory = -weight / 2                                   # holds the rest at r* = ½
    g = _rate.loop_gain(weight, 0.5, sensory)
    if g < 1:
        return 0.0, TAU / (1 - g)
    upper = np.nanmax(_rate.fixed_points(np.array([weight]), sensory)[0])
    return (upper - 0.5) / (LOADED_RATE - 0.5), TAU / (1 - _rate.loop_gain(weight, upper, sensory))


def learn(theta, critic, prev, next_feature, reward):
    """One actor-critic step of the learned policy of every seed, in place, for the
    transition from the decision `prev` = (slot, critic feature, action) to the decision with
    critic feature `next_feature` (None: the terminal probe). Returns δ per seed."""
    slot, feature, action = prev
    s = np.arange(feature.size)
    th, w = theta[:, LEARNED], critic[:, LEARNED]
    pi = softmax(th[:, :, slot])                            # π before the step
    score = np.eye(2)[action] - pi                          # ∇_θ log π, row b: (1[b = a] − π_b) φ_a
    v_next = 0.0 if next_feature is None else w[s, next_feature]
    delta = reward + v_next - w[s, feature]                 # Eq. (3), γ = 1
    w[s, feature] += ALPHA_CRITIC * delta
    th[:, :, slot] += ALPHA_ACTOR * delta[:, None] * score
    return delta


def relax(trace, gate, dt, open_gate, closed_gate):
    """Every trace after dt ms under its gate: x ← x∞ + (x − x∞) e^{−dt/τ_eff}, with (x∞, τ_eff)
    = open_gate or closed_gate (GatedPFCMemory.advance)."""
    (lo, to), (lc, tc) = open_gate, closed_gate
    return np.where(gate, lo + (trace - lo) * np.exp(-dt / to), lc + (trace - lc) * np.exp(-dt / tc))


def run(quick):
    """The `learned-gating` workload; summary: per policy the mean accuracy in the last block
    and over all blocks, and the learned P(open) for cues and distractors after training."""
    seeds, trials = (5, 600) if quick else (10, 1000)
    rng = np.random.default_rng(1)
    gates = relaxation(R_MD_OPEN), relaxation(R_MD_CLOSED)
    times = np.arange(DISTRACTORS + 1) * DELAY / (DISTRACTORS + 1)
    n_pol = len(POLICIES)
    fixed_gate = {"always-open": np.full(DISTRACTORS + 1, OPEN), "always-closed": np.full(DISTRACTORS + 1, CLOSED),
                  "oracle": np.array([OPEN] + [CLOSED] * DISTRACTORS)}
    # The agent of every (seed, policy): actor θ[action, slot] and critic w; only `learned` changes.
    theta = np.zeros((seeds, n_pol, 2, 2))
    critic = np.zeros((seeds, n_pol, CRITIC_FEATURES))
    s_idx = np.arange(seeds)
    ends = set(range(BLOCK, trials, BLOCK)) | {trials}
    accuracy, p_cue, p_distractor = [], [], []
    correct = np.zeros((seeds, n_pol))
    in_block = 0
    for n in range(1, trials + 1):
        cue = rng.integers(ITEMS, size=seeds)
        other = rng.integers(ITEMS - 1, size=(seeds, DISTRACTORS))
        items = np.concatenate([cue[:, None], other + (other >= cue[:, None])], axis=1)
        trace = np.zeros((seeds, n_pol, ITEMS))
        gate = np.zeros((seeds, n_pol, ITEMS), dtype=bool)
        deltas = []
        prev = None   # (slot, critic feature, action) of the learned policy's last decision
        clock = 0.0
        for j in range(DISTRACTORS + 1):
            if times[j] > clock:
                trace = relax(trace, gate, times[j] - clock, *gates)
            clock = times[j]
            slot = 0 if j == 0 else 1
            load = gate[:, LEARNED].sum(axis=1)
            feature = np.zeros(seeds, dtype=int) if j == 0 else 1 + np.minimum(load, 2)
            if prev is not None:
                deltas.append(learn(theta, critic, prev, feature, reward=0.0))
            pi = softmax(theta[:, LEARNED, :, slot])
            action = sample(pi, rng.random(seeds))
            choice = np.empty((seeds, n_pol), dtype=int)
            choice[:, LEARNED] = action
            for p, name in enumerate(POLICIES[1:], start=1):
                choice[:, p] = fixed_gate[name][j]
            item = items[:, j]
            trace[s_idx, :, item] = 1.0
            gate[s_idx, :, item] = choice == OPEN
            prev = (slot, feature, action)
        trace = relax(trace, gate, DELAY - clock, *gates)
        noisy = trace + READOUT_NOISE * rng.standard_normal((seeds, 1, ITEMS))
        reward = (noisy.argmax(axis=2) == cue[:, None]).astype(float)
        deltas.append(learn(theta, critic, prev, None, reward=reward[:, LEARNED]))
        if not np.all(np.abs(deltas) <= DIVERGENCE_BOUND):
            raise FloatingPointError(f"learned gating diverged at trial {n}")
        correct += reward
        in_block += 1
        if n in ends:
            if not (np.all(np.abs(theta) <= DIVERGENCE_BOUND) and np.all(np.abs(critic) <= DIVERGENCE_BOUND)):
                raise FloatingPointError(f"learned gating diverged at trial {n}")
            accuracy.append(correct / in_block)
            p_cue.append(softmax(theta[..., 0])[..., OPEN])
            p_distractor.append(softmax(theta[..., 1])[..., OPEN])
            correct[:] = 0
            in_block = 0
    accuracy = np.array(accuracy)                           # (blocks, seeds, policies)
    out = {}
    for p, name in enumerate(POLICIES):
        out[f"final_accuracy_{name}"] = float(accuracy[-1, :, p].mean())
        out[f"mean_accuracy_{name}"] = float(accuracy[:, :, p].mean())
    out["p_open_cue_final"] = float(p_cue[-1][:, LEARNED].mean())
    out["p_open_distractor_final"] = float(p_distractor[-1][:, LEARNED].mean())
    return out
