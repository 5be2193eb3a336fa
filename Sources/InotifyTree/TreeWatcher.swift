@_spi(Concurrency) import Inotify
import Synchronization
import SystemPackage

/// Watches a directory and everything below it, and is never wrong about the
/// tree: no creation missed in new directories, renames paired by cookie and
/// applied to everything below, overflows recovered by a rescan, the watch
/// table kept true, limits reported, names kept byte for byte.
///
/// The watcher is ready when the initializer returns: every directory is
/// watched, and every change from then on is reported through ``changes``.
/// What feeds it is a ``ChangeSource`` (inotify's, ``InotifySource``, unless
/// another is given), driven by a thread of the watcher's own.
public final class TreeWatcher: Sendable {
    /// The root, as given.
    public let root: FilePath
    /// The options it was made with; for a watcher made from a source, the
    /// defaults but for ``Options/changeBufferLimit``.
    public let options: Options
    /// Which source watches the tree, and why: what
    /// ``Options/source`` asked for, or what the probe of `.automatic` found.
    public let sourceChoice: SourceChoice
    /// Stops the source; internal for tests, which reach the inotify
    /// instance behind an ``InotifySource`` through it.
    let control: any ChangeSourceControl
    private let channel: ChangeChannel
    private let counter = WatchCounter()

    /// Watches `root` and every directory below it (except excluded ones)
    /// with an ``InotifySource``, then starts reporting. Throws
    /// `Inotify.Error` for a root that cannot be watched, and, with the
    /// `.fail` limit policy, when the watch limit is reached (the error names
    /// the directory and fs.inotify.max_user_watches).
    public convenience init(root: FilePath, options: Options = Options()) throws {
        let (source, choice) = try Self.makeSource(root: root, options: options)
        try self.init(source: source, options: options, choice: choice)
    }

    /// Reports what `source` says, from a thread of the watcher's own, which
    /// the source is handed to: at most `changeBufferLimit` changes wait for
    /// the consumer (``Options/changeBufferLimit``). Throws only when no
    /// thread can be had.
    public convenience init(source: sending any ChangeSource, changeBufferLimit: Int = Options().changeBufferLimit) throws {
        var options = Options()
        options.changeBufferLimit = changeBufferLimit
        try self.init(source: source, options: options, choice: SourceChoice(kind: nil, reason: "given"))
    }

    private init(source: sending any ChangeSource, options: Options, choice: SourceChoice) throws {
        self.root = source.root
        self.options = options
        sourceChoice = choice
        let control = source.control
        self.control = control
        let channel = ChangeChannel(limit: options.changeBufferLimit)
        self.channel = channel
        let counter = counter
        counter.value.store(source.watchCount, ordering: .relaxed)
        let handOff = HandOff(source)
        let started = Syscalls.spawnThread(named: "inotify-tree") {
            guard var source = handOff.take() else { return }
            TreeWatcher.run(&source, channel, counter)
        }
        if case .failure(let errno) = started {
            control.stop()
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

    /// Whether every change the source has seen so far has been taken: the
    /// source holds nothing (``ChangeSourceControl/isCaughtUp``) and none
    /// waits to be taken.
    var isCaughtUp: Bool { channel.pendingCount == 0 && control.isCaughtUp }

    /// How many directories are watched now.
    public var watchedDirectories: Int { counter.value.load(ordering: .relaxed) }

    /// Stops watching: the change stream ends after what it holds.
    public func close() {
        channel.close()
        control.stop()
    }

    /// A second concurrent iteration of ``changes``: the library's one busy
    /// error, which an instance's event stream throws too.
    public typealias BusyError = Inotify.BusyError

    /// The watcher's changes, one at a time.
    public struct Changes: AsyncSequence, Sendable {
        /// One change at a time, in order.
        public typealias Element = Change
        let watcher: TreeWatcher

        /// An iterator; the iteration starts on its first `next`.
        public func makeAsyncIterator() -> Iterator { Iterator(iteration: Iteration(watcher: watcher)) }

        /// One pass over the changes. Not `Sendable`: one task iterates.
        public struct Iterator: AsyncIteratorProtocol {
            let iteration: Iteration

            /// The next change; nil once the watcher is closed or the task cancelled.
            public mutating func next() async throws -> Change? { try await iteration.next(isolation: nil) }

            /// Runs on the caller's executor: no hop per change.
            public mutating func next(isolation actor: isolated (any Actor)?) async throws -> Change? {
                try await iteration.next(isolation: actor)
            }
        }
    }

    /// One pass over the changes: starts on the first `next`, ends at the end
    /// of the stream, on cancellation, or when the iterator goes away. It
    /// takes one read's changes at a time and hands them out one by one.
    final class Iteration {
        let watcher: TreeWatcher
        private var started = false
        private var ended = false
        private var current: [Change] = []
        private var index = 0

        init(watcher: TreeWatcher) { self.watcher = watcher }

        deinit { end() }

        func next(isolation actor: isolated (any Actor)?) async throws -> Change? {
            if index < current.count { return handOut() }
            if ended { return nil }
            let channel = watcher.channel
            if !started {
                _ = try channel.channel.beginIteration()
                started = true
            }
            do {
                guard let batch = try await channel.channel.next(isolation: actor) else {
                    end()
                    return nil
                }
                current = batch
                index = 0
                return handOut()
            } catch {
                end()
                throw error
            }
        }

        private func handOut() -> Change {
            let change = current[index]
            index += 1
            watcher.channel.handedOutLeft.store(current.count - index, ordering: .relaxed)
            return change
        }

        private func end() {
            guard started, !ended else { return }
            ended = true
            let left = Array(current[index...])
            current = []
            index = 0
            watcher.channel.handedOutLeft.store(0, ordering: .relaxed)
            watcher.channel.channel.finishIteration(returning: left.isEmpty ? nil : left, weight: left.count)
        }
    }

    // MARK: The watcher's thread

    /// Hands each batch of the source's to the consumer, having the source
    /// rescan at once where a batch asks for it, until the source ends.
    private static func run(_ source: inout any ChangeSource, _ channel: ChangeChannel, _ counter: WatchCounter) {
        do {
            while let batch = try source.next() {
                var changes = batch.changes
                if batch.needsRescan { changes += try source.rescan() }
                counter.value.store(source.watchCount, ordering: .relaxed)
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

@available(*, unavailable, message: "one task iterates: hand the changes on, not the iterator")
extension TreeWatcher.Changes.Iterator: Sendable {}
