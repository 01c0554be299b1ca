// Working memory in a PFC rate unit whose recurrent gain is amplified by MD
// thalamus: Eqs. (10)–(11) of the review.
//
//   τ dr/dt = −r + f(inp),  inp = (1 + r_MD) w_PFC r + r_s,  f(x) = 1 / (1 + e^{−x})   (10)
//   τ_eff   = τ / (1 − g),  g = (1 + r_MD) w_PFC f′(inp*) = (1 + r_MD) w_PFC f(inp*)(1 − f(inp*))   (11)
//
// (11) linearises (10) at a fixed point r* = f(inp*): a small deviation x = r − r*
// obeys τ dx/dt = −(1 − g) x, so it decays with τ_eff while the loop gain g < 1
// (the fixed point is stable) and grows when g > 1 (unstable). MD multiplies the
// recurrent weight: only the product W = (1 + r_MD) w_PFC enters, so every result
// below depends on (r_MD, w_PFC) through W.
//
// Units: time in ms (τ, dt, durations); rates are dimensionless in [0, 1].
//
// Integration is classical fourth-order Runge–Kutta (RK4) with a fixed step dt ≪ τ:
// local error O(dt⁵), global error O(dt⁴); it keeps a fixed point of (10) exactly
// fixed (the right-hand side vanishes there at every stage). A population is a
// vector of independent units (one per memorised item), all obeying (10) with the
// same τ and w_PFC but each with its own r_MD,i(t) and r_s,i(t), stored contiguously.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - One unit: Eq. (10), Eq. (11), fixed points

/// A fixed point r* of Eq. (10) for given (r_MD, r_s), with its linearisation (Eq. 11).
public struct RateFixedPoint: Sendable, Equatable {
    /// r*, the rate at which −r + f(inp) = 0.
    public var rate: Double
    /// inp* = (1 + r_MD) w_PFC r* + r_s.
    var input: Double
    /// The loop gain g = (1 + r_MD) w_PFC f′(inp*) (Eq. 11).
    public var loopGain: Double
    /// τ_eff = τ / (1 − g) (Eq. 11): the decay time of a small deviation when g < 1;
    /// negative when g > 1 (|τ_eff| is then the growth time); infinite at g = 1.
    public var effectiveTimeConstant: Double

    /// Stable when g < 1 (a deviation decays), unstable when g > 1 (marginal at g = 1 exactly: not stable).
    public var isStable: Bool { loopGain < 1 }
}

/// The range of effective recurrent weights W = (1 + r_MD) w_PFC over which Eq. (10)
/// with a fixed input r_s has three fixed points (low stable, middle unstable, high
/// stable). Both ends are saddle-node bifurcations, where two fixed points merge with
/// loop gain g = 1. Exists only for r_s < −2 (the cusp is at W = 4, r_s = −2).
public struct BistabilityWindow: Sendable, Equatable {
    /// W at which the persistent high state appears (born together with the middle, unstable state).
    public var onsetWeight: Double
    /// The rate at which it appears (> 1/2).
    var onsetRate: Double
    /// W at which the low (resting) state merges with the middle one and disappears; the
    /// low state's loop gain rises to 1 (τ_eff → ∞) as W approaches it.
    public var collapseWeight: Double
    /// The rate at which the low state disappears (< 1/2).
    var collapseRate: Double

    /// The r_MD range over which a unit with recurrent weight `wPFC` (> 0) is bistable:
    /// r_MD = W / w_PFC − 1 at each end (the lower end may be negative: bistable even without MD).
    func mdRange(wPFC: Double) -> ClosedRange<Double> {
        precondition(wPFC > 0, "mdRange needs w_PFC > 0")
        return (onsetWeight / wPFC - 1)...(collapseWeight / wPFC - 1)
    }
}

/// One PFC working-memory unit, Eq. (10): τ dr/dt = −r + f((1 + r_MD) w_PFC r + r_s),
/// with f the logistic sigmoid. r_MD and r_s are arguments (they may change in time);
/// τ and w_PFC are the unit's own.
public struct WorkingMemoryUnit: Sendable, Equatable {
    /// Membrane/rate time constant τ in ms (> 0).
    var tau: Double
    /// Recurrent weight w_PFC.
    var wPFC: Double

