import Foundation
import MediaDecode
import TestSupport
import Testing

@Suite struct StillImageTests {
    /// A PNG made by FFmpeg in which every pixel is known: red 10x, green 20y, blue 128,
    /// opacity 10x + 5.
    static func makePNG() async throws -> String {
        let path = NSTemporaryDirectory() + "tessera-still-\(UUID().uuidString.prefix(8)).png"
        _ = try await ChildProcess.output(of: [
            "/usr/bin/ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
            "-i", "nullsrc=s=24x12,format=rgba,geq=r='X*10':g='Y*20':b='128':a='X*10+5'", "-frames:v", "1", path,
        ])
        return path
    }

    @Test func readsEveryPixelOfAPNGFromAFileURLOrAPath() async throws {
        let path = try await Self.makePNG()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var expected: [UInt8] = []
        for y in 0..<12 {
            for x in 0..<24 { expected += [UInt8(10 * x), UInt8(20 * y), 128, UInt8(10 * x + 5)] }
        }
        for url in ["file://" + path, path] {
            let image = try StillImage.decode(url: url)
            #expect(image.width == 24 && image.height == 12)
            #expect(image.pixels == expected, "\(url)")
        }
    }

    /// The same picture over HTTP, from Python's file server on loopback.
    @Test func readsAPictureOverHTTP() async throws {
        let path = try await Self.makePNG()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let port = Int.random(in: 20_000...40_000)
        let server = try ChildProcess(["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1",
                                       "--directory", (path as NSString).deletingLastPathComponent])
        defer { server.stop() }
        let url = "http://127.0.0.1:\(port)/\((path as NSString).lastPathComponent)"
        // Until the server listens (at most 10 s).
        var image: RGBAImage?
        for _ in 0..<50 where image == nil {
            image = try? StillImage.decode(url: url)
            if image == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        let decoded = try #require(image, "\(url) never answered")
        #expect(decoded == (try StillImage.decode(url: path)))
    }

    @Test func aMissingFileOrNotAPictureSaysWhichAndWhy() throws {
        #expect {
            try StillImage.decode(url: "file:///nonexistent/logo.png")
        } throws: { error in
            "\(error)".contains("file:///nonexistent/logo.png") && "\(error)".contains("No such file")
        }
        let text = NSTemporaryDirectory() + "tessera-still-\(UUID().uuidString.prefix(8)).png"
        try Data("not a picture".utf8).write(to: URL(fileURLWithPath: text))
        defer { try? FileManager.default.removeItem(atPath: text) }
        #expect {
            try StillImage.decode(url: text)
        } throws: { error in
            "\(error)".hasPrefix(text + ": ")
        }
    }
}
