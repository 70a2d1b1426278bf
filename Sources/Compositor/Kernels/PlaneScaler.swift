/// Scales one plane with the kernel that suits the ratio: area averaging when shrinking on both
/// axes and by 2 or more on one of them (bilinear's two taps would skip samples and alias),
/// bilinear otherwise (and for boxes too large for the box kernel's 16-bit sums).
///
/// Two ratios get a faster implementation of the same result: equal sizes, where bilinear
/// samples every pixel with no weight on its neighbours, are a row copy; an exact halving on
/// both axes, where every box is 2x2, is the halving kernel.
public struct PlaneScaler {
    private var bilinear = BilinearScaler()
    private var box = BoxScaler()

    public init() {}

    /// The filter that defines the result (whose scalar reference it equals).
    public enum Kernel: Sendable, Hashable { case bilinear, box }

    public static func kernel(from source: PixelSize, to destination: PixelSize) -> Kernel {
        let shrinksByTwo = source.width >= 2 * destination.width || source.height >= 2 * destination.height
        return shrinksByTwo && BoxScaler.canScale(from: source, to: destination) ? .box : .bilinear
    }

    public mutating func scale(_ source: PlaneView, into destination: PlaneView) {
        let sourceSize = PixelSize(width: source.width, height: source.height)
        let destinationSize = PixelSize(width: destination.width, height: destination.height)
        if sourceSize == destinationSize {
            PlaneCopy.copy(source, into: destination)
        } else if HalvingScaler.canScale(from: sourceSize, to: destinationSize) {
            HalvingScaler.scale(source, into: destination)
        } else {
            switch PlaneScaler.kernel(from: sourceSize, to: destinationSize) {
            case .box: box.scale(source, into: destination)
            case .bilinear: bilinear.scale(source, into: destination)
            }
        }
    }
}
