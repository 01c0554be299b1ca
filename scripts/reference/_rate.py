"""Shared NumPy numerics of Eq. (10) for the gating references (tau_eff.py, phase_diagram.py):
the PFC rate unit τ dr/dt = −r + f((1 + r_MD) w_PFC r + r_s), f the logistic, its fixed points
with Eq. (11)'s loop gain g and τ_eff = τ / (1 − g), the bistability window, and τ_eff measured
from a simulated decay. Every function works on arrays of units (one per element), written as
NumPy versions of CreditCore/WorkingMemoryDynamics.swift (WorkingMemoryUnit.fixedPoints,
.bistabilityWindow, .measureEffectiveTimeConstant) and CreditCore/RateDynamicsNumerics.swift
(bisectRoot, StreamingLineFit), with the same algorithms: bisection down to adjacent doubles,
classical RK4, a least-squares line through ln|r − r*| over the first `e_folds` e-folds.
"""
import numpy as np

RATE_BOUND = 1e3  # |r| beyond this is a numerical blow-up (WorkingMemoryPopulation.rateBound)


def logistic(x):
    """f(x) = 1 / (1 + e^{−x}) (for x < −709 e^{−x} overflows to ∞ and f to its limit 0)."""
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def logit(p):
    """ln(p / (1 − p))."""
    return np.log(p) - np.log1p(-p)


def bisect(f, lo, hi):
    """A root of f(·, i) in [lo[i], hi[i]] for every element i where f changes sign there (NaN
    where it does not), by bisection down to adjacent doubles, returning the end with the
    smaller |f| (Swift: RateDynamicsNumerics.bisectRoot). f(x, i) evaluates the functions of
    the elements i (an index array) at the points x."""
    a, b = (v.astype(float) for v in np.broadcast_arrays(np.asarray(lo, float), np.asarray(hi, float)))
    every = np.arange(a.size)
    fa, fb = f(a, every), f(b, every)
    root = np.where(fa == 0, a, np.where(fb == 0, b, np.nan))
    live = np.flatnonzero(np.isnan(root) & ((fa < 0) != (fb < 0)))
    fa = fa[live]
    while live.size:
        m = a[live] + (b[live] - a[live]) / 2
        adjacent = (m <= a[live]) | (m >= b[live])
        if adjacent.any():
            done = live[adjacent]
            root[done] = np.where(np.abs(fa[adjacent]) <= np.abs(f(b[done], done)), a[done], b[done])
            live, m, fa = live[~adjacent], m[~adjacent], fa[~adjacent]
        fm = f(m, live)
        exact = fm == 0
        root[live[exact]] = m[exact]
        lower = (fm < 0) == (fa < 0)  # the sign change lies above m
        a[live[lower]] = m[lower]
        b[live[~lower]] = m[~lower]
        fa = np.where(lower, fm, fa)
        live, fa = live[~exact], fa[~exact]
    return root


def fixed_points(weight, sensory):
    """Every fixed point of r = f(W r + r_s) for each element of the arrays W and r_s: rates
    (N, 3) in increasing order, NaN-padded (Swift: WorkingMemoryUnit.fixedPoints). The residual
    r − f(W r + r_s) is monotone between the (at most two) rates where g = 1, so each of the
    up to three pieces of [0, 1] holds at most one root."""
    weight, sensory = np.broadcast_arrays(np.asarray(weight, float), np.asarray(sensory, float))
    n = weight.size
    w, s = weight.ravel(), sensory.ravel()
    breaks = np.full((n, 4), np.nan)
    breaks[:, 0], breaks[:, 3] = 0.0, 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        h = np.sqrt(np.where(w > 4, 1 - 4 / w, np.nan))
        for col, side in ((1, -1), (2, 1)):
            r = (logit((1 + side * h) / 2) - s) / w
            breaks[:, col] = np.where((r > 0) & (r < 1), r, np.nan)
    breaks = np.sort(breaks, axis=1)  # NaNs last: [0, (breaks), 1, NaN…]
    roots = np.full((n, 3), np.nan)
    for k in range(3):
        lo, hi = breaks[:, k], breaks[:, k + 1]
        ok = np.flatnonzero(~np.isnan(hi))
        roots[ok, k] = bisect(lambda r, i: r - logistic(w[ok[i]] * r + s[ok[i]]), lo[ok], hi[ok])
    # Report a root at a turning point once; then pack the roots to the left.
    for k in (1, 2):
        prev = np.fmax(roots[:, 0], roots[:, 1]) if k == 2 else roots[:, 0]
        twin = np.abs(roots[:, k] - prev) <= 1e-12 * np.maximum(1, np.abs(roots[:, k]))
        roots[twin, k] = np.nan
    roots = np.sort(roots, axis=1)
    return roots.reshape(weight.shape + (3,))


