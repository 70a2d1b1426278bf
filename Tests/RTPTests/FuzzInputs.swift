import TestSupport

extension SeededGenerator {
    /// `count` random byte strings of 0...maxLength bytes.
    static func randomByteStrings(count: Int, maxLength: Int, seed: UInt64) -> [[UInt8]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.bytes(Int.random(in: 0...maxLength, using: &generator)) }
    }
}

/// Every proper prefix of `bytes` (including the empty one).
func truncations(of bytes: [UInt8]) -> [[UInt8]] {
    (0..<bytes.count).map { Array(bytes.prefix($0)) }
}