    /// A unit with time constant `tau` (ms) and recurrent weight `wPFC`.
    public init(tau: Double = 20, wPFC: Double) {
        precondition(tau > 0 && tau.isFinite, "WorkingMemoryUnit needs τ > 0, got \(tau)")
        self.tau = tau
        self.wPFC = wPFC
    }

    /// The effective recurrent weight W = (1 + r_MD) w_PFC.
    public func effectiveWeight(md: Double) -> Double { (1 + md) * wPFC }

    /// inp = (1 + r_MD) w_PFC r + r_s (Eq. 10).
    func input(rate r: Double, md: Double, sensory: Double) -> Double {
        (1 + md) * wPFC * r + sensory  // Eq. (10)
    }

    /// dr/dt = (−r + f(inp)) / τ (Eq. 10), per ms.
    func rateOfChange(rate r: Double, md: Double, sensory: Double) -> Double {
        (-r + logistic(input(rate: r, md: md, sensory: sensory))) / tau  // Eq. (10)
    }

    /// The loop gain g = (1 + r_MD) w_PFC f(inp)(1 − f(inp)) at rate r (Eq. 11).
    func loopGain(rate r: Double, md: Double, sensory: Double) -> Double {
        let s = logistic(input(rate: r, md: md, sensory: sensory))
        return effectiveWeight(md: md) * s * (1 - s)  // Eq. (11)
    }

    /// τ_eff = τ / (1 − g) at rate r (Eq. 11); meaningful at a fixed point.
    func effectiveTimeConstant(rate r: Double, md: Double, sensory: Double) -> Double {
        tau / (1 - loopGain(rate: r, md: md, sensory: sensory))  // Eq. (11)
    }

    /// One RK4 step of Eq. (10) from rate `r` over `dt` ms with constant r_MD and r_s.
    func rk4Step(_ r: Double, dt: Double, md: Double, sensory: Double) -> Double {
        let k1 = rateOfChange(rate: r, md: md, sensory: sensory)
        let k2 = rateOfChange(rate: r + 0.5 * dt * k1, md: md, sensory: sensory)
        let k3 = rateOfChange(rate: r + 0.5 * dt * k2, md: md, sensory: sensory)
        let k4 = rateOfChange(rate: r + dt * k3, md: md, sensory: sensory)
        return r + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    }

    /// The fixed point at rate `r` (assumed to solve Eq. 10), with g and τ_eff from Eq. (11).
    func fixedPoint(at r: Double, md: Double, sensory: Double) -> RateFixedPoint {
        let inp = input(rate: r, md: md, sensory: sensory)
        let s = logistic(inp)
        let g = effectiveWeight(md: md) * s * (1 - s)  // Eq. (11)
        return RateFixedPoint(rate: r, input: inp, loopGain: g, effectiveTimeConstant: tau / (1 - g))
    }

    /// Every fixed point of Eq. (10), r = f((1 + r_MD) w_PFC r + r_s), in increasing order of r.
    ///
    /// All of them lie in (0, 1) because f does. With W = (1 + r_MD) w_PFC, the residual
    /// F(r) = r − f(W r + r_s) has F′ = 1 − g(r), which vanishes only where
    /// f′(W r + r_s) = 1 / W, i.e. at most at two points, found in closed form
    /// (f = (1 ± √(1 − 4/W)) / 2, so W r + r_s = logit of that). Between those points F is
    /// monotone, so each piece holds at most one root, bracketed by its end values and
    /// located by bisection to adjacent doubles: no root is missed however close two are.
    /// A root exactly at a turning point (a saddle-node, g = 1) is reported once.
    public func fixedPoints(md: Double, sensory: Double) -> [RateFixedPoint] {
        let w = effectiveWeight(md: md)
        precondition(w.isFinite && sensory.isFinite, "fixed points need finite W and r_s, got W = \(w), r_s = \(sensory)")
        let residual: (Double) -> Double = { r in r - logistic(w * r + sensory) }
        var breaks: [Double] = [0]
        if w > 4 {
            let h = (1 - 4 / w).squareRoot()
            for s in [(1 - h) / 2, (1 + h) / 2] {
                let r = (RateDynamicsNumerics.logit(s) - sensory) / w
                if r > 0 && r < 1 { breaks.append(r) }
            }
            breaks.sort()
        }
        breaks.append(1)
        var roots: [Double] = []
        for k in 0..<(breaks.count - 1) {
            guard let r = RateDynamicsNumerics.bisectRoot(in: breaks[k], breaks[k + 1], residual) else { continue }
            if let last = roots.last, Swift.abs(r - last) <= 1e-12 * Swift.max(1, Swift.abs(r)) { continue }
            roots.append(r)
        }
        return roots.map { fixedPoint(at: $0, md: md, sensory: sensory) }
    }

