// What an experiment hands to a figure: named curves, one per seed, and
// their mean ± SEM across seeds.

/// A named curve: values `y` over an x axis (trials, episodes, time steps).
public struct Curve: Sendable, Equatable {
    /// What the curve measures, e.g. "delta at reward (cue A)".
    var name: String
    /// The x coordinates, e.g. trial numbers.
    public var x: [Double]
    /// The values, one per x.
    public var y: [Double]

    /// A curve; `x` and `y` must have the same length.
    public init(name: String, x: [Double], y: [Double]) {
        precondition(x.count == y.count, "curve '\(name)': \(x.count) x values but \(y.count) y values")
        self.name = name
        self.x = x
        self.y = y
    }

    /// A curve over x = 0, 1, 2, ….
    public init(name: String, y: [Double]) {
        self.init(name: name, x: (0..<y.count).map(Double.init), y: y)
    }
}

/// The curves one seed produced.
public struct SeedRecord: Sendable, Equatable {
    /// The seed that produced these curves.
    public var seed: UInt64
    /// The curves, each with a distinct name.
    public var curves: [Curve]

    /// A record for `seed`.
    public init(seed: UInt64, curves: [Curve]) {
        self.seed = seed
        self.curves = curves
    }

    /// The curve called `name`, if any.
    public func curve(named name: String) -> Curve? { curves.first { $0.name == name } }
}

/// Mean and standard error of the mean of a sample.
public struct MeanSEM: Sendable, Equatable {
    /// The sample mean.
    public var mean: Double
    /// The SEM: sample standard deviation (n − 1 denominator) / √n; 0 when n = 1.
    public var sem: Double
    /// The sample size.
    public var n: Int

    /// Mean and SEM of `samples` (which must not be empty).
    public init(_ samples: [Double]) {
        precondition(!samples.isEmpty, "mean and SEM of an empty sample")
        n = samples.count
        mean = samples.reduce(0, +) / Double(n)
        if n < 2 {
            sem = 0
        } else {
            let m = mean
            let ss = samples.reduce(0) { $0 + ($1 - m) * ($1 - m) }
            sem = (ss / Double(n - 1)).squareRoot() / Double(n).squareRoot()
        }
    }

    /// The sample standard deviation (n − 1 denominator), recovered as SEM · √n.
    public var sd: Double { sem * Double(n).squareRoot() }
}

/// A curve summarised across seeds: mean and SEM at every x point.
public struct SeedStatistics: Sendable, Equatable {
    /// The shared curve name.
    var name: String
    /// The shared x coordinates.
    public var x: [Double]
    /// Mean across seeds at each x.
    public var mean: [Double]
    /// SEM across seeds at each x (0 everywhere when there is one seed).
    public var sem: [Double]
    /// How many seeds went into each point.
    public var seedCount: Int

    /// Mean ± SEM over the points that every curve reached: curves cut short by a diverging
    /// run shorten the statistics to the shortest of them (their x axes agree up to there).
    public init(commonPrefixOf curves: [Curve]) {
        let n = curves.map(\.x.count).min() ?? 0
        self.init(curves.map { Curve(name: $0.name, x: Array($0.x.prefix(n)), y: Array($0.y.prefix(n))) })
    }

    /// Mean ± SEM of curves that share one x axis (one curve per seed).
    public init(_ curves: [Curve]) {
        precondition(!curves.isEmpty, "statistics across zero seeds")
        let first = curves[0]
        precondition(
            curves.allSatisfy { $0.x == first.x },
            "curves '\(first.name)' do not share one x axis across seeds")
        name = first.name
        x = first.x
        seedCount = curves.count
        var m = [Double](), s = [Double]()
        m.reserveCapacity(x.count)
        s.reserveCapacity(x.count)
        for k in 0..<x.count {
            let stat = MeanSEM(curves.map { $0.y[k] })
            m.append(stat.mean)
            s.append(stat.sem)
        }
        mean = m
        sem = s
    }

    /// Mean ± SEM of the curve called `name` in each record.
    public init(_ records: [SeedRecord], curve name: String) {
        self.init(
            records.map { r in
                guard let c = r.curve(named: name) else { preconditionFailure("seed \(r.seed) has no curve '\(name)'") }
                return c
            })
    }
}
