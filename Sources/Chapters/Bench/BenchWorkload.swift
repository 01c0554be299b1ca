import CreditCore

/// One named workload of `credit bench`: an experiment of a chapter at its default (or
/// `--quick`) parameters, computed as the chapter computes it, without rendering a figure.
package struct BenchWorkload: Sendable {
    package let name: String
    /// The chapter whose experiment it is.
    package let chapter: String
    package let summary: String
    /// Untimed set-up (inputs that another experiment computes), returning the timed run; the
    /// run returns the CSV tables the chapter writes with `--data`, whose text is the checksum's input.
    let prepare: @Sendable (_ quick: Bool) throws -> @Sendable () throws -> [CSVTable]

    init(
        _ name: String, chapter: String, _ summary: String,
        prepare: @escaping @Sendable (_ quick: Bool) throws -> @Sendable () throws -> [CSVTable]
    ) {
        self.name = name
        self.chapter = chapter
        self.summary = summary
        self.prepare = prepare
    }

    /// A workload with no set-up.
    init(_ name: String, chapter: String, _ summary: String, run: @escaping @Sendable (_ quick: Bool) throws -> [CSVTable]) {
        self.init(name, chapter: chapter, summary, prepare: { quick in { try run(quick) } })
    }

    /// The workload called `name`, if there is one.
    package static func named(_ name: String) -> BenchWorkload? { all.first { $0.name == name } }

    /// Every workload: the experiments behind each chapter's data figures that take more than
    /// a moment, in the chapters' order.
    package static let all: [BenchWorkload] = [
        BenchWorkload("step-sizes", chapter: "backprop", "the step-size sweep of every method") { quick in
            [try stepSizeSweep(BackpropParameters(quick: quick)).csv]
        },
        BenchWorkload(
            "learning-curves", chapter: "backprop", "every method's learning curves (the step-size sweep is untimed set-up)",
            prepare: { quick in
                let p = BackpropParameters(quick: quick)
                let chosen = try stepSizeSweep(p).chosen
                return { [try learningCurves(p, stepFactors: chosen).csv] }
            }),
        BenchWorkload("alignment", chapter: "backprop", "feedback alignment's angle to backprop over training") { quick in
            [try alignment(BackpropParameters(quick: quick)).csv]
        },
        BenchWorkload("perturbation-scaling", chapter: "backprop", "perturbation estimates against network size") { quick in
            [try perturbationScaling(BackpropParameters(quick: quick)).csv]
        },
        BenchWorkload("node-perturbation-bias", chapter: "backprop", "node perturbation's bias against σ") { quick in
            [try nodePerturbationBias(BackpropParameters(quick: quick)).csv]
        },
        BenchWorkload("random-walk", chapter: "td", "TD(0) against constant-α Monte Carlo on the random walk") { quick in
            let p = TDParameters(quick: quick)
            return [try randomWalk(runs: p.randomWalkRuns, episodes: p.randomWalkEpisodes, seed: p.seed).csv]
        },
        BenchWorkload("consolidation-sweep", chapter: "consolidation", "consolidation time over η_w × η_M (sweep)") { quick in
            [try sweep(ConsolidationParameters(quick: quick)).csv]
        },
        BenchWorkload("weight-protection", chapter: "context", "the PFC–MD reservoir's weight drift under four MD conditions") {
            quick in [try weightProtection(ContextParameters(quick: quick).protection).csv]
        },
        BenchWorkload("forgetting", chapter: "context", "alternating contexts: every method's forgetting") { quick in
            let p = ContextParameters(quick: quick)
            return [try runForgetting(p.forgetting, methods: p.forgettingMethods).csv]
        },
        BenchWorkload("capacity", chapter: "context", "how many contexts each method keeps") { quick in
            let p = ContextParameters(quick: quick)
            return [try runCapacity(p.forgetting, methods: p.forgettingMethods).csv]
        },
        BenchWorkload("bg-selection", chapter: "context", "the basal ganglia learn which MD unit to release") { quick in
            let p = ContextParameters(quick: quick)
            return [try bgSelection(p.selection, p.forgetting).csv]
        },
        BenchWorkload("bg-lesion", chapter: "context", "the circuit silenced after each block") { quick in
            let p = ContextParameters(quick: quick)
            return [try bgLesion(p.selection, p.forgetting).csv]
        },
        BenchWorkload("two-timescales", chapter: "context", "fast thalamic and slow cortical learning against a tuned single rate") {
            quick in [try twoTimescales(ContextParameters(quick: quick).timescales).csv]
        },
        BenchWorkload("tau-eff", chapter: "gating", "τ_eff simulated against Eq. 11") { quick in
            [try tauEffective(GatingParameters(quick: quick).dynamics).csv]
        },
        BenchWorkload("phase-diagram", chapter: "gating", "τ_eff / τ over r_MD × w_PFC") { quick in
            [try phaseDiagram(GatingParameters(quick: quick).dynamics).csv]
        },
        BenchWorkload("learned-gating", chapter: "gating", "the actor-critic learns when to open the gate") { quick in
            [try learnedGating(GatingParameters(quick: quick).learning).csv]
        },
    ]
}
