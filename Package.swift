// swift-tools-version:6.1
import PackageDescription

// Modules and their layers are described in DESIGN.md: a module imports only lower layers.

// Pixel and sample loops are unusable unoptimized (Swift SIMD code runs tens of times slower at
// -Onone), so the modules that do per-pixel and per-sample work are optimized in debug builds
// too: tests that replay real meetings then take seconds, not minutes.
let optimizedAlways: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

// The compositor's scaler uses SSSE3 (a byte shuffle that fetches sample pairs, a multiply-add
// of byte pairs that blends them): on x86-64 it is built for x86-64-v2 (Nehalem and later,
// every x86-64 server CPU since 2009), which declares SIMD_SSSE3; elsewhere plain Swift SIMD
// forms with the same results are used.
#if arch(x86_64)
let compositorSettings = optimizedAlways + [.unsafeFlags(["-target-cpu", "nehalem"]), .define("SIMD_SSSE3")]
#else
let compositorSettings = optimizedAlways
#endif

let package = Package(
    name: "Tessera",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tessera", targets: ["BotRunner"]),
        // For the benchmark package in Benchmarks/.
        .library(name: "MediaTypes", targets: ["MediaTypes"]),
        .library(name: "MediaEncode", targets: ["MediaEncode"]),
        .library(name: "SyntheticMedia", targets: ["SyntheticMedia"]),
        .library(name: "Recorder", targets: ["Recorder"]),
        .library(name: "Compositor", targets: ["Compositor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-ssh", exact: "0.15.1"),
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
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),
        .systemLibrary(name: "CFreeType", path: "Sources/CFreeType", pkgConfig: "freetype2"),
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

        .target(name: "Compositor", dependencies: ["MediaTypes", "CPrefetch"], swiftSettings: compositorSettings),
        .target(
            name: "WebRTCTransport",
            dependencies: [
                "COpenSSL", "CSRTP", "MediaTypes", "RTP", "SDP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "SignalingClient",
            dependencies: [
                "SDP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Storage",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
            ]
        ),
        .target(
            name: "MediaDecode",
            dependencies: ["CFFmpeg", "FFmpegBridge", "MediaTypes"],
            swiftSettings: optimizedAlways
        ),

        // Layer 3
        .target(
            name: "Recorder",
            dependencies: [
                "CFreeType", "Compositor", "JobConfig", "MediaDecode", "MediaEncode", "MediaTypes", "RTP", "SDP", "SignalingClient",
                "Storage", "WebRTCTransport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: optimizedAlways
        ),

        // Layer 4: the `tessera` executable.
        .executableTarget(
            name: "BotRunner",
            dependencies: [
                "Compositor", "FFmpegBridge", "JobConfig", "MediaDecode", "MediaEncode", "MediaTypes", "Recorder", "RTP", "SDP",
                "SignalingClient", "SyntheticMedia", "WebRTCTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Tests: one target per module, plus shared helpers that decode files for assertions.
        .target(
            name: "TestSupport",
            dependencies: [
                "CFFmpeg", "FFmpegBridge", "MediaTypes",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Tests/TestSupport",
            exclude: ["Peers"],
            swiftSettings: optimizedAlways
        ),
        .testTarget(name: "MediaTypesTests", dependencies: ["MediaTypes"]),
        .testTarget(
            name: "BotRunnerTests",
            dependencies: [
                "Compositor", "MediaTypes", "Recorder", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "JobConfigTests", dependencies: ["JobConfig", "TestSupport"]),
        .testTarget(name: "RTPTests", dependencies: ["RTP", "MediaTypes", "TestSupport"]),
        .testTarget(name: "SDPTests", dependencies: ["SDP", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "CompositorTests", dependencies: ["Compositor", "MediaTypes", "TestSupport"]),
        .testTarget(
            name: "WebRTCTransportTests",
            dependencies: ["WebRTCTransport", "COpenSSL", "MediaDecode", "MediaTypes", "RTP", "SDP"],
            exclude: ["ICE/Peers", "Connection/Peers"]
        ),
        .testTarget(
            name: "RecorderTests",
            dependencies: [
                "JobConfig", "MediaTypes", "Recorder", "RTP", "SDP", "SignalingClient", "Storage", "TestSupport", "WebRTCTransport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SignalingClientTests",
            dependencies: [
                "SignalingClient", "SDP", "TestSupport", "WebRTCTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "MediaDecodeTests", dependencies: ["MediaDecode", "MediaTypes", "TestSupport"]),
        .testTarget(
            name: "MediaEncodeTests",
            dependencies: ["MediaEncode", "MediaTypes", "SyntheticMedia", "TestSupport"]
        ),
    ]
)
