// swift-tools-version:6.1
import PackageDescription

// Modules and their layers are described in DESIGN.md: a module imports only lower layers.

// Pixel and sample loops are unusable unoptimized (Swift SIMD code runs tens of times slower at
// -Onone), so the modules that do per-pixel and per-sample work are optimized in debug builds
// too: tests that replay real meetings then take seconds, not minutes.
let optimizedAlways: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Tessera",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tessera", targets: ["BotRunner"]),
        // For the benchmark package in Benchmarks/.
        .library(name: "MediaTypes", targets: ["MediaTypes"]),
        .library(name: "MediaEncode", targets: ["MediaEncode"]),
        .library(name: "SyntheticMedia", targets: ["SyntheticMedia"]),
        .library(name: "Compositor", targets: ["Compositor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // Layer 0: C libraries and the shared value types.
        .systemLibrary(name: "CFFmpeg", path: "Sources/CFFmpeg"),
        .target(
            name: "CShim",
            dependencies: ["CFFmpeg"],
            linkerSettings: [.linkedLibrary("avutil")]
        ),
        .target(name: "MediaTypes", swiftSettings: optimizedAlways),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl"),
        .systemLibrary(name: "CSRTP", path: "Sources/CSRTP", pkgConfig: "libsrtp2"),

        // Layer 1
        .target(
            name: "FFmpegBridge",
            dependencies: [
                "CFFmpeg", "CShim", "MediaTypes",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: optimizedAlways
        ),
        .target(name: "SyntheticMedia", dependencies: ["MediaTypes"], swiftSettings: optimizedAlways),
        .target(name: "JobConfig"),
        .target(name: "RTP", dependencies: ["MediaTypes"], swiftSettings: optimizedAlways),
        .target(name: "SDP"),

        // Layer 2
        .target(
            name: "MediaEncode",
            dependencies: [
                "CFFmpeg", "FFmpegBridge", "MediaTypes",
            ],
            swiftSettings: optimizedAlways
        ),

        .target(name: "Compositor", dependencies: ["MediaTypes"], swiftSettings: optimizedAlways),
        .target(
            name: "WebRTCTransport",
            dependencies: ["COpenSSL", "CSRTP", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Connection"]
        ),
        .target(
            name: "MediaDecode",
            dependencies: ["CFFmpeg", "FFmpegBridge", "MediaTypes"],
            swiftSettings: optimizedAlways
        ),

        // Layer 3
        .target(
            name: "Recorder",
            dependencies: ["Compositor", "MediaDecode", "MediaEncode", "MediaTypes", "RTP", "SDP"],
            exclude: ["Lifecycle"],
            swiftSettings: optimizedAlways
        ),

        // Layer 4: the `tessera` executable.
        .executableTarget(
            name: "BotRunner",
            dependencies: [
                "Compositor", "FFmpegBridge", "JobConfig", "MediaEncode", "MediaTypes", "Recorder", "RTP", "SDP", "SyntheticMedia",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Tests: one target per module, plus shared helpers that decode files for assertions.
        .target(
            name: "TestSupport",
            dependencies: ["CFFmpeg", "FFmpegBridge", "MediaTypes"],
            path: "Tests/TestSupport",
            swiftSettings: optimizedAlways
        ),
        .testTarget(name: "MediaTypesTests", dependencies: ["MediaTypes"]),
        .testTarget(name: "BotRunnerTests", dependencies: ["TestSupport"]),
        .testTarget(name: "JobConfigTests", dependencies: ["JobConfig"]),
        .testTarget(name: "RTPTests", dependencies: ["RTP", "MediaTypes"]),
        .testTarget(name: "SDPTests", dependencies: ["SDP"], exclude: ["Fixtures"]),
        .testTarget(name: "CompositorTests", dependencies: ["Compositor", "MediaTypes", "TestSupport"]),
        .testTarget(name: "WebRTCTransportTests", dependencies: ["WebRTCTransport", "COpenSSL"], exclude: ["ICE/Peers", "Connection"]),
        .testTarget(name: "RecorderTests", dependencies: ["Recorder", "MediaTypes", "RTP", "SDP", "TestSupport"], exclude: ["Lifecycle"]),
        .testTarget(name: "MediaDecodeTests", dependencies: ["MediaDecode", "MediaTypes", "TestSupport"]),
        .testTarget(
            name: "MediaEncodeTests",
            dependencies: ["MediaEncode", "MediaTypes", "SyntheticMedia", "TestSupport"]
        ),
    ]
)
