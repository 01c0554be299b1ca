"""Shared pieces of the Chapter 1 (backprop) NumPy references: batched layered networks, the
five credit-assignment rules, the two tasks and one online training run.

Mirrors Sources/CreditCore/{LayeredNetwork,CreditRules,LinearModel}.swift and
Sources/Chapters/Backprop/{BackpropParameters,BackpropTasks}.swift.

Every array carries a leading run axis R (seeds, step-size factors): a network is a list of
weights W[i] of shape (R, n_{i+1}, n_i) and biases b[i] of shape (R, n_{i+1}); samples are
(R, K, n) with K = 1 for one training sample and K = test-set size for a test evaluation.
Losses are E = ½‖y − t‖², averaged over the K samples. Generators: one per (seed, stream), the
streams numbered as in the Swift code (task, init, data, rule); the rule's stream is shared by
the runs of a batch.
"""
import numpy as np

METHODS = ("backprop", "fa", "dfa", "np", "wp")
TASKS = ("linear", "nonlinear")


class Params:
    """BackpropParameters (BackpropParameters.swift) at the defaults or the --quick values."""

    def __init__(self, quick):
        self.learning_rate = 0.01
        self.perturbation_learning_rate = 0.02
        self.hidden = 20
        self.steps = 8_000 if quick else 10_000
        self.sigma = 1e-3
        self.seeds = 3 if quick else 10
        self.seed = 1
        self.checkpoints = 40 if quick else 50
        self.test_size = 200
        self.scaling_hidden = [5, 20, 80] if quick else [5, 10, 20, 40, 80]
        self.scaling_draws = 100 if quick else 200
        self.bias_estimates = 2048 if quick else 4096
        self.step_size_factors = [1, 16] if quick else [0.0625, 0.25, 1, 4, 16, 64, 256]
        self.sweep_seeds = 1 if quick else 3


DIVERGENCE_BOUND = 1e8      # backpropDivergenceBound
TRAINING_NOISE = 0.1        # BackpropTask.trainingNoise
LINEAR_REFERENCE_SAMPLES = 5_000


def generator(seed, stream):
    """An independent generator for (seed, stream)."""
    return np.random.default_rng([seed, stream])


# MARK: - Networks

def init_network(sizes, runs, scale, rng):
    """W_i ~ N(0, scale² / n_{i−1}), biases 0 (LayeredNetwork.init(sizes:…))."""
    weights = [rng.normal(0, scale / np.sqrt(sizes[i - 1]), (runs, sizes[i], sizes[i - 1]))
               for i in range(1, len(sizes))]
    biases = [np.zeros((runs, n)) for n in sizes[1:]]
    return weights, biases


def forward(weights, biases, x, tanh, noise=None):
    """The forward pass (LayeredNetwork.forward): h_0 = x, a_i = W_i h_{i−1} + b_i (+ noise),
    h_i = f(a_i) for hidden layers (f = tanh or identity), linear output. Returns h_0…h_L."""
    h = [x]
    last = len(weights) - 1
    for i, (w, b) in enumerate(zip(weights, biases)):
        a = h[-1] @ w.swapaxes(1, 2) + b[:, None, :]
        if noise is not None:
            a += noise[i]
        h.append(np.tanh(a) if tanh and i < last else a)
    return h


def loss(y, t):
    """Mean over samples of ½‖y − t‖², per run."""
    d = y - t
    return 0.5 * np.einsum("rki,rki->r", d, d) / y.shape[1]


def mean_loss(weights, biases, x, t, tanh):
    """LayeredNetwork.meanLoss(on:) for each run."""
    return loss(forward(weights, biases, x, tanh)[-1], t)


def flatten(gw, gb):
    """NetworkGradient.flattened: each layer's weights row-major, then its bias: (R, P)."""
    parts = []
    for w, b in zip(gw, gb):
        parts += [w.reshape(w.shape[0], -1), b]
    return np.concatenate(parts, axis=1)


def cosine(u, v):
    """Row-wise cosine similarity of (R, P) arrays."""
    return np.einsum("rp,rp->r", u, v) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1))


