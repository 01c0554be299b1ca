"""Shared pieces of the Chapter 4 (context) references forgetting, capacity, bg-selection and
bg-lesion: the static PFC-MD network, the task, the learners and the block runner, with every
array batched over a leading axis (seeds, or methods x seeds, or conditions x seeds).

Mirrors CreditCore/ContextualNetwork.swift, ContextualTask.swift, ThalamicSelector.swift,
HebbianThalamus.swift, ActorCritic.swift (one-hot features) and ConsolidationMotif.swift
(Eqs. 8-9), and Sources/Chapters/Context/ContextForgetting.swift (ContextualSetup, the methods),
ContextLearners.swift, ContextSelection.swift and ContextForgettingRuns.swift:runContextBlocks.

Interpretations: the random streams are NumPy's, one generator per (purpose, first seed,
contexts, blocks), drawing every seed's numbers at once; the methods of one setup share its
network, task, initial readout and cues, and each method's own draws come from a fresh copy of
the setup's method generator (Swift's stream 4). The divergence guard raises instead of
truncating the run (no run diverges at the chapter's parameters).
"""
import numpy as np

# The chapter's defaults (ForgettingParameters, ContextualNetworkConfig, ContextSelectionParameters).
CUES, MD_UNITS, GROUP = 4, 8, 20
UNITS = MD_UNITS * GROUP
CONTEXT_INPUTS = 8  # max(2, largest capacity K)
CONTEXT_SD, MD_GAIN, MD_INHIBITION, OFF_GAIN = 0.5, 8.0, -10.0, 3.0
ETA, EWC_LAMBDA, REPLAY_BUFFER, XDG_KEEP = 0.02, 20.0, 8, 0.2
ALPHA_ACTOR, ALPHA_CRITIC, BETA_MD = 1.0, 0.5, 20.0
ETA_STUDENT, ETA_W, W0, STUDENT_WEIGHT0 = 0.03, 0.015, 1.0, 0.16
ETA_HEBB, TAU_TRACE = 0.2, 5.0
DIVERGENCE = 1e6


def forgetting_parameters(quick):
    """Seeds, trials per block and blocks of the forgetting experiment (ContextParameters)."""
    return (3, 60, 4) if quick else (5, 100, 6)


def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def categorical(p, u):
    """Index drawn from probabilities p (last axis) with uniforms u: the first i with u Σp < cum_i."""
    c = np.cumsum(p, axis=-1)
    return np.minimum((c <= (u * c[..., -1])[..., None]).sum(axis=-1), p.shape[-1] - 1)


def rectified(z):
    return np.maximum(np.tanh(z), 0)


