// swift-tools-version:5.4
// The fuzz targets live in a package of their own, as the benchmarks do, so
// that the main build and its tests never see a sanitizer flag. Each target
// is a libFuzzer executable: build and run them with `Fuzz/run`, which passes
// -sanitize=fuzzer,address, -parse-as-library (libFuzzer's main runs, calling
// each target's LLVMFuzzerTestOneInput) and -enable-testing (the targets
// reach the command line's internal parsers and writers by @testable import).
//
// Tools version 5.4, the last before SwiftPM renames an executable's entry
// point to `<module>_main` and links `main` to it: under -parse-as-library
// there is no such symbol, and the link fails. So the language mode, Swift 6,
// is set by a flag rather than by `swiftLanguageModes`.
import PackageDescription

let swift6: [SwiftSetting] = [.unsafeFlags(["-swift-version", "6"])]

/// A target that reaches the command line's parsers and writers.
func commandLineTarget(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            "FuzzSupport",
            .product(name: "Inotify", package: "swift-inotify"),
            .product(name: "InotifyCommandLine", package: "swift-inotify"),
        ],
        swiftSettings: swift6
    )
}

let package = Package(
    name: "swift-inotify-fuzz",
    dependencies: [
        .package(name: "swift-inotify", path: ".."),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
    ],
    targets: [
        // What every target shares: reading an input as fields, and failing loudly.
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "Inotify", package: "swift-inotify")],
            swiftSettings: swift6
        ),
        // Any bytes through the decoder, both forms: they must agree.
        .executableTarget(
            name: "decoder",
            dependencies: [
                "FuzzSupport",
                .product(name: "Inotify", package: "swift-inotify"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swift6
        ),
        // Any bytes through the fanotify decoder, both forms: they must agree.
        .executableTarget(
            name: "fanotify-decoder",
            dependencies: ["FuzzSupport", .product(name: "Inotify", package: "swift-inotify")],
            swiftSettings: swift6
        ),
        // EventMask(parsing:) and the command line's -e list: names to masks and back.
        commandLineTarget("event-mask"),
        // --format against a reference reading of it, and --timefmt.
        commandLineTarget("format"),
        // Each command's whole argument parsing, argv made from the input.
        commandLineTarget("arguments"),
        // --json lines, read back by a strict JSON parser.
        commandLineTarget("json-line"),
        // -c lines, read back by a CSV reader.
        commandLineTarget("csv-line"),
    ]
)