def angle_degrees(u, v):
    """Row-wise angle in degrees between (R, …) arrays, flattened."""
    u, v = u.reshape(u.shape[0], -1), v.reshape(v.shape[0], -1)
    return np.degrees(np.arccos(np.clip(cosine(u, v), -1, 1)))


def is_finite(weights, biases):
    """Per run: every weight and bias finite."""
    ok = np.ones(weights[0].shape[0], bool)
    for w, b in zip(weights, biases):
        ok &= np.isfinite(w).all(axis=(1, 2)) & np.isfinite(b).all(axis=1)
    return ok


# MARK: - Rules (CreditRules.swift)

class Rule:
    """A credit-assignment rule for a batch of R runs. `direction` returns the update's
    outer-product form (units u_i, activations h_{i−1}, scale per run) or, for WP, a dense
    jitter (ξ_W, ξ_b, scale); the update is W ← W − η g."""

    dense = False

    def __init__(self, tanh):
        self.tanh = tanh

    def errors(self, weights, h, t, feedback):
        """Eq. (1) with a chosen feedback pathway: e_L = y − t, e_i = feedback(i, e_{i+1}, e_L) ∘ f′(a_i)."""
        e = [None] * len(weights)
        e[-1] = h[-1] - t
        for i in range(len(weights) - 2, -1, -1):
            back = feedback(i, e[i + 1], e[-1])
            e[i] = back * (1 - h[i + 1] ** 2) if self.tanh else back
        return e

    def gradient(self, weights, biases, x, t):
        """The mean direction over the K samples of x (CreditRule.gradientEstimate(on:)):
        lists of (R, n_{i+1}, n_i) and (R, n_{i+1})."""
        d = self.direction(weights, biases, x, t)
        if self.dense:
            xw, xb, s = d
            return [s[:, None, None] * w for w in xw], [s[:, None] * b for b in xb]
        u, h, s = d
        k = x.shape[1]
        gw = [(s / k)[:, None, None] * (ul.swapaxes(1, 2) @ hl) for ul, hl in zip(u, h)]
        gb = [(s / k)[:, None] * ul.sum(axis=1) for ul in u]
        return gw, gb

    def train(self, weights, biases, x, t, eta):
        """One online step on one sample per run (x: (R, 1, n_0)), in place (CreditRule.train)."""
        d = self.direction(weights, biases, x, t)
        if self.dense:
            xw, xb, s = d
            c = -eta * s
            for w, b, dw, db in zip(weights, biases, xw, xb):
                w += c[:, None, None] * dw
                b += c[:, None] * db
            return
        u, h, s = d
        c = (-eta * s)[:, None]
        for w, b, ul, hl in zip(weights, biases, u, h):
            cu = c * ul[:, 0]
            w += cu[:, :, None] * hl[:, 0, None, :]   # ΔW_i = −η e_i h_{i−1}ᵀ
            b += cu

    def select(self, keep):
        """The rule restricted to the runs `keep` (after some diverged)."""
        return self


class Backprop(Rule):
    def direction(self, weights, biases, x, t):
        h = forward(weights, biases, x, self.tanh)
        e = self.errors(weights, h, t, lambda i, above, _: above @ weights[i + 1])  # W_{i+1}ᵀ e_{i+1}
        return e, h[:-1], np.ones(x.shape[0])


class RandomFeedback(Rule):
    """A rule with fixed random feedback matrices `bt`, one set per run along axis 0."""

    def select(self, keep):
        self.bt = [b[keep] for b in self.bt]
        return self


class FeedbackAlignment(RandomFeedback):
    """Fixed random B_{i+2}, stored transposed (shaped like W_{i+2}), entries N(0, 1 / n_{i+1})."""

    def __init__(self, tanh, weights, rng):
        super().__init__(tanh)
        self.bt = [rng.normal(0, 1 / np.sqrt(w.shape[2]), w.shape) for w in weights[1:]]

    def direction(self, weights, biases, x, t):
        h = forward(weights, biases, x, self.tanh)
        e = self.errors(weights, h, t, lambda i, above, _: above @ self.bt[i])    # B_{i+1} e_{i+1}
        return e, h[:-1], np.ones(x.shape[0])