    /// The lowest fixed point (the resting state when r_s is a negative bias).
    public func lowestFixedPoint(md: Double, sensory: Double) -> RateFixedPoint {
        fixedPoints(md: md, sensory: sensory)[0]  // F(0) < 0 < F(1): there is always one
    }

    /// The r_MD range over which this unit is bistable for input `sensory`, or nil if it never is
    /// (r_s ≥ −2, or w_PFC ≤ 0). See `BistabilityWindow/mdRange(wPFC:)`.
    public func bistableMDRange(sensory: Double) -> ClosedRange<Double>? {
        guard wPFC > 0, let window = Self.bistabilityWindow(sensory: sensory) else { return nil }
        return window.mdRange(wPFC: wPFC)
    }

    /// Where Eq. (10) with constant input r_s = `sensory` is bistable, as a range of the
    /// effective weight W = (1 + r_MD) w_PFC > 0; nil when r_s ≥ −2 (never bistable).
    ///
    /// At a saddle-node, r = f(W r + r_s) and g = W r(1 − r) = 1 (since f′ = f(1 − f) and
    /// f = r there). So W = 1 / (r(1 − r)), and substituting into logit r = W r + r_s gives
    /// h(r) = logit r − 1/(1 − r) = r_s. h rises on (0, ½), falls on (½, 1) and peaks at
    /// h(½) = −2, so for r_s < −2 there are two solutions: the one above ½ is where the
    /// high state is born (smaller W), the one below ½ where the low state dies (larger W).
    public static func bistabilityWindow(sensory: Double) -> BistabilityWindow? {
        guard sensory < -2 && sensory.isFinite else { return nil }
        let h: (Double) -> Double = { r in RateDynamicsNumerics.logit(r) - 1 / (1 - r) - sensory }
        guard let low = RateDynamicsNumerics.bisectRoot(in: 1e-300, 0.5, h),
            let high = RateDynamicsNumerics.bisectRoot(in: 0.5, 1.0.nextDown, h)
        else { return nil }
        let wLow = 1 / (low * (1 - low)), wHigh = 1 / (high * (1 - high))
        return BistabilityWindow(onsetWeight: wHigh, onsetRate: high, collapseWeight: wLow, collapseRate: low)
    }
}

// MARK: - Measuring τ_eff from a simulation

/// τ_eff read off a simulated decay of a small deviation from a fixed point.
public struct DecayMeasurement: Sendable, Equatable {
    /// τ_eff = −1 / slope of the least-squares line through ln|r(t) − r*| against t (ms);
    /// negative when the deviation grows (an unstable fixed point).
    public var effectiveTimeConstant: Double
    /// The time (ms) at which |r − r*| first reached ε/e (or ε·e when growing), by linear
    /// interpolation of ln|r − r*| between steps; NaN if not reached. Equals τ_eff for a pure exponential.
    public var oneOverETime: Double
    /// The span of time fitted, from 0 to the last sample inside the window (ms).
    var fittedDuration: Double
    /// How many samples (steps) the fit used.
    var samples: Int
}

