// swift-tools-version:6.1
import PackageDescription

// The benchmarks live in a package of their own so the main build and `swift test` never
// build the benchmark framework. They use Tessera's modules through the parent package.
let tessera = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "tessera"

let package = Package(
    name: "TesseraBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EncodeCost",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "MediaEncode", package: tessera),
                .product(name: "SyntheticMedia", package: tessera),
                .product(name: "MediaTypes", package: tessera),
            ],
            path: "Benchmarks/EncodeCost",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "CompositorThroughput",
            dependencies: [
                "CLibYUV", "CSwscale",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Compositor", package: tessera),
                .product(name: "SyntheticMedia", package: tessera),
                .product(name: "MediaTypes", package: tessera),
            ],
            path: "Benchmarks/CompositorThroughput",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "PipelineCost",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "MediaEncode", package: tessera),
                .product(name: "MediaTypes", package: tessera),
                .product(name: "Recorder", package: tessera),
            ],
            path: "Benchmarks/PipelineCost",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The compositor's baselines, linked by the benchmark only.
        .systemLibrary(name: "CLibYUV", path: "Sources/CLibYUV"),
        .systemLibrary(name: "CSwscale", path: "Sources/CSwscale"),
    ]
)
