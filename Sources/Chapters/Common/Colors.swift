import Diagram
import Plot

/// The semantic palette: the fixed colour of each brain area and each method, so the same
/// thing has the same colour in every schematic and every curve. Plot's ``Palette`` holds
/// only the neutral Okabe–Ito colours; the meanings live here, beside the chapters, and
/// the areas take their colours from the schematics' ``BrainArea``.
extension Palette {
    // Brain areas (schematics and curves alike).
    static let cortex = BrainArea.cortex.color
    static let thalamus = BrainArea.thalamus.color
    static let basalGanglia = BrainArea.basalGanglia.color
    static let dopamine = BrainArea.dopamine.color
    static let sensory = BrainArea.sensory.color
    static let reward = BrainArea.reward.color

    // Methods and signals.
    /// The TD reward-prediction error δ.
    static let rpe = reddishPurple
    /// A learned value estimate V.
    static let value = blue
    /// Temporal-difference learning (vs. Monte Carlo).
    static let td = blue
    /// Monte Carlo learning.
    static let monteCarlo = vermillion
    static let backprop = black
    static let feedbackAlignment = blue
    static let directFeedbackAlignment = skyBlue
    static let nodePerturbation = orange
    static let weightPerturbation = vermillion
}
