import Inotify
import Synchronization
import SystemPackage

/// Watches a directory and everything below it, and is never wrong about the
/// tree: no creation missed in new directories, renames paired by cookie and
/// applied to everything below, overflows recovered by a rescan, the watch
/// table kept true, limits reported, names kept byte for byte.
///
/// The watcher is ready when the initializer returns: every directory is
/// watched, and every change from then on is reported through ``changes``.
public final class TreeWatcher: Sendable {
    public let root: FilePath
    public let options: Options
    /// Internal for tests, which compare its watches with the disk.
    let inotify: Inotify
    private let channel: ChangeChannel
    private let counter = WatchCounter()

    /// Watches `root` and every directory below it (except excluded ones),
    /// then starts reporting. Throws ``Inotify/Error`` for a root that cannot
    /// be watched, and, with the `.fail` limit policy, when the watch limit is
    /// reached (the error names the directory and fs.inotify.max_user_watches).
    public init(root: FilePath, options: Options = Options()) throws {
        self.root = root
        self.options = options
        let inotify = try Inotify(flags: .closeOnExec)
        let built = try ScanThread.run { HandOff(try TreeEngine(inotify: inotify, root: root, options: options)) }
        guard let engine = built.take() else { fatalError("the first scan's engine was taken twice") }
        self.inotify = inotify
        let channel = ChangeChannel(limit: options.changeBufferLimit)
        self.channel = channel
        let counter = counter
        counter.value.store(engine.tree.count, ordering: .relaxed)
        let handOff = HandOff(engine)
        let started = Syscalls.spawnThread(named: "inotify-tree") {
            guard let engine = handOff.take() else { return }
            TreeWatcher.run(engine, channel, counter)
        }
        if case .failure(let errno) = started {
            inotify.closeQuietly()
            throw Inotify.Error(.read, errno: errno, value: "watcher thread",
                advice: "Could not start the thread that reads the tree's events")
        }
    }

    deinit {
        close()
    }

    /// Every change, in order. One consumer at a time; cancelling it ends the
    /// iteration, and changes not yet taken wait for the next one.
    public var changes: Changes { Changes(watcher: self) }

    /// How many changes are waiting to be taken: 0 means the next `next()`
    /// would wait. A consumer that writes output can flush when it reaches 0,
    /// once per burst rather than once per change.
    public var pendingChanges: Int { channel.pendingCount }

    /// How many directories are watched now.
    public var watchedDirectories: Int { counter.value.load(ordering: .relaxed) }

    /// Stops watching: the change stream ends after what it holds.
    public func close() {
        channel.close()
        inotify.closeQuietly()
    }

    /// A second concurrent iteration of ``changes``.
    public struct BusyError: Error, CustomStringConvertible {
        public var description: String {
            "another task is iterating this TreeWatcher's changes: one consumer at a time"
        }
    }

    public struct Changes: AsyncSequence, Sendable {
        public typealias Element = Change
        let watcher: TreeWatcher

        public func makeAsyncIterator() -> Iterator { Iterator(iteration: Iteration(watcher: watcher)) }

        public struct Iterator: AsyncIteratorProtocol {
            let iteration: Iteration
            public mutating func next() async throws -> Change? { try await iteration.next() }
        }
    }

    final class Iteration {
        let watcher: TreeWatcher
        private var started = false
        private var ended = false

        init(watcher: TreeWatcher) { self.watcher = watcher }

        deinit { end() }

        func next() async throws -> Change? {
            if ended { return nil }
            if !started {
                try watcher.channel.begin()
                started = true
            }
            do {
                guard let change = try await watcher.channel.next() else {
                    end()
                    return nil
                }
                return change
            } catch {
                end()
                throw error
            }
        }

        private func end() {
            guard started, !ended else { return }
            ended = true
            watcher.channel.endIteration()
        }
    }

    // MARK: The watcher's thread

    private static func run(_ engine: TreeEngine, _ channel: ChangeChannel, _ counter: WatchCounter) {
        do {
            guard channel.send(engine.startupChanges) else { return }
            while !engine.finished {
                let timeout = engine.nextDeadline.map { ContinuousClock.now.duration(to: $0) } ?? .seconds(3600)
                let events: [Inotify.Event]
                do {
                    events = try engine.watches.read(timeout: max(timeout, .zero))
                } catch let error as Inotify.Error where engine.watches.inotify.isClosed && error.errno == .badFileDescriptor {
                    break  // close(): a clean end
                }
                let changes = try engine.process(events, now: .now)
                counter.value.store(engine.tree.count, ordering: .relaxed)
                guard channel.send(changes) else { return }
            }
            channel.finish(.success(()))
        } catch {
            channel.finish(.failure(error))
        }
    }
}

/// The number of watched directories, written by the watcher's thread.
final class WatchCounter: Sendable {
    let value = Atomic<Int>(0)
}

extension Inotify {
    /// Closes unless closed already. A failing close(2) still releases the
    /// descriptor on Linux, and a watcher that is going away has no one to tell.
    fileprivate func closeQuietly() {
        guard !isClosed else { return }
        do { try close() } catch {}
    }
}