extension WorkingMemoryUnit {
    /// Measures τ_eff at the fixed point `rStar` by simulation (RK4, step `dt`): starts at
    /// r* + ε with constant r_MD = `md` and r_s = `sensory`, integrates, and fits a straight
    /// line to ln|r − r*| against t over the window in which the deviation has changed by at
    /// most `eFolds` factors of e (by default it decays from ε to ε e⁻³), sampling every step.
    /// With ε ≪ the distance to any other fixed point the decay is exponential with rate
    /// (1 − g)/τ (Eq. 11) up to a relative correction of order ε |F″| / (1 − g).
    ///
    /// Stops after `maxDuration` ms (default 400 τ) even if the window is not complete.
    /// Throws ``DivergenceError`` (run `run`, step = integration step) if the rate becomes
    /// NaN/∞ or leaves [−`WorkingMemoryPopulation/rateBound`, `WorkingMemoryPopulation/rateBound`].
    public func measureEffectiveTimeConstant(
        md: Double, sensory: Double, fixedPoint rStar: Double, perturbation epsilon: Double = 1e-5,
        dt: Double, eFolds: Double = 3, maxDuration: Double? = nil, run: String = "tau-eff"
    ) throws -> DecayMeasurement {
        precondition(dt > 0 && dt.isFinite, "measureEffectiveTimeConstant needs dt > 0, got \(dt)")
        precondition(epsilon != 0 && eFolds > 0, "measureEffectiveTimeConstant needs ε ≠ 0 and eFolds > 0")
        let guardrail = DivergenceGuard(
            run: run, stepName: "step",
            parameters: [
                RunParameter("tau", tau), RunParameter("w_pfc", wPFC), RunParameter("r_md", md),
                RunParameter("r_s", sensory), RunParameter("dt", dt),
            ],
            bound: WorkingMemoryPopulation.rateBound)
        let y0 = log(Swift.abs(epsilon))
        let maxSteps = Int(((maxDuration ?? 400 * tau) / dt).rounded(.up))
        var fit = StreamingLineFit()
        fit.add(0, y0)
        var r = rStar + epsilon
        try guardrail.check(r, step: 0)
        var previousY = y0, previousT = 0.0
        var oneOverE = Double.nan
        var lastT = 0.0
        for k in 1...Swift.max(1, maxSteps) {
            r = rk4Step(r, dt: dt, md: md, sensory: sensory)
            try guardrail.check(r, step: k)
            let x = r - rStar
            if x == 0 || (x < 0) != (epsilon < 0) { break }  // reached r* to rounding, or crossed it
            let t = Double(k) * dt
            let y = log(Swift.abs(x))
            if oneOverE.isNaN && Swift.abs(y - y0) >= 1 {
                let target = y < y0 ? y0 - 1 : y0 + 1
                oneOverE = previousT + (target - previousY) / (y - previousY) * (t - previousT)
            }
            if Swift.abs(y - y0) > eFolds { break }
            fit.add(t, y)
            lastT = t
            previousY = y
            previousT = t
        }
        return DecayMeasurement(
            effectiveTimeConstant: -1 / fit.slope, oneOverETime: oneOverE,
            fittedDuration: lastT, samples: fit.count)
    }
}

// MARK: - Inputs that change in time

/// A rectangular pulse: `amplitude` on the half-open interval [start, end) (ms).
public struct RatePulse: Sendable, Equatable {
    /// Onset (ms).
    var start: Double
    /// Offset (ms), after `start`.
    var end: Double
    /// Height added while the pulse is on.
    var amplitude: Double

    /// A pulse of `amplitude` on [start, end).
    public init(start: Double, end: Double, amplitude: Double) {
        precondition(end >= start, "pulse ends (\(end)) before it starts (\(start))")
        self.start = start
        self.end = end
        self.amplitude = amplitude
    }
}

/// A piecewise-constant signal: a baseline plus the sum of the pulses that are on at t.
public struct RateSchedule: Sendable, Equatable {
    /// The value when no pulse is on.
    var baseline: Double
    /// Pulses added to the baseline (they may overlap; overlapping pulses add).
    var pulses: [RatePulse]

