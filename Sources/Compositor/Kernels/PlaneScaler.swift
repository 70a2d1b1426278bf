/// Scales one plane with the kernel that suits the ratio: area averaging when shrinking on both
/// axes and by 2 or more on one of them (bilinear's two taps would skip samples and alias),
/// bilinear otherwise (and for boxes too large for the box kernel's 16-bit sums).
public struct PlaneScaler {
    private var bilinear = BilinearScaler()
    private var box = BoxScaler()

    public init() {}

    public enum Kernel: Sendable, Hashable { case bilinear, box }

    public static func kernel(from source: PixelSize, to destination: PixelSize) -> Kernel {
        let shrinksByTwo = source.width >= 2 * destination.width || source.height >= 2 * destination.height
        return shrinksByTwo && BoxScaler.canScale(from: source, to: destination) ? .box : .bilinear
    }

    public mutating func scale(_ source: PlaneView, into destination: PlaneView) {
        switch PlaneScaler.kernel(from: PixelSize(width: source.width, height: source.height),
                                  to: PixelSize(width: destination.width, height: destination.height)) {
        case .box: box.scale(source, into: destination)
        case .bilinear: bilinear.scale(source, into: destination)
        }
    }
}
