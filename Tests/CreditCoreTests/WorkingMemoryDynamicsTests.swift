import Testing

@testable import CreditCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Working-memory dynamics core (Eqs. 10, 11)")
struct WorkingMemoryDynamicsTests {
    /// With w_PFC = 0, Eq. (10) is linear: r(t) = f(r_s) + (r₀ − f(r_s)) e^{−t/τ}.
    private func analyticError(dt: Double, tau: Double = 20, duration: Double = 100, sensory: Double = 0.7) throws -> Double {
        let unit = WorkingMemoryUnit(tau: tau, wPFC: 0)
        var pop = WorkingMemoryPopulation(unit: unit, rates: [0.05])
        let traj = try pop.simulate(duration: duration, dt: dt, drive: ConstantDrive(md: [3], sensory: [sensory]), run: "analytic")
        let target = logistic(sensory)
        var worst = 0.0
        for (k, t) in traj.times.enumerated() {
            let exact = target + (0.05 - target) * exp(-t / tau)
            worst = max(worst, abs(traj.rates[0][k] - exact))
        }
        #expect(abs(traj.times.last! - duration) < 1e-12)
        return worst
    }

    @Test func rk4MatchesTheAnalyticRelaxationAtFourthOrder() throws {
        let e2 = try analyticError(dt: 2), e1 = try analyticError(dt: 1), eHalf = try analyticError(dt: 0.5)
        let order1 = log2(e2 / e1), order2 = log2(e1 / eHalf)
        #expect(order1 > 3.8 && order1 < 4.2, "observed order \(order1) (errors \(e2), \(e1))")
        #expect(order2 > 3.8 && order2 < 4.2, "observed order \(order2) (errors \(e1), \(eHalf))")
        #expect(try analyticError(dt: 0.05) < 1e-12)
        // The scalar step and the population step agree.
        let unit = WorkingMemoryUnit(tau: 20, wPFC: 2.5)
        var pop = WorkingMemoryPopulation(unit: unit, rates: [0.3, 0.9])
        _ = try pop.simulate(duration: 0.1, dt: 0.1, drive: ConstantDrive(md: [1, 0.5], sensory: [-3, -1]), run: "one step")
        #expect(pop.rates[0] == unit.rk4Step(0.3, dt: 0.1, md: 1, sensory: -3))
        #expect(pop.rates[1] == unit.rk4Step(0.9, dt: 0.1, md: 0.5, sensory: -1))
    }