class DirectFeedbackAlignment(RandomFeedback):
    """Fixed random B_{i+1} (n_{i+1} × n_L, entries N(0, 1 / n_{i+1})), stored transposed."""

    def __init__(self, tanh, weights, rng):
        super().__init__(tanh)
        runs, n_out = weights[0].shape[0], weights[-1].shape[1]
        self.bt = [np.swapaxes(rng.normal(0, 1 / np.sqrt(w.shape[1]), (runs, w.shape[1], n_out)), 1, 2)
                   for w in weights[:-1]]

    def direction(self, weights, biases, x, t):
        h = forward(weights, biases, x, self.tanh)
        e = self.errors(weights, h, t, lambda i, _, out: out @ self.bt[i])        # B_i e_L
        return e, h[:-1], np.ones(x.shape[0])


class NodePerturbation(Rule):
    """ξ_i ~ N(0, σ²) on every pre-activation; g_i = (E(ξ) − E(0)) / σ² · ξ_i h_{i−1}ᵀ (clean h)."""

    def __init__(self, tanh, sigma, rng):
        super().__init__(tanh)
        self.sigma, self.rng = sigma, rng

    def direction(self, weights, biases, x, t):
        clean = forward(weights, biases, x, self.tanh)
        noise = [self.rng.normal(0, self.sigma, (x.shape[0], 1, w.shape[1])) for w in weights]
        perturbed = forward(weights, biases, x, self.tanh, noise)
        scale = (loss(perturbed[-1], t) - loss(clean[-1], t)) / self.sigma ** 2
        return noise, clean[:-1], scale


class WeightPerturbation(Rule):
    """ξ ~ N(0, σ²) on every weight and bias; g = (E(W + ξ) − E(W)) / σ² · ξ."""

    dense = True

    def __init__(self, tanh, sigma, rng):
        super().__init__(tanh)
        self.sigma, self.rng = sigma, rng

    def direction(self, weights, biases, x, t):
        e0 = mean_loss(weights, biases, x, t, self.tanh)
        xw = [self.rng.normal(0, self.sigma, w.shape) for w in weights]
        xb = [self.rng.normal(0, self.sigma, b.shape) for b in biases]
        e1 = mean_loss([w + d for w, d in zip(weights, xw)], [b + d for b, d in zip(biases, xb)], x, t, self.tanh)
        return xw, xb, (e1 - e0) / self.sigma ** 2


def make_rule(method, tanh, weights, sigma, rng):
    """CreditRule.make at --feedback gaussian, feedback scale 1."""
    if method == "backprop":
        return Backprop(tanh)
    if method == "fa":
        return FeedbackAlignment(tanh, weights, rng)
    if method == "dfa":
        return DirectFeedbackAlignment(tanh, weights, rng)
    if method == "np":
        return NodePerturbation(tanh, sigma, rng)
    return WeightPerturbation(tanh, sigma, rng)


def base_rate(method, sizes, p):
    """BackpropParameters.learningRate(for:on:): η, or η_p / (N + 2) for NP and WP."""
    if method == "np":
        return p.perturbation_learning_rate / (sum(sizes[1:]) + 2)
    if method == "wp":
        n = sum(sizes[i] * sizes[i - 1] + sizes[i] for i in range(1, len(sizes)))
        return p.perturbation_learning_rate / (n + 2)
    return p.learning_rate


# MARK: - Tasks (BackpropTasks.swift)

def sizes_of(task, hidden):
    """BackpropTask.sizes: 30–H–10 (linear student) or 2–H–H–1 (tanh)."""
    return [30, hidden, 10] if task == "linear" else [2, hidden, hidden, 1]


def stream_base(task):
    """BackpropTask.streamBase: the task's first stream (task, init, data, then one per method)."""
    return 0 if task == "linear" else 10


def samples(teacher, count, noise, rng):
    """`count` samples of one seed's task: x ~ N(0, I), t = T x (linear; `teacher` T) or
    tanh(2x₁) tanh(2x₂) (XOR; `teacher` None), plus label noise of sd `noise`."""
    x = rng.standard_normal((count, 2 if teacher is None else teacher.shape[1]))
    t = (np.tanh(2 * x[:, :1]) * np.tanh(2 * x[:, 1:2])) if teacher is None else x @ teacher.T
    if noise > 0:
        t = t + rng.normal(0, noise, t.shape)
    return x, t