class Setup:
    """Everything the methods of one experiment share, for every seed at once."""

    def __init__(self, first_seed, seeds, contexts, blocks, trials):
        self.seeds, self.contexts, self.blocks, self.trials = seeds, contexts, blocks, trials
        self.key = (first_seed, contexts, blocks, trials)
        net, task, readout, cue = (np.random.default_rng((s,) + self.key) for s in range(4))
        sd = np.r_[np.ones(CUES), np.full(CONTEXT_INPUTS, CONTEXT_SD)]
        self.w_in = net.normal(0, 1, (seeds, UNITS, CUES + CONTEXT_INPUTS)) * sd
        self.maps = self._maps(task)
        self.readout = readout.normal(0, 0.1 / np.sqrt(UNITS), (seeds, 2, UNITS))
        self.block_contexts = [b % contexts for b in range(blocks)]
        cycles = -(-trials // CUES)
        order = cue.permuted(np.broadcast_to(np.arange(CUES), (seeds, blocks, cycles, CUES)), axis=-1)
        self.cues = order.reshape(seeds, blocks, cycles * CUES)[:, :, :trials]

    def _maps(self, rng):
        """Per seed, K maps in complementary pairs of distinct non-constant maps (ContextualTask)."""
        full = (1 << CUES) - 1
        pairs = np.arange(2, full, 2)
        maps = np.empty((self.seeds, self.contexts, CUES), dtype=int)
        for s in range(self.seeds):
            drawn = []
            for p in rng.permutation(pairs):
                if len(drawn) >= self.contexts:
                    break
                first = p if rng.integers(2) == 0 else full ^ p
                drawn += [first, full ^ first]
            bits = np.array(drawn[:self.contexts])
            maps[s] = (bits[:, None] >> np.arange(CUES)) & 1
        return maps

    def method_rng(self):
        """A fresh copy of the methods' own generator (the same for every method)."""
        return np.random.default_rng((4,) + self.key)

    def drive(self):
        """h = W_in u for every (context, cue): shape (seeds, K, S, N)."""
        cue = np.moveaxis(self.w_in[:, :, :CUES], 1, 2)[:, None, :, :]
        ctx = np.moveaxis(self.w_in[:, :, CUES:CUES + self.contexts], 1, 2)[:, :, None, :]
        return cue + ctx

    def rates_off(self):
        """MD off: gain 3 everywhere, no inhibition (seeds, K, S, N)."""
        return rectified(OFF_GAIN * self.drive())

    def rates_md(self):
        """MD unit k on, for every k: (seeds, K, S, M, N)."""
        own = np.arange(UNITS)[None, :] // GROUP == np.arange(MD_UNITS)[:, None]
        gain = np.where(own, 1 + MD_GAIN, 1.0)
        add = np.where(own, 0.0, MD_INHIBITION)
        return rectified(gain * self.drive()[:, :, :, None, :] + add)

    def rates_oracle(self):
        """Context k selects MD unit k: (seeds, K, S, N)."""
        k = np.arange(self.contexts)
        return self.rates_md()[:, k, :, k, :].transpose(1, 0, 2, 3)

    def xdg_masks(self, rng):
        """Per seed and context, round(0.2 N) units kept on (Fisher-Yates order)."""
        kept = max(1, round(XDG_KEEP * UNITS))
        order = rng.permuted(np.broadcast_to(np.arange(UNITS), (self.seeds, self.contexts, UNITS)), axis=-1)
        mask = np.zeros((self.seeds, self.contexts, UNITS))
        np.put_along_axis(mask, order[:, :, :kept], 1.0, axis=-1)
        return mask

    def context_evoked(self):
        """What the corticothalamic student reads: max(tanh(W_in[:, context]), 0), (seeds, K, N)."""
        return rectified(np.moveaxis(self.w_in[:, :, CUES:CUES + self.contexts], 1, 2))


def outputs(W, r):
    """y = W r for batched readouts W (B, 2, N) and rates r (B, ..., N) -> (B, ..., 2)."""
    return np.einsum("ban,b...n->b...a", W, r)


def choice(W, r):
    """The larger output (ties: action 0)."""
    y = outputs(W, r)
    return (y[..., 1] > y[..., 0]).astype(int)


def delta_update(W, r, action, eta=ETA):
    """W += eta (t - y) r^T, in place, with t the one-hot of `action` (B,)."""
    err = np.eye(2)[action] - outputs(W, r)
    W += eta * err[:, :, None] * r[:, None, :]


class SharedReadout:
    """One readout per batch element on a fixed rate table (B, K, S, N): MD off, oracle or XdG."""

    def __init__(self, table, readout):
        self.table, self.W = table, readout.copy()
        self.rows = np.arange(len(table))

    def begin_block(self, context):
        pass

    def end_block(self, context):
        pass

    def train(self, cue, context, correct):
        delta_update(self.W, self.table[self.rows, context, cue], correct)

    def probe(self, context):
        return choice(self.W, self.table[:, context])

    def weights(self):
        return self.W


class EWC(SharedReadout):
    """EWC on the MD-off readout, with the implicit penalty step of ContextLearners.swift."""

    def __init__(self, table, readout):
        super().__init__(table, readout)
        self.penalties = {}

    def begin_block(self, context):
        self.fisher = np.zeros_like(self.W)
        self.anchored = np.zeros_like(self.W)
        for k, (fisher, anchor) in self.penalties.items():
            if k != context:
                self.fisher += fisher
                self.anchored += fisher * anchor

    def train(self, cue, context, correct):
        r = self.table[self.rows, context, cue]
        err = np.eye(2)[correct] - outputs(self.W, r)
        el = ETA * EWC_LAMBDA
        self.W = (self.W + ETA * err[:, :, None] * r[:, None, :] + el * self.anchored) / (1 + el * self.fisher)

    def end_block(self, context):
        fisher = (self.table[:, context] ** 2).mean(axis=1)[:, None, :].repeat(2, axis=1)
        self.penalties[context] = (fisher, self.W.copy())


class Growing(SharedReadout):
    """A readout per context, a copy of the initial one when the context first appears."""

    def __init__(self, table, readout):
        super().__init__(table, readout)
        self.initial = readout
        self.readouts = {}

    def begin_block(self, context):
        self.readouts.setdefault(context, self.initial.copy())

    def train(self, cue, context, correct):
        delta_update(self.readouts[context], self.table[self.rows, context, cue], correct)

    def probe(self, context):
        return choice(self.readouts.get(context, self.initial), self.table[:, context])

    def weights(self):
        return np.concatenate(list(self.readouts.values()) or [self.initial], axis=1)


class Replay(SharedReadout):
    """Stores a context's first B trials; replays one trial of another context after each trial."""

    def __init__(self, table, readout, rng):
        super().__init__(table, readout)
        self.rng = rng
        self.buffer = np.zeros((len(table), 0, 3), dtype=int)  # (cue, context, action)
        self.stored = set()

    def begin_block(self, context):
        self.current = []
        self.others = np.flatnonzero(self.buffer[0, :, 1] != context)

    def train(self, cue, context, correct):
        super().train(cue, context, correct)
        if len(self.current) < REPLAY_BUFFER:
            self.current.append(np.stack([cue, np.full_like(cue, context), correct], axis=1))
        if len(self.others):
            t = self.buffer[self.rows, self.others[self.rng.integers(len(self.others), size=len(self.rows))]]
            delta_update(self.W, self.table[self.rows, t[:, 1], t[:, 0]], t[:, 2])

    def end_block(self, context):
        if context not in self.stored:
            self.buffer = np.concatenate([self.buffer, np.stack(self.current, axis=1)], axis=1)
            self.stored.add(context)


class BasalGanglia:
    """Basal ganglia (actor-critic on the one-hot context) choose the MD unit; with `consolidates`
    the corticothalamic student M and the BG gain w follow Eqs. 8-9 (ThalamicSelector.swift).
    The batch may hold `reps` copies of every seed (lesion forks) that share the random draws."""

    def __init__(self, setup, consolidates, reps=1):
        self.rates = np.tile(setup.rates_md(), (reps, 1, 1, 1, 1))
        self.x = np.tile(setup.context_evoked(), (reps, 1, 1))
        self.W = np.tile(setup.readout, (reps, 1, 1))
        self.rng, self.reps, self.consolidates = setup.method_rng(), reps, consolidates
        b, k = len(self.W), setup.contexts
        self.rows = np.arange(b)
        self.theta = np.zeros((b, MD_UNITS, k))
        self.value = np.zeros((b, k))
        scale = STUDENT_WEIGHT0 / UNITS
        self.M = np.tile(self.rng.uniform(0.5 * scale, 1.5 * scale, (setup.seeds, MD_UNITS, UNITS)), (reps, 1, 1))
        self.w = np.full((b, MD_UNITS), W0)
        self.silenced = np.zeros(b, dtype=bool)

    def fork(self, silenced):
        """Copies of this learner (reps = 1), one per entry of `silenced`, stacked; same draws."""
        other = BasalGanglia.__new__(BasalGanglia)
        n = len(silenced)
        for name in ["rates", "x", "W", "theta", "value", "M", "w"]:
            setattr(other, name, np.tile(getattr(self, name), (n,) + (1,) * (getattr(self, name).ndim - 1)))
        other.rng = np.random.Generator(type(self.rng.bit_generator)())
        other.rng.bit_generator.state = self.rng.bit_generator.state
        other.reps, other.consolidates = n, self.consolidates
        other.rows = np.arange(len(other.W))
        other.silenced = np.repeat(np.asarray(silenced), len(self.W))
        return other

    def begin_block(self, context):
        pass

    def end_block(self, context):
        pass

    def uniforms(self):
        return np.tile(self.rng.random((2, len(self.W) // self.reps)), (1, self.reps))

    def train(self, cue, context, correct):
        x, rows = self.x[:, context], self.rows
        pi = softmax(self.theta[:, :, context])
        u = self.uniforms()
        at = categorical(pi, u[0])  # Eq. 6: the BG's draw
        ya = np.where(self.silenced, 0.0, pi[rows, at])  # Eq. 5, y = pi(a*_t | c)
        o = np.einsum("bmn,bn->bm", self.M, x)
        o[rows, at] += self.w[rows, at] * ya  # Eq. 4
        md = categorical(softmax(BETA_MD * o), u[1])  # Eq. 6: the MD unit that is on
        r = self.rates[rows, context, cue, md]
        reward = (choice(self.W, r) == correct).astype(float)
        delta_update(self.W, r, correct)
        on = ~self.silenced
        delta = np.where(on, reward - self.value[:, context], 0.0)  # Eq. 3, terminal trial
        self.value[:, context] += ALPHA_CRITIC * delta
        self.theta[:, :, context] += ALPHA_ACTOR * delta[:, None] * (np.eye(MD_UNITS)[md] - pi)
        if self.consolidates:
            row = self.M[rows, at]
            self.M[rows, at] += (ETA_STUDENT * self.w[rows, at] * ya)[:, None] * row * x  # Eq. 8
            self.w[rows, at] -= ETA_W * self.w[rows, at] * ya * np.einsum("bn,bn->b", row, x)  # Eq. 9

    def selection(self, context):
        """P(MD unit k | context, cue) for every cue, exact: (B, S, M)."""
        x = np.broadcast_to(self.x[:, context, None, :], (len(self.W), CUES, UNITS))
        student = np.einsum("bmn,bsn->bsm", self.M, x)
        pi = np.broadcast_to(softmax(self.theta[:, :, context])[:, None, :], student.shape)
        drive = student[:, :, None, :] + np.eye(MD_UNITS) * (self.w[:, None, :] * pi)[:, :, :, None]
        mixed = np.einsum("bsa,bsak->bsk", pi, softmax(BETA_MD * drive))
        return np.where(self.silenced[:, None, None], softmax(BETA_MD * student), mixed)

    def probe(self, context):
        best = self.selection(context).argmax(axis=-1)
        r = np.take_along_axis(self.rates[:, context], best[:, :, None, None], axis=2)[:, :, 0]
        return choice(self.W, r)

    def expected_accuracy(self, context, maps):
        """Mean over cues of sum_k P(k | context, cue) 1[readout right on group k] (B,)."""
        right = choice(self.W, self.rates[:, context]) == maps[:, context, :, None]
        return (self.selection(context) * right).sum(axis=-1).mean(axis=-1)

    def weights(self):
        return np.concatenate([self.W.reshape(len(self.W), -1), self.theta.reshape(len(self.W), -1),
                               self.value, self.M.reshape(len(self.W), -1), self.w], axis=1)


class HebbianMD:
    """The reward-free Hebbian PFC->MD rule with a winner-take-all MD (HebbianThalamus.swift)."""

    def __init__(self, setup):
        self.rates = setup.rates_md()
        self.x = setup.context_evoked()
        self.W = setup.readout.copy()
        self.rows = np.arange(len(self.W))
        rng = setup.method_rng()
        self.H = rng.normal(0, 1 / np.sqrt(MD_UNITS * UNITS), (setup.seeds, MD_UNITS, UNITS))
        self.pre = np.zeros((setup.seeds, UNITS))
        self.post = np.zeros((setup.seeds, MD_UNITS))

    def begin_block(self, context):
        pass

    def end_block(self, context):
        pass

    def winner(self, context):
        return np.einsum("bmn,bn->bm", self.H, self.x[:, context]).argmax(axis=-1)

    def train(self, cue, context, correct):
        x, k = self.x[:, context], self.winner(context)
        delta_update(self.W, self.rates[self.rows, context, cue, k], correct)
        self.pre += (x - self.pre) / TAU_TRACE
        self.post += (np.eye(MD_UNITS)[k] - self.post) / TAU_TRACE
        q = np.eye(MD_UNITS)[self.post.argmax(axis=-1)][:, :, None]
        lower = max(1, int(0.8 * UNITS))
        theta = np.sort(self.pre, axis=-1)[:, :lower].mean(axis=-1, keepdims=True)
        p = (self.pre > theta).astype(float)[:, None, :]
        mask = np.where(q * p > 0, 1.0, 0.05)
        self.H = np.clip(self.H + 0.5 * ETA_HEBB * (q - 0.5) * (p - 0.5) * mask, 0, 1)

    def probe(self, context):
        k = self.winner(context)
        return choice(self.W, self.rates[self.rows, context, :, k])

    def weights(self):
        return np.concatenate([self.H.reshape(len(self.W), -1), self.W.reshape(len(self.W), -1)], axis=1)


def accuracy(learner, context, maps):
    """Probe accuracy on `context` per batch element (maps tiled to the batch)."""
    return (learner.probe(context) == maps[:, context]).mean(axis=-1)


def run_blocks(learner, setup, reps=1):
    """runContextBlocks for a batch of `reps` x seeds: accuracy (blocks + 1, B, K) after every
    block and trials to criterion (blocks, B; 0 = not reached), the probe after every trial while
    some batch element has not reached the criterion (Swift stops probing a run once it has)."""
    maps = np.tile(setup.maps, (reps, 1, 1))
    cues = np.tile(setup.cues, (reps, 1, 1))
    rows = np.arange(len(maps))
    acc = [np.stack([accuracy(learner, k, maps) for k in range(setup.contexts)], axis=1)]
    criterion = []
    for b, context in enumerate(setup.block_contexts):
        learner.begin_block(context)
        reached = np.zeros(len(maps), dtype=int)
        for t in range(setup.trials):
            cue = cues[:, b, t]
            learner.train(cue, context, maps[rows, context, cue])
            if not reached.all():
                hit = accuracy(learner, context, maps) == 1
                reached = np.where((reached == 0) & hit, t + 1, reached)
        learner.end_block(context)
        check(learner.weights(), f"block {b + 1}")
        criterion.append(reached)
        acc.append(np.stack([accuracy(learner, k, maps) for k in range(setup.contexts)], axis=1))
    return np.array(acc), np.array(criterion)


def check(weights, where):
    """The divergence guard: every learned weight finite and below the bound."""
    if not np.all(np.abs(weights) < DIVERGENCE):
        raise FloatingPointError(f"a learner diverged at {where}")


METHODS = ["no-thalamus", "md-oracle", "ewc", "growing", "replay", "xdg", "bg-selected", "consolidated"]


def run_methods(setup, methods=METHODS):
    """Every method of the forgetting comparison on `setup`: {method: (accuracy, criterion)},
    each array with a seed axis. The three shared-readout methods run as one batch."""
    results = {}
    off = setup.rates_off()
    shared = {"no-thalamus": off, "md-oracle": setup.rates_oracle(),
              "xdg": off * setup.xdg_masks(setup.method_rng())[:, :, None, :]}
    batch = [m for m in methods if m in shared]
    if batch:
        table = np.concatenate([shared[m] for m in batch])
        acc, crit = run_blocks(SharedReadout(table, np.tile(setup.readout, (len(batch), 1, 1))), setup, len(batch))
        for i, m in enumerate(batch):
            rows = slice(i * setup.seeds, (i + 1) * setup.seeds)
            results[m] = (acc[:, rows], crit[:, rows])
    others = {"ewc": lambda: EWC(off, setup.readout),
              "growing": lambda: Growing(off, setup.readout),
              "replay": lambda: Replay(off, setup.readout, setup.method_rng()),
              "bg-selected": lambda: BasalGanglia(setup, consolidates=False),
              "consolidated": lambda: BasalGanglia(setup, consolidates=True),
              "hebbian-md": lambda: HebbianMD(setup)}
    for m in methods:
        if m in others:
            results[m] = run_blocks(others[m](), setup)
    return {m: results[m] for m in methods}
