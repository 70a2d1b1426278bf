import CFreeType
import Compositor
import Foundation

/// Why name labels cannot be drawn: the font did not load.
public struct NameLabelError: Error, CustomStringConvertible, Sendable {
    public var fontPath: String
    public var reason: String

    public var description: String { "label font \(fontPath): \(reason)" }
}

/// Renders participants' names as label pictures for their tiles: white text on a translucent
/// dark box, `height` pixels tall, rasterized by FreeType from a TrueType font. Made where the
/// job is read (so a missing font is a config error) and handed to the pipeline, whose thread
/// alone renders with it afterwards: FreeType's face is not thread-safe, hence `@unchecked`.
public final class NameLabels: @unchecked Sendable {
    /// Debian's fonts-dejavu-core.
    public static let defaultFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    /// Opacity of the box behind the text: the tile shows through, the text stays readable.
    public static let boxOpacity = 160

    public let height: Int
    private let library: FT_Library
    private let face: FT_Face

    public init(height: Int, fontPath: String = NameLabels.defaultFont) throws(NameLabelError) {
        precondition(height >= 8 && height & 1 == 0, "a label's height must be even and at least 8, got \(height)")
        var library: FT_Library?
        guard FT_Init_FreeType(&library) == 0, let library else { throw NameLabelError(fontPath: fontPath, reason: "FreeType did not start") }
        var face: FT_Face?
        let status = FT_New_Face(library, fontPath, 0, &face)
        guard status == 0, let face else {
            FT_Done_FreeType(library)
            throw NameLabelError(fontPath: fontPath, reason: FileManager.default.fileExists(atPath: fontPath)
                ? "FreeType cannot read it (error \(status))" : "no such file")
        }
        // Text about three fifths of the label's height.
        FT_Set_Pixel_Sizes(face, 0, FT_UInt(height * 3 / 5))
        self.height = height
        self.library = library
        self.face = face
    }

    deinit {
        FT_Done_Face(face)
        FT_Done_FreeType(library)
    }

    /// The label for `name`, at most `maxWidth` wide (a longer name is cut); nil when the
    /// name is blank. Characters the font lacks show as its missing-glyph box.
    public func render(_ name: String, maxWidth: Int) -> OverlayImage? {
        let text = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let padding = (height / 3) & ~1
        guard !text.isEmpty, maxWidth >= 2 * padding + 2 else { return nil }
        // Pass 1: the text's width (advances are 26.6 fixed point).
        var advance = 0
        for scalar in text.unicodeScalars where FT_Load_Char(face, FT_ULong(scalar.value), FT_Int32(FT_LOAD_DEFAULT)) == 0 {
            advance += Int(face.pointee.glyph.pointee.advance.x)
        }
        let width = min(2 * padding + ((advance + 63) >> 6), maxWidth) & ~1
        // Pass 2: each glyph's coverage, on a baseline that centres the font's line.
        var coverage = [UInt8](repeating: 0, count: width * height)
        let metrics = face.pointee.size.pointee.metrics
        let ascender = Int(metrics.ascender) >> 6, descender = Int(metrics.descender) >> 6
        let baseline = (height - (ascender - descender)) / 2 + ascender
        var pen = padding << 6
        for scalar in text.unicodeScalars where FT_Load_Char(face, FT_ULong(scalar.value), FT_Int32(FT_LOAD_RENDER)) == 0 {
            let glyph = face.pointee.glyph.pointee
            let bitmap = glyph.bitmap
            let left = pen >> 6 + Int(glyph.bitmap_left), top = baseline - Int(glyph.bitmap_top)
            if let buffer = bitmap.buffer {
                for row in 0..<Int(bitmap.rows) where (0..<height).contains(top + row) {
                    for column in 0..<Int(bitmap.width) where (0..<(width - padding)).contains(left + column) {
                        let index = (top + row) * width + left + column
                        coverage[index] = max(coverage[index], buffer[row * Int(bitmap.pitch) + column])
                    }
                }
            }
            pen += Int(glyph.advance.x)
            if pen >> 6 >= width - padding { break }
        }
        // White text over the box: opacity c + b (1 - c), colour white scaled by c / opacity.
        var rgba = [UInt8](repeating: 0, count: width * height * 4)
        for (index, text) in coverage.enumerated() {
            let c = Int(text), opacity = c + (Self.boxOpacity * (255 - c) + 127) / 255
            let level = UInt8((255 * c + opacity / 2) / opacity)
            (rgba[4 * index], rgba[4 * index + 1], rgba[4 * index + 2], rgba[4 * index + 3]) = (level, level, level, UInt8(opacity))
        }
        return OverlayImage(rgba: rgba, width: width, height: height)
    }

    /// The label height for a canvas: readable on a 5x5 grid's tiles, not overwhelming on one
    /// large tile.
    public static func height(forCanvasHeight canvasHeight: Int) -> Int {
        max(16, canvasHeight / 24) & ~1
    }
}
