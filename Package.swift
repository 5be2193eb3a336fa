// swift-tools-version:6.0
import PackageDescription

// Fault injection (FaultPlan, in Sources/Inotify/Syscalls/) is compiled
// where tests are: in debug builds, into the library and the test targets
// that plan faults. A release build has no hook in any system call.
let faultInjection: [SwiftSetting] = [.define("INOTIFY_FAULTS", .when(configuration: .debug))]

let package = Package(
    name: "swift-inotify",
    products: [
        .library(name: "Inotify", targets: ["Inotify"]),
        .library(name: "InotifyTree", targets: ["InotifyTree"]),
        // The command line's code, for the fuzz targets (Fuzz/), a package of
        // their own, which reach its parsers and writers by @testable import:
        // a package sees another's targets only through its products. Its
        // public API is InotifyCommand alone.
        .library(name: "InotifyCommandLine", targets: ["InotifyCommandLine"]),
        .executable(name: "inotify", targets: ["inotify"]),
        .executable(name: "inotify-monitor", targets: ["inotify-monitor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        // For the documentation only: `swift package generate-documentation`; no target links it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // The C declarations Swift cannot import on its own: macros built from
        // other macros (IN_ALL_EVENTS), eventfd, and the variadic ioctl(FIONREAD).
        .target(name: "CInotify"),
        .target(
            name: "Inotify",
            dependencies: [
                "CInotify",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: faultInjection
        ),
        .target(
            name: "InotifyTree",
            dependencies: [
                "Inotify",
                "CInotify",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // getopt_long for the command line.
        .target(name: "CInotifyCommand"),
        // The command line's code, apart from its entry point so that tests
        // can reach it: inotifywait and inotifywatch, drop-in, and raw events.
        .target(
            name: "InotifyCommandLine",
            dependencies: [
                "Inotify",
                "InotifyTree",
                "CInotifyCommand",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .executableTarget(
            name: "inotify",
            dependencies: ["InotifyCommandLine"]
        ),
        .executableTarget(
            name: "inotify-monitor",
            dependencies: [
                "Inotify",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Examples/inotify-monitor"
        ),
        // The library and the tree watcher at the kernel's own limits, run by
        // InotifyTreeTests inside a user namespace whose limits it lowers;
        // a test's tool, in no product.
        .executableTarget(
            name: "inotify-limit-probe",
            dependencies: [
                "Inotify",
                "InotifyTree",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/LimitProbe"
        ),
        // The tree watcher soaked: writers churn a tree of 10,000 entries or
        // more for as long as asked while a consumer keeps its own view from
        // the changes, checked against the disk every minute; .ci/run runs
        // it for a minute. A tool, in no product.
        .executableTarget(
            name: "inotify-soak",
            dependencies: [
                "Inotify",
                "InotifyTree",
                "InotifyTestSupport",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/Soak"
        ),
        // Temporary directories and file operations shared by the test targets.
        .target(
            name: "InotifyTestSupport",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")],
            path: "Tests/InotifyTestSupport"
        ),
        // A lane of threads of its own for tests that hold their thread, so
        // that they never hold the concurrency pool's.
        .target(
            name: "InotifyTestLanes",
            path: "Tests/InotifyTestLanes"
        ),
        // A change source that plays a script, with no kernel: what proves
        // that a tree watcher and the command line's output need no inotify.
        .target(
            name: "InotifyTreeTestSupport",
            dependencies: [
                "Inotify",
                "InotifyTree",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/InotifyTreeTestSupport"
        ),
        .testTarget(
            name: "InotifyTests",
            dependencies: [
                "Inotify",
                "CInotify",
                "InotifyTestSupport",
                "InotifyTestLanes",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: faultInjection
        ),
        .testTarget(
            name: "InotifyCommandLineTests",
            dependencies: [
                "InotifyCommandLine",
                "CInotifyCommand",
                "inotify",
                "Inotify",
                "InotifyTree",
                "InotifyTestSupport",
                "InotifyTestLanes",
                "InotifyTreeTestSupport",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: faultInjection
        ),
        .testTarget(
            name: "InotifyTreeTests",
            dependencies: [
                "InotifyTree",
                "inotify-limit-probe",
                "InotifyTestSupport",
                "InotifyTestLanes",
                "InotifyTreeTestSupport",
                "Inotify",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: faultInjection
        ),
    ],
    swiftLanguageModes: [.v6]
)
