#!/usr/bin/env python3
"""NumPy reference of the `random-walk` workload: TD(0) against constant-α Monte Carlo on the
5-state random walk of Sutton & Barto (2018), Example 6.2 (γ = 1, values start at 0.5).

Mirrors Sources/Chapters/TD/TDExperiments.swift:randomWalk (with CreditCore/RandomWalk.swift:
RandomWalk.episode, TabularPrediction.tdZero and .constantAlphaMonteCarlo): every run has 100
episodes from the middle state C; TD(0) with α ∈ {0.05, 0.1, 0.15} updates online at every
transition, every-visit MC with α ∈ {0.01, 0.02, 0.03, 0.04} moves every visited state toward
the episode's return, visit by visit in visit order. Within a run all seven methods see the
same episodes (common random numbers, as in Swift). After every episode each method's RMS error
over the five states is recorded and the values are checked for divergence (|V| > 1e6 or not
finite); the curves are the mean and SEM over runs. Default 100 runs, --quick 20.

Methods and runs are batched along one array axis; the episodes and their steps are the Python
loop. An episode's walk is drawn before its updates (as Swift draws a run's episodes before
learning from them), so the MC updates, whose return is only known at the end of the walk, can
share the per-step loop with TD: both apply one update per visit in visit order, and the MC
rows simply use the return as their target.

Run directly, this file is the independent cross-check cited by chapters/02-td.md: 300 runs and
its own random numbers, printing every curve at episodes 0, 10, 25, 50 and 100. In that mode it
draws exactly the random numbers of its first version (NumPy seed 0; method by method, run by
run, one uniform per step; every method on its own walks), so it prints what it printed then.
`--csv random-walk.csv` (from `credit td --data`) adds the Swift values and the differences.
"""
import argparse
import csv
import sys

import numpy as np

STATES = 5                       # non-terminal states A…E at indices 1…5; terminals 0 and 6
START = 1 + STATES // 2          # C
RIGHT = STATES + 1               # the rewarded terminal
TRUE_VALUES = np.arange(1, STATES + 1) / (STATES + 1)
TD_ALPHAS = (0.05, 0.1, 0.15)
MC_ALPHAS = (0.01, 0.02, 0.03, 0.04)
METHODS = [("TD", a) for a in TD_ALPHAS] + [("MC", a) for a in MC_ALPHAS]
DIVERGENCE_BOUND = 1e6
EPISODES = 100
REPORT_EPISODES = (0, 10, 25, 50, 100)


def step_of(u):
    """A step of the walk from a uniform draw: right if u < ½, else left."""
    return np.where(u < 0.5, 1, -1)


def fresh_walks(rng, walks):
    """Episode source for the workload: each episode draws `walks` new walks together, one
    uniform per step of every walk still going. Yields (states, lengths): states (walks, T + 1)
    from C, held at the terminal after the walk's end; lengths, the steps of each walk."""
    while True:
        state = np.full(walks, START)
        path, lengths = [state], np.zeros(walks, dtype=int)
        going = np.arange(walks)
        while going.size:
            state = state.copy()
            state[going] += step_of(rng.random(going.size))
            lengths[going] += 1
            path.append(state)
            going = going[(state[going] > 0) & (state[going] < RIGHT)]
        yield np.stack(path, axis=1), lengths


def sequential_walks(rng, walks, episodes):
    """Episode source of the cross-check: one stream of uniforms consumed walk by walk, episode
    by episode, one per step (the order of the script's first version). Yields as fresh_walks."""
    steps, starts = [], []
    u, k = rng.random(1 << 16), 0
    for _ in range(walks * episodes):
        starts.append(len(steps))
        s = START
        while 0 < s < RIGHT:
            if k == u.size:
                u, k = rng.random(1 << 16), 0
            step = 1 if u[k] < 0.5 else -1
            k += 1
            s += step
            steps.append(step)
    steps, starts = np.array(steps), np.array(starts + [len(steps)])
    lengths = np.diff(starts).reshape(walks, episodes)
    for e in range(episodes):
        n = lengths[:, e]
        first = starts[:-1].reshape(walks, episodes)[:, e]
        t = np.arange(n.max())
        took = np.where(t < n[:, None], steps[np.minimum(first[:, None] + t, steps.size - 1)], 0)
        yield np.concatenate([np.full((walks, 1), START), START + np.cumsum(took, axis=1)], axis=1), n


