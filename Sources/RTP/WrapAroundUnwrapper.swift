/// Extends a wrapping counter (16-bit sequence numbers, 32-bit timestamps) to 64 bits.
///
/// Each value is placed at the extension nearest to the highest value seen so far, so
/// reordered and retransmitted values land before it and the counter may wrap any number of
/// times. Values more than half the counter's range away from the highest are ambiguous by
/// nature; they are taken as the nearest candidate.
public struct WrapAroundUnwrapper<Counter: FixedWidthInteger & UnsignedInteger>: Sendable {
    public private(set) var highest: Int64?

    public init() {}

    public mutating func unwrap(_ value: Counter) -> Int64 {
        guard let highest else {
            self.highest = Int64(value)
            return Int64(value)
        }
        let modulus = Int64(1) << Counter.bitWidth
        var delta = Int64(value) - (highest & (modulus - 1))
        if delta > modulus / 2 { delta -= modulus } else if delta < -modulus / 2 { delta += modulus }
        let extended = highest + delta
        self.highest = Swift.max(highest, extended)
        return extended
    }
}