    /// A schedule with `baseline` and `pulses`.
    public init(baseline: Double = 0, pulses: [RatePulse] = []) {
        self.baseline = baseline
        self.pulses = pulses
    }

    /// The value at time t.
    public func value(at t: Double) -> Double {
        var v = baseline
        for p in pulses where t >= p.start && t < p.end { v += p.amplitude }
        return v
    }
}

/// The time-dependent inputs of a population of Eq. (10) units: for every unit i,
/// its MD input r_MD,i(t) and its sensory input r_s,i(t).
public protocol WorkingMemoryDrive: Sendable {
    /// Writes r_MD,i(t) into `md[i]` and r_s,i(t) into `sensory[i]` for every unit i
    /// (both arrays already have one entry per unit).
    func inputs(at t: Double, md: inout [Double], sensory: inout [Double])
}

/// Inputs given as one piecewise-constant schedule per unit for r_MD and for r_s.
public struct ScheduledDrive: WorkingMemoryDrive, Equatable {
    /// r_MD,i(t), one schedule per unit.
    public var md: [RateSchedule]
    /// r_s,i(t), one schedule per unit.
    var sensory: [RateSchedule]

    /// A drive from per-unit schedules (the two lists must have the same length).
    public init(md: [RateSchedule], sensory: [RateSchedule]) {
        precondition(md.count == sensory.count, "ScheduledDrive: \(md.count) MD schedules but \(sensory.count) sensory ones")
        self.md = md
        self.sensory = sensory
    }

    /// Each unit's r_MD and r_s at time `t` (ms), read from its two schedules (Eq. 10's inputs).
    public func inputs(at t: Double, md out: inout [Double], sensory s: inout [Double]) {
        for i in 0..<md.count {
            out[i] = md[i].value(at: t)
            s[i] = sensory[i].value(at: t)
        }
    }
}

/// Constant inputs, one value per unit.
struct ConstantDrive: WorkingMemoryDrive, Equatable {
    /// r_MD,i for every unit.
    var md: [Double]
    /// r_s,i for every unit.
    var sensory: [Double]

    /// Constant inputs (the two lists must have the same length).
    init(md: [Double], sensory: [Double]) {
        precondition(md.count == sensory.count, "ConstantDrive: \(md.count) MD values but \(sensory.count) sensory ones")
        self.md = md
        self.sensory = sensory
    }

    func inputs(at t: Double, md out: inout [Double], sensory s: inout [Double]) {
        for i in 0..<md.count {
            out[i] = md[i]
            s[i] = sensory[i]
        }
    }
}

// MARK: - A population of independent units

/// Rates recorded during a simulation.
public struct RateTrajectory: Sendable, Equatable {
    /// Sample times (ms).
    public var times: [Double]
    /// `rates[i][k]`: unit i at `times[k]`.
    public var rates: [[Double]]

    /// A trajectory; every unit's series must have one value per time.
    init(times: [Double], rates: [[Double]]) {
        precondition(rates.allSatisfy { $0.count == times.count }, "RateTrajectory: series lengths differ from the time axis")
        self.times = times
        self.rates = rates
    }

    /// `self` followed by `next`, dropping `next`'s first sample when it repeats the last time.
    public func appending(_ next: RateTrajectory) -> RateTrajectory {
        precondition(next.rates.count == rates.count, "RateTrajectory: unit counts differ")
        let skip = (times.last != nil && next.times.first == times.last) ? 1 : 0
        return RateTrajectory(
            times: times + next.times.dropFirst(skip),
            rates: zip(rates, next.rates).map { $0 + $1.dropFirst(skip) })
    }
}

/// A vector of independent Eq. (10) units sharing τ and w_PFC (e.g. one PFC memory unit per
/// item), integrated together by RK4 with each unit's own r_MD,i(t) and r_s,i(t).
public struct WorkingMemoryPopulation: Sendable, Equatable {
    /// Rates beyond this magnitude count as a numerical blow-up: the exact solution stays in
    /// [0, 1] once there (f maps into (0, 1)), so |r| > 1000 can only come from too large a step.
    static let rateBound = 1e3