def rms_errors(values):
    """RMS error over the non-terminal states of every row of values (rows, STATES + 2)."""
    return np.sqrt(np.mean((values[:, 1:-1] - TRUE_VALUES) ** 2, axis=1))


def learn(episodes, source, walk_of):
    """RMS error of every row (method × run) after each episode: an array (methods, runs,
    episodes + 1). walk_of[m, r] names the walk, in the source's batch, that row (m, r) learns from."""
    methods, runs = walk_of.shape
    walk = walk_of.ravel()
    is_td = np.repeat([m == "TD" for m, _ in METHODS], runs)
    alpha = np.repeat([a for _, a in METHODS], runs)
    values = np.full((methods * runs, STATES + 2), 0.5)
    values[:, [0, RIGHT]] = 0.0  # V(terminal) = 0
    rms = np.empty((methods * runs, episodes + 1))
    rms[:, 0] = rms_errors(values)
    for e in range(episodes):
        states, lengths = next(source)
        ret = (states[walk, -1] == RIGHT).astype(float)  # G: the only reward is the final one
        for t in range(lengths.max()):
            rows = np.flatnonzero(lengths[walk] > t)
            here, there = states[walk[rows], t], states[walk[rows], t + 1]
            # TD(0): target r + V(s′) (Eq. 3, tabular, γ = 1); MC: target G.
            td_target = (there == RIGHT) + values[rows, there]
            target = np.where(is_td[rows], td_target, ret[rows])
            values[rows, here] += alpha[rows] * (target - values[rows, here])
        if not np.all(np.abs(values) <= DIVERGENCE_BOUND):  # also catches NaN
            raise FloatingPointError(f"random walk diverged at episode {e + 1}")
        rms[:, e + 1] = rms_errors(values)
    return rms.reshape(methods, runs, episodes + 1)


def statistics(rms):
    """Mean and SEM over runs (axis 1)."""
    runs = rms.shape[1]
    sem = rms.std(axis=1, ddof=1) / np.sqrt(runs) if runs > 1 else np.zeros_like(rms[:, 0])
    return rms.mean(axis=1), sem


def run(quick):
    """The `random-walk` workload (100 runs, or 20 with --quick): mean RMS error per method
    after episodes 10 and 100."""
    runs = 20 if quick else 100
    walk_of = np.tile(np.arange(runs), (len(METHODS), 1))  # every method on the run's walks
    mean, _ = statistics(learn(EPISODES, fresh_walks(np.random.default_rng(1), runs), walk_of))
    out = {}
    for e in (10, EPISODES):
        out.update({f"rms_ep{e}_{m}_{a:g}": float(mean[i, e]) for i, (m, a) in enumerate(METHODS)})
    return out


def swift_curves(path):
    """{(method, α): {episode: rms}} from the CSV that `credit td --data` writes."""
    table = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            table.setdefault((row["method"], float(row["alpha"])), {})[int(row["episode"])] = float(row["rms"])
    return table


def main():
    ap = argparse.ArgumentParser(description="Independent NumPy cross-check of Chapter 2's random-walk curves.")
    ap.add_argument("--runs", type=int, default=300, help="runs averaged per curve (default 300)")
    ap.add_argument("--csv", help="random-walk.csv of `credit td --data`, to compare with")
    a = ap.parse_args()
    if a.runs < 2:
        sys.exit("random_walk.py: --runs must be at least 2")
    walk_of = np.arange(len(METHODS) * a.runs).reshape(len(METHODS), a.runs)  # every method its own walks
    source = sequential_walks(np.random.default_rng(0), walk_of.size, EPISODES)
    mean, sem = statistics(learn(EPISODES, source, walk_of))
    shown = list(REPORT_EPISODES)
    swift = swift_curves(a.csv) if a.csv else None
    print(f"{a.runs} runs; mean RMS error at episodes {', '.join(map(str, shown))} (± SEM)")
    for i, (m, alpha) in enumerate(METHODS):
        print(m, alpha, mean[i, shown].round(3), "±", sem[i, shown].round(3))
        if swift is not None:
            theirs = np.array([swift[(m, alpha)][e] for e in shown])
            diff = mean[i, shown] - theirs
            print("   Swift", theirs.round(3), "difference", diff.round(4),
                  f"(largest after episode 0: {np.abs(diff[1:]).max():.4f})")


if __name__ == "__main__":
    main()
