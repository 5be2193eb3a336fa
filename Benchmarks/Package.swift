// swift-tools-version:6.1
// The benchmarks live in a package of their own so that the main build and its
// tests never resolve or build the benchmark harness.
import PackageDescription

let package = Package(
    name: "swift-inotify-benchmarks",
    dependencies: [
        .package(name: "swift-inotify", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The C baseline, compiled in the same build and measured in the same run.
        .target(name: "CReadLoop"),
        .executableTarget(
            name: "StreamBenchmarks",
            dependencies: [
                "CReadLoop",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Inotify", package: "swift-inotify"),
            ],
            path: "Benchmarks/StreamBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TreeBenchmarks",
            dependencies: [
                "CReadLoop",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Inotify", package: "swift-inotify"),
                .product(name: "InotifyTree", package: "swift-inotify"),
            ],
            path: "Benchmarks/TreeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
