/// A point or span on a media time axis, as an exact rational `value / timescale` seconds.
///
/// Integer ticks keep a 24-hour recording free of floating-point drift: 30 fps frame n is
/// exactly `MediaTime(value: n, timescale: 30)`, audio sample n exactly `(n, 48_000)`, an RTP
/// timestamp exactly `(ts, 90_000)`. Comparison and arithmetic across timescales are exact too.
public struct MediaTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var value: Int64
    public var timescale: Int64

    public init(value: Int64, timescale: Int64) {
        precondition(timescale > 0, "MediaTime timescale must be positive")
        self.value = value
        self.timescale = timescale
    }

    public static let zero = MediaTime(value: 0, timescale: 1)

    public static func seconds(_ seconds: Int64) -> MediaTime { MediaTime(value: seconds, timescale: 1) }
    public static func milliseconds(_ ms: Int64) -> MediaTime { MediaTime(value: ms, timescale: 1000) }
    public static func microseconds(_ us: Int64) -> MediaTime { MediaTime(value: us, timescale: 1_000_000) }
    public static func nanoseconds(_ ns: Int64) -> MediaTime { MediaTime(value: ns, timescale: 1_000_000_000) }

    /// For display and statistics only; never feed this back into timing.
    public var seconds: Double { Double(value) / Double(timescale) }

    /// This time in another timescale, rounded to the nearest tick (half away from zero), or
    /// towards negative infinity with `.down`.
    public func rescaled(to newScale: Int64, rounding: Rounding = .nearest) -> Int64 {
        if newScale == timescale { return value }
        return MediaTime.rescale(value, numerator: newScale, denominator: timescale, rounding: rounding)
    }

    public func converted(to newScale: Int64, rounding: Rounding = .nearest) -> MediaTime {
        MediaTime(value: rescaled(to: newScale, rounding: rounding), timescale: newScale)
    }

    public enum Rounding: Sendable { case nearest, down, up }

    /// `value * numerator / denominator` in 128-bit intermediate precision.
    static func rescale(_ value: Int64, numerator: Int64, denominator: Int64, rounding: Rounding) -> Int64 {
        let product = value.multipliedFullWidth(by: numerator)
        let negative = product.high < 0
        // Work on the magnitude so rounding is symmetric.
        let magnitude: (high: UInt64, low: UInt64)
        if negative {
            let low = ~product.low &+ 1
            let high = ~UInt64(bitPattern: product.high) &+ (low == 0 ? 1 : 0)
            magnitude = (high, low)
        } else {
            magnitude = (UInt64(bitPattern: product.high), product.low)
        }
        let divisor = UInt64(denominator)
        precondition(magnitude.high < divisor, "MediaTime rescale overflows Int64")
        let (truncated, remainder) = divisor.dividingFullWidth(magnitude)
        var quotient = truncated
        switch rounding {
        case .nearest:
            if remainder >= divisor - remainder { quotient += 1 }
        case .down:
            if negative && remainder != 0 { quotient += 1 }
        case .up:
            if !negative && remainder != 0 { quotient += 1 }
        }
        return negative ? -Int64(quotient) : Int64(quotient)
    }

    public static func < (lhs: MediaTime, rhs: MediaTime) -> Bool {
        if lhs.timescale == rhs.timescale { return lhs.value < rhs.value }
        let l = lhs.value.multipliedFullWidth(by: rhs.timescale)
        let r = rhs.value.multipliedFullWidth(by: lhs.timescale)
        return (l.high, l.low) < (r.high, r.low)
    }

    public static func == (lhs: MediaTime, rhs: MediaTime) -> Bool {
        if lhs.timescale == rhs.timescale { return lhs.value == rhs.value }
        let l = lhs.value.multipliedFullWidth(by: rhs.timescale)
        let r = rhs.value.multipliedFullWidth(by: lhs.timescale)
        return l.high == r.high && l.low == r.low
    }

    public func hash(into hasher: inout Hasher) {
        let divisor = MediaTime.gcd(Swift.abs(value), timescale)
        hasher.combine(value / divisor)
        hasher.combine(timescale / divisor)
    }

    /// Sum or difference in the least common timescale of the two operands, so it stays exact;
    /// when values that large would not fit, in the coarser of the two timescales.
    public static func + (lhs: MediaTime, rhs: MediaTime) -> MediaTime {
        let scale = sharedTimescale(lhs, rhs)
        return MediaTime(value: lhs.rescaled(to: scale) + rhs.rescaled(to: scale), timescale: scale)
    }

    public static func - (lhs: MediaTime, rhs: MediaTime) -> MediaTime {
        let scale = sharedTimescale(lhs, rhs)
        return MediaTime(value: lhs.rescaled(to: scale) - rhs.rescaled(to: scale), timescale: scale)
    }

    public static prefix func - (time: MediaTime) -> MediaTime {
        MediaTime(value: -time.value, timescale: time.timescale)
    }

    public var description: String {
        let ms = rescaled(to: 1000)
        let sign = ms < 0 ? "-" : ""
        let magnitude = Swift.abs(ms)
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)s"
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return Swift.max(a, 1)
    }

    /// A timescale both operands convert to without overflow, and with the headroom of one more
    /// addition: their least common multiple when it is small enough, else the coarser one.
    static func sharedTimescale(_ lhs: MediaTime, _ rhs: MediaTime) -> Int64 {
        if lhs.timescale == rhs.timescale { return lhs.timescale }
        let lcm = (lhs.timescale / gcd(lhs.timescale, rhs.timescale)).multipliedReportingOverflow(by: rhs.timescale)
        if !lcm.overflow, lhs.fits(in: lcm.partialValue), rhs.fits(in: lcm.partialValue) { return lcm.partialValue }
        return Swift.min(lhs.timescale, rhs.timescale)
    }

    /// Whether this time rescaled to `scale` stays within half of Int64's range.
    func fits(in scale: Int64) -> Bool {
        let product = value.magnitude.multipliedFullWidth(by: UInt64(scale))
        guard product.high < UInt64(timescale) else { return false }
        let (quotient, _) = UInt64(timescale).dividingFullWidth(product)
        return quotient <= UInt64(Int64.max / 2)
    }
}