def loop_gain(weight, rate, sensory):
    """g = W f(inp)(1 − f(inp)) at inp = W r + r_s (Eq. 11)."""
    f = logistic(weight * rate + sensory)
    return weight * f * (1 - f)


def bistability_window(sensory):
    """(onset W, collapse W) of the bistable range of W for input r_s, or None if r_s ≥ −2."""
    if not sensory < -2:
        return None

    def h(r, _):
        return logit(r) - 1 / (1 - r) - sensory

    low = bisect(h, np.array([1e-300]), np.array([0.5]))[0]
    high = bisect(h, np.array([0.5]), np.array([np.nextafter(1.0, 0)]))[0]
    if np.isnan(low) or np.isnan(high):
        return None
    return 1 / (high * (1 - high)), 1 / (low * (1 - low))


def measure_tau(weight, sensory, r_star, tau, dt, epsilon=1e-5, e_folds=3.0, max_duration=None):
    """τ_eff and the 1/e time of each element, read off the simulated decay of r* + ε: RK4 with
    step dt, a least-squares line through (t, ln|r − r*|) from t = 0 while the deviation has
    changed by at most e_folds factors of e, τ_eff = −1/slope (Swift:
    measureEffectiveTimeConstant). An element stops when its deviation reaches 0 or changes
    sign, leaves the fit window, or after max_duration (400 τ); the others go on."""
    weight, sensory, r_star = (np.asarray(v, float).ravel() for v in np.broadcast_arrays(weight, sensory, r_star))
    n = weight.size
    max_steps = max(1, int(np.ceil((max_duration or 400 * tau) / dt)))
    y0 = np.log(abs(epsilon))
    # Per element: W, r_s, r*, r, the fit's sums (about t = 0, its first point), the 1/e time,
    # and the last fitted point; rows of `live` hold the elements still running (`who`).
    names = ("w", "s", "r_star", "r", "count", "sx", "sy", "sxx", "sxy", "one_over_e", "prev_y", "prev_t")
    live = np.stack([weight, sensory, r_star, r_star + epsilon, np.ones(n), np.zeros(n), np.full(n, y0),
                     np.zeros(n), np.zeros(n), np.full(n, np.nan), np.full(n, y0), np.zeros(n)])
    W, S, RS, R, N, SX, SY, SXX, SXY, E, PY, PT = range(len(names))
    final = live.copy()
    who = np.arange(n)

    def keep_only(mask):
        nonlocal live, who
        final[:, who[~mask]] = live[:, ~mask]
        live, who = live[:, mask], who[mask]

    def rate(x):
        return (-x + logistic(live[W] * x + live[S])) / tau  # Eq. (10)

    for k in range(1, max_steps + 1):
        if not who.size:
            break
        x = live[R]
        k1 = rate(x)
        k2 = rate(x + 0.5 * dt * k1)
        k3 = rate(x + 0.5 * dt * k2)
        k4 = rate(x + dt * k3)
        live[R] = x = x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        if not np.all(np.abs(x) <= RATE_BOUND):
            raise FloatingPointError(f"τ_eff measurement diverged at step {k}")
        dev = x - live[RS]
        on = (dev != 0) & ((dev < 0) == (epsilon < 0))  # not yet at r* (to rounding) or across it
        if not on.all():
            keep_only(on)
            dev = dev[on]
        t = k * dt
        y = np.log(np.abs(dev))
        cross = np.isnan(live[E]) & (np.abs(y - y0) >= 1)
        if cross.any():
            target = np.where(y < y0, y0 - 1, y0 + 1)
            at = live[PT] + (target - live[PY]) / (y - live[PY]) * (t - live[PT])
            live[E] = np.where(cross, at, live[E])
        inside = np.abs(y - y0) <= e_folds
        if not inside.all():
            keep_only(inside)
            y = y[inside]
        live[N] += 1
        live[SX] += t
        live[SY] += y
        live[SXX] += t * t
        live[SXY] += t * y
        live[PY], live[PT] = y, t
    keep_only(np.zeros(who.size, dtype=bool))
    count, sx, sy, sxx, sxy = final[[N, SX, SY, SXX, SXY]]
    den = count * sxx - sx * sx
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where((count >= 2) & (den != 0), (count * sxy - sx * sy) / den, np.nan)
        return -1 / slope, final[E]
