/// The ICE agent's source of transaction ids, tie-breakers, credentials and timer jitter:
/// the system's generator in production, a seeded one (SplitMix64) where a run must repeat
/// exactly, as in tests.
public struct ICERandom: RandomNumberGenerator, Sendable {
    private var seededState: UInt64?
    private var system = SystemRandomNumberGenerator()

    public static var system: ICERandom { ICERandom(seededState: nil) }

    public static func seeded(_ seed: UInt64) -> ICERandom { ICERandom(seededState: seed) }

    private init(seededState: UInt64?) {
        self.seededState = seededState
    }

    public mutating func next() -> UInt64 {
        guard var state = seededState else { return system.next() }
        state &+= 0x9E37_79B9_7F4A_7C15
        seededState = state
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
