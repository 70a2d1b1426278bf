// swift-tools-version:6.1
import PackageDescription

// Modules and their layers are described in DESIGN.md: a module imports only lower layers.
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
        .target(name: "MediaTypes"),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl"),
        .systemLibrary(name: "CSRTP", path: "Sources/CSRTP", pkgConfig: "libsrtp2"),

        // Layer 1
        .target(
            name: "FFmpegBridge",
            dependencies: [
                "CFFmpeg", "CShim", "MediaTypes",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "SyntheticMedia", dependencies: ["MediaTypes"]),
        .target(name: "JobConfig"),
        .target(name: "RTP", dependencies: ["MediaTypes"]),
        .target(name: "SDP"),

        // Layer 2
        .target(
            name: "MediaEncode",
            dependencies: [
                "CFFmpeg", "FFmpegBridge", "MediaTypes",
            ]
        ),

        .target(name: "Compositor", dependencies: ["MediaTypes"]),
        .target(
            name: "WebRTCTransport",
            dependencies: ["COpenSSL", "CSRTP", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "MediaDecode",
            dependencies: ["CFFmpeg", "FFmpegBridge", "MediaTypes"]
        ),

        // Layer 3
        .target(
            name: "Recorder",
            dependencies: ["Compositor", "MediaDecode", "MediaEncode", "MediaTypes", "RTP", "SDP"]
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
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "MediaTypesTests", dependencies: ["MediaTypes"]),
        .testTarget(name: "BotRunnerTests", dependencies: ["TestSupport"]),
        .testTarget(name: "JobConfigTests", dependencies: ["JobConfig"]),
        .testTarget(name: "RTPTests", dependencies: ["RTP", "MediaTypes"]),
        .testTarget(name: "SDPTests", dependencies: ["SDP"], exclude: ["Fixtures"]),
        .testTarget(name: "CompositorTests", dependencies: ["Compositor", "MediaTypes", "TestSupport"]),
        .testTarget(name: "WebRTCTransportTests", dependencies: ["WebRTCTransport", "COpenSSL"], exclude: ["ICE/Peers"]),
        .testTarget(name: "RecorderTests", dependencies: ["Recorder", "MediaTypes", "RTP", "SDP", "TestSupport"]),
        .testTarget(name: "MediaDecodeTests", dependencies: ["MediaDecode", "MediaTypes", "TestSupport"]),
        .testTarget(
            name: "MediaEncodeTests",
            dependencies: ["MediaEncode", "MediaTypes", "SyntheticMedia", "TestSupport"]
        ),
    ]
)