    /// The equation every unit obeys (τ and w_PFC).
    var unit: WorkingMemoryUnit
    /// The current rates, one per unit.
    public var rates: [Double]
    /// The current time (ms).
    var time: Double

    /// A population in state `rates` at `time`.
    public init(unit: WorkingMemoryUnit, rates: [Double], time: Double = 0) {
        self.unit = unit
        self.rates = rates
        self.time = time
    }

    /// Number of units.
    var count: Int { rates.count }

    /// dr_i/dt for every unit at the given inputs (Eq. 10).
    @inline(__always)
    private func derivative(_ r: [Double], md: [Double], sensory: [Double], into out: inout [Double]) {
        for i in 0..<r.count { out[i] = unit.rateOfChange(rate: r[i], md: md[i], sensory: sensory[i]) }
    }

    /// Integrates for `duration` ms with RK4 steps of `dt` (the last step shortened so the run
    /// ends exactly at `time + duration`); inputs are sampled at t, t + dt/2 and t + dt of
    /// each step. Records the rates at the start, every `recordEvery` steps and at the end.
    /// Throws ``DivergenceError`` (run `run`, step = integration step, with τ, w_PFC, dt and
    /// `parameters`) if a rate becomes NaN/∞ or exceeds `rateBound` in magnitude.
    public mutating func simulate(
        duration: Double, dt: Double, drive: some WorkingMemoryDrive,
        recordEvery: Int = 1, run: String,
        parameters: [RunParameter] = []
    ) throws -> RateTrajectory {
        precondition(dt > 0 && dt.isFinite, "simulate needs a step dt > 0, got \(dt)")
        precondition(duration >= 0 && duration.isFinite, "simulate needs a duration ≥ 0, got \(duration)")
        precondition(recordEvery >= 1, "recordEvery must be ≥ 1")
        let n = count
        let guardrail = DivergenceGuard(
            run: run, stepName: "step",
            parameters: [RunParameter("tau", unit.tau), RunParameter("w_pfc", unit.wPFC), RunParameter("dt", dt)] + parameters,
            bound: Self.rateBound)
        let steps = duration == 0 ? 0 : Swift.max(1, Int((duration / dt - 1e-9).rounded(.up)))
        let t0 = time
        var times = [t0]
        var series = rates.map { [$0] }
        for i in 0..<n { try guardrail.check(rates[i], step: 0) }
        var md = [Double](repeating: 0, count: n), sensory = md
        var k1 = md, k2 = md, k3 = md, k4 = md, tmp = md
        for k in 0..<steps {
            let t = t0 + Double(k) * dt
            let h = k == steps - 1 ? (t0 + duration) - t : dt
            drive.inputs(at: t, md: &md, sensory: &sensory)
            derivative(rates, md: md, sensory: sensory, into: &k1)
            drive.inputs(at: t + 0.5 * h, md: &md, sensory: &sensory)
            for i in 0..<n { tmp[i] = rates[i] + 0.5 * h * k1[i] }
            derivative(tmp, md: md, sensory: sensory, into: &k2)
            for i in 0..<n { tmp[i] = rates[i] + 0.5 * h * k2[i] }
            derivative(tmp, md: md, sensory: sensory, into: &k3)
            drive.inputs(at: t + h, md: &md, sensory: &sensory)
            for i in 0..<n { tmp[i] = rates[i] + h * k3[i] }
            derivative(tmp, md: md, sensory: sensory, into: &k4)
            for i in 0..<n {
                rates[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i])
                try guardrail.check(rates[i], step: k + 1)
            }
            time = k == steps - 1 ? t0 + duration : t0 + Double(k + 1) * dt
            if (k + 1) % recordEvery == 0 || k == steps - 1 {
                times.append(time)
                for i in 0..<n { series[i].append(rates[i]) }
            }
        }
        return RateTrajectory(times: times, rates: series)
    }
}