    @Test func fixedPointsSolveEquationTenAndStabilityFollowsTheLoopGain() {
        let unit = WorkingMemoryUnit(tau: 20, wPFC: 1)
        var sawThree = false
        for w in [-3.0, 0, 1, 3, 4, 5, 5.5, 7, 8.4, 10, 20] {
            for b in [-6.0, -4, -3, -2.5, -2, -1, 0, 1.5] {
                let fps = unit.fixedPoints(md: w - 1, sensory: b)  // W = (1 + r_MD) · 1 = w
                #expect(fps.count == 1 || fps.count == 3, "W = \(w), r_s = \(b): \(fps.count) fixed points")
                if fps.count == 3 { sawThree = true }
                for (i, fp) in fps.enumerated() {
                    #expect(abs(fp.rate - logistic(w * fp.rate + b)) < 1e-10, "W = \(w), r_s = \(b)")  // Eq. (10) at rest
                    if i > 0 { #expect(fp.rate > fps[i - 1].rate) }
                    // g is the slope of f(inp) in r: compare with a central difference.
                    let h = 1e-6
                    let slope = (logistic(w * (fp.rate + h) + b) - logistic(w * (fp.rate - h) + b)) / (2 * h)
                    #expect(abs(slope - fp.loopGain) < 1e-7)
                    if fp.loopGain == 1 {  // the cusp W = 4, r_s = −2: r* = ½ exactly
                        #expect(w == 4 && b == -2 && fp.rate == 0.5 && fp.effectiveTimeConstant.isInfinite)
                    } else {
                        #expect(abs(fp.effectiveTimeConstant - 20 / (1 - fp.loopGain)) < 1e-9 * abs(fp.effectiveTimeConstant))
                    }
                }
                if fps.count == 3 {
                    #expect(fps.map(\.isStable) == [true, false, true])
                    #expect(fps[1].loopGain > 1 && fps[1].effectiveTimeConstant < 0)
                }
            }
        }
        #expect(sawThree)
    }

    @Test func stabilityIsWhatTheDynamicsDo() throws {
        // W = 7, r_s = −3: low and high states attract a small deviation, the middle one repels it.
        let unit = WorkingMemoryUnit(tau: 20, wPFC: 3.5)
        let fps = unit.fixedPoints(md: 1, sensory: -3)
        #expect(fps.count == 3)
        for fp in fps {
            var pop = WorkingMemoryPopulation(unit: unit, rates: [fp.rate + 1e-4, fp.rate - 1e-4])
            _ = try pop.simulate(duration: 100, dt: 0.05, drive: ConstantDrive(md: [1, 1], sensory: [-3, -3]), run: "stability")
            let moved = pop.rates.map { abs($0 - fp.rate) }
            if fp.isStable {
                #expect(moved.allSatisfy { $0 < 1e-5 }, "r* = \(fp.rate)")
            } else {
                #expect(moved.allSatisfy { $0 > 1e-3 }, "r* = \(fp.rate)")
            }
        }
    }

    @Test func bistabilityWindowIsWhereTheCountChanges() throws {
        #expect(WorkingMemoryUnit.bistabilityWindow(sensory: -1.5) == nil)
        let window = try #require(WorkingMemoryUnit.bistabilityWindow(sensory: -3))
        #expect(window.onsetWeight < window.collapseWeight)
        #expect(window.onsetRate > 0.5 && window.collapseRate < 0.5)
        let unit = WorkingMemoryUnit(tau: 20, wPFC: 1)
        func count(_ w: Double) -> Int { unit.fixedPoints(md: w - 1, sensory: -3).count }
        #expect(count(window.onsetWeight * (1 - 1e-6)) == 1)
        #expect(count(window.onsetWeight * (1 + 1e-6)) == 3)
        #expect(count(window.collapseWeight * (1 - 1e-6)) == 3)
        #expect(count(window.collapseWeight * (1 + 1e-6)) == 1)
        // At both ends the merging fixed point has loop gain 1.
        #expect(abs(unit.loopGain(rate: window.onsetRate, md: window.onsetWeight - 1, sensory: -3) - 1) < 1e-9)
        #expect(abs(unit.loopGain(rate: window.collapseRate, md: window.collapseWeight - 1, sensory: -3) - 1) < 1e-9)
        // In r_MD for a unit with w_PFC = 2.
        let range = try #require(WorkingMemoryUnit(tau: 20, wPFC: 2).bistableMDRange(sensory: -3))
        #expect(abs(range.lowerBound - (window.onsetWeight / 2 - 1)) < 1e-12)
    }

    @Test func measuredTimeConstantOfTheLinearUnitIsTau() throws {
        let unit = WorkingMemoryUnit(tau: 20, wPFC: 0)
        let rStar = unit.lowestFixedPoint(md: 0, sensory: -3).rate
        #expect(abs(rStar - logistic(-3)) < 1e-15)
        let m = try unit.measureEffectiveTimeConstant(md: 0, sensory: -3, fixedPoint: rStar, dt: 0.05)
        #expect(abs(m.effectiveTimeConstant - 20) / 20 < 0.005, "τ_eff = \(m.effectiveTimeConstant)")
        #expect(abs(m.oneOverETime - 20) / 20 < 0.005, "1/e time = \(m.oneOverETime)")
        #expect(abs(m.fittedDuration - 60) < 0.1 && m.samples > 1000)
        // A deviation from an unstable fixed point grows: τ_eff comes out negative, as Eq. (11) says.
        let bistable = WorkingMemoryUnit(tau: 20, wPFC: 7)
        let middle = bistable.fixedPoints(md: 0, sensory: -3)[1]
        let g = try bistable.measureEffectiveTimeConstant(
            md: 0, sensory: -3, fixedPoint: middle.rate,
            perturbation: 1e-8, dt: 0.05)
        #expect(abs(g.effectiveTimeConstant - middle.effectiveTimeConstant) / abs(middle.effectiveTimeConstant) < 0.01)
    }

    @Test func divergingIntegrationThrows() throws {
        let unit = WorkingMemoryUnit(tau: 20, wPFC: 2)
        var pop = WorkingMemoryPopulation(unit: unit, rates: [0.1, 0.5])
        let drive = ConstantDrive(md: [0, 0], sensory: [-3, -3])
        // dt = 100 τ: RK4 is far outside its stability region.
        #expect(throws: DivergenceError.self) {
            try pop.simulate(duration: 20_000, dt: 2_000, drive: drive, run: "huge step")
        }
        do {
            var p = WorkingMemoryPopulation(unit: unit, rates: [0.1])
            _ = try p.simulate(
                duration: 10, dt: 0.1, drive: ConstantDrive(md: [1], sensory: [.nan]), run: "nan input",
                parameters: [RunParameter("r_md", 1)])
            Issue.record("NaN input did not throw")
        } catch let e as DivergenceError {
            #expect(e.run == "nan input" && e.value.isNaN && e.step == 1)
            #expect(e.parameters.map(\.name) == ["tau", "w_pfc", "dt", "r_md"])
            #expect(e.description.contains("tau=20") && e.description.contains("dt=0.1"))
        }
        #expect(throws: DivergenceError.self) {
            try unit.measureEffectiveTimeConstant(md: 0, sensory: -3, fixedPoint: 0.05, dt: 5_000)
        }
    }

    @Test func schedulesAndNumerics() {
        let s = RateSchedule(
            baseline: -3, pulses: [RatePulse(start: 10, end: 20, amplitude: 4), RatePulse(start: 15, end: 30, amplitude: 1)])
        #expect(s.value(at: 9.99) == -3 && s.value(at: 10) == 1 && s.value(at: 15) == 2 && s.value(at: 20) == -2 && s.value(at: 30) == -3)
        var fit = StreamingLineFit()
        for k in 0..<50 { fit.add(1000 + Double(k) * 0.1, 2 - 0.5 * (1000 + Double(k) * 0.1)) }
        #expect(abs(fit.slope + 0.5) < 1e-9 && abs(fit.intercept - 2) < 1e-6)
        let root = RateDynamicsNumerics.bisectRoot(in: 0, 2) { $0 * $0 - 2 }
        #expect(abs(root! - 2.0.squareRoot()) < 1e-15)
        #expect(RateDynamicsNumerics.bisectRoot(in: 2, 3) { $0 * $0 - 2 } == nil)
        #expect(abs(logistic(RateDynamicsNumerics.logit(0.3)) - 0.3) < 1e-15)
        let a = RateTrajectory(times: [0, 1], rates: [[1, 2]]), b = RateTrajectory(times: [1, 2], rates: [[2, 3]])
        #expect(a.appending(b) == RateTrajectory(times: [0, 1, 2], rates: [[1, 2, 3]]))
    }
}