def teacher_task(task, seed, test_size):
    """TeacherTask for `seed`: T (10 × 30, entries N(0, 1/30); none for the XOR) and the fixed
    noise-free test set, from the task's stream."""
    rng = generator(seed, stream_base(task))
    teacher = rng.normal(0, 1 / np.sqrt(30), (10, 30)) if task == "linear" else None
    return (teacher,) + samples(teacher, test_size, 0, rng)


class TaskData:
    """One task for R runs, run r belonging to seed seeds[r]: its teacher and test set, its
    initial student (weight scale 0.1 linear, 1 XOR) and its `steps` noisy training samples,
    each from the seed's own stream as in trainRun, so that runs of one seed (other methods or
    step factors) start from the same network and see the same samples."""

    def __init__(self, task, p, seeds):
        self.tanh, self.sizes = task == "nonlinear", sizes_of(task, p.hidden)
        base, scale = stream_base(task), 0.1 if task == "linear" else 1
        runs = []
        for seed in seeds:
            teacher, test_x, test_t = teacher_task(task, seed, p.test_size)
            w, b = init_network(self.sizes, 1, scale, generator(seed, base + 1))
            x, t = samples(teacher, p.steps, TRAINING_NOISE, generator(seed, base + 2))
            runs.append((test_x, test_t, w, b, x, t))
        self.test_x, self.test_t = np.stack([r[0] for r in runs]), np.stack([r[1] for r in runs])
        self.weights = [np.concatenate([r[2][i] for r in runs]) for i in range(len(self.sizes) - 1)]
        self.biases = [np.concatenate([r[3][i] for r in runs]) for i in range(len(self.sizes) - 1)]
        self.train_x = np.stack([r[4] for r in runs], axis=1)     # (steps, R, n)
        self.train_t = np.stack([r[5] for r in runs], axis=1)


def checkpoint_samples(steps, count):
    """checkpointSamples: 0, then `count` points spread evenly up to `steps`."""
    k = min(count, steps)
    return [0] + [(j * steps + k // 2) // k for j in range(1, k + 1)]


def train_runs(data, method, p, factors, rng, marks, observe=None):
    """trainRun for the R runs of `data` at once, online (one update per sample): run r uses
    η = factors[r] × the base η; the rule's own randomness (FA's and DFA's B, NP's and WP's
    noise) comes from `rng`. At every mark the test loss is recorded; a run whose loss exceeds
    10⁸ or is not finite (or whose weights are not) stops there, as the Swift run does.
    `observe(i, active, weights, biases, rule, test_x, test_t)` is called at mark i for the runs
    still going. Returns losses (R, len(marks)), NaN from a run's divergence on, and the sample
    at which each run diverged (-1: it did not)."""
    runs = len(factors)
    weights, biases = [w.copy() for w in data.weights], [b.copy() for b in data.biases]
    rule = make_rule(method, data.tanh, weights, p.sigma, rng)
    eta = np.asarray(factors, float) * base_rate(method, data.sizes, p)
    test_x, test_t, xs, ts = data.test_x, data.test_t, data.train_x, data.train_t
    losses = np.full((runs, len(marks)), np.nan)
    diverged_at = np.full(runs, -1)
    active = np.arange(runs)
    with np.errstate(over="ignore", invalid="ignore"):
        for i, n in enumerate(marks):
            if i > 0:
                for k in range(marks[i - 1], n):
                    rule.train(weights, biases, xs[k][:, None], ts[k][:, None], eta)
            e = mean_loss(weights, biases, test_x, test_t, data.tanh)
            bad = ~np.isfinite(e) | (np.abs(e) > DIVERGENCE_BOUND) | ~is_finite(weights, biases)
            keep = ~bad
            losses[active[keep], i] = e[keep]
            diverged_at[active[bad]] = n
            if bad.any():
                active = active[keep]
                if active.size == 0:
                    break
                weights, biases = [w[keep] for w in weights], [b[keep] for b in biases]
                rule, eta = rule.select(keep), eta[keep]
                test_x, test_t, xs, ts = test_x[keep], test_t[keep], xs[:, keep], ts[:, keep]
            if observe is not None:
                observe(i, active, weights, biases, rule, test_x, test_t)
    return losses, diverged_at
